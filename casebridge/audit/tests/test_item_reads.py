"""Who read which item on which basis is stored with the read's audit event, indexed by item, so
"who read this item" and retraction notices look it up instead of scanning the trail's JSON."""

import importlib

from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casebridge.audit import appending
from casebridge.audit.models import AuditEvent, ItemRead, Operation
from casebridge.audit.services import record
from casebridge.conftest import PURPOSE
from casebridge.items import readership, services as items

backfill = importlib.import_module("casebridge.audit.migrations.0005_audit_item_reads").backfill


def _read(actor, item):
    with transaction.atomic():
        items.get_item(actor=actor, item_id=item.pk, purpose=PURPOSE)


def test_reading_an_item_stores_who_read_it_on_which_basis_with_the_event(exchange, cast):
    _read(cast["petra"], exchange["behaviour"])
    event = AuditEvent.objects.filter(operation=Operation.READ, object_type="items.informationitem").last()
    read, = ItemRead.objects.filter(event=event)
    assert (read.item_id, read.basis) == (exchange["behaviour"].pk, event.detail["basis"])
    assert read.basis.startswith("agreement")


def test_a_timeline_stores_every_item_it_showed_with_its_basis(exchange, case, cast):
    with transaction.atomic():
        items.timeline(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
    event = AuditEvent.objects.filter(operation=Operation.LIST).last()
    stored = dict(ItemRead.objects.filter(event=event).values_list("item_id", "basis"))
    assert stored == {int(pk): basis for pk, basis in event.detail["items"].items()} and stored


def test_who_read_an_item_is_an_indexed_lookup_not_a_scan_of_the_trail(exchange, cast):
    behaviour = exchange["behaviour"]
    _read(cast["petra"], behaviour)
    _read(cast["ivo"], exchange["prison_health"])  # another item: not a reader of this one
    appending.flush()  # the fixtures' events, so that only the lookup is captured
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        readers = readership.item_readers(actor=cast["ivo"], item_id=behaviour.pk, purpose=PURPOSE)
    assert [(e.actor_username, e.basis) for e in readers if e.agency_id != cast["ivo"].agency_id] == [
        ("petra", ItemRead.objects.get(item_id=behaviour.pk, event__actor_username="petra").basis)]
    lookups = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith("SELECT") and "audit_auditevent" in q["sql"]]
    assert len(lookups) == 1
    where = lookups[0].split("WHERE", 1)[1]
    assert '"audit_itemread"."item_id" IN' in where and "detail" not in where


def test_item_reads_are_dropped_with_a_read_that_rolls_back(exchange, cast):
    before = ItemRead.objects.count()
    try:
        with transaction.atomic():
            items.get_item(actor=cast["petra"], item_id=exchange["behaviour"].pk, purpose=PURPOSE)
            raise RuntimeError("the request failed after reading")
    except RuntimeError:
        pass
    assert ItemRead.objects.count() == before


def test_the_migration_backfills_item_reads_from_the_trail_already_written(exchange, case, cast, monkeypatch):
    monkeypatch.setattr("casebridge.audit.services.reads_of", lambda *args: [])  # a trail from before the table
    _read(cast["petra"], exchange["behaviour"])
    with transaction.atomic():
        items.timeline(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
        record(actor=cast["petra"], operation=Operation.READ, object_type="cases.case", object_id=case.pk,
               purpose=PURPOSE, detail={"basis": "team"})
    appending.flush()
    assert ItemRead.objects.count() == 0
    backfill(apps, None)
    expected = set()
    for event in AuditEvent.objects.all():
        expected |= {(event.seq, item, basis) for item, basis in appending.reads_of(
            event.operation, event.object_type, event.object_id, event.detail)}
    assert set(ItemRead.objects.values_list("event_id", "item_id", "basis")) == expected and len(expected) > 1
