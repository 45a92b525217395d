"""Django's SQLite backend, appending the transaction's audit events just before commit."""

from django.db.backends.sqlite3 import base

from casebridge.audit.backends import DeferredAudit


class DatabaseWrapper(DeferredAudit, base.DatabaseWrapper):
    pass
