# Lingua backend. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

# The test suite runs the services profile against the local MariaDB, Redis and RabbitMQ (its own vhost, which
# `make services` creates). TEST_DB, TEST_REDIS_DB and TEST_VHOST let a second checkout test beside this one.
TEST_DB ?= test
TEST_REDIS_DB ?= 15
TEST_VHOST ?= lingua-test
TEST_ENV := DATABASE_URL=mysql://root@127.0.0.1:3306/$(TEST_DB) REDIS_URL=redis://127.0.0.1:6379/$(TEST_REDIS_DB) \
	BROKER_URL=amqp://guest:guest@127.0.0.1:5672/$(TEST_VHOST) \
	REDIS_PREFIX=lingua-test SECRET_KEY=test-secret-key-that-is-long-enough-0123456789 DATA_DIR=$(CURDIR)/var/test

.DEFAULT_GOAL := help
.PHONY: help install install-prod run worker test lint fmt bench soak services migrate clean deploy-check

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml scripts/ensure-system.sh
	@bash scripts/ensure-system.sh
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install everything (Debian packages included)

install-prod: ## Production: .venv with the runtime packages only (no test tools, no browser, no promtool)
	@bash scripts/ensure-system.sh --production
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .

migrate: install ## Apply database migrations and create the demo users
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo

run: migrate ## Serve on http://$HOST:$PORT (embedded profile; services profile with DATABASE_URL, REDIS_URL, BROKER_URL)
	@if [ -n "$$DATABASE_URL" ] && [ -n "$$REDIS_URL" ] && [ -n "$$BROKER_URL" ]; then \
		export PROMETHEUS_MULTIPROC_DIR=$${PROMETHEUS_MULTIPROC_DIR:-$(CURDIR)/var/prometheus}; \
		rm -rf $$PROMETHEUS_MULTIPROC_DIR && mkdir -p $$PROMETHEUS_MULTIPROC_DIR; \
		PATH=$(CURDIR)/$(BIN):$$PATH exec $(BIN)/honcho -f deploy/Procfile -d $(CURDIR) start; \
	else \
		exec $(BIN)/python manage.py serve; \
	fi

worker: install ## Run the Dramatiq worker processes (services profile: needs BROKER_URL)
	$(BIN)/python manage.py worker

services: ## Check that MariaDB, Redis and RabbitMQ answer (start them if installed but stopped)
	@RABBITMQ_VHOSTS="$(TEST_VHOST) lingua-bench lingua-deploy" bash scripts/ensure-services.sh $(SERVICES_FLAGS)

test: SERVICES_FLAGS = --allow-root-tcp
test: install services ## Run the whole test suite against MariaDB, Redis and RabbitMQ
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff format --check, ruff check, mypy, makemigrations --check
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy apps actors project
	$(BIN)/python manage.py makemigrations --check --dry-run

fmt: install ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install services ## Benchmarks: ours against the blocking baseline (writes bench/results/*.json)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

soak: install services ## Mixed load for SOAK_SECONDS (default 600): error rate, p99 per action, memory growth
	$(BIN)/python -m bench.soak

deploy-check: install services ## Run deploy/ (nginx, gunicorn, worker pools) on loopback and check it end to end
	$(BIN)/python scripts/deploy_check.py

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
