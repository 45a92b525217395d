"""`casebridge audit lock-time` measures the chain lock's hold in a database of its own and checks
that concurrent clients left exactly their events in a chain that verifies. No timing is asserted."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casebridge.audit.models import AuditEvent


def test_lock_time_reports_the_hold_and_leaves_a_verified_chain_elsewhere(db):
    out = StringIO()
    call_command("audit", "lock-time", "--clients", "2", "--requests", "6", "--render-ms", "1", stdout=out)
    report = out.getvalue()
    assert "2 clients, 6 requests" in report and "Chain lock held (granted -> committed): p50" in report
    assert "Events: 12; chain verifies" in report
    assert AuditEvent.objects.count() == 0  # the installation's (here: the test's) trail is untouched


def test_lock_time_refuses_nonsense_counts(db):
    with pytest.raises(CommandError, match="must be positive"):
        call_command("audit", "lock-time", "--clients", "0")
