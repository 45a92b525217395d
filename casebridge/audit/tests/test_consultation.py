"""One request, one consultation event (`audit.consultation`): what a page reads, lists and finds of
a person's purpose is recorded as one event naming every item shown, with its basis, and stored as
item reads like any other."""

import pytest
from django.db import transaction

from casebridge.audit.models import AuditEvent, ItemRead, Operation
from casebridge.audit.services import consultation, record
from casebridge.cases import services as cases
from casebridge.conftest import PURPOSE
from casebridge.items import services as items


def _new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))


def test_a_reading_and_its_listings_are_one_event_naming_every_item_shown(exchange, case, cast):
    before = AuditEvent.objects.count()
    with transaction.atomic(), consultation(actor=cast["petra"], purpose=PURPOSE):
        shown, total = items.timeline(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
        cases.get_case(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
    event, = _new_events(before)
    # The reading of the case is the page's event, though the listing was recorded first.
    assert (event.operation, event.object_type, event.object_id) == (Operation.READ, "cases.case", str(case.pk))
    assert event.detail["basis"] and event.detail["items"] == {str(i.pk): d.reason for i, d in shown}
    assert event.detail["shown"] == [{"operation": "list", "object_type": items.ITEM, "total": total, "offset": 0}]
    assert dict(ItemRead.objects.filter(event=event).values_list("item_id", "basis")) == {
        i.pk: d.reason for i, d in shown}
    assert {c.agency_id for c in event.concerned_agencies.all()} == {i.originating_agency_id for i, _ in shown}


def test_a_search_names_the_page_and_a_lone_event_is_recorded_as_it_is(exchange, case, cast):
    before = AuditEvent.objects.count()
    with transaction.atomic(), consultation(actor=cast["petra"], purpose=PURPOSE):
        cases.list_cases(actor=cast["petra"], purpose=PURPOSE)
        record(actor=cast["petra"], operation=Operation.SEARCH, object_type=items.ITEM, purpose=PURPOSE,
               detail={"total": 0})
    event, = _new_events(before)
    assert event.operation == Operation.SEARCH and event.detail["shown"][0]["object_type"] == "cases.case"
    before = event.seq
    with transaction.atomic(), consultation(actor=cast["petra"], purpose=PURPOSE):
        cases.get_case(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
    event, = _new_events(before)
    assert "shown" not in event.detail and "items" not in event.detail


def test_other_people_other_purposes_and_other_operations_are_recorded_as_usual(exchange, case, cast):
    before = AuditEvent.objects.count()
    with transaction.atomic(), consultation(actor=cast["petra"], purpose=PURPOSE):
        cases.get_case(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
        cases.get_case(actor=cast["ivo"], case_id=case.pk, purpose=PURPOSE)
        record(actor=cast["petra"], operation=Operation.EXPORT, obj=case, case_id=case.pk, purpose=PURPOSE)
    recorded = [(e.actor_username, e.operation) for e in _new_events(before)]
    assert sorted(recorded) == [("ivo", Operation.READ), ("petra", Operation.EXPORT), ("petra", Operation.READ)]


def test_a_block_that_fails_records_nothing_and_consultations_do_not_nest(exchange, case, cast):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError), transaction.atomic(), consultation(actor=cast["petra"], purpose=PURPOSE):
        cases.get_case(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
        raise ValueError("the page failed")
    assert _new_events(before) == []
    with pytest.raises(RuntimeError, match="do not nest"), transaction.atomic(), \
            consultation(actor=cast["petra"], purpose=PURPOSE), consultation(actor=cast["petra"], purpose=PURPOSE):
        pass
    # The connection is free again: the next consultation records.
    with transaction.atomic(), consultation(actor=cast["petra"], purpose=PURPOSE):
        cases.get_case(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
    assert len(_new_events(before)) == 1


def test_what_a_rolled_back_savepoint_gathered_is_not_recorded(exchange, case, cast):
    before = AuditEvent.objects.count()
    with transaction.atomic(), consultation(actor=cast["petra"], purpose=PURPOSE):
        cases.get_case(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
        with pytest.raises(ValueError), transaction.atomic():
            items.timeline(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)  # never shown
            raise ValueError("the listing failed")
        items.get_item(actor=cast["petra"], item_id=exchange["behaviour"].pk, purpose=PURPOSE)
    event, = _new_events(before)
    # Only the item read after the rollback is named, as an item read (with its own reference).
    assert set(event.detail["items"]) == {str(exchange["behaviour"].pk)}
    assert [s["operation"] for s in event.detail["shown"]] == ["read"]
    assert event.detail["shown"][0]["object_id"] == str(exchange["behaviour"].pk)
    assert list(ItemRead.objects.filter(event=event).values_list("item_id", flat=True)) == [exchange["behaviour"].pk]
