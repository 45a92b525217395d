"""A transaction's audit events are appended in one step just before it commits, still inside it:
the chain lock is held only to append, a savepoint that rolls back takes its events with it, and an
operation whose events cannot be appended does not happen."""

import time

import pytest
from django.db import DatabaseError, connection, transaction

from casebridge.agencies.models import Agency
from casebridge.audit import appending
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.services import record
from casebridge.audit.verification import verify
from casebridge.conftest import PURPOSE


def _event(n):
    record(actor=None, operation=Operation.READ, object_type="cases.case", object_id=n, purpose=PURPOSE)


def _written() -> list[str]:
    """Object ids of the events in the table, read without flushing what waits."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT object_id FROM audit_auditevent ORDER BY seq")
        return [row[0] for row in cursor.fetchall()]


def test_events_wait_until_the_transaction_commits(committing):
    with transaction.atomic():
        _event(1)
        with transaction.atomic():
            _event(2)
        assert (appending.pending(), _written()) == (2, [])
    assert _written() == ["1", "2"] and appending.pending() == 0
    assert verify().ok


def test_events_recorded_in_a_savepoint_that_rolls_back_are_dropped(db):
    with transaction.atomic():
        _event(1)
        with pytest.raises(ValueError), transaction.atomic():
            _event(2)
            raise ValueError("refused")
        _event(3)
    assert list(AuditEvent.objects.values_list("object_id", flat=True)) == ["1", "3"]
    assert verify().ok


def test_events_written_early_by_a_read_in_a_savepoint_that_rolls_back_wait_again(db):
    with transaction.atomic():
        _event(1)
        with pytest.raises(ValueError), transaction.atomic():
            _event(2)
            assert AuditEvent.objects.count() == 2  # reading the trail writes what waits
            raise ValueError("refused")
        assert appending.pending() == 1 and _written() == []
        _event(3)
    assert list(AuditEvent.objects.values_list("object_id", flat=True)) == ["1", "3"]
    assert [e.seq for e in AuditEvent.objects.all()] == [1, 2] and verify().ok


def test_a_rollback_forgets_every_waiting_event(committing):
    with pytest.raises(ValueError), transaction.atomic():
        _event(1)
        raise ValueError("refused")
    assert appending.pending() == 0 and _written() == []


def test_an_operation_whose_events_cannot_be_appended_does_not_happen(committing, monkeypatch):
    def unavailable(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    # Preparing the events fails (both engines hash or template every event before writing it).
    monkeypatch.setattr(appending, "compute_hash", unavailable)
    monkeypatch.setattr(appending, "hash_template", unavailable)
    with pytest.raises(DatabaseError, match="audit events could not be written"), transaction.atomic():
        Agency.objects.create(name="Eastmoor Probation", kind="probation", country="BE")
        _event(1)
    assert not Agency.objects.filter(name="Eastmoor Probation").exists() and appending.pending() == 0


def test_an_append_the_database_refuses_takes_the_operation_with_it(committing, monkeypatch):
    def refused(conn, *args):
        with conn.cursor() as cursor:
            cursor.execute("INSERT INTO no_such_audit_table VALUES (1)")  # the database refuses the append
        return cursor

    # PostgreSQL sends the append with the COMMIT in one pipeline; SQLite inserts before committing.
    monkeypatch.setattr(appending, "_send" if connection.vendor == "postgresql" else "insert", refused)
    with pytest.raises(DatabaseError), transaction.atomic():
        Agency.objects.create(name="Eastmoor Probation", kind="probation", country="BE")
        _event(1)
    assert not Agency.objects.filter(name="Eastmoor Probation").exists() and appending.pending() == 0
    monkeypatch.undo()
    with transaction.atomic():  # the connection works on
        _event(2)
    assert _written() == ["2"] and verify().ok


def test_the_chain_lock_is_not_held_while_the_request_goes_on_after_recording(committing):
    with appending.lock_holds() as held:
        with transaction.atomic():
            _event(1)
            time.sleep(0.2)  # rendering the page after the operation recorded its event
    assert len(held) == 1 and held[0] < 0.1
    assert _written() == ["1"]
