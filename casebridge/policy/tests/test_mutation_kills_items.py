"""Rule conditions of the item and case policy that only mutation testing showed untested
(docs/testing.md, "Mutation testing"): the use rights beyond reading (reshare, use in a decision,
disclose) and their filters, the first and last valid day of agreements and consents, the
sub-queries of the bases, and the basis and the 403 of a case decision. Pure decisions on plain
facts first; then one fixed database world, built so that each condition of a filter changes some
answer, on which every filter must select exactly what its single-record decision allows, row by
row."""

import datetime as dt
from types import SimpleNamespace

import pytest

from casebridge import policy
from casebridge.errors import Forbidden, NotVisible
from casebridge.policy.cases import CaseFacts, MembershipFacts
from casebridge.policy.core import Perm
from casebridge.policy.items import ConsentFacts, DisclosureFacts, ItemFacts, RuleFacts, SharingFacts

TODAY = dt.date(2026, 6, 1)
RISK, PROGRAMME, HEALTH = "risk_and_needs_assessment", "programme_and_intervention", "health_and_mental_health"
CM, RP = "case_management", "release_planning"


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


# --- Pure decisions: the first and last valid day ------------------------------------------------

def _rule(**changes):
    values = {"agreement_id": 1, "version": 1, "originator_id": 2, "recipient_id": 1, "category": RISK,
              "max_classification": 3, "consent_required": False, "purposes": frozenset({CM}), "status": "active",
              "valid_from": day(-30), "valid_to": None}
    return RuleFacts(**{**values, **changes})


ITEM = ItemFacts(id=10, case_id=5, client_id=7, originating_agency_id=2, category=RISK, classification=1)


@pytest.mark.parametrize("valid_from, valid_to, applies", [
    (day(0), None, True),        # in force from its first day
    (day(1), None, False),
    (day(-30), day(0), True),    # and on its last day
    (day(-30), day(-1), False),
])
def test_an_agreement_applies_from_its_first_valid_day_to_its_last(valid_from, valid_to, applies):
    assert _rule(valid_from=valid_from, valid_to=valid_to).applies(ITEM, CM, TODAY) is applies


@pytest.mark.parametrize("given_on, covers", [(day(-1), True), (day(0), True), (day(1), False)])
def test_a_consent_covers_from_the_day_it_was_given(given_on, covers):
    consent = ConsentFacts(id=1, client_id=7, recipient_agency_id=1, recipient_kind="", categories=frozenset({RISK}),
                           purpose=CM, given_on=given_on)
    actor = SimpleNamespace(agency_id=1, agency_kind="probation")
    assert consent.covers(actor, RISK, CM, TODAY) is covers


def test_an_agreement_rule_that_does_not_apply_does_not_hide_a_later_one_that_does():
    world = SharingFacts.of(rules=[_rule(agreement_id=8, category=HEALTH), _rule(agreement_id=9)])
    actor = SimpleNamespace(agency_id=1, agency_kind="probation")
    assert policy.sharing_basis(actor, ITEM, world, CM, TODAY).startswith("agreement 9 v1")


# --- Pure decisions: reshare, use in a decision, disclose, beyond the read ------------------------

# Agency 1 reads agency 2's risk items under an agreement; agency 2's health items only by disclosure.
PETRA = SimpleNamespace(id=1, pk=1, role="practitioner", agency_id=1, agency_kind="probation", agency_country="BE",
                        agency_active=True, is_active=True, clearance=3)
CASE = CaseFacts(id=5, phase="custody", lead_agency_id=1, coordinator_id=1, team_ids=frozenset({1}),
                 memberships=(MembershipFacts(1, day(-10), None, frozenset({"custody"})),
                              MembershipFacts(2, day(-10), None, frozenset({"custody"}))))


def _item(n, originator=2, category=RISK, **marks):
    return ItemFacts(id=n, case_id=5, client_id=7, originating_agency_id=originator, category=category,
                     classification=1, originator_country="BE", **marks)


def _disclosed(n, decision_use=False, revoked=False):
    return DisclosureFacts(id=100 + n, item_id=n, recipient_id=1, disclosed_on=day(-1),
                           allow_decision_use=decision_use, revoked=revoked)


WORLD = SharingFacts.of(rules=[_rule()], disclosures=[
    _disclosed(4), _disclosed(5, decision_use=True), _disclosed(6, decision_use=True, revoked=True), _disclosed(7),
    _disclosed(8), _disclosed(12, decision_use=True)])

