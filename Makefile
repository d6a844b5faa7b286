# pressgen: `make` builds every release in releases/ into dist/; `make test` runs the tests.
# The virtual environment is created and the package installed on first use.

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

# One `pressgen build` for everything that changed since the last build: only the
# changed releases when only releases changed; everything when the house file,
# a template or pressgen itself changed (--force when the code changed, since the
# build's own cache keys on the model and templates, not the code).
$(STAMP): $(RELEASES) $(TEMPLATES) $(CODE) $(INSTALLED)
	@mkdir -p $(OUT)
	$(PRESSGEN) build --out $(OUT) \
	  $(if $(filter $(CODE) $(INSTALLED),$?),--force) \
	  $(if $(filter-out $(RELEASES),$?),releases,$(filter $(RELEASES),$?))
	@touch $@

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
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT) $(VENV) .pytest_cache .hypothesis src/*.egg-info
