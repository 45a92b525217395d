"""Item text indexed so that a search tests only the items of the searcher's cases (docs/search.md,
"Performance"): on SQLite each item's case joins its terms; on PostgreSQL the parsed text is kept in
a column with the GIN index over it. Re-indexes every item once (on PostgreSQL, every item's text is
parsed and its row rewritten: run VACUUM ANALYZE on the items table afterwards)."""

from django.db import migrations

from casebridge.search import fts


def install(apps, schema_editor):
    fts.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_stems_and_client_names"), ("items", "0006_distancing_carriers")]
    # Going back leaves the indexes as they are: 0001 installs the current ones, and removes them.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