# (item, read, reshare, use in a decision, disclose)
USE_TABLE = [
    (_item(1), True, True, True, False),                                      # agreement, unmarked
    (_item(2, intelligence=True), True, False, False, False),                 # intelligence: neither
    (_item(3, no_decision=True), True, True, False, False),                   # NO-DECISION, no disclosure
    (_item(4, no_decision=True), True, True, False, False),                   # disclosed, decision use not allowed
    (_item(5, no_decision=True), True, True, True, False),                    # the originator lifted it
    (_item(6, no_decision=True), True, True, False, False),                   # the lifting disclosure was revoked
    (_item(7, category=HEALTH), True, False, True, False),                    # disclosure only: one-off
    (_item(8, orcon=True), True, False, True, False),                         # ORCON, disclosed
    (_item(9, category=HEALTH), False, False, False, False),                  # no basis at all
    (_item(10, originator=1, intelligence=True), True, True, False, True),    # own intelligence
    (_item(11, derived_from=2, inherited=frozenset({"intelligence"})), True, False, False, False),
    (_item(12, derived_from=2, inherited=frozenset({"intelligence"})), True, False, True, False),
    (_item(13, derived_from=2, inherited=frozenset({"intelligence"}), lifted=frozenset({"intelligence"})),
     True, True, True, False),
]


@pytest.mark.parametrize("item, read, reshare, use, disclose", USE_TABLE, ids=[str(row[0].id) for row in USE_TABLE])
def test_each_use_right_is_decided_on_its_own_flags_once_the_item_is_readable(item, read, reshare, use, disclose):
    answers = {perm: policy.decide_item(PETRA, perm, item, CASE, WORLD, CM, TODAY).allowed
               for perm in (Perm.ITEM_READ, Perm.ITEM_RESHARE, Perm.ITEM_USE_IN_DECISION, Perm.ITEM_DISCLOSE)}
    assert answers == {Perm.ITEM_READ: read, Perm.ITEM_RESHARE: reshare, Perm.ITEM_USE_IN_DECISION: use,
                       Perm.ITEM_DISCLOSE: disclose}
    assert all(type(allowed) is bool for allowed in answers.values())


def test_a_lifting_disclosure_lifts_the_restriction_whatever_other_disclosures_come_before_it():
    """Found by the random worlds: with two active disclosures of one item to one agency, the first
    without the lift, the decision looked at the first only while the filter and Cedar found the lift."""
    item = _item(14, intelligence=True, category=HEALTH)
    world = SharingFacts.of(rules=[_rule()], disclosures=[
        DisclosureFacts(id=141, item_id=14, recipient_id=1, disclosed_on=day(-2), allow_decision_use=False),
        DisclosureFacts(id=142, item_id=14, recipient_id=1, disclosed_on=day(-1), allow_decision_use=True)])
    used = policy.decide_item(PETRA, Perm.ITEM_USE_IN_DECISION, item, CASE, world, CM, TODAY)
    assert used.allowed is True and "disclosure 142" in used.reason


def test_using_an_unmarked_item_in_a_decision_names_the_basis_it_was_read_on():
    read = policy.decide_item(PETRA, Perm.ITEM_READ, _item(1), CASE, WORLD, CM, TODAY)
    used = policy.decide_item(PETRA, Perm.ITEM_USE_IN_DECISION, _item(1), CASE, WORLD, CM, TODAY)
    assert used.reason == read.reason and read.reason.startswith("agreement 1 v1")


@pytest.mark.parametrize("perm", [Perm.CASE_VIEW, Perm.ITEM_RECORD, Perm.ITEM_SEARCH])
def test_an_action_that_is_not_an_item_use_is_refused_even_on_a_readable_item(perm):
    decision = policy.decide_item(PETRA, perm, _item(1), CASE, WORLD, CM, TODAY)
    assert decision.allowed is False


def test_require_item_asks_every_use_right_for_the_declared_purpose():
    assert policy.require_item(PETRA, Perm.ITEM_RESHARE, _item(1), CASE, WORLD, CM, TODAY)
    assert policy.require_item(PETRA, Perm.ITEM_USE_IN_DECISION, _item(1), CASE, WORLD, CM, TODAY)
    with pytest.raises(Forbidden):
        policy.require_item(PETRA, Perm.ITEM_RESHARE, _item(7, category=HEALTH), CASE, WORLD, CM, TODAY)
    with pytest.raises(NotVisible):
        policy.require_item(PETRA, Perm.ITEM_RESHARE, _item(1), CASE, WORLD, RP, TODAY)


