"""On SQLite a request that only reads runs as a read snapshot and appends its audit events after
it, in a short write transaction of their own (casebridge.audit.backends.sqlite3.base): a writer is
never kept waiting by a reader's page, and a read whose events cannot be written fails.

The SQLite half runs on a database file of its own, whatever engine the suite runs on: the suite's
in-memory SQLite database refuses a second writer instead of making it wait, which is what these
tests are about. The web half (a busy database answers 503) runs on the suite's engine."""

import threading

import pytest
from django.db import OperationalError, connections
from django.utils import timezone

from casebridge.audit import appending
from casebridge.audit.backends.sqlite3.base import DatabaseWrapper
from casebridge.audit.models import AuditEvent, AuditEventAgency, ItemRead, Operation
from casebridge.audit.services import _entry, _fields_of
from casebridge.conftest import PURPOSE, bearer, sign_in


def _connection(path, timeout):
    conn = DatabaseWrapper({
        "NAME": str(path), "ENGINE": "casebridge.audit.backends.sqlite3", "USER": "", "PASSWORD": "", "HOST": "",
        "PORT": "", "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None, "TEST": {},
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout,
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=OFF;"}}, alias=f"file-{timeout}")
    conn.ensure_connection()
    return conn


@pytest.fixture
def trail_file(tmp_path, django_db_blocker):
    """Two connections to one SQLite file holding the audit tables: a long patience and a short one."""
    with django_db_blocker.unblock():
        patient, hasty = _connection(tmp_path / "trail.sqlite3", 5), _connection(tmp_path / "trail.sqlite3", 0.2)
        connections[patient.alias] = patient  # the schema editor finds its connection by alias
        try:
            with patient.schema_editor() as editor:
                for model in (AuditEvent, AuditEventAgency, ItemRead):
                    editor.create_model(model)
        finally:
            del connections[patient.alias]
        yield patient, hasty
        patient.close()
        hasty.close()


def _event(conn, name):
    fields = _fields_of({"operation": Operation.READ, "object_type": "cases.case", "object_id": name,
                         "purpose": PURPOSE}, timezone.now(), [], {})
    appending.enqueue([_entry(fields, {})], conn)


def _begin(conn, *, reading):
    conn.reading = reading
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=False)
    conn._start_transaction_under_autocommit()


def _end(conn):
    conn.commit()
    conn.set_autocommit(True)
    conn.reading = False


def _chain(conn):
    with conn.cursor() as cursor:
        cursor.execute("SELECT seq, object_id, prev_hash, hash FROM audit_auditevent ORDER BY seq")
        return cursor.fetchall()


def test_a_writer_does_not_wait_for_a_reader_whose_page_is_still_being_made(trail_file):
    reader, writer = trail_file
    _begin(reader, reading=True)
    assert _chain(reader) == []  # the reader has read: its snapshot is open
    _event(reader, "read")
    done = threading.Event()

    def write():
        _begin(writer, reading=False)  # IMMEDIATE: the write lock, which the reader does not hold
        _event(writer, "written")
        _end(writer)
        done.set()

    writer.inc_thread_sharing()
    thread = threading.Thread(target=write)
    thread.start()
    thread.join(10)
    writer.dec_thread_sharing()
    # With the reader's transaction IMMEDIATE, the writer would wait for it, here forever.
    assert done.is_set(), "the writer waited for a reader"
    _end(reader)  # the reader's event is appended after the writer's, in a transaction of its own
    rows = _chain(reader)
    assert [(seq, name) for seq, name, *_ in rows] == [(1, "written"), (2, "read")]
    assert rows[1][2] == rows[0][3]  # chained to the writer's event, which committed first


def test_a_read_that_cannot_append_its_events_fails_and_writes_nothing(trail_file):
    writer, reader = trail_file  # the reader gives up after 0.2 s
    _begin(reader, reading=True)
    _chain(reader)
    _event(reader, "read")
    _begin(writer, reading=False)  # another writer holds the lock past the reader's patience
    _event(writer, "written")
    with pytest.raises(OperationalError, match="locked"):
        reader.commit()
    reader.set_autocommit(True)
    assert appending.pending(reader) == 0  # dropped with the failed request, not kept for later
    _end(writer)
    assert [name for _, name, *_ in _chain(reader)] == ["written"]


def test_a_read_request_that_changes_something_appends_in_its_own_transaction(trail_file):
    reader, _ = trail_file
    _begin(reader, reading=True)
    with reader.cursor() as cursor:
        cursor.execute("CREATE TABLE note (text TEXT)")
        cursor.execute("INSERT INTO note VALUES ('kept')")
    _event(reader, "read")
    reader.rollback()  # both go: the event was to be written in the same transaction as the change
    reader.set_autocommit(True)
    assert _chain(reader) == [] and appending.pending(reader) == 0
    _begin(reader, reading=True)
    with reader.cursor() as cursor:
        cursor.execute("CREATE TABLE note (text TEXT)")
    _event(reader, "read")
    _end(reader)
    assert [name for _, name, *_ in _chain(reader)] == ["read"]


def _busy(*args, **kwargs):
    raise OperationalError("database is locked")


def test_a_database_too_busy_to_answer_gives_503_with_retry_after_on_pages_and_the_api(
        exchange, cast, case, client, monkeypatch):
    from casebridge.cases import services

    sign_in(client, cast["petra"])
    monkeypatch.setattr(services, "load_case", _busy)
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 503 and page["Retry-After"] == "2"
    assert "busy" in page.content.decode() and case.client.family_name not in page.content.decode()
    api = client.get(f"/api/cases/{case.pk}", **bearer(cast["petra"]))
    assert api.status_code == 503 and api["Retry-After"] == "2"
    assert api.json()["error"]["code"] == "busy"


def test_other_database_errors_stay_server_errors(exchange, cast, case, client, monkeypatch):
    from casebridge.cases import services

    client.raise_request_exception = False
    sign_in(client, cast["petra"])
    monkeypatch.setattr(services, "load_case", lambda *a, **k: (_ for _ in ()).throw(OperationalError("disk I/O error")))
    assert client.get(f"/cases/{case.pk}/").status_code == 500


def test_the_writer_lock_is_given_up_when_a_transaction_ends(trail_file):
    first, hasty = trail_file
    for end in (first.commit, first.rollback):
        _begin(first, reading=False)
        _event(first, "first")
        end()
        first.set_autocommit(True)
        _begin(hasty, reading=False)  # gives up after 0.2 s if the first still held the lock
        _event(hasty, "next")
        _end(hasty)
    assert [name for _, name, *_ in _chain(hasty)] == ["first", "next", "next"]
