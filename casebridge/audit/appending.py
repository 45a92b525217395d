"""Appending to the chain: the events of a transaction wait on its connection and are written in one
step just before it commits, still inside it (DESIGN.md §5, docs/architecture.md "Appending").

`enqueue` keeps an event, already normalised, on the connection. The database backends of
`casebridge.audit.backends` call `flush` from their commit, drop what a savepoint rollback undoes
and forget everything on rollback. On SQLite `flush` (the IMMEDIATE transaction already holds
the write lock) reads the chain's end, hashes and inserts the events, their concerned agencies and
their item reads, with one prepared INSERT a table. On PostgreSQL the server does it
(`casebridge_audit_append`, migration audit 0006: the advisory lock, the chain's end, the hashes, the
rows): `send_for_commit` sends the call, the backend the COMMIT in the same pipeline, and
`received` reads the answer, so the lock is held for the append and the commit alone.

Reading the trail in the same transaction first flushes what waits (the models' managers do), so a
command or a test that writes then reads sees its own events. A connection whose backend does not
defer (a plain Django engine) is flushed at once, as every event used to be written.
"""

import json
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection as default_connection

from casebridge.audit.chain import GENESIS, canonical, compute_hash, hash_template, templated_hash

ITEM = "items.informationitem"
logger = logging.getLogger(__name__)


@dataclass
class Entry:
    """One event waiting to be appended: its fields but its place in the chain (seq, prev_hash, hash)."""

    fields: dict
    concerns: dict[int, list[int]]
    reads: list[tuple[int, str]]
    event: object = None  # the AuditEvent `record` returned, completed when written
    template: tuple[str, str] | None = None  # its `chain.hash_template`, when made beforehand (record_many)


def reads_of(operation: str, object_type: str, object_id: str, detail) -> list[tuple[int, str]]:
    """(item id, basis) for every item an event shows its reader: a read of an item, or the items a
    listing, a search or a consultation (`services.consultation`) showed with the basis of each (what "who read this item" answers)."""
    detail = detail if isinstance(detail, dict) else {}
    found = {}
    if operation == "read" and object_type == ITEM and str(object_id).isdigit():
        basis = detail.get("basis")
        found[int(object_id)] = basis if isinstance(basis, str) else ""
    listed = detail.get("items")  # a listing, a search, or one consultation of a case page
    if operation in ("read", "list", "search") and isinstance(listed, dict):
        for pk, basis in listed.items():
            if str(pk).isdigit():
                found.setdefault(int(pk), basis if isinstance(basis, str) else "")
    return list(found.items())


def enqueue(entries: list[Entry], conn=None) -> None:
    conn = conn or default_connection
    if not getattr(conn, "defers_audit", False):
        _write(conn, entries)
        return
    conn.audit_pending.extend(entries)


def write_with_trail(sql: str, params, conn=None) -> None:
    """Run a small write that a read makes (a practitioner's visit to a case page) in the transaction
    that appends the read's audit events. On a SQLite read snapshot (sqlite3.base) it waits for that
    append, so a page that only reads never becomes a writer half-way, which SQLite would refuse on a
    snapshot another writer has moved past; anywhere else the transaction may write, so at once."""
    conn = conn or default_connection
    if not getattr(conn, "defers_read_writes", lambda: False)():
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
        return
    conn.read_writes.append((sql, params))


def pending(conn=None) -> int:
    """How many events wait on the connection."""
    return len(getattr(conn or default_connection, "audit_pending", ()))


def flush(conn=None) -> int:
    """Append the events waiting on the connection, in the order recorded; returns how many.
    Reading the trail calls it, and the backends' commit."""
    conn = conn or default_connection
    entries = getattr(conn, "audit_pending", None)
    if not entries:
        return 0
    taken = list(entries)
    _write(conn, taken)
    entries.clear()
    conn.audit_written.extend(taken)  # a savepoint rollback may undo their rows: see the backends
    return len(taken)


def flush_for_commit(conn) -> None:
    """`flush` from a commit: any failure is a DatabaseError, so the transaction rolls back."""
    try:
        flush(conn)
    except DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to append must fail the operation
        raise DatabaseError(f"audit events could not be written: {exc}") from exc