# --- One database world: every filter against its decision --------------------------------------

def _member(agency, starts=-10, ends=None, phases=None):
    from casebridge.cases.models import Phase

    return {"agency": agency, "starts_on": day(starts), "ends_on": None if ends is None else day(ends),
            "phases": frozenset(phases or Phase.values)}


def _version(rules, status="active", valid_from=-30, valid_to=None, purposes=(CM,)):
    return {"status": status, "valid_from": day(valid_from), "valid_to": None if valid_to is None else day(valid_to),
            "purposes": set(purposes),
            "rules": [{"originator": o, "recipient": r, "category": c, "max": m, "consent": k} for o, r, c, m, k in rules]}


def _consent(client, agency, categories, given=-5, purpose=CM, kind="cso", withdrawn=False):
    return {"client": client, "agency": agency, "kind": kind, "categories": frozenset(categories), "purpose": purpose,
            "given_on": day(given), "withdrawn": withdrawn}


def _record(case=0, originator=1, category=RISK, classification=1, derived_from=None, lifted=(), **marks):
    flags = {m: marks.get(m, False) for m in ("orcon", "retracted", "intelligence", "no_decision", "no_cross_border",
                                              "withheld", "released")}
    return {"case": case, "originator": originator, "category": category, "classification": classification,
            "derived_from": derived_from, "lifted": frozenset(lifted), **flags}


ALL = list(range(6))
# Agencies: 0 probation, 1 police, 2 and 5 exit programmes (cso), 3 a probation service abroad,
# 4 a deactivated police force. People: one practitioner of each agency, a DPO and a practitioner
# of clearance 0 at the police, an inactive account at probation.
SPEC = {
    "agencies": [("probation", "BE", True), ("police", "BE", True), ("cso", "BE", True), ("probation", "NL", True),
                 ("police", "BE", False), ("cso", "BE", True)],
    "people": [(0, "practitioner", 3, True), (1, "practitioner", 3, True), (2, "practitioner", 3, True),
               (3, "practitioner", 3, True), (5, "practitioner", 3, True), (1, "dpo", 3, True),
               (1, "practitioner", 0, True), (0, "practitioner", 3, False), (4, "practitioner", 3, True)],
    "cases": [
        {"client": 0, "phase": "custody", "memberships": [_member(a) for a in ALL],
         "team": {p: False for p in range(9)}},
        {"client": 1, "phase": "custody", "memberships": [_member(a) for a in ALL],
         "team": {p: False for p in range(9)}},
        # Agency 1's membership ends today and an earlier one has ended, agency 2's starts today,
        # agency 3's tomorrow, agency 5 covers another phase only; person 6 was released.
        {"client": 0, "phase": "custody",
         "memberships": [_member(0), _member(1, ends=0), _member(1, starts=-20, ends=-1), _member(2, starts=0),
                         _member(3, starts=1), _member(5, phases=["release_preparation"]), _member(4)],
         "team": {0: False, 1: False, 2: False, 3: False, 4: False, 5: False, 6: True, 8: False}},
    ],
    "agreements": [
        [_version([(1, 0, RISK, 3, False), (1, 0, PROGRAMME, 1, False), (0, 2, PROGRAMME, 3, True),
                   (0, 5, PROGRAMME, 3, True), (0, 2, RISK, 3, True), (0, 5, RISK, 3, True), (0, 3, RISK, 3, False),
                   (2, 1, HEALTH, 3, False)], valid_from=0)],
        # Police health to probation: superseded, last in force yesterday, first in force tomorrow.
        [_version([(1, 0, HEALTH, 3, False)], status="superseded", purposes=(CM, RP)),
         _version([(1, 0, PROGRAMME, 3, False)], valid_to=0, purposes=(RP,))],
        [_version([(1, 0, HEALTH, 3, False)], valid_from=1)],
        [_version([(1, 0, HEALTH, 3, False)], valid_to=-1, purposes=(CM, RP))],
    ],
    "consents": [
        _consent(0, 2, [PROGRAMME], given=0), _consent(1, 2, [PROGRAMME], given=1), _consent(0, 5, [HEALTH]),
        _consent(0, None, [RISK]), _consent(1, None, [RISK], withdrawn=True),
        _consent(1, 5, [PROGRAMME], purpose=RP),
    ],
    "items": [
        _record(released=True),                                  # 0
        _record(intelligence=True),                              # 1
        _record(no_decision=True),                               # 2
        _record(category=HEALTH, withheld=True),                 # 3 disclosed to probation
        _record(category=HEALTH),                                # 4 disclosed to probation, revoked
        _record(category=HEALTH),                                # 5 no basis for probation
        _record(derived_from=1),                                 # 6 inherits intelligence
        _record(derived_from=1, lifted=["intelligence"]),        # 7
        _record(derived_from=2),                                 # 8 inherits NO-DECISION, lifted by disclosure
        _record(originator=0, no_cross_border=True),             # 9
        _record(originator=0),                                   # 10
        _record(orcon=True),                                     # 11
        _record(orcon=True),                                     # 12 disclosed to probation
        _record(retracted=True),                                 # 13
        _record(category=PROGRAMME, classification=2),           # 14
        _record(category=PROGRAMME),                             # 15
        _record(originator=0, category=PROGRAMME, classification=0),            # 16
        _record(case=1, originator=0, category=PROGRAMME, classification=0),    # 17
        _record(originator=0, category=HEALTH),                  # 18
        _record(no_decision=True),                               # 19 lifted for probation
        _record(no_decision=True),                               # 20 lifted for the agency abroad only
        _record(no_decision=True),                               # 21 disclosed without decision use
        _record(no_decision=True),                               # 22 the lifting disclosure was revoked
        _record(case=1, originator=0),                           # 23
        _record(case=2, intelligence=True),                      # 24
        _record(case=2, originator=0, category=PROGRAMME, classification=0),    # 25
        _record(case=2, originator=1, released=True),            # 26
    ],
    "disclosures": [(3, 0, False, False), (4, 0, True, True), (8, 0, False, True), (12, 0, False, False),
                    (19, 0, False, True), (20, 3, False, True), (21, 0, False, False), (22, 0, True, True),
                    (14, 2, False, False)],
}


