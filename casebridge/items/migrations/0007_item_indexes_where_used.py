"""The item table's indexes where they are used (docs/benchmarks.md, "Ingest").

The foreign-key indexes on `case_id` and `originating_agency_id` are dropped: `item_case_timeline`
and `item_originator_category` begin with those columns and serve every lookup by them. Those on
`derived_from_id` and `retracted_by_id` become partial, where the column is set: most items are
neither derived nor retracted, and an index of NULLs is written for every item and read by nothing.

The fields change in Django's state only. On SQLite, altering a foreign key rebuilds the table, which
would drop the full-text triggers on it (casebridge.search) and copy every item; the indexes are
instead dropped by the names the database gives them and the partial ones created beside them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "items_informationitem"
UNINDEXED = ("case_id", "originating_agency_id", "derived_from_id", "retracted_by_id")


def drop_single_column_indexes(apps, schema_editor):
    """Drop the plain (non-unique, non-partial) index on each column of UNINDEXED, whatever it is called."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    for name, info in constraints.items():
        if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] \
                and len(info["columns"]) == 1 and info["columns"][0] in UNINDEXED \
                and name not in ("item_derived_from", "item_retracted_by"):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore_single_column_indexes(apps, schema_editor):
    for column in UNINDEXED:
        name = schema_editor._create_index_name(TABLE, [column])
        schema_editor.execute(f"CREATE INDEX {schema_editor.quote_name(name)} ON {TABLE} ({column})")


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0005_practitioner_language'),
        ('cases', '0008_client_date_of_birth_index'),
        ('items', '0006_distancing_carriers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='informationitem',
                    name='case',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='items', to='cases.case'),
                ),
                migrations.AlterField(
                    model_name='informationitem',
                    name='derived_from',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='derivatives', to='items.informationitem'),
                ),
                migrations.AlterField(
                    model_name='informationitem',
                    name='originating_agency',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='items', to='agencies.agency'),
                ),
                migrations.AlterField(
                    model_name='informationitem',
                    name='retracted_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_single_column_indexes, restore_single_column_indexes),
            ],
        ),
        migrations.AddIndex(
            model_name='informationitem',
            index=models.Index(condition=models.Q(('derived_from__isnull', False)), fields=['derived_from'], name='item_derived_from'),
        ),
        migrations.AddIndex(
            model_name='informationitem',
            index=models.Index(condition=models.Q(('retracted_by__isnull', False)), fields=['retracted_by'], name='item_retracted_by'),
        ),
    ]
