"""The Cedar encoding of the reading rule, scenario by scenario, and on the personas' exchange."""

import datetime as dt
from dataclasses import replace
from types import SimpleNamespace

import pytest

from casebridge import policy
from casebridge.cases.services import case_facts
from casebridge.items.facts import item_facts, items_with_case, sharing_facts
from casebridge.items.models import InformationItem
from casebridge.policy import Perm
from casebridge.policy.cedar import CedarWorld, may_read, policy_set
from casebridge.policy.tests import scenario_rows
from casebridge.vocabulary import Purpose

TODAY = dt.date(2026, 6, 1)
PROBATION, POLICE, CSO = 10, 20, 30
RISK = "risk_and_needs_assessment"


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def petra(**changes) -> SimpleNamespace:
    """Petra, a probation coordinator cleared to RESTRICTED, or a variant of her."""
    return SimpleNamespace(**{"id": 1, "agency_id": PROBATION, "agency_kind": "probation", "agency_active": True,
                              "agency_country": "BE", "role": "coordinator",
                              "clearance": 1, "is_active": True, **changes})


PETRA = petra()
CASE = policy.CaseFacts(id=5, phase="custody", lead_agency_id=PROBATION, coordinator_id=1, team_ids=frozenset({1}),
                        memberships=(policy.MembershipFacts(PROBATION, days(-90), None, frozenset({"custody"})),
                                     policy.MembershipFacts(POLICE, days(-90), None, frozenset({"custody"}))))
POLICE_RISK = policy.ItemFacts(id=7, case_id=5, client_id=3, originating_agency_id=POLICE, category=RISK,
                               classification=1)
RULE = policy.RuleFacts(agreement_id=1, version=1, originator_id=POLICE, recipient_id=PROBATION, category=RISK,
                        max_classification=1, consent_required=False, purposes=frozenset({"case_management"}),
                        status="active", valid_from=days(-30))
CONSENT = policy.ConsentFacts(id=4, client_id=3, recipient_agency_id=PROBATION, recipient_kind="",
                              categories=frozenset({RISK}), purpose="case_management", given_on=days(-10))
DISCLOSURE = policy.DisclosureFacts(id=8, item_id=7, recipient_id=PROBATION, disclosed_on=days(-2))


def world(rules=(RULE,), consents=(), disclosures=()):
    return policy.SharingFacts.of(rules, consents, disclosures)


