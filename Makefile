# Two commands for a newcomer: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve worker deploy-check test browser pango setup tei corpus bench clean format

$(BIN)/python:
	$(shell command -v $(PY) >/dev/null 2>&1 && echo $(PY) || echo python3) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

NODE_STAMP := node_modules/.installed

# axe-core (accessibility checks in the browser tests) comes from npm.
$(NODE_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

## Build the TEI from seeds/ (a no-op when corpus/tei/ is current), collate, load it into the database.
corpus: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py ingest --meta corpus/witnesses.csv
	$(BIN)/python manage.py collate
	$(BIN)/python manage.py load

# The job worker (editors' uploads) runs beside the development server and stops with it; it is
# supervised (started again if it dies) and ends the jobs of a worker that died (reader/jobs/sweeper.py).
WORKER := manage.py jobs_worker --supervise --no-reload

run: corpus
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python $(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## The job worker on its own, supervised (on another machine sharing the database: more workers).
worker: setup $(SECRET_FILE)
	$(PROD_ENV) $(BIN)/python $(WORKER)

## Production: gunicorn + whitenoise, DEBUG off, HSTS/SSL redirect (behind a TLS proxy), CSP, logs to stdout.
# DJANGO_SECRET_KEY comes from the environment, else from .secret_key (made once, never committed).
PORT ?= 8000
HOST ?= 127.0.0.1
SECRET_FILE := .secret_key
PROD_ENV = DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_FILE))}"

$(SECRET_FILE): | $(BIN)/python
	umask 077; $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $(SECRET_FILE)

serve: corpus pango $(SECRET_FILE)
	$(PROD_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(PROD_ENV) $(BIN)/python manage.py shell -c "from django.core.cache import cache; cache.clear()"  # a new release: no page of the old one
	$(PROD_ENV) $(BIN)/python $(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PROD_ENV) $(BIN)/gunicorn reader.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} \
		--access-logfile - --error-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

deploy-check: setup $(SECRET_FILE)
	$(PROD_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

PG_URL ?= postgres://postgres@127.0.0.1:5432/test

CHROMIUM := /usr/bin/chromium

## The browser tests drive Debian's chromium: installed here when we may (root with apt), else say how.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "== installing Debian chromium for the browser tests =="; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium. Run:  sudo apt-get install -y chromium chromium-driver"; \
	    exit 1; \
	  fi; \
	fi

## The PDF of a reading edition (WeasyPrint) needs Debian's Pango: installed here when we may (root with apt), else say how.
PANGO_LIBS := libpango-1.0-0 libpangoft2-1.0-0
pango:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "== installing Debian's Pango for the PDF output =="; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO_LIBS) >/dev/null; \
	  else \
	    echo "The PDF output (and its tests) need Pango. Run:  sudo apt-get install -y $(PANGO_LIBS)"; \
	    exit 1; \
	  fi; \
	fi

## Tests by layer: the pipeline and everything without a database first, then the site (SQLite),
## then the site again on PostgreSQL when one answers.
test: setup browser pango
	@echo "== pipeline and commands (no database) =="
	$(BIN)/python -m pytest -m "not database"
	@echo "== site (database: SQLite) =="
	$(BIN)/python -m pytest -m database
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== the database tests again, on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -m database || [ $$? -eq 5 ]; \
	else echo "PostgreSQL not reachable at $(PG_URL): database tests ran on SQLite only"; fi

bench: setup
	$(BIN)/python bench/collate.py
	$(BIN)/python bench/ner.py

## Lint and format the code as CI checks it.
format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
