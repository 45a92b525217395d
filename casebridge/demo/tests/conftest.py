"""The demo world, built once for the package's tests that ask for it (test_world.py and the modules
after it) and rolled back at the end: building it is the slow part, reading it is not."""

import pytest

from casebridge.demo.tests.world import run
from casebridge.tests.once import analyze, built_once


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The result of the first `casebridge demo` on an empty database."""
    with built_once(django_db_blocker):
        built = run("demo")
        analyze()
        yield built