# (scenario, actor, item, case, world, purpose, may read)
SCENARIOS = [
    ("an agreement rule in force shares the item", PETRA, POLICE_RISK, CASE, world(), "case_management", True),
    ("the originator reads its own item without any agreement", petra(agency_id=POLICE, agency_kind="police"),
     POLICE_RISK, CASE, world(rules=()), "case_management", True),
    ("a suspended agreement shares nothing", PETRA, POLICE_RISK, CASE, world([replace(RULE, status="suspended")]),
     "case_management", False),
    ("an agreement applies through its last day", PETRA, POLICE_RISK, CASE, world([replace(RULE, valid_to=TODAY)]),
     "case_management", True),
    ("an agreement ended yesterday shares nothing", PETRA, POLICE_RISK, CASE, world([replace(RULE, valid_to=days(-1))]),
     "case_management", False),
    ("an agreement starting tomorrow shares nothing", PETRA, POLICE_RISK, CASE,
     world([replace(RULE, valid_from=days(1))]), "case_management", False),
    ("a purpose the agreement does not serve", PETRA, POLICE_RISK, CASE, world(), "supervision", False),
    ("a category the rule does not cover", PETRA, replace(POLICE_RISK, category="health_and_mental_health"), CASE,
     world(), "case_management", False),
    ("an item above the rule's level", petra(clearance=3), replace(POLICE_RISK, classification=2), CASE, world(),
     "case_management", False),
    ("a rule for the other direction", PETRA, POLICE_RISK, CASE,
     world([replace(RULE, originator_id=PROBATION, recipient_id=POLICE)]), "case_management", False),
    ("ORCON never moves by agreement", PETRA, replace(POLICE_RISK, orcon=True), CASE, world(), "case_management",
     False),
    ("ORCON moves by the originator's disclosure", PETRA, replace(POLICE_RISK, orcon=True), CASE,
     world(disclosures=[DISCLOSURE]), "case_management", True),
    ("a revoked disclosure shows nothing", PETRA, replace(POLICE_RISK, orcon=True), CASE,
     world(disclosures=[replace(DISCLOSURE, revoked=True)]), "case_management", False),
    ("a disclosure to another agency shows nothing", PETRA, replace(POLICE_RISK, orcon=True), CASE,
     world(disclosures=[replace(DISCLOSURE, recipient_id=CSO)]), "case_management", False),
    ("consent required but not given", PETRA, POLICE_RISK, CASE, world([replace(RULE, consent_required=True)]),
     "case_management", False),
    ("consent given to the agency", PETRA, POLICE_RISK, CASE,
     world([replace(RULE, consent_required=True)], [CONSENT]), "case_management", True),
    ("consent given to the agency's kind", PETRA, POLICE_RISK, CASE,
     world([replace(RULE, consent_required=True)], [replace(CONSENT, recipient_agency_id=None,
                                                            recipient_kind="probation")]), "case_management", True),
    ("consent given to another kind", PETRA, POLICE_RISK, CASE,
     world([replace(RULE, consent_required=True)], [replace(CONSENT, recipient_agency_id=None,
                                                            recipient_kind="cso")]), "case_management", False),
    ("withdrawn consent", PETRA, POLICE_RISK, CASE,
     world([replace(RULE, consent_required=True)], [replace(CONSENT, withdrawn=True)]), "case_management", False),
    ("consent for another purpose", PETRA, POLICE_RISK, CASE,
     world([replace(RULE, consent_required=True)], [replace(CONSENT, purpose="supervision")]), "case_management",
     False),
    ("consent of another client", PETRA, POLICE_RISK, CASE,
     world([replace(RULE, consent_required=True)], [replace(CONSENT, client_id=99)]), "case_management", False),
    ("not on the case team", PETRA, POLICE_RISK, replace(CASE, team_ids=frozenset({2})), world(), "case_management",
     False),
    ("the membership ended today", PETRA, POLICE_RISK,
     replace(CASE, memberships=(policy.MembershipFacts(PROBATION, days(-90), TODAY, frozenset({"custody"})),)),
     world(), "case_management", False),
    ("the membership does not cover the current phase", PETRA, POLICE_RISK, replace(CASE, phase="aftercare"),
     world(), "case_management", False),
    ("classified above the reader's clearance", petra(clearance=0), POLICE_RISK, CASE,
     world(), "case_management", False),
    ("a retracted item is gone for recipients", PETRA, replace(POLICE_RISK, retracted=True), CASE, world(),
     "case_management", False),
    ("a retracted item stays with its originator", petra(agency_id=POLICE),
     replace(POLICE_RISK, retracted=True), CASE, world(), "case_management", True),
    ("an inactive account reads nothing", petra(is_active=False), POLICE_RISK, CASE,
     world(), "case_management", False),
    ("a deactivated agency reads nothing", petra(agency_active=False), POLICE_RISK, CASE,
     world(), "case_management", False),
    ("NO-CROSS-BORDER is read at home", PETRA, replace(POLICE_RISK, no_cross_border=True, originator_country="BE"),
     CASE, world(), "case_management", True),
    ("NO-CROSS-BORDER is never read abroad, even disclosed", petra(agency_country="NL"),
     replace(POLICE_RISK, orcon=True, no_cross_border=True, originator_country="BE"), CASE,
     world(disclosures=[DISCLOSURE]), "case_management", False),
    ("a derivative inherits NO-CROSS-BORDER", petra(agency_country="NL"),
     replace(POLICE_RISK, derived_from=70, inherited=frozenset({"no_cross_border"}), originator_country="BE"), CASE,
     world(), "case_management", False),
    ("a lifted NO-CROSS-BORDER lets the derivative travel", petra(agency_country="NL"),
     replace(POLICE_RISK, derived_from=70, inherited=frozenset({"no_cross_border"}),
             lifted=frozenset({"no_cross_border"}), originator_country="BE"), CASE, world(), "case_management", True),
]


@pytest.mark.parametrize(("actor", "item", "case", "facts", "purpose", "expected"), [s[1:] for s in SCENARIOS],
                         ids=[s[0] for s in SCENARIOS])
def test_cedar_the_python_rule_and_the_filter_give_the_answer_the_design_asks_for(db, actor, item, case, facts,
                                                                                  purpose, expected):
    assert may_read(actor, item, case, facts, purpose, TODAY) is expected
    assert policy.decide_item(actor, Perm.ITEM_READ, item, case, facts, purpose, TODAY).allowed is expected
    row = scenario_rows.build(actor, item, case, facts)
    listed = InformationItem.objects.filter(policy.visible_items(actor, purpose, TODAY))
    assert listed.filter(pk=row.pk).exists() is expected


