from django.db import migrations

# The table of Django's database cache, where rate-limit counters are shared by every server
# process when CASEBRIDGE_CACHE=database. Created whatever the setting, so switching is only a
# matter of configuration.
TABLE = "casebridge_cache"


def create_cache_table(apps, schema_editor):
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_edge_cap_token_expiry"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
