"""Item reads: which item each read, listing or search showed its reader, on which basis; indexed by
item, append-only like the events, and backfilled from the trail already written."""

import django.db.models.deletion
from django.db import migrations, models

ITEM = "items.informationitem"
SQLITE = [
    """CREATE TRIGGER audit_item_read_no_update BEFORE UPDATE ON audit_itemread
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_item_read_no_delete BEFORE DELETE ON audit_itemread
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
POSTGRES = [  # audit_event_append_only() comes from 0002
    """CREATE TRIGGER audit_item_read_no_change BEFORE UPDATE OR DELETE ON audit_itemread
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    """CREATE TRIGGER audit_item_read_no_truncate BEFORE TRUNCATE ON audit_itemread
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]


def _reads(operation, object_type, object_id, detail):
    """As casebridge.audit.appending.reads_of when this migration was written (frozen here)."""
    detail = detail if isinstance(detail, dict) else {}
    if operation == "read" and object_type == ITEM and str(object_id).isdigit():
        basis = detail.get("basis")
        return [(int(object_id), basis if isinstance(basis, str) else "")]
    listed = detail.get("items")
    if operation in ("list", "search") and isinstance(listed, dict):
        return [(int(pk), basis if isinstance(basis, str) else "") for pk, basis in listed.items()
                if str(pk).isdigit()]
    return []


def backfill(apps, schema_editor):
    event_model, read_model = apps.get_model("audit", "AuditEvent"), apps.get_model("audit", "ItemRead")
    events = (event_model.objects.filter(operation__in=["read", "list", "search"])
              .order_by("seq").values_list("seq", "operation", "object_type", "object_id", "detail"))
    batch = []
    for seq, operation, object_type, object_id, detail in events.iterator(chunk_size=5000):
        batch += [read_model(event_id=seq, item_id=item, basis=basis)
                  for item, basis in _reads(operation, object_type, object_id, detail)]
        if len(batch) >= 5000:
            read_model.objects.bulk_create(batch)
            batch = []
    read_model.objects.bulk_create(batch)


def install(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_audit_concerned_agencies'),
    ]

    operations = [
        migrations.CreateModel(
            name='ItemRead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item_id', models.BigIntegerField()),
                ('basis', models.TextField(blank=True)),
                ('event', models.ForeignKey(db_column='event_seq', on_delete=django.db.models.deletion.PROTECT, related_name='item_reads', to='audit.auditevent', to_field='seq')),
            ],
            options={
                'indexes': [models.Index(fields=['item_id', 'event'], name='audit_itemread_item')],
                'constraints': [models.UniqueConstraint(fields=('event', 'item_id'), name='audit_itemread_once')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
