"""Every use right three ways: the single-item decision, the query filter, and the independent
Cedar encoding. On random worlds built in the database, all three give the same answer for every
practitioner, item, purpose and use right (read, reshare, use in a decision, subject access).

Worlds: up to 6 agencies in 2 countries (some deactivated), every phase and purpose, items marked
every way (intelligence, NO-DECISION, NO-CROSS-BORDER, ORCON), derivatives inheriting or lifting
their original's markings, withholdings and subject access releases. The number of examples comes
from the Hypothesis profile (casebridge/policy/tests/conftest.py, docs/testing.md).
"""

import datetime as dt

from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from casebridge import policy
from casebridge.agencies.models import Agency, Practitioner
from casebridge.cases.models import Case, Client, Membership, MembershipPhase, Phase, TeamAssignment
from casebridge.cases.services import case_facts
from casebridge.dataprotection.models import SubjectAccessRelease, Withholding
from casebridge.items.facts import item_facts, items_with_case, sharing_facts
from casebridge.items.models import InformationItem
from casebridge.policy import USE_RIGHTS, Perm
from casebridge.policy.cedar import CedarWorld
from casebridge.sharing.models import (Agreement, AgreementPurpose, AgreementRule, AgreementVersion, Consent,
                                       ConsentCategory, Disclosure)
from casebridge.vocabulary import Purpose, Role

TODAY = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
# Small vocabularies where density matters (kinds, categories), the full ones where it does not:
# random worlds must hit the same agencies and categories often enough for sharing to happen.
KINDS = ["probation", "police", "cso"]
COUNTRIES = ["BE", "NL"]
PHASES = Phase.values
CATEGORIES = ["risk_and_needs_assessment", "programme_and_intervention", "health_and_mental_health"]
# The purposes the worlds' agreements mostly serve (the revocation property asks about these); the
# agreement property asks about the first and one more drawn from all purposes, so every purpose is
# asked over a run.
PURPOSES = ["case_management", "release_planning"]
STATUSES = ["active", "active", "suspended", "draft", "superseded", "expired"]
MAX_AGENCIES, N_PEOPLE, N_CLIENTS, N_CASES, MAX_ITEMS = 6, 4, 2, 3, 12


def mostly(value, otherwise, percent: int = 75):
    """`value` `percent`% of the time, else a draw from `otherwise`: dense worlds, where access is
    granted often enough to be tested, with every way of being refused still drawn regularly.
    The dense choice is also the simplest one, so Hypothesis shrinks towards it."""
    return st.integers(0, 99).flatmap(lambda n: st.just(value) if n < percent else otherwise)


def rarely(percent: int = 20):
    return mostly(False, st.just(True), 100 - percent)


# Agencies are drawn by index; indexes past the world's last agency wrap round (see _agency).
agency = st.integers(0, MAX_AGENCIES - 1)
client = mostly(0, st.integers(0, N_CLIENTS - 1))
level = st.integers(0, 3)
day = st.integers(min_value=-3, max_value=3).map(lambda d: TODAY + dt.timedelta(days=d))
purposes = st.sets(st.sampled_from(Purpose.values), min_size=1, max_size=2)

membership = st.fixed_dictionaries({
    "agency": agency, "starts_on": mostly(TODAY - dt.timedelta(days=10), day), "ends_on": mostly(None, day),
    "phases": mostly(frozenset(PHASES), st.frozensets(st.sampled_from(PHASES), min_size=1))})
case = st.fixed_dictionaries({
    "client": client, "phase": st.sampled_from(PHASES),
    "memberships": st.lists(membership, min_size=2, max_size=4),
    "team": st.dictionaries(st.integers(0, N_PEOPLE - 1), mostly(False, st.just(True)), min_size=3)})
rule = st.tuples(agency, agency).filter(lambda pair: pair[0] != pair[1]).flatmap(lambda pair: st.fixed_dictionaries({
    "originator": st.just(pair[0]), "recipient": st.just(pair[1]), "category": st.sampled_from(CATEGORIES),
    "max": mostly(3, level), "consent": st.booleans()}))
version = st.fixed_dictionaries({
    "status": mostly("active", st.sampled_from(STATUSES)), "valid_from": mostly(TODAY - dt.timedelta(days=30), day),
    "valid_to": mostly(None, day), "purposes": mostly(set(PURPOSES), purposes, 50),
    "rules": st.lists(rule, min_size=2, max_size=6)})
consent = st.fixed_dictionaries({
    "client": client, "agency": st.one_of(st.none(), agency),
    "kind": st.sampled_from(KINDS),
    "categories": mostly(frozenset(CATEGORIES), st.frozensets(st.sampled_from(CATEGORIES), min_size=1), 50),
    "purpose": mostly(PURPOSES[0], st.sampled_from(Purpose.values)),
    "given_on": mostly(TODAY - dt.timedelta(days=5), day), "withdrawn": rarely(25)})
