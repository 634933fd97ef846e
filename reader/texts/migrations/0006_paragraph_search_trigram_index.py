"""On PostgreSQL, a trigram index lets search (`search_text LIKE '%words%'`) skip the full scan.

SQLite has no such index; there the migration does nothing.
"""

from django.db import migrations

INDEX = "texts_paragraph_search_trgm"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON texts_paragraph USING gin (search_text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("texts", "0005_paragraph_search_text")]
    operations = [migrations.RunPython(add_index, drop_index)]