@pytest.fixture
def world(db):
    from casebridge.agencies.models import Practitioner
    from casebridge.cases.models import Case
    from casebridge.cases.services import case_facts
    from casebridge.items.facts import item_facts, items_with_case, sharing_facts
    from casebridge.items.models import InformationItem
    from casebridge.policy.tests import test_three_encodings_agree as encodings

    encodings._build(SPEC)
    by_title = {i.title: i for i in items_with_case(InformationItem.objects.all())}
    return SimpleNamespace(
        people=list(Practitioner.objects.select_related("agency").order_by("username")),
        items={int(title.split()[1]): item_facts(i) for title, i in by_title.items()},
        cases={c.pk: case_facts(c) for c in Case.objects.prefetch_related("memberships__coverage", "team")},
        facts=sharing_facts(), case_rows=list(Case.objects.order_by("reference")))


def _listed(query):
    from casebridge.items.models import InformationItem

    return set(InformationItem.objects.filter(query).values_list("pk", flat=True))


def test_every_item_filter_selects_exactly_what_its_decision_allows_on_a_world_built_to_tell_each_condition_apart(
        world):
    wrong, allowed = [], {}
    for person in world.people:
        for perm in Perm:
            for purpose in (CM, RP):
                listed = _listed(policy.usable_items(person, perm, purpose, TODAY))
                for n, item in world.items.items():
                    decision = policy.decide_item(person, perm, item, world.cases[item.case_id], world.facts, purpose,
                                                  TODAY)
                    assert type(decision.allowed) is bool
                    if decision.allowed:
                        allowed.setdefault((perm, purpose), set()).add((person.username, n))
                    if decision.allowed != (item.id in listed):
                        wrong.append(f"{person.username} {perm} item {n} for {purpose}: decide={decision.allowed}")
    assert wrong == []
    for perm in (*policy.USE_RIGHTS, Perm.ITEM_DISCLOSE):
        assert allowed[(perm, CM)] and len(allowed[(perm, CM)]) < len(world.people) * len(world.items)
    assert {perm for perm, _ in allowed} == {*policy.USE_RIGHTS, Perm.ITEM_DISCLOSE}


# What probation's practitioner (p0) may do with each item, for case management.
P0_EXPECTED = {
    Perm.ITEM_READ: {0, 1, 2, 3, 6, 7, 8, 9, 10, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26},
    Perm.ITEM_RESHARE: {0, 2, 7, 8, 9, 10, 15, 16, 17, 18, 19, 20, 21, 22, 23, 25, 26},
    Perm.ITEM_USE_IN_DECISION: {0, 3, 7, 8, 9, 10, 12, 15, 16, 17, 18, 19, 23, 25, 26},
    Perm.ITEM_DISCLOSE: {9, 10, 16, 17, 18, 23, 25},
}


