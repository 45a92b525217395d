"""The single-case decision and the list filter are one rule: prove they agree on random worlds."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebridge import policy
from casebridge.agencies.models import Agency, Practitioner
from casebridge.cases.models import Case, Client, Membership, MembershipPhase, Phase, TeamAssignment
from casebridge.cases.services import case_facts
from casebridge.policy import Perm
from casebridge.vocabulary import Role

TODAY = dt.date(2026, 6, 1)
PHASES = Phase.values
N_AGENCIES, N_PEOPLE, N_CASES = 3, 5, 4

day = st.integers(min_value=-30, max_value=30).map(lambda d: TODAY + dt.timedelta(days=d))
membership = st.fixed_dictionaries({
    "agency": st.integers(0, N_AGENCIES - 1),
    "starts_on": day,
    "ends_on": st.one_of(st.none(), day),
    "phases": st.sets(st.sampled_from(PHASES), min_size=1),
})
world = st.fixed_dictionaries({
    "active": st.lists(st.integers(0, 9).map(lambda n: n > 0), min_size=N_AGENCIES, max_size=N_AGENCIES),
    "people": st.lists(st.tuples(st.integers(0, N_AGENCIES - 1), st.sampled_from(Role.values), st.booleans()),
                       min_size=N_PEOPLE, max_size=N_PEOPLE),
    "cases": st.lists(st.fixed_dictionaries({
        "phase": st.sampled_from(PHASES),
        "memberships": st.lists(membership, max_size=4),
        "team": st.lists(st.tuples(st.integers(0, N_PEOPLE - 1), st.booleans()), max_size=5),
    }), min_size=N_CASES, max_size=N_CASES),
})


def _build(spec):
    agencies = [Agency.objects.create(name=f"Agency {i}", kind="probation", country="BE", active=spec["active"][i])
                for i in range(N_AGENCIES)]
    people = [Practitioner.objects.create(username=f"p{i}", agency=agencies[a], role=role, is_active=active)
              for i, (a, role, active) in enumerate(spec["people"])]
    client = Client.objects.create(given_name="Synthetic", family_name="Person", date_of_birth=dt.date(1990, 1, 1))
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    for n, c in enumerate(spec["cases"]):
        case = Case.objects.create(reference=f"T-{n}", client=client, lead_agency=agencies[0], coordinator=people[0],
                                   phase=c["phase"], opened_on=TODAY)
        for m in c["memberships"]:
            row = Membership.objects.create(case=case, agency=agencies[m["agency"]], point_of_contact=people[0],
                                            starts_on=m["starts_on"], ends_on=m["ends_on"])
            MembershipPhase.objects.bulk_create(MembershipPhase(membership=row, phase=p) for p in m["phases"])
        for person, released in {p: r for p, r in c["team"]}.items():
            TeamAssignment.objects.create(case=case, practitioner=people[person], assigned_at=now,
                                          assigned_by=people[0], released_at=now if released else None)
    return people


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=world)
def test_decide_and_the_list_filter_agree_on_every_practitioner_and_case(db, spec):
    try:
        with transaction.atomic():
            people = _build(spec)
            cases = list(Case.objects.prefetch_related("memberships__coverage", "team"))
            for person in people:
                listed = set(Case.objects.filter(policy.visible_cases(person, TODAY)).values_list("pk", flat=True))
                person = Practitioner.objects.select_related("agency").get(pk=person.pk)
                decided = {c.pk for c in cases if policy.decide_case(person, Perm.CASE_VIEW, case_facts(c), TODAY)}
                assert listed == decided
                for c in cases:
                    decision = policy.decide_case(person, Perm.CASE_VIEW, case_facts(c), TODAY)
                    assert decision.reason  # every answer carries its basis or its refusal
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass


PERSON = policy.MembershipFacts


def _actor(**kw):
    from types import SimpleNamespace

    return SimpleNamespace(**{"id": 1, "agency_id": 10, "role": Role.PRACTITIONER, "is_active": True, "agency_active": True,
                            "agency_country": "BE", **kw})


def _case(**kw):
    base = dict(id=1, phase="custody", lead_agency_id=10, coordinator_id=1, team_ids=frozenset({1}),
                memberships=(PERSON(10, TODAY - dt.timedelta(days=5), None, frozenset({"custody"})),))
    return policy.CaseFacts(**{**base, **kw})


DECISIONS = [
    ("team member of an active covering member", _actor(), _case(), True, "on the case team"),
    ("not on the team", _actor(id=2), _case(), False, "not on the case team"),
    ("inactive account", _actor(is_active=False), _case(), False, "does not grant"),
    ("deactivated agency", _actor(agency_active=False), _case(), False, "agency is deactivated"),
    ("membership ended today", _actor(), _case(memberships=(PERSON(10, TODAY - dt.timedelta(days=5), TODAY,
                                                                  frozenset({"custody"})),)), False, "not an active"),
    ("membership starts tomorrow", _actor(), _case(memberships=(PERSON(10, TODAY + dt.timedelta(days=1), None,
                                                                     frozenset({"custody"})),)), False, "not an active"),
    ("phase not covered", _actor(), _case(phase="aftercare"), False, "covering the current phase"),
    ("other agency's membership", _actor(agency_id=11), _case(), False, "not an active"),
]


def _case_rows(actor, case: policy.CaseFacts) -> None:
    """The row's facts written to the database, with the same ids, for the filter to answer."""
    for pk in sorted({actor.agency_id, case.lead_agency_id, *(m.agency_id for m in case.memberships)}):
        Agency.objects.create(pk=pk, name=f"Agency {pk}", kind="probation", country="BE",
                              active=actor.agency_active if pk == actor.agency_id else True)
    for pk in sorted({actor.id, case.coordinator_id, *case.team_ids}):
        Practitioner.objects.create(pk=pk, username=f"p{pk}", agency_id=actor.agency_id if pk == actor.id
                                    else case.lead_agency_id, role=actor.role, is_active=actor.is_active)
    client = Client.objects.create(given_name="Synthetic", family_name="Person", date_of_birth=dt.date(1990, 1, 1))
    row = Case.objects.create(pk=case.id, reference="T", client=client, lead_agency_id=case.lead_agency_id,
                              coordinator_id=case.coordinator_id, phase=case.phase, opened_on=TODAY)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    for m in case.memberships:
        member = Membership.objects.create(case=row, agency_id=m.agency_id, point_of_contact_id=case.coordinator_id,
                                           starts_on=m.starts_on, ends_on=m.ends_on)
        MembershipPhase.objects.bulk_create(MembershipPhase(membership=member, phase=p) for p in m.phases)
    for pk in case.team_ids:
        TeamAssignment.objects.create(case=row, practitioner_id=pk, assigned_at=now, assigned_by_id=case.coordinator_id)


@pytest.mark.parametrize("label, actor, case, allowed, reason", DECISIONS, ids=[d[0] for d in DECISIONS])
def test_decisions_table(db, label, actor, case, allowed, reason):
    decision = policy.decide_case(actor, Perm.CASE_VIEW, case, TODAY)
    assert (decision.allowed, reason in decision.reason) == (allowed, True), label
    _case_rows(actor, case)
    assert Case.objects.filter(policy.visible_cases(actor, TODAY)).filter(pk=case.id).exists() is allowed


def test_managing_needs_the_coordinator_or_a_lead_agency_coordinator():
    case = _case(team_ids=frozenset({1, 2, 3}), coordinator_id=1)
    assert policy.decide_case(_actor(id=1), Perm.CASE_MANAGE, case, TODAY)
    assert not policy.decide_case(_actor(id=2), Perm.CASE_MANAGE, case, TODAY)
    assert policy.decide_case(_actor(id=3, role=Role.COORDINATOR), Perm.CASE_MANAGE, case, TODAY)