def send_for_commit(conn) -> tuple[list[Entry], object]:
    """PostgreSQL's commit: the waiting events, and the cursor of their append, sent but not yet
    answered (the backend sends the COMMIT in the same pipeline, then calls `received`). Any
    failure is a DatabaseError, so the transaction rolls back."""
    taken = list(conn.audit_pending)
    try:
        cursor = _send(conn, taken)
    except DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to append must fail the operation
        raise DatabaseError(f"audit events could not be written: {exc}") from exc
    conn.audit_pending.clear()
    conn.audit_written.extend(taken)
    return taken, cursor


def _send(conn, entries: list[Entry]):
    """Call the server's append (migration audit 0006, casebridge_audit_append) for `entries`:
    it takes the chain lock, reads the chain's end, hashes and inserts, all in the server."""
    batch = []
    for entry in entries:
        fields = entry.fields
        middle, tail = entry.template or hash_template(**fields, concerns=entry.concerns)
        batch.append({**fields, "at": fields["at"].isoformat(), "middle": middle, "tail": tail,
                      "links": [[agency, ids] for agency, ids in entry.concerns.items()],
                      "reads": [[item, basis] for item, basis in entry.reads]})
    cursor = conn.cursor()
    cursor.execute("SELECT casebridge_audit_append(%s::jsonb)", [json.dumps(batch)])
    return cursor


def received(conn, entries: list[Entry], cursor) -> None:
    """The server's answer to `_send`: each event's place in the chain; and when the lock was granted.
    After a COMMIT the events are kept whatever happens here: a malformed answer is logged, never
    raised (the operation did happen)."""
    try:
        _read_answer(conn, entries, cursor)
    except Exception:  # noqa: BLE001 - committed already: report, do not fail the operation
        logger.exception("audit events were appended, but the server's answer could not be read")


def _read_answer(conn, entries: list[Entry], cursor) -> None:
    answer = cursor.fetchone()[0]
    cursor.close()
    if isinstance(answer, str):
        answer = json.loads(answer)
    seq, prev_hash = answer["first"], answer["prev"]
    for entry, digest in zip(entries, answer["hashes"]):
        if entry.event is not None:
            entry.event.seq, entry.event.prev_hash, entry.event.hash = seq, prev_hash, digest
        prev_hash, seq = digest, seq + 1
    if getattr(conn, "audit_locked_at", False) is None:
        # The grant, on this machine's clock, as a perf_counter reading (the server shares the clock).
        conn.audit_locked_at = time.perf_counter() - max(time.time() - answer["granted"], 0.0)
    for seconds in _server_observers:
        seconds.append(answer["appended"] - answer["granted"])


def _write(conn, entries: list[Entry]) -> None:
    from casebridge.audit.models import AuditEvent, AuditEventAgency, ItemRead

    if conn.vendor == "postgresql":
        _read_answer(conn, entries, _send(conn, entries))  # before any commit: a failure fails the operation
        return
    seq, prev_hash = _lock_chain_end(conn, AuditEvent)
    events, links, reads = [], [], []
    for entry in entries:
        row = {**entry.fields, "seq": seq, "prev_hash": prev_hash}
        prev_hash = row["hash"] = (templated_hash(seq, prev_hash, entry.template) if entry.template
                                   else compute_hash(**row, concerns=entry.concerns))
        events.append(row)
        links += [{"event_id": seq, "agency_id": agency, "items": ids} for agency, ids in entry.concerns.items()]
        reads += [{"event_id": seq, "item_id": item, "basis": basis} for item, basis in entry.reads]
        if entry.event is not None:
            entry.event.seq, entry.event.prev_hash, entry.event.hash = seq, row["prev_hash"], row["hash"]
        seq += 1
    insert(conn, AuditEvent, events)
    insert(conn, AuditEventAgency, links)
    insert(conn, ItemRead, reads)


def _lock_chain_end(conn, model) -> tuple[int, str]:
    """SQLite: the next sequence number and the hash it must link to. Its transactions are IMMEDIATE
    (see settings), so the writer already holds the database's one write lock."""
    table, seq, digest = (conn.ops.quote_name(name) for name in (model._meta.db_table, "seq", "hash"))
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT {seq}, {digest} FROM {table} ORDER BY {seq} DESC LIMIT 1")
        last = cursor.fetchone()
    if getattr(conn, "audit_locked_at", False) is None:
        conn.audit_locked_at = time.perf_counter()
    return (last[0] + 1, last[1]) if last else (1, GENESIS)


ROWS_PER_INSERT = 500  # SQLite allows 32,766 parameters a statement; events have 15 columns


