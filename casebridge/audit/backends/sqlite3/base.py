"""Django's SQLite backend, appending the transaction's audit events just before commit.

SQLite has one writer at a time. A transaction that changes records begins IMMEDIATE (settings):
it takes the write lock when it starts, so the audit chain's read-last-then-append cannot
interleave with another writer, and it never fails half-way on a snapshot gone stale.

A request that only reads (GET, HEAD, OPTIONS: `reading_requests`) would hold that lock for its
whole length, though its only write is its audit events: every request would queue behind the
one in front, whatever the number of server processes. Its transaction begins DEFERRED instead, a
read snapshot that takes no lock. At its commit, if it changed nothing, the read ends and its audit
events are appended in a short IMMEDIATE transaction of their own, which holds the write lock
only to append; the small writes the read left for it (`appending.write_with_trail`: the visit a
case page records) go in that transaction too, before the events. If they cannot be written, the commit fails and so does the request: nothing is
shown without its trace. A read request that did change something (rare) already holds the write
lock and appends in its own transaction, as a writer does.

Who writes next is decided by a lock file beside the database (`WriterLock`), taken before BEGIN
IMMEDIATE and given up at the transaction's end: SQLite's own busy handler, waiting for another
connection's write lock, sleeps in steps that grow to 100 ms, so with several server processes the
writers spent most of their time asleep behind a lock already free. The lock file wakes the next
writer within a millisecond or two; after the busy timeout it gives up as SQLite would ("database
is locked": the request answers 503).
"""

import fcntl
import os
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

from casebridge.audit import appending
from casebridge.audit.backends import DeferredAudit


class WriterLock:
    """An exclusive lock on `<database>-writer.lock`, one open file per connection (so threads of
    one process exclude each other as processes do). Waiting polls every 0.5-2 ms."""

    def __init__(self, database: str):
        self.path = f"{database}-writer.lock"
        self.fd: int | None = None
        self.held = False

    def acquire(self, timeout: float) -> None:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline, pause = time.monotonic() + timeout, 0.0005
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.held = True
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked: another writer held it past the busy timeout") \
                        from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def release(self) -> None:
        if self.held:
            self.held = False
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.release()
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _in_memory(name: str) -> bool:
    return name == ":memory:" or "mode=memory" in name


class DatabaseWrapper(DeferredAudit, base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reading = False  # set for the length of a read-only request (`reading_requests`)
        self.read_since: int | None = None  # total_changes when a DEFERRED transaction began
        self.read_writes: list[tuple[str, list]] = []  # writes a read left for its append (appending.write_with_trail)
        self.read_write_marks: dict[str, int] = {}  # savepoint id -> len(read_writes) when it was taken
        name = str(self.settings_dict["NAME"])
        self.writer_lock = None if _in_memory(name) else WriterLock(name)

    def _busy_timeout(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _begin_writing(self) -> None:
        """Take the writer lock, then SQLite's write lock (BEGIN IMMEDIATE)."""
        if self.writer_lock is not None:
            self.writer_lock.acquire(self._busy_timeout())
        try:
            with self.wrap_database_errors:
                self.connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._writing_done()
            raise

    def _writing_done(self) -> None:
        if self.writer_lock is not None:
            self.writer_lock.release()

    def _start_transaction_under_autocommit(self):
        if self.reading:
            self.read_since = self.connection.total_changes
            self.cursor().execute("BEGIN DEFERRED")
            return
        self.read_since = None
        if self.transaction_mode == "IMMEDIATE":
            self._begin_writing()
        else:
            super()._start_transaction_under_autocommit()

    def defers_read_writes(self) -> bool:
        """Whether the open transaction is a read snapshot, whose writes wait for its append."""
        return self.read_since is not None

    def _run_read_writes(self, writes) -> None:
        if not writes:
            return
        with self.cursor() as cursor:
            for sql, params in writes:
                cursor.execute(sql, params)

    def _commit(self):
        read_only = self.read_since is not None and self.connection is not None \
            and self.connection.total_changes == self.read_since
        self.read_since = None
        writes, self.read_writes = self.read_writes, []
        self.read_write_marks.clear()
        try:
            if not (read_only and (self.audit_pending or writes)):
                self._run_read_writes(writes)  # a read that changed something already holds the write lock
                return super()._commit()
            with self.wrap_database_errors:
                self.connection.commit()  # the read ends: it wrote nothing
            try:
                self._begin_writing()  # waits up to the busy timeout
                self._run_read_writes(writes)
                appending.flush_for_commit(self)
            except BaseException:
                with self.wrap_database_errors:
                    self.connection.rollback()
                self._forget()
                raise
            return super()._commit()
        finally:
            self._writing_done()

    def _rollback(self):
        self.read_since = None
        self.read_writes.clear()
        self.read_write_marks.clear()
        try:
            return super()._rollback()
        finally:
            self._writing_done()

    def _savepoint(self, sid):
        self.read_write_marks[sid] = len(self.read_writes)
        return super()._savepoint(sid)

    def _savepoint_rollback(self, sid):
        """Writes a read left for its append since the savepoint go with it."""
        del self.read_writes[self.read_write_marks.pop(sid, len(self.read_writes)):]
        return super()._savepoint_rollback(sid)

    def close(self):
        self.read_writes.clear()
        try:
            return super().close()
        finally:
            if self.writer_lock is not None:
                self.writer_lock.close()
