# Two commands for a newcomer: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup tei corpus bench clean

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

run: corpus
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py runserver 127.0.0.1:8000

PG_URL ?= postgres://postgres@127.0.0.1:5432/test

test: setup
	$(BIN)/python -m pytest
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== the database tests again, on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -m database || [ $$? -eq 5 ]; \
	else echo "PostgreSQL not reachable at $(PG_URL): database tests ran on SQLite only"; fi

bench: setup
	$(BIN)/python bench/collate.py
	$(BIN)/python bench/ner.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