def insert(conn, model, rows: list[dict]) -> None:
    """Write rows with multi-row INSERTs. bulk_create would open an atomic block of its own (not
    possible from inside a commit) and prepare each value through its field; here values are adapted
    as the fields adapt them (each distinct time once), but JSON: SQLite keeps the text it is given,
    and the trail's is the chain's canonical form, the very text each hash covers, so verification
    hashes it as stored instead of decoding and encoding it again (casebridge.audit.stored_text).
    The values are the same; only spaces, key order and escapes differ from Django's form."""
    if not rows:
        return
    ops, meta = conn.ops, model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    head = "INSERT INTO {} ({}) VALUES ".format(
        ops.quote_name(meta.db_table), ", ".join(ops.quote_name(f.column) for f in fields))
    row_sql = "({})".format(", ".join(["%s"] * len(fields)))
    json_fields = [n for n, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    time_fields = [(n, f) for n, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]
    stamps: dict = {}
    values = []
    for row in rows:
        value = [row[name] for name in names]
        for n in json_fields:
            value[n] = canonical(value[n])
        for n, time_field in time_fields:
            if value[n] not in stamps:
                stamps[value[n]] = time_field.get_db_prep_save(value[n], conn)
            value[n] = stamps[value[n]]
        values.append(value)
    with conn.cursor() as cursor:
        for first in range(0, len(values), ROWS_PER_INSERT):
            chunk = values[first:first + ROWS_PER_INSERT]
            cursor.execute(head + ", ".join([row_sql] * len(chunk)), [v for value in chunk for v in value])


_observers: list[list[float]] = []
_server_observers: list[list[float]] = []


@contextmanager
def _collected(observers: list[list[float]]):
    seconds: list[float] = []
    observers.append(seconds)
    try:
        yield seconds
    finally:
        observers.remove(seconds)


def lock_holds():
    """Collect, while the block runs, how long each transaction held the chain lock: seconds from
    the lock's acquisition (in `flush`) to the end of its commit or rollback, any thread."""
    return _collected(_observers)


def server_holds():
    """PostgreSQL: collect, while the block runs, how long each append held the chain lock inside the
    server, on its clock: from the grant to the events inserted, ready for the COMMIT that follows
    in the same pipeline (what `lock_holds` adds is the commit and this process seeing its reply)."""
    return _collected(_server_observers)


class HoldLog:
    """Writes every hold it is given to `<directory>/holds-<pid>.txt`, one line each: `hold` (the
    whole hold, as `lock_holds` counts it) or `server` (PostgreSQL's part, as `server_holds`) and the
    milliseconds. Set up by CASEBRIDGE_LOCK_TIMES in each server process, so the load benchmark can
    report the lock as its servers held it."""

    def __init__(self, directory: Path, kind: str):
        self.directory, self.kind, self.failed = directory, kind, False

    def append(self, seconds: float) -> None:
        """Never raises: it runs as a transaction ends (committed or not), which a figure must not fail."""
        path = self.directory / f"holds-{os.getpid()}.txt"  # each worker process its own file
        try:
            with path.open("a", encoding="ascii") as out:
                out.write(f"{self.kind} {seconds * 1000:.3f}\n")
        except OSError as exc:
            if not self.failed:
                self.failed = True
                logger.warning("lock holds are not written to %s: %s", self.directory, exc)


def log_holds(directory) -> None:
    """From now on, write every hold of this process to `directory` (`HoldLog`)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    _observers.append(HoldLog(directory, "hold"))
    _server_observers.append(HoldLog(directory, "server"))


def logged_holds(directory) -> dict[str, list[float]]:
    """The holds (milliseconds) that processes wrote to `directory`, by kind."""
    found: dict[str, list[float]] = {"hold": [], "server": []}
    for path in sorted(Path(directory).glob("holds-*.txt")):
        for line in path.read_text(encoding="ascii").splitlines():
            kind, _, ms = line.partition(" ")
            if kind in found:
                found[kind].append(float(ms))
    return found


def lock_released(conn) -> None:
    """The transaction ended: the advisory lock is released with it."""
    since, conn.audit_locked_at = conn.audit_locked_at, None
    until, conn.audit_released_at = conn.audit_released_at, None
    if since is not None:
        held = (until if until is not None else time.perf_counter()) - since
        for seconds in _observers:
            seconds.append(held)
