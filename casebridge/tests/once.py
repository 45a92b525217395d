"""A world built once for many tests: inside a transaction that is rolled back at the end, so the
database is as empty afterwards as every other test expects, while each test on top of it still
runs in a savepoint of its own (pytest-django's `db`) and leaves the world as it found it.

Building is the slow part of the largest tests (the demo world, the crawl's world); reading is not.
"""

from contextlib import contextmanager

from django.db import connection, transaction
from django.test.utils import override_settings

# Argon2 costs a third of a second per account; no world's behaviour depends on it (a test in
# casebridge/tests/test_security.py checks that Argon2 is what production uses).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def rolled_back():
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def analyze() -> None:
    """A world is never committed, so PostgreSQL never gathers its statistics; without them the
    planner takes the tables for empty and runs the visibility subqueries row by row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@contextmanager
def built_once(django_db_blocker):
    """Open the database to a module- or package-scoped fixture, with fast password hashing, in a
    transaction rolled back when the fixture ends."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), rolled_back():
        yield
