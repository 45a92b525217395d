"""The consent rules of casebridge.policy.consents as a table, on plain facts (no database).

The case is led by agency 1 (probation) and coordinated by person 10 of agency 1; the team is
persons 10, 11 (agency 1), 20 (agency 2, prison), 30 (agency 3, cso) and 40 (agency 4, police).
"""

from types import SimpleNamespace

import pytest

from casebridge.errors import Forbidden
from casebridge.policy import CaseFacts
from casebridge.policy.consents import ConsentAction, ConsentRecordFacts, decide_consent, require_consent

KINDS = {1: "probation", 2: "prison", 3: "cso", 4: "police", 5: "housing"}
CASE = CaseFacts(id=1, phase="custody", lead_agency_id=1, coordinator_id=10, team_ids=frozenset({10, 11, 20, 30, 40}))


def person(pk, agency, role="practitioner"):
    return SimpleNamespace(id=pk, agency_id=agency, agency_kind=KINDS[agency], role=role, is_active=True)


def consent(agency=None, kind="", sharing=(), recorder=None):
    return ConsentRecordFacts(recipient_agency_id=agency, recipient_kind=kind, lead_agency_kind="probation",
                              sharing_agency_ids=frozenset(sharing), recorder_agency_id=recorder)


@pytest.mark.parametrize("actor, facts, allowed", [
    (person(10, 1, "coordinator"), consent(agency=3), True),
    (person(11, 1), consent(kind="cso"), True),
    (person(20, 2), consent(agency=3), False),                     # not the lead side
    (person(30, 3), consent(agency=3), False),                     # the recipient itself
    (person(30, 3), consent(kind="cso"), False),                   # of the recipient kind
    (person(10, 1, "coordinator"), consent(agency=1), False),      # the lead never records its own consent
    (person(11, 1), consent(kind="probation"), False),
    (person(20, 2), consent(agency=1, sharing={2}), True),         # … the agency sharing with it under consent does
    (person(20, 2), consent(kind="probation", sharing={2}), True),
    (person(40, 4), consent(agency=1, sharing={2}), False),
    (person(20, 2), consent(agency=3, sharing={2}), False),        # the exception is for the lead's own consents
    (person(50, 5), consent(agency=3), False),                     # not on the team
    (SimpleNamespace(**{**vars(person(10, 1, "coordinator")), "is_active": False}), consent(agency=3), False),
])
def test_who_records_a_consent(actor, facts, allowed):
    assert bool(decide_consent(actor, ConsentAction.GIVE, facts, CASE)) is allowed


def test_a_coordinator_of_another_agency_records_even_the_lead_agency_s_consent():
    case = CaseFacts(id=1, phase="custody", lead_agency_id=1, coordinator_id=20, team_ids=frozenset({20}))
    assert decide_consent(person(20, 2, "coordinator"), ConsentAction.GIVE, consent(agency=1), case)
    assert not decide_consent(person(20, 2, "coordinator"), ConsentAction.GIVE, consent(kind="prison"), case)


@pytest.mark.parametrize("actor, sharing, offered", [
    (person(10, 1, "coordinator"), (), True), (person(11, 1), (), True), (person(20, 2), (), False),
    (person(20, 2), {2}, True), (person(30, 3), {2}, False), (person(50, 5), {5}, False),
])
def test_who_is_offered_the_form(actor, sharing, offered):
    assert bool(decide_consent(actor, ConsentAction.OFFER, consent(sharing=sharing), CASE)) is offered


@pytest.mark.parametrize("actor, allowed", [
    (person(10, 1, "coordinator"), True), (person(20, 2), True), (person(30, 3), True), (person(40, 4), True),
    (person(50, 5), False), (person(11, 1, "nobody"), False),
])
def test_any_team_member_withdraws(actor, allowed):
    assert bool(decide_consent(actor, ConsentAction.WITHDRAW, None, CASE)) is allowed


@pytest.mark.parametrize("actor, facts, sees", [
    (person(10, 1, "coordinator"), consent(agency=3, recorder=1), True),
    (person(11, 1), consent(agency=3, recorder=1), True),
    (person(30, 3), consent(agency=3, recorder=1), True),      # the recipient
    (person(30, 3), consent(kind="cso", recorder=1), True),
    (person(20, 2), consent(agency=3, recorder=1), False),
    (person(40, 4), consent(kind="cso", recorder=1), False),
    (person(20, 2), consent(agency=1, recorder=2), True),      # the agency that recorded it
    (person(50, 5), consent(agency=5, recorder=1), False),     # recipient, but not on the team
])
def test_who_reads_the_evidence(actor, facts, sees):
    assert bool(decide_consent(actor, ConsentAction.SEE_EVIDENCE, facts, CASE)) is sees


def test_a_refusal_is_a_403_with_a_stable_code_and_the_reason():
    with pytest.raises(Forbidden, match="receives information under this consent") as refused:
        require_consent(person(30, 3), ConsentAction.GIVE, consent(agency=3), CASE)
    assert refused.value.code == "consent_not_allowed"
    assert require_consent(person(11, 1), ConsentAction.GIVE, consent(agency=3), CASE).reason == \
        "recorded by a practitioner of the lead agency"


def test_an_action_that_needs_a_consent_refuses_without_one():
    assert not decide_consent(person(10, 1, "coordinator"), ConsentAction.GIVE, None, CASE)
    assert not decide_consent(person(10, 1, "coordinator"), ConsentAction.SEE_EVIDENCE, None, CASE)
