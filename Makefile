# newsmon — every target creates or refreshes .venv from pyproject.toml as needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo run test lint faults bench bench-daemon clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsmon demo

run: $(STAMP)
	$(BIN)/newsmon --config newsmon.yaml run

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check crawler spiders alerts storage tests bench
	$(BIN)/ruff format --check crawler spiders alerts storage tests bench
	$(BIN)/mypy

faults: $(STAMP)
	NEWSMON_FAULT_ROUNDS=20 $(BIN)/pytest -q tests/test_faults.py

bench: $(STAMP)
	$(BIN)/python bench/recrawl.py
	$(BIN)/python bench/rules.py
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/extraction.py

bench-daemon: $(STAMP)
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