def _ask(cedar: CedarWorld, request: dict):
    import cedarpy

    return cedarpy.is_authorized(request, policy_set(), cedar.entities)


def test_orcon_is_refused_by_the_explicit_forbid_even_where_the_permit_holds():
    item = replace(POLICE_RISK, orcon=True)
    cedar = CedarWorld(actors=[PETRA], cases=[CASE], items=[item], world=world())
    requests = cedar.requests(PETRA, item, "case_management", TODAY)
    results = [_ask(cedar, r) for r in requests if r["context"]["basis"] == "agreement"]
    assert results and not any(r.allowed for r in results)
    assert "orcon-never-moves-by-agreement" in {
        result.diagnostics.id_annotations_by_reason.get(reason) for result in results
        for reason in result.diagnostics.reasons}


def test_a_witness_from_another_case_proves_nothing():
    other = replace(CASE, id=6, team_ids=frozenset(), memberships=(
        policy.MembershipFacts(PROBATION, days(-90), None, frozenset({"custody"})),))
    stranded = replace(CASE, memberships=(policy.MembershipFacts(POLICE, days(-90), None, frozenset({"custody"})),))
    cedar = CedarWorld(actors=[PETRA], cases=[stranded, other], items=[POLICE_RISK], world=world())
    assert cedar.requests(PETRA, POLICE_RISK, "case_management", TODAY) == []  # no membership of her agency
    rule = {"__entity": {"type": "Casebridge::Rule", "id": next(iter(cedar.rule_keys.values()))}}
    borrowed = {"principal": {"type": "Casebridge::Practitioner", "id": "1"},
                "action": {"type": "Casebridge::Action", "id": "read"},
                "resource": {"type": "Casebridge::Item", "id": str(POLICE_RISK.id)},
                "context": {"today": TODAY.toordinal(), "purpose": "case_management", "basis": "agreement",
                            "rule": rule,
                            "membership": {"__entity": {"type": "Casebridge::Membership", "id": "6/0"}}}}
    assert not _ask(cedar, borrowed).allowed
    at_home = replace(CASE, memberships=(policy.MembershipFacts(PROBATION, days(-90), None, frozenset({"custody"})),))
    control = CedarWorld(actors=[PETRA], cases=[at_home], items=[POLICE_RISK], world=world())
    assert _ask(control, {**borrowed, "context": {**borrowed["context"], "membership": {
        "__entity": {"type": "Casebridge::Membership", "id": "5/0"}}}}).allowed


def test_a_basis_claimed_for_another_item_proves_nothing():
    other = replace(POLICE_RISK, id=70, orcon=True)
    facts = world(rules=(), disclosures=[replace(DISCLOSURE, item_id=other.id)])
    cedar = CedarWorld(actors=[PETRA], cases=[CASE], items=[POLICE_RISK, other], world=facts)
    claim = {"basis": "disclosure", "disclosure": {"__entity": {"type": "Casebridge::Disclosure", "id": "8"}}}
    request = {**cedar.requests(PETRA, POLICE_RISK, "case_management", TODAY)[0]}
    request["context"] = {**request["context"], **claim}
    assert not _ask(cedar, request).allowed
    assert cedar.decide_many([(PETRA, other, "case_management")], TODAY) == [True]


def test_the_three_encodings_agree_on_every_persona_item_and_purpose_of_the_exchange(exchange, cast):
    items = [item_facts(i) for i in items_with_case(InformationItem.objects.all())]
    cases = {i.case_id: case_facts(i.case) for i in InformationItem.objects.select_related("case")}
    facts = sharing_facts()
    people = list(cast.values())
    cedar = CedarWorld(actors=people, cases=cases.values(), items=items, world=facts)
    asks = [(p, i, purpose) for p in people for i in items for purpose in Purpose.values]
    python = [policy.decide_item(p, Perm.ITEM_READ, i, cases[i.case_id], facts, purpose, TODAY).allowed
              for p, i, purpose in asks]
    listed = {(p.pk, purpose): set(InformationItem.objects.filter(policy.visible_items(p, purpose, TODAY))
                                   .values_list("pk", flat=True)) for p in people for purpose in Purpose.values}
    assert cedar.decide_many(asks, TODAY) == python
    assert [i.id in listed[(p.pk, purpose)] for p, i, purpose in asks] == python
    # The exchange grants by origin, by agreement, and by agreement with consent (Clara, Petra's programme item).
    programme = next(i for i in items if i.id == exchange["programme"].pk)
    assert sum(python) >= 10 and cedar.decide_many([(cast["clara"], programme, "case_management")], TODAY) == [True]
