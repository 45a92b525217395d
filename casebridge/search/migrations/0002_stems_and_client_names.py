"""Item text indexed with stems in the interface languages and prefixes; clients' names indexed
folded, for prefix and typo-tolerant search (casebridge.search.fts, docs/search.md). On PostgreSQL
this creates the `unaccent` extension if it is not there yet."""

from django.db import migrations

from casebridge.search import fts


def install(apps, schema_editor):
    fts.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_item_fulltext_index"), ("items", "0006_distancing_carriers"),
                    ("cases", "0006_conc_case_changed_by")]
    # Going back leaves the indexes as they are: 0001 installs the current ones, and removes them.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
