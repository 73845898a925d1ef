# MES AI — `make run` starts the assistant, `make test` checks everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint typecheck pytest ingest bench clean guard-model browser-deps test-scale exclusions

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's dependencies change. torch is pinned to the CPU build on disk.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev,llm]'
	touch $(STAMP)

install: $(STAMP)

# Train (or load) the scope guard's model once into .mes-data/guard; the tests reuse it.
guard-model: install
	$(BIN)/mes-ai guard --warm

ingest: install guard-model
	$(BIN)/mes-ai ingest

run: ingest
	@echo "Demo page with the chat widget: http://127.0.0.1:8000/"
	$(BIN)/mes-ai serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: install guard-model
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium; install it (and its driver) only when it is missing.
browser-deps:
	@test -x /usr/bin/chromium || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver)

test: lint typecheck browser-deps pytest

bench: install
	$(BIN)/python bench/bench_retrieval.py

clean:
	rm -rf .mes-data .pytest_cache .mypy_cache .ruff_cache

# After adding a blind set or guard test sentences: keep them out of the guard's training data.
exclusions: install
	$(BIN)/python -m guardrails.exclusions

# Not in CI: the API tests against `chroma run` and a Debian PostgreSQL with 2 uvicorn workers.
test-scale: install
	BIN=$(BIN) tests/api/run_scale.sh