item = st.fixed_dictionaries({
    "case": st.integers(0, N_CASES - 1), "originator": agency, "category": st.sampled_from(CATEGORIES),
    "classification": level, "orcon": rarely(), "retracted": rarely(15),
    "intelligence": rarely(), "no_decision": rarely(), "no_cross_border": rarely(30),
    "derived_from": mostly(None, st.integers(0, MAX_ITEMS - 1), 65),
    "lifted": mostly(frozenset(), st.frozensets(st.sampled_from(policy.INHERITED))),
    "withheld": rarely(15), "released": rarely(40)})
world = st.fixed_dictionaries({
    "agencies": st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(COUNTRIES), mostly(True, st.just(False), 85)),
                         min_size=2, max_size=MAX_AGENCIES),
    "people": st.lists(st.tuples(agency, mostly(Role.PRACTITIONER, st.sampled_from(Role.values), 40),
                                 mostly(3, level), mostly(True, st.just(False), 90)),
                       min_size=N_PEOPLE, max_size=N_PEOPLE),
    "cases": st.lists(case, min_size=N_CASES, max_size=N_CASES),
    "agreements": st.lists(st.lists(version, min_size=1, max_size=2), min_size=1, max_size=3),
    "consents": st.lists(consent, min_size=1, max_size=5),
    "items": st.lists(item, min_size=2, max_size=MAX_ITEMS),
    "disclosures": st.lists(st.tuples(st.integers(0, MAX_ITEMS - 1), agency, rarely(25), st.booleans()), max_size=5),
    "purposes": st.sets(st.sampled_from(Purpose.values), min_size=1, max_size=1),
})


def _agency(agencies: list, n: int):
    return agencies[n % len(agencies)]


def _people(spec):
    agencies = [Agency.objects.create(name=f"Agency {n}", kind=kind, country=country, active=active)
                for n, (kind, country, active) in enumerate(spec["agencies"])]
    people = [Practitioner.objects.create(username=f"p{n}", agency=_agency(agencies, a), role=role,
                                          clearance=clearance, is_active=active)
              for n, (a, role, clearance, active) in enumerate(spec["people"])]
    return agencies, people


def _cases(spec, agencies, people):
    clients = [Client.objects.create(given_name="Synthetic", family_name=f"Person {n}",
                                     date_of_birth=dt.date(1990, 1, 1)) for n in range(N_CLIENTS)]
    cases = []
    for n, c in enumerate(spec["cases"]):
        row = Case.objects.create(reference=f"T-{n}", client=clients[c["client"]], lead_agency=agencies[0],
                                  coordinator=people[0], phase=c["phase"], opened_on=TODAY)
        for m in c["memberships"]:
            member = Membership.objects.create(case=row, agency=_agency(agencies, m["agency"]),
                                               point_of_contact=people[0], starts_on=m["starts_on"],
                                               ends_on=m["ends_on"])
            MembershipPhase.objects.bulk_create(MembershipPhase(membership=member, phase=p) for p in m["phases"])
        for person, released in c["team"].items():
            TeamAssignment.objects.create(case=row, practitioner=people[person], assigned_at=NOW,
                                          assigned_by=people[0], released_at=NOW if released else None)
        cases.append(row)
    return clients, cases


def _agreements(spec, agencies, people):
    for n, versions in enumerate(spec["agreements"]):
        agreement = Agreement.objects.create(title=f"Agreement {n}", created_at=NOW, created_by=people[0])
        for number, v in enumerate(versions, start=1):
            row = AgreementVersion.objects.create(agreement=agreement, number=number, legal_basis="Protocol",
                                                  valid_from=v["valid_from"], valid_to=v["valid_to"],
                                                  status=v["status"], created_at=NOW, created_by=people[0])
            AgreementPurpose.objects.bulk_create(AgreementPurpose(version=row, purpose=p) for p in v["purposes"])
            AgreementRule.objects.bulk_create(
                AgreementRule(version=row, originator=_agency(agencies, r["originator"]),
                              recipient=_agency(agencies, r["recipient"]), category=r["category"],
                              max_classification=r["max"], consent_required=r["consent"])
                for r in v["rules"] if _agency(agencies, r["originator"]) != _agency(agencies, r["recipient"]))


