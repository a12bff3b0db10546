# The two commands of the README: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.sarapp-installed

.PHONY: run test lint format check-system bench bench-opendrift bundle clean

check-system:
	@packaging/check-system-libs.sh

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@packaging/check-system-libs.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

run: $(STAMP)
	$(PY) main.py $(ARGS)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; QT_QPA_PLATFORM=offscreen $(PY) $$b || exit 1; done

# OpenDrift (GPL) lives only in its own venv, only to compare against: never imported by sarapp.
OD_VENV ?= .venv-opendrift
OD_STAMP := $(OD_VENV)/.opendrift-installed

$(OD_STAMP):
	$(PYTHON) -m venv $(OD_VENV)
	$(OD_VENV)/bin/python -m pip install -q --disable-pip-version-check opendrift==1.14.12
	@touch $(OD_STAMP)

bench-opendrift: $(STAMP) $(OD_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/bench_drift.py --opendrift-python $(OD_VENV)/bin/python

bundle: $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check pyinstaller==6.22.3
	$(VENV)/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/sarapp.spec

clean:
	rm -rf build dist .pytest_cache .ruff_cache
