# pressgen: `make` builds every release in releases/ into dist/; `make test` runs the tests.
# The virtual environment is created and the package installed on first use.

# No built-in rules: with them make looks for ways to remake every file it sees
# (RCS, SCCS, ...), which costs a no-op make most of its time.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
PRESSGEN := $(BIN)/pressgen
OUT      := dist
STAMP    := $(OUT)/.make-stamp
WINDOW   := $(OUT)/.pressgen-window
INSTALLED := $(VENV)/.installed
TESTED   := $(VENV)/.test-deps

# The build's moment, in seconds since 1970: the clock, or `make NOW=<seconds>`
# given on the command line (for tests; a NOW in the environment is ignored, so a
# stray variable can never make a build think the embargo has lifted).
ifneq ($(origin NOW),command line)
NOW := $(shell date +%s)
endif
NOT_DIGITS := $(NOW)
$(foreach d,0 1 2 3 4 5 6 7 8 9,$(eval NOT_DIGITS := $(subst $d,,$(NOT_DIGITS))))
ifneq ($(words $(NOW))$(NOT_DIGITS),1)
$(error NOW must be whole seconds since 1970, e.g. make NOW=1769644860)
endif

.PHONY: all examples site test fuzz bench clean FORCE
all: $(STAMP)

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

# make never names a release: no file name reaches the shell or make's parser (a
# name with a space, a `;` or a backtick is pressgen's error for that release
# alone). It runs one `pressgen build` of the whole folder, and pressgen's record
# (dist/.pressgen-cache.json) decides exactly what to render: a changed release,
# house file, template, font or pressgen, an output deleted or edited, and an
# output whose embargo state is wrong for NOW.
#
# It runs nothing at all when the quick check below passes: its stamp exists,
# nothing in releases/, templates/, src/pressgen/ or pyproject.toml is newer than
# the stamp (links followed, two levels down; find's answer is only tested for
# being empty, never used as names), and pressgen's validity window (dist/.pressgen-window, `FROM UNTIL
# EPOCH`) holds NOW and this SOURCE_DATE_EPOCH. A build deletes the window before
# it writes anything and writes it after its record, so any other build into
# dist/ (a preview with --as-of, one killed half-way) sends make to pressgen.
# The stamp is the moment make's build started, so a release saved during a
# build is built again next time; it moves only when the build succeeded.
QUICK = $(shell ( test -f $(STAMP) \
	&& test -z "$$(find -L releases templates src/pressgen pyproject.toml -maxdepth 2 \
	                    -name __pycache__ -prune -o ! -name '*.pyc' -newer $(STAMP) \
	                    -print -quit)" \
	&& read from until epoch < $(WINDOW) \
	&& test "$$from" -le $(NOW) && test $(NOW) -lt "$$until" \
	&& test "$$epoch" = "$${SOURCE_DATE_EPOCH:--}" && echo yes ) 2>/dev/null)

ifeq ($(filter-out all,$(or $(MAKECMDGOALS),all)),)
ifneq ($(QUICK),yes)
$(STAMP): FORCE
endif
endif

# One shell, so that the next stamp's name (with the shell's pid) is this make's
# own even when two makes run at once (pressgen's lock makes their builds take turns).
BUILD := $(PRESSGEN) build --out $(OUT) --as-of @$(NOW) releases
$(STAMP): $(INSTALLED)
	@mkdir -p $(OUT) && next="$@.$$$$.next" && touch "$$next" && echo '$(BUILD)' \
	&& { $(BUILD) || { status=$$?; rm -f "$$next"; exit $$status; }; } && mv "$$next" $@
FORCE:

# The example projects of other houses (examples/<house>/: its own templates/house.yaml,
# logos and releases/), each built into dist/examples/<house>/. They are not in
# releases/, whose releases all use templates/house.yaml (spec §1), and not in `all`,
# whose quick check and window cover dist/ alone. The names are ours, listed here,
# never read from the disk; pressgen's record makes a second run cheap.
EXAMPLES := us-wire welsh-bilingual joint-release au-minister ie-charity
examples: $(INSTALLED)
	@for ex in $(EXAMPLES); do \
	  $(PRESSGEN) build --out $(OUT)/examples/$$ex --as-of @$(NOW) \
	    --house examples/$$ex/templates/house.yaml examples/$$ex/releases || exit $$?; \
	done

# `make site`: the newsroom (spec §10) in site/, previews in site-preview/, the same
# way: one `pressgen site` of the whole folder, skipped only while nothing is newer
# than its stamp and its window (.pressgen/site-window, `FROM UNTIL EPOCH PREVIEWS
# DIR`) holds NOW, this SOURCE_DATE_EPOCH, previews on or off as PRESSGEN_PREVIEW_KEY
# is set or not, and this site folder. Run it from cron or CI after each lift (or
# every few minutes): a run after a lift publishes what lifted and removes its
# preview. The state lives in .pressgen/, never in site/.
SITE        := site
PREVIEW     := site-preview
SITE_STATE  := .pressgen
SITE_STAMP  := $(SITE_STATE)/site-make-stamp
SITE_WINDOW := $(SITE_STATE)/site-window
SITE_QUICK = $(shell ( test -f $(SITE_STAMP) \
	&& test -z "$$(find -L releases templates src/pressgen pyproject.toml -maxdepth 2 \
	                    -name __pycache__ -prune -o ! -name '*.pyc' -newer $(SITE_STAMP) \
	                    -print -quit)" \
	&& read from until epoch previews dir < $(SITE_WINDOW) \
	&& test "$$from" -le $(NOW) && test $(NOW) -lt "$$until" \
	&& test "$$epoch" = "$${SOURCE_DATE_EPOCH:--}" \
	&& test "$$previews" = "$$(test -n "$${PRESSGEN_PREVIEW_KEY:-}" && echo on || echo off)" \
	&& test "$$dir" = $(SITE) && echo yes ) 2>/dev/null)

ifeq ($(MAKECMDGOALS),site)
ifneq ($(SITE_QUICK),yes)
$(SITE_STAMP): FORCE
endif
endif

SITE_BUILD := $(PRESSGEN) site --out $(SITE) --preview-out $(PREVIEW) --as-of @$(NOW) releases
site: $(SITE_STAMP)
$(SITE_STAMP): $(INSTALLED)
	@mkdir -p $(SITE_STATE) && next="$@.$$$$.next" && touch "$$next" && echo '$(SITE_BUILD)' \
	&& { $(SITE_BUILD) || { status=$$?; rm -f "$$next"; exit $$status; }; } && mv "$$next" $@

$(TESTED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

test: $(TESTED)
	$(BIN)/python -m pytest

fuzz: $(TESTED)
	PRESSGEN_FUZZ_EXAMPLES=5000 $(BIN)/python -m pytest -q tests/test_properties.py

bench: $(TESTED)  # the test extras: pikepdf (tagging) and aiosmtpd (sending)
	$(BIN)/python bench/run.py $(BENCH)

clean:
	rm -rf $(OUT) $(SITE) $(PREVIEW) $(SITE_STATE) $(VENV) .pytest_cache .hypothesis src/*.egg-info
