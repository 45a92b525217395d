"""Database backends that append a transaction's audit events just before it commits.

Each is Django's own backend with `DeferredAudit` mixed in; settings select them by engine
(`casebridge.audit.backends.engines.engine_for`). See casebridge.audit.appending and docs/architecture.md "Appending".
"""

from contextlib import contextmanager

from django.db import connections

from casebridge.audit import appending

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@contextmanager
def reading_requests(method: str):
    """For the length of a request: a read-only one (a safe method) lets a backend that can (SQLite)
    begin its transaction as a read snapshot and append its audit events after it (sqlite3.base)."""
    reading = method in SAFE_METHODS
    # Only the connections whose transactions are the requests' (ATOMIC_REQUESTS): not the cache's.
    touched = [conn for conn in connections.all() if hasattr(conn, "reading") and conn.settings_dict["ATOMIC_REQUESTS"]]
    for conn in touched:
        conn.reading = reading
    try:
        yield
    finally:
        for conn in touched:
            conn.reading = False


class DeferredAudit:
    """Keeps the audit events of the open transaction (`audit_pending`) and appends them in its
    commit; a savepoint rollback drops the events recorded since the savepoint, a rollback all."""

    defers_audit = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit_pending: list = []  # recorded, not yet written, in the order recorded
        self.audit_written: list = []  # written by this transaction (read before its commit)
        self.audit_marks: dict[str, tuple[int, int, int]] = {}  # savepoint id -> (recorded, written, gathered)
        self.audit_locked_at = None
        self.audit_released_at = None  # PostgreSQL: when the COMMIT's reply arrived (perf_counter)
        self.audit_consultation = None  # the open `audit.consultation`, gathering a page's events

    def _commit(self):
        if self.audit_pending and self.connection is not None:
            appending.flush_for_commit(self)
        try:
            return super()._commit()
        finally:
            self._committed()

    def _committed(self):
        """The transaction ended: what it wrote is history, and the chain lock is released with it."""
        self.audit_written.clear()
        self.audit_marks.clear()
        appending.lock_released(self)

    def _rollback(self):
        self._forget()
        return super()._rollback()

    def _savepoint(self, sid):
        written = len(self.audit_written)
        gathered = len(self.audit_consultation.calls) if self.audit_consultation is not None else 0
        self.audit_marks[sid] = (written + len(self.audit_pending), written, gathered)
        return super()._savepoint(sid)

    def _savepoint_rollback(self, sid):
        """Events recorded since the savepoint are dropped, those an open consultation gathered since
        too. Events recorded before it but written since (a read of the trail flushed them) lose
        their rows with the savepoint: they wait again."""
        result = super()._savepoint_rollback(sid)
        recorded, written, gathered = self.audit_marks.get(sid, (0, 0, 0))
        kept = [*self.audit_written, *self.audit_pending][:recorded]
        self.audit_written[:], self.audit_pending[:] = kept[:written], kept[written:]
        if self.audit_consultation is not None:
            del self.audit_consultation.calls[gathered:]
        return result

    def _savepoint_commit(self, sid):
        self.audit_marks.pop(sid, None)
        return super()._savepoint_commit(sid)

    def close(self):
        self._forget()
        return super().close()

    def _forget(self):
        self.audit_pending.clear()
        self.audit_written.clear()
        self.audit_marks.clear()
        appending.lock_released(self)
