# MES AI — `make run` starts the assistant, `make test` checks everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint typecheck pytest ingest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's dependencies change. torch is pinned to the CPU build on disk.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

ingest: install
	$(BIN)/mes-ai ingest

run: ingest
	$(BIN)/mes-ai serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/python -m pytest

test: lint typecheck pytest

bench: install
	$(BIN)/python bench/bench_retrieval.py

clean:
	rm -rf .mes-data .pytest_cache .mypy_cache .ruff_cache
