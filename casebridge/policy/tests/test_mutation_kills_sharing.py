"""Rule conditions of the listing, subject access and consent rules that only mutation testing showed
untested (docs/testing.md, "Mutation testing"). Every filter is checked against its single-record
decision, row by row, on a world built so that each condition changes some answer."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction

from casebridge import policy
from casebridge.policy import CaseFacts
from casebridge.policy.cases import MembershipFacts
from casebridge.policy.consents import ConsentAction, ConsentRecordFacts, decide_consent, evidence_visible
from casebridge.policy.items import ConsentFacts
from casebridge.vocabulary import Purpose, Role

# --- Listing: the member agencies of one case, as the case page's choices offer them ------------------


def test_the_agencies_listed_on_each_case_are_exactly_those_whose_membership_the_decision_lists(db):
    from casebridge.agencies.models import Agency, Practitioner
    from casebridge.cases.models import Case
    from casebridge.cases.services import case_facts
    from casebridge.policy.tests.test_listing_property import TODAY, _build
    from casebridge.policy.tests.test_mutation_kills import _listing_world

    # Three cases: agency 3 discreet on two of them and not on the third; agency 2 on two of them only.
    _build(_listing_world())
    cases = [case_facts(c) for c in Case.objects.select_related("coordinator")
             .prefetch_related("memberships__coverage", "team").order_by("pk")]
    seen = 0
    for person in Practitioner.objects.order_by("pk"):
        for case in cases:
            listed = set(Agency.objects.filter(policy.listed_agencies(person, case.id, TODAY))
                         .values_list("pk", flat=True))
            decided = {m.agency_id for m in case.memberships
                       if policy.decide_agency_listing(person, m.agency_id, case, TODAY)}
            assert listed == decided, f"{person.username} on case {case.id}"
            seen += bool(decided)
    assert seen >= 6  # most people see some case, not everyone sees every case


# --- Subject access: two cases of one client, the DPO's agency a member of only one -------------------

@pytest.fixture
def second_case(exchange, case, cast, agencies):
    """A second case of the same client, led by the prison; probation (Dora's agency) was never on it.
    The prison records behaviour there that the agreement lets probation read."""
    from casebridge.cases import services as cases
    from casebridge.cases.models import Case
    from casebridge.conftest import PURPOSE, _person
    from casebridge.items import services as items

    ines = _person("ines", agencies["prison"], "coordinator", 1, "Ines", "Ito")
    with transaction.atomic():
        other = cases.open_case(actor=ines, purpose=PURPOSE, phase="custody", phase_date=dt.date(2025, 3, 1),
                                client={"given_name": "Test", "family_name": "Client-One",
                                        "date_of_birth": dt.date(1996, 5, 17)},
                                confirm_possible_duplicate=True)  # warned of the first case: a second is meant
    Case.objects.filter(pk=other.pk).update(client=case.client)
    data = {"category": "custody_behaviour_and_security", "nature": "fact", "title": "Quiet in the second custody",
            "body": "Quiet in the second custody: details.", "fact_date": dt.date(2025, 6, 1), "classification": 1}
    with transaction.atomic():
        items.record_item(actor=ines, case_id=other.pk, data=data, purpose=PURPOSE)
    return other


def _subject_access_answers(actor):
    """For each of the three subject access filters: (titles it selects, titles its decision allows)."""
    from casebridge.cases import services as cases
    from casebridge.items.facts import item_facts, sharing_facts
    from casebridge.items.models import InformationItem
    from casebridge.items.services import items_with_case

    today = cases.today()
    rows = list(items_with_case(InformationItem.objects.all()))
    facts = {row.case_id: cases.case_facts(cases.load_case(row.case_id)) for row in rows}
    world = sharing_facts(recipient_ids=[actor.agency_id])
    pairs = {"included": (policy.subject_access_items, policy.decide_subject_access),
             "awaiting": (policy.awaiting_release_items, policy.awaiting_release),
             "processed": (policy.processed_items, policy.processed)}
    found = {}
    for name, (query, decide) in pairs.items():
        listed = set(InformationItem.objects.filter(query(actor, today)).values_list("title", flat=True))
        decided = {row.title for row in rows if decide(actor, item_facts(row), facts[row.case_id], world, today)}
        found[name] = (listed, decided)
    return found


def test_the_subject_access_filters_agree_with_their_decisions_across_two_cases_of_one_client(
        exchange, second_case, cast, agencies):
    from casebridge.conftest import PURPOSE, _person
    from casebridge.dataprotection.models import SubjectAccessRelease
    from casebridge.items import services as items
    from casebridge.items.models import InformationItem

    pia = _person("pia", agencies["prison"], "dpo", 1, "Pia", "Prison")
    data = {"category": "custody_behaviour_and_security", "nature": "fact", "title": "Transfer abroad refused",
            "body": "Transfer abroad refused: details.", "fact_date": dt.date(2025, 6, 1), "classification": 1,
            "no_cross_border": True}  # NO-CROSS-BORDER, and every Westmark agency is in the prison's country
    with transaction.atomic():
        items.record_item(actor=cast["ivo"], case_id=exchange["behaviour"].case_id, data=data, purpose=PURPOSE)
    people = {"dora": cast["dora"], "pia": pia, "nora": cast["nora"]}

    def check():
        answers = {who: _subject_access_answers(actor) for who, actor in people.items()}
        for who, found in answers.items():
            for name, (listed, decided) in found.items():
                assert listed == decided, f"{who}, {name}: filter {sorted(listed)} decision {sorted(decided)}"
        return {who: {name: pair[0] for name, pair in found.items()} for who, found in answers.items()}

    before = check()
    # Dora's agency was never on the second case: nothing of it is hers, whatever the agreement lets it read.
    assert before["dora"] == {"included": {"Mentoring sessions started"},
                              "awaiting": {"Calm on the wing", "Network contacts assessed", "Transfer abroad refused"},
                              "processed": {"Mentoring sessions started", "Calm on the wing",
                                            "Network contacts assessed", "Transfer abroad refused"}}
    assert {"Calm on the wing", "Quiet in the second custody"} <= before["pia"]["included"]
    assert before["nora"] == {"included": set(), "awaiting": set(), "processed": set()}

    for item in InformationItem.objects.exclude(subject_access_release__isnull=False):
        SubjectAccessRelease.objects.create(item=item, released_by=cast["petra"],
                                            released_at=dt.datetime.now(dt.timezone.utc))
    after = check()
    # Released items count only where the agency received them: not the prison's health note.
    assert after["dora"]["included"] == {"Mentoring sessions started", "Calm on the wing", "Network contacts assessed",
                                         "Transfer abroad refused"}
    assert after["dora"]["awaiting"] == set()
    assert after["dora"]["processed"] == before["dora"]["processed"]


def test_only_a_data_protection_officer_s_agency_processes_anything_for_subject_access():
    item = SimpleNamespace(originating_agency_id=1)
    member = MembershipFacts(agency_id=1, starts_on=dt.date(2025, 1, 1), ends_on=None, phases=frozenset({"custody"}))
    case = CaseFacts(id=1, phase="custody", lead_agency_id=1, coordinator_id=10, memberships=(member,))
    dpo = SimpleNamespace(id=5, agency_id=1, role=Role.DPO, is_active=True)
    practitioner = SimpleNamespace(id=6, agency_id=1, role=Role.PRACTITIONER, is_active=True)
    assert policy.processed(dpo, item, case, None, dt.date(2026, 6, 1))
    assert not policy.processed(practitioner, item, case, None, dt.date(2026, 6, 1))


# --- Consent evidence: who reads it, as decision and as filter ------------------------------------------

KINDS = {1: "probation", 2: "prison", 3: "cso", 4: "police", 5: "housing"}
CASE = CaseFacts(id=1, phase="custody", lead_agency_id=1, coordinator_id=10, team_ids=frozenset({10, 11, 20, 30}))


def _person(pk, agency, role=Role.PRACTITIONER, active=True):
    return SimpleNamespace(id=pk, agency_id=agency, agency_kind=KINDS[agency], role=role, is_active=active)


def _consent(agency=None, kind="", recorder=None, sharing=()):
    return ConsentRecordFacts(recipient_agency_id=agency, recipient_kind=kind, lead_agency_kind="probation",
                              sharing_agency_ids=frozenset(sharing), recorder_agency_id=recorder)


@pytest.mark.parametrize("actor, facts, sees", [
    (_person(11, 1), _consent(agency=3, recorder=2), True),   # the lead agency, though another agency recorded it
    (_person(20, 2), _consent(agency=3, recorder=2), True),   # the recorder
    (_person(20, 2), _consent(agency=3, recorder=1), False),
    (_person(30, 3), _consent(kind="cso", recorder=2), True),  # of the recipient kind
    (_person(30, 3), _consent(kind="police", recorder=1), False),
])
def test_the_lead_agency_reads_the_evidence_whoever_recorded_the_consent(actor, facts, sees):
    assert bool(decide_consent(actor, ConsentAction.SEE_EVIDENCE, facts, CASE)) is sees


def test_the_evidence_filter_selects_exactly_the_consents_the_decision_lets_each_person_read(case, cast, agencies):
    from casebridge.cases import services as cases
    from casebridge.sharing.models import Consent
    from casebridge.sharing.services import consent_facts

    a, now = agencies, dt.datetime(2025, 5, 1, tzinfo=dt.timezone.utc)
    rows = [  # (recipient agency, recipient kind, recorder)
        (a["cso"], "", a["probation"]), (None, "cso", a["probation"]), (None, "police", a["prison"]),
        (a["probation"], "", a["prison"]), (a["housing"], "", a["police"]), (None, "housing", a["probation"])]
    for n, (agency, kind, recorder) in enumerate(rows):
        Consent.objects.create(client=case.client, recipient_agency=agency, recipient_kind=kind,
                               purpose=Purpose.CASE_MANAGEMENT, evidence=f"Form CF-{n}", given_on=dt.date(2025, 5, 1),
                               recorded_by=cast["petra"], recorder_agency=recorder, recorded_at=now)
    facts = cases.case_facts(cases.load_case(case.pk))
    consents = list(Consent.objects.all())
    ivo = cast["ivo"]
    idle = SimpleNamespace(id=ivo.id, agency_id=ivo.agency_id, agency_kind=ivo.agency_kind, role=ivo.role,
                           is_active=False)
    for who, actor in [*cast.items(), ("an inactive ivo", idle)]:
        listed = set(Consent.objects.filter(evidence_visible(actor, facts)).values_list("pk", flat=True))
        decided = {c.pk for c in consents
                   if decide_consent(actor, ConsentAction.SEE_EVIDENCE, consent_facts(c, case), facts)}
        assert listed == decided, who
    expected = {"petra": 6, "ivo": 2, "omar": 2, "clara": 2, "xavier": 0, "nora": 0, "an inactive ivo": 0}
    counts = {who: Consent.objects.filter(evidence_visible(actor, facts)).count()
              for who, actor in [*cast.items(), ("an inactive ivo", idle)] if who in expected}
    assert counts == expected


# --- The consent behind a sharing rule: whom it names, from which day, for what ----------------------

DAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize("changes, covered", [
    ({}, True),
    ({"given_on": DAY - dt.timedelta(days=1)}, True),
    ({"given_on": DAY + dt.timedelta(days=1)}, False),       # counts from the day it was given, not before
    ({"recipient_agency_id": None, "recipient_kind": "cso"}, True),
    ({"recipient_agency_id": None, "recipient_kind": "prison"}, False),
    ({"recipient_agency_id": 2}, False),
    ({"withdrawn": True}, False),
    ({"categories": frozenset({"health_and_mental_health"})}, False),
    ({"purpose": Purpose.RISK_ASSESSMENT}, False),
])
def test_a_consent_covers_its_recipient_for_its_categories_and_purpose_from_the_day_it_was_given(changes, covered):
    cso = SimpleNamespace(agency_id=3, agency_kind="cso")
    facts = {"id": 1, "client_id": 1, "recipient_agency_id": 3, "recipient_kind": "", "given_on": DAY,
             "categories": frozenset({"programme_and_intervention"}), "purpose": Purpose.CASE_MANAGEMENT, **changes}
    assert ConsentFacts(**facts).covers(cso, "programme_and_intervention", Purpose.CASE_MANAGEMENT, DAY) is covered
