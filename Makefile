# zwgk — two commands set everything up on a machine with only python3:
#   make demo   create .venv, install, score sample_units into reports_out/
#   make test   install the test extras and run the test suite
#   make fuzz   the fuzz tests (hypothesis) with many more examples
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
AS_OF  ?= 2026-11-20

.PHONY: demo test fuzz bench install clean docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/zwgk assess sample_units --as-of $(AS_OF) --out reports_out

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

# the fuzz tests with many more examples (a few minutes); `make test` runs a small budget
fuzz: $(VENV)/.installed-test
	ZWGK_FUZZ=long $(BIN)/python -m pytest -q -k fuzz

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale_bench.py

# docs/EVIDENCE.md is generated from the evidence declarations (scoring/evidence/schema.py)
docs: $(VENV)/.installed
	$(BIN)/python -m scoring.evidence.docs > docs/EVIDENCE.md

clean:
	rm -rf $(VENV) reports_out/* build dist *.egg-info
