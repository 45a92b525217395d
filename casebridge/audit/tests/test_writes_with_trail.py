"""A small write a read makes (the visit a case page records) goes in the transaction that appends the
read's audit events (`appending.write_with_trail`). On SQLite a read request is a read snapshot until
then, so it never has to become a writer half-way (refused on a snapshot another writer moved past),
and a writer never waits for a reader's page. Runs on a database file of its own (test_read_requests)."""

import threading

import pytest

from casebridge.audit import appending
from casebridge.audit.tests.test_read_requests import _begin, _chain, _end, _event, trail_file  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits_file(trail_file):  # noqa: F811 - the fixture imported above
    patient, hasty = trail_file
    with patient.cursor() as cursor:
        cursor.execute("CREATE TABLE visit (who TEXT)")
    return patient, hasty


def _visits(conn):
    with conn.cursor() as cursor:
        cursor.execute("SELECT who FROM visit ORDER BY rowid")
        return [who for (who,) in cursor.fetchall()]


def test_a_reads_write_waits_for_its_append_and_a_writer_does_not_wait_for_the_reader(visits_file):
    reader, writer = visits_file
    _begin(reader, reading=True)
    assert _chain(reader) == []  # the snapshot is open
    appending.write_with_trail("INSERT INTO visit VALUES (%s)", ["reader"], conn=reader)
    _event(reader, "read")
    assert _visits(reader) == []  # not written yet: the reader is still only reading
    done = threading.Event()

    def write():
        _begin(writer, reading=False)
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO visit VALUES ('writer')")
        _event(writer, "written")
        _end(writer)
        done.set()

    writer.inc_thread_sharing()
    thread = threading.Thread(target=write)
    thread.start()
    thread.join(10)
    writer.dec_thread_sharing()
    assert done.is_set(), "the writer waited for a reader"
    _end(reader)  # the visit and the event are written together, after the writer's
    assert _visits(reader) == ["writer", "reader"]
    assert [name for _, name, *_ in _chain(reader)] == ["written", "read"]


def test_a_reads_write_goes_with_a_rolled_back_savepoint_or_transaction(visits_file):
    reader, _ = visits_file
    _begin(reader, reading=True)
    _chain(reader)
    appending.write_with_trail("INSERT INTO visit VALUES (%s)", ["kept"], conn=reader)
    reader.in_atomic_block = True  # as in a request's atomic block: SQLite takes savepoints only there
    point = reader.savepoint()
    appending.write_with_trail("INSERT INTO visit VALUES (%s)", ["undone"], conn=reader)
    reader.savepoint_rollback(point)
    reader.in_atomic_block = False
    _event(reader, "read")
    _end(reader)
    assert _visits(reader) == ["kept"]
    _begin(reader, reading=True)
    _chain(reader)
    appending.write_with_trail("INSERT INTO visit VALUES (%s)", ["lost"], conn=reader)
    reader.rollback()
    reader.set_autocommit(True)
    reader.reading = False
    assert _visits(reader) == ["kept"] and reader.read_writes == []


def test_a_transaction_that_writes_anyway_makes_the_write_at_once(visits_file):
    writer, _ = visits_file
    _begin(writer, reading=False)
    appending.write_with_trail("INSERT INTO visit VALUES (%s)", ["now"], conn=writer)
    assert _visits(writer) == ["now"]  # seen inside its own transaction before the commit
    _end(writer)
    assert _visits(writer) == ["now"]
