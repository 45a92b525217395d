"""The policy's facts of many cases at once, read as plain values.

`services.case_facts` takes the facts of one case loaded with its members; pages and commands that
decide on items spread over many cases (a search's results, an import's batch, a conference's
actions) read them here instead, a few queries however many cases, with no model instances of
memberships, their phases or the team: those cost more than the queries themselves.
"""

from casebridge import policy
from casebridge.cases.models import Case, Membership, MembershipPhase, TeamAssignment


def facts_of_cases(case_ids) -> dict[int, policy.CaseFacts]:
    """The policy's facts of several cases, by id: what `case_facts` reads, as plain values in four
    queries however many cases, members and team there are (a search's results span many cases, and
    model instances of their memberships' phases cost more than the search's own query)."""
    ids = set(case_ids)
    if not ids:
        return {}
    team: dict[int, set[int]] = {}
    for case_id, practitioner_id in TeamAssignment.objects.filter(case_id__in=ids, released_at__isnull=True) \
            .values_list("case_id", "practitioner_id"):
        team.setdefault(case_id, set()).add(practitioner_id)
    memberships = _membership_facts(Membership.objects.filter(case_id__in=ids))
    return {pk: policy.CaseFacts(pk, phase, lead, coordinator, frozenset(team.get(pk, ())), memberships.get(pk, ()),
                                 coordinator_agency_id=coordinator_agency)
            for pk, phase, lead, coordinator, coordinator_agency in Case.objects.filter(pk__in=ids).values_list(
                "pk", "phase", "lead_agency_id", "coordinator_id", "coordinator__agency_id")}


def agency_facts_of_cases(case_ids, agency_id: int) -> dict[int, policy.CaseFacts]:
    """The policy's facts of several cases with only one agency's memberships and no team: what
    `policy.decide_import` reads, in three queries however many cases there are."""
    ids = set(case_ids)
    if not ids:
        return {}
    memberships = _membership_facts(Membership.objects.filter(case_id__in=ids, agency_id=agency_id))
    return {pk: policy.CaseFacts(pk, phase, lead, coordinator, frozenset(), memberships.get(pk, ()))
            for pk, phase, lead, coordinator in Case.objects.filter(pk__in=ids).values_list(
                "pk", "phase", "lead_agency_id", "coordinator_id")}


def _membership_facts(memberships) -> dict[int, tuple[policy.MembershipFacts, ...]]:
    """{case id: its memberships of the queryset `memberships` as the policy's facts}, ordered as
    `case_facts` orders them, with the phases each covers: two queries of plain values."""
    rows = sorted(memberships.order_by().values_list("starts_on", "pk", "case_id", "agency_id", "ends_on",
                                                     "participation", "discreet"))
    coverage: dict[int, set[str]] = {}
    if rows:
        for membership_id, phase in MembershipPhase.objects.filter(membership__in=memberships.values("pk")) \
                .values_list("membership_id", "phase"):
            coverage.setdefault(membership_id, set()).add(phase)
    found: dict[int, list[policy.MembershipFacts]] = {}
    for starts_on, pk, case_id, agency_id, ends_on, participation, discreet in rows:
        found.setdefault(case_id, []).append(policy.MembershipFacts(
            agency_id, starts_on, ends_on, frozenset(coverage.get(pk, ())), participation == "core", discreet=discreet))
    return {case_id: tuple(facts) for case_id, facts in found.items()}
