"""The agencies an audit event concerns (one row per agency), append-only like the events."""

import django.db.models.deletion
from django.db import migrations, models


SQLITE = [
    """CREATE TRIGGER audit_event_agency_no_update BEFORE UPDATE ON audit_auditeventagency
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_event_agency_no_delete BEFORE DELETE ON audit_auditeventagency
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
POSTGRES = [  # audit_event_append_only() comes from 0002
    """CREATE TRIGGER audit_event_agency_no_change BEFORE UPDATE OR DELETE ON audit_auditeventagency
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    """CREATE TRIGGER audit_event_agency_no_truncate BEFORE TRUNCATE ON audit_auditeventagency
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]


def install(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_operation_search_lookup_export'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEventAgency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('agency_id', models.BigIntegerField(db_index=True)),
                ('items', models.JSONField(blank=True, default=list)),
                ('event', models.ForeignKey(db_column='event_seq', on_delete=django.db.models.deletion.PROTECT, related_name='concerned_agencies', to='audit.auditevent', to_field='seq')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('event', 'agency_id'), name='audit_event_agency_once')],
            },
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
