"""policy.decide_import, as a table: the agency rules of reading, and the role's import:run."""

import datetime as dt
from types import SimpleNamespace

import pytest

from casebridge import policy

TODAY = dt.date(2026, 6, 1)


def _case(starts=dt.date(2025, 1, 1), ends=None, phases=("custody",), agency_id=1):
    member = policy.MembershipFacts(agency_id, starts, ends, frozenset(phases))
    return policy.CaseFacts(7, "custody", 1, 99, frozenset(), (member,))


def _actor(role="agency_admin", agency_active=True):
    return SimpleNamespace(id=5, pk=5, role=role, agency_id=1, is_active=True, agency_active=agency_active)


@pytest.mark.parametrize("actor, case, allowed, reason", [
    (_actor(), _case(), True, "agency is an active member covering phase custody"),
    (_actor(role="coordinator"), _case(), False, "role coordinator does not grant import:run"),
    (_actor(role="system_admin"), _case(), False, "role system_admin does not grant import:run"),
    (_actor(agency_active=False), _case(), False, "your agency is deactivated"),
    (_actor(), _case(ends=dt.date(2026, 5, 1)), False, "agency is not an active member covering the current phase"),
    (_actor(), _case(starts=dt.date(2026, 7, 1)), False, "agency is not an active member covering the current phase"),
    (_actor(), _case(phases=("aftercare",)), False, "agency is not an active member covering the current phase"),
    (_actor(), _case(agency_id=2), False, "agency is not an active member covering the current phase"),
], ids=["member_not_on_the_team", "coordinator", "system_admin", "agency_deactivated", "membership_ended", "not_yet_member",
        "phase_not_covered", "not_a_member"])
def test_an_agency_imports_only_into_a_case_it_may_see(actor, case, allowed, reason):
    decision = policy.decide_import(actor, case, TODAY)
    assert (decision.allowed, decision.reason) == (allowed, reason)
