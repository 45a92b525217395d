"""`casebridge audit lock-time` measures the chain lock's hold in a database of its own (a new one
on the suite's engine) and checks that concurrent clients left exactly their events in a chain that
verifies. No timing is asserted."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from casebridge.audit.models import AuditEvent
from casebridge.ops.tests.test_load import empty_database_url  # noqa: F401 - a fixture: a new empty database


def test_lock_time_reports_the_hold_and_leaves_a_verified_chain_elsewhere(empty_database_url):
    out = StringIO()
    call_command("audit", "lock-time", "--clients", "2", "--requests", "6", "--render-ms", "1",
                 "--jitter-samples", "5", "--database-url", empty_database_url, stdout=out)
    report = out.getvalue()
    assert "2 clients, 6 requests" in report and "Chain lock held (granted -> committed, as this" in report
    # PostgreSQL appends in the server: how long of the hold was spent there is reported too.
    assert ("of which in the server, granted -> events inserted" in report) == (connection.vendor == "postgresql")
    assert "This machine, 0.5 ms of pure computation in one process, for comparison: p50" in report
    assert "Events: 12; chain verifies" in report
    assert AuditEvent.objects.count() == 0  # the installation's (here: the test's) trail is untouched


def test_lock_time_refuses_nonsense_counts(db):
    with pytest.raises(CommandError, match="must be positive"):
        call_command("audit", "lock-time", "--clients", "0")
