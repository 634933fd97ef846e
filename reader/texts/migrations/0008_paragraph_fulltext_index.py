"""Full-text indexes for search: FTS5 on SQLite, a GIN tsvector index on PostgreSQL.

The statements live in ``reader.texts.searching`` (``ensure_index``), which also runs after every
``migrate``, because SQLite drops a table's triggers whenever a later migration rebuilds the table.
"""

from django.db import migrations

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS texts_paragraph_fts_insert",
    "DROP TRIGGER IF EXISTS texts_paragraph_fts_delete",
    "DROP TRIGGER IF EXISTS texts_paragraph_fts_update",
    "DROP TABLE IF EXISTS texts_paragraph_fts",
]


def create(apps, schema_editor):
    from reader.texts.searching import ensure_index

    ensure_index(schema_editor.connection)


def drop(apps, schema_editor):
    postgres = [
        "DROP INDEX IF EXISTS texts_paragraph_search_tsv",
        "DROP INDEX IF EXISTS texts_paragraph_search_tsv_stored",
        "ALTER TABLE texts_paragraph DROP COLUMN IF EXISTS search_tsv",
    ]
    statements = {"sqlite": SQLITE_DOWN, "postgresql": postgres}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("texts", "0007_document_author_date")]
    operations = [migrations.RunPython(create, drop)]