def _consents(spec, agencies, people, clients):
    for c in spec["consents"]:
        row = Consent.objects.create(
            client=clients[c["client"]],
            recipient_agency=_agency(agencies, c["agency"]) if c["agency"] is not None else None,
            recipient_kind="" if c["agency"] is not None else c["kind"], purpose=c["purpose"], evidence="Form",
            given_on=c["given_on"], withdrawn_at=NOW if c["withdrawn"] else None, recorded_by=people[0],
            recorded_at=NOW)
        ConsentCategory.objects.bulk_create(ConsentCategory(consent=row, category=cat) for cat in c["categories"])


def _item(i, n, made, agencies, people, cases):
    # A derivative is a tearline of an earlier original: same case, same originator, own markings,
    # and the inherited markings it lifts.
    original = made[i["derived_from"]] if i["derived_from"] is not None and i["derived_from"] < n else None
    if original is not None and original.derived_from_id is not None:
        original = original.derived_from
    return InformationItem.objects.create(
        case=original.case if original else cases[i["case"]],
        originating_agency=original.originating_agency if original else _agency(agencies, i["originator"]),
        author=people[0], category=original.category if original else i["category"], nature="fact",
        title=f"Item {n}", body="Synthetic.", fact_date=TODAY, classification=i["classification"],
        orcon=i["orcon"], intelligence=i["intelligence"], no_decision=i["no_decision"],
        no_cross_border=i["no_cross_border"], derived_from=original, created_at=NOW, updated_at=NOW,
        retracted_at=NOW if i["retracted"] else None,
        **{f"lifted_{m}": original is not None and m in i["lifted"] for m in policy.INHERITED})


def _items(spec, agencies, people, cases):
    made = []
    for n, i in enumerate(spec["items"]):
        made.append(_item(i, n, made, agencies, people, cases))
        if i["withheld"]:
            Withholding.objects.create(item=made[-1], legal_reason="Art. 15", recorded_by=people[0], recorded_at=NOW)
        if i["released"]:
            SubjectAccessRelease.objects.create(item=made[-1], released_by=people[0], released_at=NOW)
    for target, recipient, revoked, decision_use in spec["disclosures"]:
        if target < len(made):
            Disclosure.objects.create(item=made[target], recipient=_agency(agencies, recipient),
                                      justification="Needed.", disclosed_by=people[0], disclosed_at=NOW,
                                      revoked_at=NOW if revoked else None, allow_decision_use=decision_use)


def _build(spec):
    agencies, people = _people(spec)
    clients, cases = _cases(spec, agencies, people)
    _agreements(spec, agencies, people)
    _consents(spec, agencies, people, clients)
    _items(spec, agencies, people, cases)


def asked_purposes(spec) -> list[str]:
    """Case management, which the worlds' agreements mostly serve, and one purpose drawn from all."""
    return sorted({PURPOSES[0]} | spec["purposes"])


def _three_answers(purposes):
    """For every (practitioner, item, purpose, use right): (decide_item, the query filter, Cedar).
    Subject access does not depend on the purpose; it is asked once per practitioner and item."""
    people = list(Practitioner.objects.select_related("agency"))
    items = [item_facts(i) for i in items_with_case(InformationItem.objects.all())]
    cases = {c.pk: case_facts(c) for c in Case.objects.prefetch_related("memberships__coverage", "team")}
    facts = sharing_facts()
    asks = [(p, i, purpose, perm) for perm in USE_RIGHTS for p in people for i in items
            for purpose in (purposes if perm != Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS else purposes[:1])]
    decided = [policy.decide_item(p, perm, i, cases[i.case_id], facts, purpose, TODAY).allowed
               for p, i, purpose, perm in asks]
    listed = {key: set(InformationItem.objects.filter(policy.usable_items(key[0], key[2], key[1], TODAY))
                       .values_list("pk", flat=True))
              for key in {(p, purpose, perm) for p, _, purpose, perm in asks}}
    filtered = [i.id in listed[(p, purpose, perm)] for p, i, purpose, perm in asks]
    cedar = CedarWorld(actors=people, cases=cases.values(), items=items, world=facts).decide_many(asks, TODAY)
    labels = [f"{p.username} (agency {p.agency_id}, {p.role}) {perm} item {i.id} for {purpose}"
              for p, i, purpose, perm in asks]
    return labels, decided, filtered, cedar


@given(spec=world)
def test_decide_the_filter_and_cedar_agree_on_every_use_right(db, spec):
    try:
        with transaction.atomic():
            _build(spec)
            labels, decided, filtered, cedar = _three_answers(asked_purposes(spec))
            for label, by_rule, by_filter, by_cedar in zip(labels, decided, filtered, cedar):
                assert by_rule == by_filter == by_cedar, (
                    f"{label}: decide={by_rule} filter={by_filter} cedar={by_cedar}")
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    """Undo one example's world (the test's own transaction spans all examples)."""
