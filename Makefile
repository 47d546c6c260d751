# Veivalg: `make run` and `make test` set everything up on first use.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.veivalg-installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

# Find a Python 3.10: $(PYTHON), python3.10 on PATH, or pyenv's 3.10.x.
PYTHON ?= $(shell command -v python3.10 2>/dev/null || ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10.*/bin/python 2>/dev/null | sort -V | tail -n 1)

.PHONY: gates help setup run test lint typecheck validate pytest story-test train chat clean

help:
	@echo "make run    set up on first use, then start Veivalg (Ctrl-C stops it)"
	@echo "make test   set up on first use, then run every check and test"
	@echo "make setup  only set up: virtualenv, spaCy pipeline, databases, model"
	@echo "make chat   talk to the running bot in this terminal"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "[veivalg] Fant ikke Python 3.10. Installer den, for eksempel 'pyenv install 3.10.13'"; \
	  echo "[veivalg] eller 'apt-get install python3.10 python3.10-venv', og kjør make igjen."; \
	  echo "[veivalg] (Python 3.10 is required: Rasa 3.6 does not run on 3.11.)"; exit 1; fi
	@"$(PYTHON)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' || \
	  { echo "[veivalg] $(PYTHON) er ikke Python 3.10"; exit 1; }
	@echo "[veivalg] lager virtuelt miljø i $(VENV) med $(PYTHON)"
	@[ -x $(BIN)/python ] || "$(PYTHON)" -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip 'setuptools>=70.3,<70.4' wheel 'uv>=0.13,<0.14'
	@echo "[veivalg] installerer Veivalg og avhengigheter (første gang tar det et minutt eller to)"
	@# uv resolves and installs the same pins as pip, in seconds; pip is the fallback when uv cannot.
	@# --compile-bytecode: Python reads the compiled files at every start instead of compiling Rasa and
	@# TensorFlow again (10 s of each server's start where PYTHONDONTWRITEBYTECODE is set, as in CI).
	@$(BIN)/python -m uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]' || \
	  { echo "[veivalg] uv klarte det ikke; prøver pip"; $(BIN)/python -m pip install --quiet --progress-bar off -e '.[dev]'; }
	@if ls vendor/spacy/*.whl >/dev/null 2>&1; then \
	  echo "[veivalg] installerer norsk spaCy-modell fra vendor/spacy/"; \
	  $(BIN)/python -m pip install --quiet --no-deps vendor/spacy/*.whl; fi
	@touch $(STAMP)

setup: $(STAMP)
	@$(BIN)/veivalg setup

run: setup
	@$(BIN)/veivalg run

chat: $(STAMP)
	@$(BIN)/veivalg chat

train: $(STAMP)
	@$(BIN)/veivalg train

lint: $(STAMP)
	@echo "[veivalg] $$(date +%T) ruff"
	@$(BIN)/ruff check .
	@echo "[veivalg] import-linter (lagene i bot/, docs/architecture.md)"
	@$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	@echo "[veivalg] $$(date +%T) mypy"
	@$(BIN)/mypy

validate: $(STAMP)
	@echo "[veivalg] $$(date +%T) rasa data validate"
	@PYTHONWARNINGS=ignore $(BIN)/rasa data validate --data data/nlu data/stories data/rules --fail-on-warnings --quiet

pytest: system-deps setup
	@echo "[veivalg] $$(date +%T) pytest"
	@$(BIN)/pytest -q -n 2 --dist loadgroup --durations=15

story-test: setup
	@echo "[veivalg] $$(date +%T) rasa test (samtaler)"
	@PYTHONWARNINGS=ignore $(BIN)/python -m bot.rasa_adapter.rasa_cli test core --model models/veivalg.tar.gz \
	  --stories tests/test_stories.yml --fail-on-prediction-errors --out results/stories --quiet

test: system-deps setup lint typecheck validate pytest gates
	@echo "[veivalg] $$(date +%T) alle sjekker bestått"

# The three gates on a trained model, side by side (each loads the model; two cores), each one's output together;
# each of them sets up first (once, in the make below).
gates:
	@$(MAKE) --no-print-directory -j3 -O story-test nlu-gate conversation-gate

# Debian packages for the browser tests (chromium), read-aloud (espeak-ng) and the scaled profile.
SYSTEM_PACKAGES := chromium espeak-ng postgresql redis-server nginx-light
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "[veivalg] installerer Debian-pakker:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Recall per kind and false alarms of the safety net on the held-out sets, cross-validation on training.
safety-report: setup
	@echo "[veivalg] sikkerhetsnettet: treff per type og falske alarmer (skrives til docs/safety.md)"
	@$(BIN)/veivalg safety report

# Fails when held-out macro-F1 is below 0.90 or any crisis example is missed (bot/rasa_adapter/nlu_report.py).
nlu-gate: setup
	@echo "[veivalg] $$(date +%T) språkforståelse på testsettet (macro-F1 >= 0.90, ingen krise bommet)"
	@$(BIN)/veivalg nlu report

# Fails when fewer than 95 % of the whole conversations in tests/conversations/ reach their outcome (issue 16).
conversation-gate: setup
	@echo "[veivalg] $$(date +%T) hele samtaler (minst 95 % må nå målet, tests/conversations/)"
	@$(BIN)/python bench/conversations.py --gate 0.95

clean:
	rm -rf models results var .pytest_cache .mypy_cache .ruff_cache

.PHONY: bench throughput conversations tune-fallback nlu-report nlu-gate conversation-gate safety-report system-deps
nlu-report: setup
	@echo "[veivalg] språkforståelse på testsettet (results/nlu)"
	@$(BIN)/veivalg nlu report

bench: setup scaled-deps
	@echo "[veivalg] benchmark: yrkessøk, trening, minne, svartid mot vanlig Rasa (alene og under last), tur 100 mot tur 5, flere servere (skrives til bench/results.md)"
	@$(BIN)/python bench/resolver.py
	@$(BIN)/python bench/foundation.py
	@$(BIN)/python bench/baseline.py
	@$(BIN)/python bench/throughput.py
	@$(BIN)/python bench/turn_costs.py
	@$(BIN)/python bench/scaled.py
	@$(BIN)/python bench/conversations.py
	@$(BIN)/python bench/redaction.py
	@$(BIN)/python bench/languages.py
	@$(BIN)/python bench/model_load.py
	@$(BIN)/python bench/startup.py

# Veivalg (embedded, and scaled when PostgreSQL, Redis and nginx are installed) against bare Rasa under load,
# in the same run; QUICK=1 is a smoke run of a minute or two per target that writes no results.
throughput: setup
	@echo "[veivalg] svartid og gjennomstrømning under last mot vanlig Rasa (skrives til bench/results.md og docs/performance-throughput.png)"
	@$(BIN)/python bench/throughput.py $(if $(QUICK),--quick)

# Whole conversations as users write them (tests/conversations/), each judged by its outcome.
conversations: setup
	@echo "[veivalg] samtaler fra start til slutt: andelen som når målet (skrives til bench/results.md)"
	@$(BIN)/python bench/conversations.py

tune-fallback: setup
	@$(BIN)/veivalg nlu tune-fallback

# The scaled profile (bot/ops/scaled/): PostgreSQL, Redis, several Rasa servers and nginx in front,
# each a child process with its data under var/scaled/. scaled-deps installs the Debian packages.
.PHONY: scaled-deps run-scaled load
scaled-deps:
	@bash deploy/install-deps.sh

run-scaled: setup scaled-deps
	@$(BIN)/veivalg run-scaled

# Simulated users (Locust, bench/locustfile.py) against the running bot (`make run` or `make run-scaled`, found by
# itself), then the store check; Locust's HTML report goes to results/load/report.html.
USERS ?= 50
DURATION ?= 180
THINK ?= 5
# LOAD_ARGS=--widget: the users talk through the chat widget's gateway (the web address) instead of the webhook;
# LOAD_ARGS=--no-routing-header: plain REST clients.
LOAD_ARGS ?=
load: $(STAMP)
	@$(BIN)/python bench/load_run.py --users $(USERS) --duration $(DURATION) --think $(THINK) $(LOAD_ARGS)
