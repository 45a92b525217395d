"""The full-text index over items' title and body: FTS5 on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations

from casebridge.search import fts


def install(apps, schema_editor):
    fts.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    fts.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("items", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
