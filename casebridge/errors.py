"""Errors that are part of Casebridge's interface.

Services raise these; the web layer turns them into form messages and the API into JSON
`{"error": {"code": ..., "message": ...}}` with the stable code below.
"""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404
from django.utils.translation import gettext_lazy

# A database too busy to answer in time (is_busy) is a 503 with this Retry-After and message.
RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = gettext_lazy("Casebridge is very busy right now; nothing was saved. Try again in a few seconds.")


def is_busy(exception) -> bool:
    """Whether a failure is a database that could not serve in time: SQLite's write lock still held
    when the busy timeout ran out, or no pooled PostgreSQL connection free in time."""
    if isinstance(exception, OperationalError):
        text = str(exception).lower()
        return "database is locked" in text or "database table is locked" in text
    return type(exception).__name__ == "PoolTimeout"


class DomainError(Exception):
    """A request Casebridge understood but refuses, with a stable code and a plain message."""

    code = "invalid_input"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 400


class Conflict(DomainError):
    """The record changed since the caller read it, or the request clashes with its state."""

    code = "conflict"
    status = 409


class StaleVersion(Conflict):
    """The caller's copy is out of date: someone changed the record after it was read, so the change
    is refused rather than applied over theirs (no lost update). Carries the version now current,
    so a client can reload; the message says who changed it and when, where the reader may know."""

    code = "stale_version"

    def __init__(self, message: str, *, current_version: int | None = None, field: str | None = None):
        super().__init__(message, field=field)
        self.current_version = current_version


class BeyondAuthority(DomainError):
    """The actor may see the record but this change is beyond their authority (a 403 that a form
    can show on the field it concerns)."""

    code = "beyond_authority"
    status = 403


class NotVisible(Http404):
    """The record does not exist or the actor may not know that it exists: always a 404."""

    code = "not_found"


class Forbidden(PermissionDenied):
    """The actor may see the record but not do this to it: a 403, with a stable code."""

    code = "forbidden"

    def __init__(self, message: str = "", *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code
