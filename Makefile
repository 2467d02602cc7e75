# The erfa-network portal. `make run` serves the site with demo content; `make test` runs
# every check CI runs. Both set everything up first, on a fresh machine too.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Det Fælles Designsystem (npm `dkfds`, pinned in package-lock.json): `npm ci` when the
# lockfile changes, then its built CSS, JS, fonts and icons are copied into a git-ignored
# static folder whitenoise serves (scripts/vendor-dkfds). axe-core (pinned the same way)
# is for the browser tests only (tests/e2e/test_accessibility.py injects it).
NPM_STAMP := node_modules/.installed
DKFDS_DIR := portal/static/vendor/dkfds
DKFDS_STAMP := $(DKFDS_DIR)/.copied
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run stack test lint check setup install system-deps demo bench screenshots test-sqlite test-postgres test-stack messages clean

# SITE_URL (links in e-mails, the ICS feed, the demo site's address) follows HOST and
# PORT unless set; the served process gets the same value as load_demo.
run: SITE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(PY) manage.py migrate --noinput
	SITE_URL=$(SITE_URL) $(PY) manage.py load_demo
	@echo
	@echo "  Site:   http://$(HOST):$(PORT)/"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/"
	@$(PY) manage.py load_demo --print-accounts
	@echo
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

# The production stack on loopback with demo content (nginx on PORT, two app servers,
# PostgreSQL, Redis, task workers and the scheduler, SeaweedFS S3, an SMTP sink writing
# var/stack/mail/*.eml); Ctrl-C stops it all. See docs/operations.md.
stack: setup system-deps
	$(PY) scripts/stack up --dir var/stack --base-port $(PORT) --demo

setup: $(STAMP) $(DKFDS_STAMP)

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || scripts/ensure-system-deps
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

$(DKFDS_STAMP): $(NPM_STAMP) scripts/vendor-dkfds
	$(PYTHON) scripts/vendor-dkfds node_modules/dkfds/dist $(DKFDS_DIR)
	touch $(DKFDS_STAMP)

$(STAMP): pyproject.toml constraints.txt
	@scripts/ensure-venv "$(PYTHON)" "$(VENV)"
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

system-deps:
	@scripts/ensure-system-deps

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: setup
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=check-deploy-only-$$RANDOM$$RANDOM$$RANDOM$$RANDOM-not-a-real-secret-value \
	  ALLOWED_HOSTS=erfa.example DATABASE_URL=postgres://u:p@localhost/erfa \
	  REDIS_URL=redis://127.0.0.1:6379/0 \
	  DJANGO_SETTINGS_MODULE=portal.settings.production \
	  $(PY) manage.py check --deploy --fail-level WARNING

# The whole suite on SQLite, with the browser journeys.
test-sqlite: setup system-deps
	$(VENV)/bin/pytest -p no:cacheprovider --expect-e2e

# The whole suite again on a throwaway PostgreSQL cluster (browser journeys run in the SQLite suite).
test-postgres: setup system-deps
	scripts/with-postgres $(VENV)/bin/pytest -p no:cacheprovider -m "not e2e" --expect-postgres

# The stack tests: `scripts/stack` starts the production stack (nginx, two app servers,
# PostgreSQL, Redis, workers, object storage, SMTP sink) on ports 8500-8512, the tests
# drive it over HTTP, and it is stopped again. Every stack test must pass (--expect-stack).
# -s: the tests print their figures (the burst, how soon a publish showed, the resend).
test-stack: setup system-deps
	$(VENV)/bin/pytest -p no:cacheprovider -s --expect-stack tests/stack

# Lint and checks first (they fail fast), then the two suites side by side: they share
# nothing (each test process has its own temp folder and SQLite file; PostgreSQL runs on
# its own socket). Each suite's output is printed as one block when it finishes. The
# stack tests run after them, alone: they time what people would notice (a publish within
# 10 s, a burst of 100 registrations), which two busy suites on 2 cores would distort.
test: lint check
	@echo "Running the SQLite suite (with browser journeys) and the PostgreSQL suite side by side..."
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
	@echo "Running the stack tests against the production stack..."
	@$(MAKE) --no-print-directory test-stack
	@echo "make test: lint, checks, SQLite, PostgreSQL and stack suites all passed."

# Over HTTP against the production stack (its own on ports 8600-8649, or a running
# `make stack` with BENCH_URL=http://127.0.0.1:8000); writes docs/benchmarks.md.
bench: setup system-deps
	$(PY) scripts/bench.py $(BENCH_ARGS)

# Full-page screenshots of home, meeting, library, overview and questionnaire at 1280 and
# 390 px into docs/screenshots/ (its own server on a free loopback port, a fresh SQLite
# database with the demo content on a fixed clock, Debian's Chromium). See
# docs/screenshots.md.
screenshots: setup system-deps
	$(PY) scripts/screenshots

# The project catalogue (portal/ and templates/); network and meetings keep their own
# (cd <app> && ../.venv/bin/django-admin makemessages -l da). Compiles every catalogue.
messages: setup
	$(PY) manage.py makemessages -l da --no-obsolete --ignore=.venv --ignore=var \
	  --ignore=network --ignore=meetings --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache node_modules $(DKFDS_DIR)
