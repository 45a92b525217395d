"""The administrative authority rules of casebridge/policy/admin.py on plain facts, one row per case."""

from types import SimpleNamespace

import pytest

from casebridge.policy import (decide_clearance, decide_issue_token, decide_resume, decide_revoke_token, decide_role,
                               decide_set_ceiling)

LEVELS = 4  # OPEN < RESTRICTED < CONFIDENTIAL < SECRET


def person(pk, role="practitioner", agency=1, clearance=1, service=False, active=True):
    return SimpleNamespace(pk=pk, role=role, agency_id=agency, clearance=clearance, is_service_account=service,
                           is_active=active)


ADAM = person(1, "agency_admin")            # administers agency 1
SAM = person(2, "system_admin", agency=2)   # system administrator, works at agency 2
NORA = person(3)                            # a practitioner of agency 1
DORA = person(4, "dpo")                     # the DPO of agency 1
BART = person(5, "agency_admin", agency=2)  # administers agency 2
SYNC = person(6, service=True)              # a service account of agency 1
NEW = person(None)                          # an account about to be created in agency 1


@pytest.mark.parametrize("actor, owner, verified, allowed", [
    (NORA, NORA, True, True),
    (NORA, NORA, False, False),    # no second factor, no token
    (ADAM, NORA, True, False),     # an administrator never issues a token that acts as a person
    (SAM, NORA, True, False),
    (ADAM, SYNC, True, True),      # a service account's token: its agency's administrator
    (ADAM, SYNC, False, False),
    (BART, SYNC, True, False),
    (SAM, SYNC, True, False),      # a system administrator of another agency
    (NORA, SYNC, True, False),     # a colleague who is no administrator
    (SYNC, SYNC, True, False),     # a service account does not serve itself
    (person(3, active=False), person(3, active=False), True, False),
])
def test_who_may_issue_a_token(actor, owner, verified, allowed):
    assert bool(decide_issue_token(actor, owner, second_factor=verified)) is allowed


@pytest.mark.parametrize("actor, owner_id, agency_id, allowed", [
    (NORA, 3, 1, True), (ADAM, 3, 1, True), (SAM, 3, 1, True), (BART, 3, 1, False), (DORA, 3, 1, False),
    (person(3, active=False), 3, 1, False),
])
def test_who_may_revoke_a_token(actor, owner_id, agency_id, allowed):
    assert bool(decide_revoke_token(actor, owner_id=owner_id, agency_id=agency_id)) is allowed


@pytest.mark.parametrize("actor, target, role, allowed", [
    (ADAM, NORA, "coordinator", True),
    (ADAM, NORA, "dpo", False),
    (ADAM, NORA, "agency_admin", False),
    (ADAM, NORA, "system_admin", False),
    (ADAM, DORA, "practitioner", False),   # removing a DPO is a system administrator's act too
    (ADAM, DORA, "dpo", True),             # unchanged
    (ADAM, ADAM, "practitioner", False),   # nobody changes their own role
    (SAM, SAM, "practitioner", False),
    (SAM, NORA, "dpo", True),
    (ADAM, NEW, "practitioner", True),
    (ADAM, NEW, "dpo", False),
    (SAM, SYNC, "agency_admin", False),    # a service account is never an administrator
    (ADAM, SYNC, "coordinator", True),
])
def test_who_may_give_which_role(actor, target, role, allowed):
    assert bool(decide_role(actor, target, role)) is allowed


@pytest.mark.parametrize("actor, target, clearance, ceiling, allowed", [
    (ADAM, NORA, 2, None, True),
    (ADAM, NORA, 2, 1, False),    # above the agency's ceiling
    (SAM, NORA, 2, 1, False),     # the ceiling binds system administrators too
    (ADAM, NORA, 1, 1, True),     # unchanged
    (ADAM, NORA, 4, None, False),  # no such level
    (ADAM, ADAM, 2, None, False),  # nobody changes their own clearance
    (ADAM, ADAM, 1, None, True),
    (ADAM, NEW, 3, 2, False),
    (ADAM, NEW, 2, 2, True),
])
def test_who_may_give_which_clearance(actor, target, clearance, ceiling, allowed):
    assert bool(decide_clearance(actor, target, clearance, agency_ceiling=ceiling, levels=LEVELS)) is allowed


@pytest.mark.parametrize("actor, allowed", [(SAM, True), (ADAM, False), (DORA, False), (NORA, False)])
def test_only_a_system_administrator_sets_a_ceiling(actor, allowed):
    assert bool(decide_set_ceiling(actor)) is allowed


@pytest.mark.parametrize("actor, suspended_by, allowed", [
    (ADAM, 1, True),     # the suspending party's administrator
    (BART, 1, False),    # another party's administrator
    (SAM, 1, False),     # a system administrator of another agency does not overrule a party
    (NORA, 1, False),    # the suspending party, but no administrator
    (SAM, None, True),   # no suspending party on record: a system administrator
    (ADAM, None, False),
])
def test_who_may_resume_a_suspended_agreement(actor, suspended_by, allowed):
    assert bool(decide_resume(actor, suspended_by_agency_id=suspended_by)) is allowed
