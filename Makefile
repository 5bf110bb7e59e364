# make venv: create .venv and install the project with its test extras
# make run:  start the mock on the bundled spec and fixtures (http://127.0.0.1:7777)
# make test: lint and run the whole test suite
# make contract-agentos: mockserver contract against a real, seeded AgentOS on loopback
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv run test lint contract-agentos clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,agentos]'
	touch $(STAMP)

run: venv
	$(BIN)/mockserver run

lint: venv
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest

contract-agentos: venv
	$(BIN)/python -m tests.agentos.contract_agentos

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
