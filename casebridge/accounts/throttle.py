"""Rate limits on signing in, the second factor, the hit/no-hit lookup and API token use, per
account and per address, counted in Django's cache.

Each limit is `N/SECONDS` (settings `CASEBRIDGE_RATE_*`): at most N attempts per account in a fixed
window of SECONDS, and `CASEBRIDGE_RATE_ADDRESS_FACTOR` times as many from one network address
(offices share an address, so an address gets more room than one account). An attempt over either
limit raises `Throttled`, which the pages show as a form message and the API as 429
`rate_limited` with Retry-After. The counters live in the default cache: local memory by default,
which is per process; several server processes need a shared cache (`CASEBRIDGE_CACHE=database`),
which `CacheRouter` keeps on a database connection of its own.
"""

import hashlib
import time
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from casebridge.errors import DomainError


CACHE_ALIAS = "cache"


class CacheRouter:
    """Django's database cache (app label `django_cache`) on the `cache` connection (settings), which
    commits each count at once. On the request's own connection a count would share the request's
    transaction: undone with a request that fails (a refused token is one), and on SQLite a write
    inside a read-only request's read snapshot, which can fail at once or hold the write lock for
    the rest of the request."""

    def _route(self, model):
        return CACHE_ALIAS if model._meta.app_label == "django_cache" else None

    def db_for_read(self, model, **hints):
        return self._route(model)

    def db_for_write(self, model, **hints):
        return self._route(model)


class Scope(StrEnum):
    LOGIN = "login"
    SECOND_FACTOR = "second_factor"
    LOOKUP = "lookup"
    TOKEN = "token"


class Throttled(DomainError):
    """Too many attempts: try again in `retry_after` seconds."""

    code = "rate_limited"
    status = 429

    def __init__(self, retry_after: int):
        self.retry_after = max(1, retry_after)
        super().__init__(_("Too many attempts. Wait %(seconds)d seconds and try again.")
                         % {"seconds": self.retry_after})


def address(request) -> str:
    # REMOTE_ADDR is the client's address: `casebridge serve` takes it from X-Forwarded-For only
    # when the request comes from the trusted reverse proxy.
    return getattr(request, "META", {}).get("REMOTE_ADDR", "") or "unknown"


def count(request, scope: Scope, account: str | int | None) -> None:
    """Count one attempt of `scope` by `account` (None: only the address is counted) from the
    request's address; raise Throttled when either is over its limit."""
    limit, seconds = settings.CASEBRIDGE_RATES[scope]
    window = int(time.time()) // seconds
    retry_after = seconds - int(time.time()) % seconds
    counters = [(f"address:{address(request)}", limit * settings.CASEBRIDGE_RATE_ADDRESS_FACTOR)]
    if account is not None:
        # Hashed: a username field sometimes holds a password, and cache keys must stay plain ASCII.
        counters.append((f"account:{hashlib.sha256(str(account).casefold().encode()).hexdigest()}", limit))
    over = False
    for who, allowed in counters:
        over |= _incr(f"cb-rate:{scope}:{who}:{window}", seconds) > allowed
    if over:
        raise Throttled(retry_after)


def _incr(key: str, seconds: int) -> int:
    # add() starts the window's counter; incr() is atomic in memory and one statement-pair in the
    # database cache (a race there may miss a count, never block someone twice).
    if cache.add(key, 1, seconds + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds + 5)
        return 1


def retry_after_header(response, exc: Throttled):
    response["Retry-After"] = str(exc.retry_after)
    return response
