"""Bulk appends to the audit chain: the same chain, the same fields, the same tamper evidence."""

import datetime as dt

import pytest
from django.db import connection, transaction

from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.services import compute_hash, record, record_many
from casebridge.audit.verification import verify
from casebridge.audit.tests.tampering import drop_append_only_triggers, raw
from casebridge.conftest import PURPOSE

FIELDS = ("operation", "purpose", "actor_id", "actor_username", "agency_id", "agency_name", "object_type",
          "object_id", "case_id", "recipients", "detail")


def _event(n, actor=None, **extra):
    return dict(actor=actor, operation=Operation.CREATE, object_type="items.informationitem", object_id=n,
                case_id=7, purpose=PURPOSE, detail={"n": n, "on": dt.date(2026, 1, n % 28 + 1)}, **extra)


def test_bulk_events_extend_the_chain_exactly_as_single_records_would(db, cast):
    with transaction.atomic():
        record(**_event(1, cast["omar"]))
        assert record_many([_event(n, cast["omar"]) for n in range(2, 6)]) == 4
        record(**_event(6, cast["omar"]))
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:]))
    assert all(e.hash == compute_hash(**{f: getattr(e, f) for f in ("seq", "at", *FIELDS, "prev_hash")})
               for e in events)
    result = verify()
    assert (result.ok, result.checked) == (True, 6)


def test_a_bulk_event_carries_the_same_fields_as_a_single_record(db, cast):
    with transaction.atomic():
        record(**_event(3, cast["ivo"], recipients=("Westmark Prison",)))
        record_many([_event(3, cast["ivo"], recipients=("Westmark Prison",))])
    single, bulk = AuditEvent.objects.get(seq=1), AuditEvent.objects.get(seq=2)
    assert {f: getattr(bulk, f) for f in FIELDS} == {f: getattr(single, f) for f in FIELDS}
    assert bulk.detail == {"n": 3, "on": "2026-01-04"}  # stored as the database gives it back


def test_an_edit_to_one_bulk_event_is_found_at_that_event(db):
    with transaction.atomic():
        record_many([_event(n) for n in range(1, 6)])
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET object_id = '99' WHERE seq = 4")
    result = verify()
    assert (result.ok, result.broken_seq, result.checked) == (False, 4, 3)
    assert "altered" in result.reason


def test_verification_reads_every_kind_of_detail_back_as_it_was_hashed(db, cast):
    details = [{"ü": "Şahin", "nested": {"b": [1, 2.5, None], "a": True}}, {}, {"items": {"12": "basis"}},
               {"when": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)}]
    with transaction.atomic():
        for detail in details:
            record(actor=cast["clara"], operation=Operation.READ, object_type="x", detail=detail)
        record_many([dict(actor=cast["clara"], operation=Operation.READ, object_type="x", detail=d) for d in details])
    result = verify(batch_size=3)
    assert (result.ok, result.checked) == (True, 8)


def test_verification_reports_progress_for_every_event(db):
    with transaction.atomic():
        record_many([_event(n) for n in range(1, 8)])
    seen = []
    assert verify(batch_size=3, progress=seen.append).ok
    assert sum(seen) == 7


def test_appending_nothing_writes_nothing(db):
    with transaction.atomic():
        assert record_many([]) == 0
    assert AuditEvent.objects.count() == 0


def test_bulk_recording_outside_a_transaction_is_refused(db, monkeypatch):
    monkeypatch.setattr(type(connection), "in_atomic_block", False, raising=False)
    with pytest.raises(RuntimeError):
        record_many([_event(1)])
