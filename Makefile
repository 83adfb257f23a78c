# Two commands for a newcomer: `make demo` and `make test`. Every target creates .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test run console bench lint check clean

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Nudge needs Python 3.11 or newer; try: make PY=python3.11 $(MAKECMDGOALS)"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e ".[test,postgres]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m bot demo

test: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy
	$(BIN)/python -m bot content check content
	$(BIN)/python -m pytest

run: $(STAMP)
	$(BIN)/python -m bot run

console: $(STAMP)
	$(BIN)/python -m bot console

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench

# `make check DIR=path/to/content` checks any library; the target-specific default ignores a stray
# DIR in the environment, while DIR=... on the command line still wins.
check: DIR := content
check: $(STAMP)
	$(BIN)/python -m bot content check "$(DIR)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache nudge.db
