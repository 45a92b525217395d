"""Django's SQLite backend, appending the transaction's audit events just before commit.

SQLite has one writer at a time. A transaction that changes records begins IMMEDIATE (settings):
it takes the write lock when it starts, so the audit chain's read-last-then-append cannot
interleave with another writer, and it never fails half-way on a snapshot gone stale.

A request that only reads (GET, HEAD, OPTIONS: `reading_requests`) would hold that lock for its
whole length, though its only write is its audit events: every request would queue behind the
one in front, whatever the number of server processes. Its transaction begins DEFERRED instead, a
read snapshot that takes no lock. At its commit, if it changed nothing, the read ends and its audit
events are appended in a short IMMEDIATE transaction of their own, which holds the write lock
only to append. If they cannot be written, the commit fails and so does the request: nothing is
shown without its trace. A read request that did change something (rare) already holds the write
lock and appends in its own transaction, as a writer does.
"""

from django.db.backends.sqlite3 import base

from casebridge.audit import appending
from casebridge.audit.backends import DeferredAudit


class DatabaseWrapper(DeferredAudit, base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reading = False  # set for the length of a read-only request (`reading_requests`)
        self.read_since: int | None = None  # total_changes when a DEFERRED transaction began

    def _start_transaction_under_autocommit(self):
        if not self.reading:
            self.read_since = None
            return super()._start_transaction_under_autocommit()
        self.read_since = self.connection.total_changes
        self.cursor().execute("BEGIN DEFERRED")

    def _commit(self):
        read_only = self.read_since is not None and self.connection is not None \
            and self.connection.total_changes == self.read_since
        self.read_since = None
        if not (read_only and self.audit_pending):
            return super()._commit()
        with self.wrap_database_errors:
            self.connection.commit()  # the read ends: it wrote nothing
        try:
            with self.wrap_database_errors:
                self.connection.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout
            appending.flush_for_commit(self)
        except BaseException:
            with self.wrap_database_errors:
                self.connection.rollback()
            self._forget()
            raise
        return super()._commit()

    def _rollback(self):
        self.read_since = None
        return super()._rollback()
