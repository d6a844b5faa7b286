# pressgen: `make` builds every release in releases/ into dist/; `make test` runs the tests.
# The virtual environment is created and the package installed on first use.

# No built-in rules: with them make looks for a way to remake each of the releases
# (RCS, SCCS, ...) and a no-op make of 1,000 releases takes 0.2 s instead of 0.02 s.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
PRESSGEN := $(BIN)/pressgen
OUT      := dist
RELEASES := $(wildcard releases/*.yaml)
TEMPLATES := $(wildcard templates/*)
CODE     := $(shell find src/pressgen -type f ! -name '*.pyc' 2>/dev/null)
STAMP    := $(OUT)/.make-stamp
INSTALLED := $(VENV)/.installed
TESTED   := $(VENV)/.test-deps

.PHONY: all test fuzz bench clean FORCE
all: $(STAMP)

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

# One `pressgen build` for whatever changed since the last one; nothing at all, not
# even starting pressgen, when nothing did. pressgen's own record
# (dist/.pressgen-cache.json) decides exactly which outputs to render: a release, or
# the part of the house file it uses, its model; a template, font or pressgen's code,
# the formats that read it. make only narrows the call to the changed releases when
# nothing else changed, and to the folder past 100 of them, so that no command line
# outgrows the system's limit. The stamp is the moment the build started, so a
# release saved during a build is built again next time.
changed = $(if $(or $(filter-out $(RELEASES),$1),$(word 101,$1)),releases,$(filter $(RELEASES),$1))

$(STAMP): $(RELEASES) $(TEMPLATES) $(CODE) $(INSTALLED)
	@mkdir -p $(OUT) && touch $@.next
	$(PRESSGEN) build --out $(OUT) $(call changed,$?)
	@mv $@.next $@

# An embargo that has lifted since the last build changes the outputs' first line:
# `pressgen build` leaves the next lift (seconds since 1970) in dist/.next-lift.
NEXT_LIFT := $(shell cat $(OUT)/.next-lift 2>/dev/null)
ifneq ($(NEXT_LIFT),)
ifeq ($(shell test "$$(date +%s)" -ge "$(NEXT_LIFT)" && echo lifted),lifted)
$(STAMP): FORCE
endif
endif
FORCE:

$(TESTED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

test: $(TESTED)
	$(BIN)/python -m pytest

fuzz: $(TESTED)
	PRESSGEN_FUZZ_EXAMPLES=5000 $(BIN)/python -m pytest -q tests/test_properties.py

bench: $(INSTALLED)
	$(BIN)/python bench/run.py $(BENCH)

clean:
	rm -rf $(OUT) $(VENV) .pytest_cache .hypothesis src/*.egg-info
