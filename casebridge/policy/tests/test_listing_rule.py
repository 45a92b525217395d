"""The listing rule of discreet memberships as a table: who sees the security unit listed on a case.

Pure: facts in, decision out. The security unit (agency 5) is a discreet member; probation (1) leads,
prison (2) is a core member, the exit programme (3) is on request, police (4) was a core member
whose membership has ended and is now on request.
"""

from dataclasses import replace
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from casebridge import policy

TODAY = date(2026, 6, 1)
PROBATION, PRISON, CSO, POLICE, SECURITY, HOUSING = 1, 2, 3, 4, 5, 6
PHASES = frozenset({"custody"})


def member(agency, core=True, discreet=False, ends_on=None, starts_on=TODAY - timedelta(days=90)):
    return policy.MembershipFacts(agency, starts_on, ends_on, PHASES, core, discreet=discreet)


CASE = policy.CaseFacts(
    id=9, phase="custody", lead_agency_id=PROBATION, coordinator_id=10, coordinator_agency_id=PROBATION,
    team_ids=frozenset({10, 20, 30, 40, 50, 60}),
    memberships=(member(PROBATION), member(PRISON), member(CSO, core=False),
                 member(POLICE, ends_on=TODAY - timedelta(days=30)),
                 member(POLICE, core=False, starts_on=TODAY - timedelta(days=30)),
                 member(SECURITY, core=False, discreet=True)))


def person(pk, agency, role="practitioner", active=True):
    return SimpleNamespace(id=pk, pk=pk, agency_id=agency, role=role, is_active=active, agency_kind="",
                           agency_active=True)


@pytest.mark.parametrize("who, agency, listed, reason", [
    (person(10, PROBATION, "coordinator"), SECURITY, True, "core members"),
    (person(20, PRISON), SECURITY, True, "core members"),
    (person(50, SECURITY), SECURITY, True, "your own agency"),
    (person(30, CSO), SECURITY, False, "listed only to its own agency and the core members"),
    (person(40, POLICE), SECURITY, False, "listed only to its own agency and the core members"),  # core ended
    (person(30, CSO), PRISON, True, "listed to the case team"),
    (person(60, HOUSING), PRISON, False, "agency is not an active member"),  # off the case: nothing listed
    (person(99, PRISON), PRISON, False, "not on the case team"),
    (person(20, PRISON, active=False), PRISON, False, "does not grant"),
])
def test_who_sees_which_member_listed(who, agency, listed, reason):
    decision = policy.decide_agency_listing(who, agency, CASE, TODAY)
    assert decision.allowed is listed and reason in decision.reason


def test_the_coordinator_s_agency_sees_discreet_members_even_when_it_does_not_lead():
    moved = replace(CASE, coordinator_agency_id=CSO)
    assert policy.decide_agency_listing(person(30, CSO), SECURITY, moved, TODAY)


def test_a_membership_is_listed_as_its_agency_is():
    security = CASE.memberships[-1]
    assert not policy.decide_membership_listing(person(30, CSO), security, CASE, TODAY)
    assert policy.decide_membership_listing(person(20, PRISON), security, CASE, TODAY)


def test_the_client_is_never_told_of_a_discreet_member_nor_of_its_earlier_open_membership():
    reopened = replace(CASE, memberships=(*CASE.memberships, member(SECURITY, ends_on=TODAY - timedelta(days=200))))
    assert not policy.named_to_client(SECURITY, reopened)
    assert policy.named_to_client(CSO, reopened)


def test_membership_facts_without_the_new_field_are_not_discreet():
    assert policy.MembershipFacts(PRISON, TODAY, None, PHASES).discreet is False
