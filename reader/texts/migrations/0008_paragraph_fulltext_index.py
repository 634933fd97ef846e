"""Full-text indexes for search (reader.texts.searching): FTS5 on SQLite, a GIN tsvector index on PostgreSQL.

SQLite: an external-content FTS5 table over ``texts_paragraph.search_text`` (already folded: lower
case, no diacritics), kept in step by triggers, so bulk loads are indexed too. PostgreSQL: an
expression index for ``to_tsvector('simple', search_text)``.
"""
from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS texts_paragraph_fts USING fts5("
    "search_text, content='texts_paragraph', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS texts_paragraph_fts_insert AFTER INSERT ON texts_paragraph BEGIN "
    "INSERT INTO texts_paragraph_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS texts_paragraph_fts_delete AFTER DELETE ON texts_paragraph BEGIN "
    "INSERT INTO texts_paragraph_fts(texts_paragraph_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS texts_paragraph_fts_update AFTER UPDATE OF search_text ON texts_paragraph BEGIN "
    "INSERT INTO texts_paragraph_fts(texts_paragraph_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO texts_paragraph_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO texts_paragraph_fts(texts_paragraph_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS texts_paragraph_fts_insert",
    "DROP TRIGGER IF EXISTS texts_paragraph_fts_delete",
    "DROP TRIGGER IF EXISTS texts_paragraph_fts_update",
    "DROP TABLE IF EXISTS texts_paragraph_fts",
]
POSTGRES_UP = ["CREATE INDEX IF NOT EXISTS texts_paragraph_search_tsv ON texts_paragraph "
               "USING gin (to_tsvector('simple', search_text))"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS texts_paragraph_search_tsv"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("texts", "0007_document_author_date")]
    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
                             _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})),
    ]
