# Tawasul: `make run` for the demo, `make test` for the whole suite. Both prepare what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint venv venv-dev services messages clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    - the demo on http://127.0.0.1:8000 (embedded SQLite and Celery broker)"
	@echo "make test   - the whole test suite (PostgreSQL, Redis, a Celery worker, headless Chromium)"
	@echo "make lint   - ruff"

$(BIN)/python:
	@scripts/bootstrap-venv.sh $(PYTHON) $(VENV)

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

venv: $(VENV)/.installed-runtime
venv-dev: $(VENV)/.installed-dev

run: venv
	@scripts/run-demo.sh

services:
	@scripts/ensure-services.sh

test: venv-dev services
	set -a; [ ! -f var/test.env ] || . var/test.env; set +a; $(BIN)/pytest --create-db

lint: venv-dev
	$(BIN)/ruff check .

# Refresh the Arabic catalogue after adding strings (then translate the new entries).
messages: venv-dev
	scripts/makemessages.sh
	DEBUG=true $(BIN)/python manage.py compilemessages -l ar --ignore=.venv

clean:
	rm -rf var test-artifacts .pytest_cache
