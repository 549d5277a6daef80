# One Makefile: the targets CI runs are the targets developers run.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint typecheck contracts pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The main job: validate the law, explain the example cases, and load the demonstration
## registry into the embedded SQLite database (./data), then show a registrant's record.
run: install
	$(BIN)/nseers policy validate
	$(BIN)/nseers explain examples/*.json
	$(BIN)/nseers db upgrade
	$(BIN)/nseers demo load
	$(BIN)/nseers person search --fin 00000000018 --user demo
	$(BIN)/nseers compliance report 1 --as-of 2026-11-24 --user demo

## Everything CI checks.
test: lint typecheck contracts pytest

lint: install
	$(BIN)/ruff check src tests benchmarks

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

pytest: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python benchmarks/bench_rules.py
	$(BIN)/python benchmarks/bench_registry.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
