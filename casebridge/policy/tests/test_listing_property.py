"""The listing rule of discreet memberships two ways: the single-record decision and the query filter
every member list, team list and choice uses. On random cases built in the database, both give the
same answer for every practitioner and every membership, team member and client-facing document."""

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from casebridge import policy
from casebridge.agencies.models import Agency, Practitioner
from casebridge.cases.models import Case, Client, Membership, MembershipPhase, TeamAssignment
from casebridge.cases.services import case_facts
from casebridge.vocabulary import Role

TODAY = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
PHASES = ["custody", "release_preparation"]
N_AGENCIES, N_PEOPLE, N_CASES = 4, 7, 2


def mostly(value, otherwise, percent: int = 75):
    """`value` `percent`% of the time, else a draw from `otherwise` (dense worlds that still refuse)."""
    return st.integers(0, 99).flatmap(lambda n: st.just(value) if n < percent else otherwise)


agency = st.integers(0, N_AGENCIES - 1)
day = st.integers(min_value=-3, max_value=3).map(lambda d: TODAY + dt.timedelta(days=d))
membership = st.fixed_dictionaries({
    "agency": agency, "starts_on": mostly(TODAY - dt.timedelta(days=10), day), "ends_on": mostly(None, day),
    "phases": mostly(frozenset(PHASES), st.frozensets(st.sampled_from(PHASES), min_size=1)),
    "core": st.booleans(), "discreet": mostly(False, st.just(True), 60)})
case = st.fixed_dictionaries({
    "phase": st.sampled_from(PHASES), "lead": agency, "coordinator": st.integers(0, N_PEOPLE - 1),
    "memberships": st.lists(membership, min_size=2, max_size=5),
    "team": st.dictionaries(st.integers(0, N_PEOPLE - 1), mostly(False, st.just(True)), min_size=3)})
world = st.fixed_dictionaries({
    "people": st.lists(st.tuples(agency, mostly(Role.PRACTITIONER, st.sampled_from(Role.values)),
                                 mostly(True, st.just(False), 90)), min_size=N_PEOPLE, max_size=N_PEOPLE),
    "cases": st.lists(case, min_size=N_CASES, max_size=N_CASES),
})


def _build(spec) -> None:
    agencies = [Agency.objects.create(name=f"Agency {n}", kind="intelligence" if n == 3 else "probation",
                                      country="BE") for n in range(N_AGENCIES)]
    people = [Practitioner.objects.create(username=f"p{n}", agency=agencies[a], role=role, clearance=3,
                                          is_active=active) for n, (a, role, active) in enumerate(spec["people"])]
    client = Client.objects.create(given_name="Synthetic", family_name="Person", date_of_birth=dt.date(1990, 1, 1))
    for n, c in enumerate(spec["cases"]):
        # The coordinator may work for another agency than the lead (a transfer), so both are drawn.
        row = Case.objects.create(reference=f"T-{n}", client=client, lead_agency=agencies[c["lead"]],
                                  coordinator=people[c["coordinator"]], phase=c["phase"], opened_on=TODAY)
        for m in c["memberships"]:
            member = Membership.objects.create(
                case=row, agency=agencies[m["agency"]], point_of_contact=people[0], starts_on=m["starts_on"],
                ends_on=m["ends_on"], participation="core" if m["core"] else "on_request", discreet=m["discreet"])
            MembershipPhase.objects.bulk_create(MembershipPhase(membership=member, phase=p) for p in m["phases"])
        for person, released in c["team"].items():
            TeamAssignment.objects.create(case=row, practitioner=people[person], assigned_at=NOW,
                                          assigned_by=people[0], released_at=NOW if released else None)


def _answers():
    """For every (practitioner, membership) and (practitioner, team assignment): (decision, filter)."""
    people = list(Practitioner.objects.all())
    cases = {c.pk: case_facts(c) for c in Case.objects.select_related("coordinator")
             .prefetch_related("memberships__coverage", "team")}
    memberships = list(Membership.objects.all())
    team = list(TeamAssignment.objects.select_related("practitioner"))
    facts = {m.pk: next(f for f in cases[m.case_id].memberships if f.agency_id == m.agency_id) for m in memberships}
    found = []
    for person in people:
        listed = set(Membership.objects.filter(policy.listed_memberships(person, TODAY)).values_list("pk", flat=True))
        for m in memberships:
            decision = policy.decide_membership_listing(person, facts[m.pk], cases[m.case_id], TODAY)
            found.append((f"{person.username} listing membership {m.pk}", bool(decision), m.pk in listed))
            event(f"membership: {decision.reason}")
        listed = set(TeamAssignment.objects.filter(policy.listed_team(person, TODAY)).values_list("pk", flat=True))
        for a in team:
            decision = policy.decide_agency_listing(person, a.practitioner.agency_id, cases[a.case_id], TODAY)
            found.append((f"{person.username} listing team member {a.pk}", bool(decision), a.pk in listed))
    named = set(Membership.objects.filter(policy.named_to_client_q()).values_list("pk", flat=True))
    for m in memberships:
        found.append((f"the client told of membership {m.pk}", policy.named_to_client(m.agency_id, cases[m.case_id]),
                      m.pk in named))
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=world)
def test_the_listing_decision_and_the_listing_filter_agree_on_every_practitioner_and_membership(db, spec):
    try:
        with transaction.atomic():
            _build(spec)
            for label, by_rule, by_filter in _answers():
                assert by_rule == by_filter, f"{label}: decide={by_rule} filter={by_filter}"
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    """Undo one example's world (the test's own transaction spans all examples)."""
