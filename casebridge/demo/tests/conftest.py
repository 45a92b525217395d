"""The demo world, built once for the package's tests that ask for it (test_world.py and the modules
after it) and rolled back at the end: building it is the slow part, reading it is not."""

import pytest
from django.db import connection
from django.test.utils import override_settings

from casebridge.demo.tests.world import FAST_HASHERS, rolled_back, run


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The result of the first `casebridge demo` on an empty database."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), rolled_back():
        built = run("demo")
        if connection.vendor == "postgresql":
            # The world is never committed, so PostgreSQL never gathers its statistics; without them
            # the planner takes the tables for empty and runs the visibility subqueries row by row.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield built
