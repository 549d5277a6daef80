# One Makefile: the targets CI runs are the targets developers run.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install system-run system-test run explain test lint typecheck contracts pytest bench clean \
        constraints

# Installs exactly the versions in constraints.txt (what CI tested); `make constraints`
# refreshes them. The postgresql extra (psycopg) is installed: the tests use both databases.
$(STAMP): pyproject.toml constraints.txt
	@PYTHON=$(PYTHON) scripts/system-packages.sh python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,postgresql]'
	# face_recognition must come without its dependencies: its metadata names the "dlib"
	# source package, which pip would compile for many minutes; dlib-bin (a dependency in
	# pyproject.toml) is the same module as a wheel (docs/biometrics.md).
	$(BIN)/python -m pip install --quiet --no-deps 'face_recognition==1.3.0'
	touch $(STAMP)

install: $(STAMP)

## System packages beside Python (scripts/system-packages.sh): installed with apt-get as
## root, or the exact command to run is printed.
system-run:
	@scripts/system-packages.sh run

system-test:
	@scripts/system-packages.sh test

## The main job: validate the law, then start the web application and the API on the
## embedded SQLite database (./data) with the demonstration data, printing the address and
## a demonstration sign-in for each role. Stop it with Ctrl-C. `make run PORT=8080` (and
## HOST=...) chooses where it listens.
run: system-run install
	$(BIN)/nseers policy validate
	$(BIN)/nseers web demo --host $(HOST) --port $(PORT)

## The law explained: every example case as a readable trace.
explain: install
	$(BIN)/nseers explain examples/*.json

## Everything CI checks.
test: system-test lint typecheck contracts pytest

lint: install
	$(BIN)/ruff check src tests benchmarks

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

pytest: install
	$(BIN)/pytest -q

## One table (issue 18): every benchmark at a size of minutes, each figure beside a peer or
## baseline of the same run (benchmarks/run_all.py; `--large` for the issues' sizes).
bench: install
	$(BIN)/python benchmarks/run_all.py

## Refresh constraints.txt: the newest versions pyproject.toml allows, resolved in a fresh
## virtual environment, then frozen. Review the diff, run `make test`, commit both.
constraints:
	rm -rf .venv-constraints
	$(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/python -m pip install --quiet --upgrade pip
	.venv-constraints/bin/python -m pip install --quiet -e '.[dev,postgresql]'
	{ echo "# What \`make install\` installs (pip -c): the versions CI tested. Refresh: make constraints"; \
	  .venv-constraints/bin/python -m pip freeze --exclude-editable --all | grep -v '^pip=='; \
	} > constraints.txt
	rm -rf .venv-constraints

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
