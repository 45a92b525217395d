"""Django's PostgreSQL backend, appending the transaction's audit events just before commit: the
server's own function appends them (migration audit 0006) and the COMMIT follows in the same
pipeline, one round trip, so the chain lock is never held while the server waits for this process."""

import time

from django.db.backends.postgresql import base

from casebridge.audit import appending
from casebridge.audit.backends import DeferredAudit


class DatabaseWrapper(DeferredAudit, base.DatabaseWrapper):
    def _commit(self):
        if not self.audit_pending or self.connection is None:
            return super()._commit()
        try:
            with self.wrap_database_errors, self.connection.pipeline():
                taken, cursor = appending.send_for_commit(self)
                done = base.DatabaseWrapper._commit(self)
            self.audit_released_at = time.perf_counter()  # the reply arrived: the hold as this process sees it
            appending.received(self, taken, cursor)
            return done
        finally:
            self._committed()