def test_probation_reads_reshares_and_uses_exactly_the_items_the_world_was_built_to_give_it(world):
    p0 = world.people[0]
    for perm, expected in P0_EXPECTED.items():
        ids = {item.id: n for n, item in world.items.items()}
        assert {ids[pk] for pk in _listed(policy.usable_items(p0, perm, CM, TODAY))} == expected, perm


def test_require_item_answers_404_403_or_the_decision_exactly_as_the_decisions_do(world):
    for person in world.people:
        for perm in (Perm.ITEM_RESHARE, Perm.ITEM_USE_IN_DECISION, Perm.ITEM_DISCLOSE):
            for n, item in world.items.items():
                ask = (person, perm, item, world.cases[item.case_id], world.facts, CM, TODAY)
                read = policy.decide_item(person, Perm.ITEM_READ, *ask[2:])
                decided = policy.decide_item(*ask)
                try:
                    outcome = policy.require_item(*ask).allowed
                except NotVisible:
                    outcome = "404"
                except Forbidden:
                    outcome = "403"
                expected = "404" if not read else (True if decided else "403")
                assert outcome == expected, f"{person.username} {perm} item {n}"


def test_the_case_filter_selects_exactly_the_cases_the_decision_shows_on_the_same_world(world):
    from casebridge.cases.models import Case

    shown = 0
    for person in world.people:
        listed = set(Case.objects.filter(policy.visible_cases(person, TODAY)).values_list("pk", flat=True))
        for case in world.case_rows:
            decided = policy.decide_case(person, Perm.CASE_VIEW, world.cases[case.pk], TODAY).allowed
            assert decided == (case.pk in listed), f"{person.username} case {case.reference}"
            shown += decided
    assert 0 < shown < len(world.people) * len(world.case_rows)


# --- Cases: the basis names the actor's own membership; require_case checks the action -----------

def _membership(agency, core, starts=-10, ends=None, phases=("custody",)):
    return MembershipFacts(agency, day(starts), None if ends is None else day(ends), frozenset(phases), core=core)


@pytest.mark.parametrize("memberships, kind", [
    # Another agency's core membership comes first, then the actor's agency's ended core one.
    ((_membership(2, True), _membership(1, True, starts=-20, ends=-1), _membership(1, False)), "on-request"),
    ((_membership(2, False), _membership(1, False, phases=("trial",)), _membership(1, True)), "core"),
])
def test_the_case_basis_names_the_kind_of_the_actor_s_own_membership_in_force(memberships, kind):
    case = CaseFacts(id=5, phase="custody", lead_agency_id=2, coordinator_id=9, team_ids=frozenset({1}),
                     memberships=memberships)
    decision = policy.decide_case(PETRA, Perm.CASE_VIEW, case, TODAY)
    assert decision.allowed is True
    assert decision.reason == f"on the case team; agency is an active {kind} member covering phase custody"


def test_require_case_refuses_with_a_403_an_action_the_team_member_may_not_do():
    case = CaseFacts(id=5, phase="custody", lead_agency_id=2, coordinator_id=9, team_ids=frozenset({1}),
                     memberships=(_membership(1, False),))
    assert policy.require_case(PETRA, Perm.CASE_VIEW, case, TODAY)
    with pytest.raises(Forbidden):
        policy.require_case(PETRA, Perm.CASE_MANAGE, case, TODAY)
    managed = CaseFacts(id=5, phase="custody", lead_agency_id=2, coordinator_id=1, team_ids=frozenset({1}),
                        memberships=(_membership(1, False),))
    assert policy.require_case(PETRA, Perm.CASE_MANAGE, managed, TODAY)


def test_an_actor_whose_agency_status_is_unknown_sees_no_case():
    # Fail closed: only an agency known to be active gives its people access.
    unknown = SimpleNamespace(**{k: v for k, v in vars(PETRA).items() if k != "agency_active"})
    case = CaseFacts(id=5, phase="custody", lead_agency_id=2, coordinator_id=9, team_ids=frozenset({1}),
                     memberships=(_membership(1, False),))
    assert policy.decide_case(PETRA, Perm.CASE_VIEW, case, TODAY).allowed is True
    assert policy.decide_case(unknown, Perm.CASE_VIEW, case, TODAY).allowed is False
