# The one entry point for humans and CI. `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

help: ## List every target
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

# The lock files pin every package, with its hashes (reproducible installs; a file changed on the
# index is refused). requirements.lock: what the portal runs on (the Dockerfile). requirements-dev.lock:
# the same pins plus the test and load-test tools (the `test` and `load` extras); `make install` and CI.
LOCK := requirements-dev.lock
$(VENV)/.installed: pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the portal with its test tools, from the lock

# pip-tools in a venv of its own (never in .venv). `make lock` keeps the pins already in the locks
# and settles only what pyproject.toml changed; `make lock LOCK_ARGS=--upgrade` moves every package to
# its newest release, `LOCK_ARGS="--upgrade-package django"` one package.
LOCK_TOOLS := var/lock-tools
PIP_TOOLS_VERSION ?= 7.6.2
LOCK_ARGS ?=
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: ## Re-pin every package with hashes (requirements.lock, requirements-dev.lock) from pyproject.toml
	@test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && \
	  $(LOCK_TOOLS)/bin/pip install --quiet --disable-pip-version-check pip-tools==$(PIP_TOOLS_VERSION); }
	$(PIP_COMPILE) --extra test --extra load -o requirements-dev.lock pyproject.toml
	@# The portal's own lock starts from the full one, so both pin the same versions.
	cp requirements-dev.lock requirements.lock
	$(PIP_COMPILE) -o requirements.lock pyproject.toml

migrate: install ## Apply migrations (SQLite under var/ unless DATABASE_URL is set)
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

retriage: migrate ## Re-assess the waiting intakes under the current triage policy (after each deploy)
	$(PY) manage.py retriage

seed: migrate ## Load the synthetic demo data (idempotent)
	$(PY) manage.py seed_demo

# The demo logins have no second factor: `make run` turns the requirement off (development only;
# STAFF_2FA_REQUIRED=yes make run keeps it on).
serve: export STAFF_2FA_REQUIRED ?= no
# Links in email point where this server listens (make run PORT=8100), unless SITE_URL is set.
serve: export SITE_URL ?= http://127.0.0.1:$(PORT)
serve: install ## Serve with a Celery worker and beat, on a database already migrated (Ctrl-C stops all)
	@echo "Serving http://127.0.0.1:$(PORT)/  (staff: http://127.0.0.1:$(PORT)/admin/)"
	@# Ctrl-C reaches all three (one process group): the web server ends in a second or two, beat
	@# at once, the worker after a warm shutdown (its running tasks finish; about 3-6 s). When the
	@# web server is gone the trap TERMs what is left (for any other way the web server ends) and
	@# waits 4 s, then asks the worker for a cold shutdown (QUIT: tasks still running are cancelled
	@# and, acknowledged late, go back to the queue), and 2 s later kills what remains. So all
	@# three are gone within 10 s of Ctrl-C (tests/clinic/test_make_run_stops.py).
	@trap 'kill $$(jobs -p) 2>/dev/null; \
	  for _ in $$(seq 40); do [ -z "$$(jobs -pr)" ] && break; sleep 0.1; done; \
	  kill -QUIT $$(jobs -pr) 2>/dev/null; \
	  for _ in $$(seq 20); do [ -z "$$(jobs -pr)" ] && break; sleep 0.1; done; \
	  kill -KILL $$(jobs -pr) 2>/dev/null; wait' EXIT; \
	  $(VENV)/bin/celery -A clinic worker --loglevel=INFO --concurrency=2 & \
	  $(VENV)/bin/celery -A clinic beat --loglevel=INFO & \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

run: migrate ## Install, migrate, seed, then serve with a Celery worker and beat (Ctrl-C stops all)
	@$(PY) manage.py seed_demo --print-logins
	@# -o: installed already (migrate needs install); never a second install from the sub-make.
	@$(MAKE) --no-print-directory -o $(VENV)/.installed serve

test: install ## Run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	@mkdir -p var
	CELERY_FS_DIR=var/test-broker $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install ## ruff check and format check; import contracts (layers, no cycles); mypy --strict on the domain rules
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: install ## Format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/clinic_bench

bench: install ## Run the benchmarks on SQLite (and PostgreSQL if reachable); writes var/bench/report.md
	@mkdir -p var/bench
	env -u DATABASE_URL TEST_SQLITE_NAME=var/bench/bench.sqlite3 $(PY) -m tests.benchmarks.run --out var/bench/report-sqlite.md
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  DATABASE_URL=$(BENCH_PG_URL) $(PY) -m tests.benchmarks.run --out var/bench/report-postgresql.md; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL figures skipped"; fi
	@cat var/bench/report-*.md > var/bench/report.md
	@echo "Report: var/bench/report.md"

LOAD_USERS ?= 64
LOAD_RATE ?= 8
LOAD_TIME ?= 120s
LOAD_WORKERS ?= 4
LOAD_MIX ?= default
LOAD_APPOINTMENTS ?= 100000

load: install ## Locust against gunicorn + a worker for LOAD_TIME (PostgreSQL if DATABASE_URL); writes var/load-report.md
	$(PY) -m tests.load.run --users $(LOAD_USERS) --spawn-rate $(LOAD_RATE) --run-time $(LOAD_TIME) \
	  --workers $(LOAD_WORKERS) --mix $(LOAD_MIX) --appointments $(LOAD_APPOINTMENTS) --out var/load-report.md

clean: ## Remove .venv, var/ and caches
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

.PHONY: help install lock load migrate retriage seed run serve test lint format bench clean
