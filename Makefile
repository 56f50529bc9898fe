# Two commands do all set-up on a fresh machine:
#   make demo       creates .venv, installs the toolkit, builds the embedded synthetic store if needed,
#                   runs the diagnostic for the default place and prints the report's path.
#   make test       the same bootstrap, then the fast tests (all but those marked slow).
# And for development:
#   make test-all   every test, the slow end-to-end ones too (kernels, processes, a browser).
#   make test-slow  the slow tests only (CI runs `make test`, then this).
#   make lint       ruff, and the import contracts of pyproject.toml (lint-imports).
#   make constraints  refresh requirements/constraints.txt (see its header).
# Installs take the exact versions in requirements/constraints.txt.
PYTHON      ?= $(shell command -v python3.11 || command -v python3)
VENV        := .venv
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed
CONSTRAINTS := requirements/constraints.txt
LOCK_VENV   := build/lock-venv
PYTEST      := $(BIN)/python -m pytest

.PHONY: demo test test-all test-slow lint install constraints benchmark clean

install: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/place-diagnostic demo

test: $(STAMP)
	$(PYTEST) -m "not slow"

test-slow: $(STAMP)
	$(PYTEST) -m slow

test-all: $(STAMP)
	$(PYTEST)

# Both checks run and report, and either failing fails the target.
lint: $(STAMP)
	$(BIN)/ruff check . ; status=$$?; $(BIN)/lint-imports || status=1; exit $$status

# Resolve pyproject.toml afresh (newest allowed versions) in a throw-away venv and pin what it installed.
constraints:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e ".[test]"
	{ sed '/^[^#]/,$$d' $(CONSTRAINTS); $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf $(LOCK_VENV)

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_foundation.py

clean:
	rm -rf $(VENV) outputs .pytest_cache $(LOCK_VENV)
