"""Django's PostgreSQL backend, appending the transaction's audit events just before commit."""

from django.db.backends.postgresql import base

from casebridge.audit.backends import DeferredAudit


class DatabaseWrapper(DeferredAudit, base.DatabaseWrapper):
    pass
