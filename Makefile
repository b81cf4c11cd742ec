# The two commands: `make run` (development server) and `make test` (the whole suite; `make test-browser`:
# the end-to-end tests in headless Chromium).
# `make serve`: the production shape (gunicorn, see docs/deploy.md); `make bench`: benchmarks (bench/).
# Both `run` and `serve` start the task worker (manage.py jobs_worker, or rqworker for the Redis queue) beside the web server (scripts/with-worker).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test test-system test-browser screenshots serve bench bench-postgres bench-ocr install lint migrate shell clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

run: migrate
	$(DEV_ENV) $(PY) manage.py ensure_demo_account
	$(DEV_ENV) $(PY) manage.py fetch_rates --timeout 10 \
		|| echo "Could not load the ECB's exchange rates (offline?): amounts in other currencies wait for them."
	$(DEV_ENV) PYTHON=$(PY) scripts/with-worker $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest

# End-to-end in Debian's headless Chromium (/usr/bin/chromium; `apt-get install -y chromium`), at 375 and 1280 px.
test-browser: install
	$(PY) -m pytest -m browser tests/browser

# Production-shape servers (scripts/serve) under concurrent writes, kill -9, a password flood, and two servers
# sharing one database; each on SQLite and on PostgreSQL + Redis (skipped when they do not answer).
test-system: install
	$(PY) -m pytest -m system -s tests/system

# The README's screenshots (docs/screenshots/), taken by the browser tests.
screenshots: install
	XPENSER_SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest -m browser tests/browser

serve: install
	PYTHON=$(PY) PORT=$(PORT) scripts/serve

bench: install
	$(PY) bench/run.py

bench-postgres: install
	$(PY) bench/run.py --postgres

bench-ocr: install
	$(PY) bench/ocr.py

lint: install
	$(VENV)/bin/ruff check .

shell: install
	$(DEV_ENV) $(PY) manage.py shell

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
