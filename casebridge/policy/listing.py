"""Who is listed on a case: its member agencies and its team, with discreet memberships.

That a security service works a case is itself sensitive (DESIGN.md §3). A membership can therefore
be discreet, and an agency with a discreet membership on a case is discreet on that whole case: its
memberships (an earlier, open one would give the same fact away), its people on the team, its
point of contact, deputy and responsibilities are listed only to

  - the practitioners of its own agency, and
  - the practitioners of the core members: the lead agency, the coordinator's agency, and every
    agency with an active core membership (`Membership.participation == core`).

To everyone else on the case it is absent: not listed, not counted, not offered as a choice. Every
other agency on the case is listed to whoever may see the case, and nobody who may not see the case
is listed anything. As everywhere in the policy, the single-record test and the query filter are
written side by side, and a property test proves they agree.
"""

from datetime import date

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from casebridge.policy.cases import CaseFacts, MembershipFacts, decide_case, visible_cases
from casebridge.policy.core import Decision, Perm


def discreet_on_case(agency_id: int, case: CaseFacts) -> bool:
    """Whether the agency has a discreet membership on the case (then it is discreet on all of it)."""
    return any(m.agency_id == agency_id and m.discreet for m in case.memberships)


def sees_discreet_members(actor, case: CaseFacts, today: date) -> bool:
    """Whether the actor's agency is a core member of the case, to whom discreet members are listed."""
    return (actor.agency_id == case.lead_agency_id or actor.agency_id == case.coordinator_agency_id
            or any(m.agency_id == actor.agency_id and m.core and m.active_on(today) for m in case.memberships))


def decide_agency_listing(actor, agency_id: int, case: CaseFacts, today: date) -> Decision:
    """May the actor see that agency `agency_id` takes part in the case (its memberships, its people
    on the team, its contacts)? Returns the basis or the refusal."""
    seen = decide_case(actor, Perm.CASE_VIEW, case, today)
    if not seen:
        return seen
    if not discreet_on_case(agency_id, case):
        return Decision(True, "member agencies are listed to the case team")
    if agency_id == actor.agency_id:
        return Decision(True, "discreet membership of your own agency")
    if sees_discreet_members(actor, case, today):
        return Decision(True, "discreet membership, listed to the core members")
    return Decision(False, "discreet membership: listed only to its own agency and the core members")


def decide_membership_listing(actor, membership: MembershipFacts, case: CaseFacts, today: date) -> Decision:
    """May the actor see this membership of the case listed? (`membership` is one of `case.memberships`.)"""
    return decide_agency_listing(actor, membership.agency_id, case, today)


def _listed_q(actor, today: date, *, case: str, agency: str) -> Q:
    """The filter half of `decide_agency_listing`, for rows whose case is at `case` and whose agency
    is at `agency` (field paths from the filtered model)."""
    Case = apps.get_model("cases", "Case")
    Membership = apps.get_model("cases", "Membership")
    visible = Q(**{f"{case}__in": Case.objects.filter(visible_cases(actor, today)).values("pk")})
    discreet = Exists(Membership.objects.filter(case=OuterRef(case), agency=OuterRef(agency), discreet=True))
    core = Exists(Membership.objects.filter(case=OuterRef(case), agency_id=actor.agency_id, participation="core",
                                            starts_on__lte=today)
                  .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today)))
    sees_discreet = (Q(**{f"{case}__lead_agency_id": actor.agency_id})
                     | Q(**{f"{case}__coordinator__agency_id": actor.agency_id}) | Q(core))
    return visible & (~Q(discreet) | Q(**{agency: actor.agency_id}) | sees_discreet)


def listed_memberships(actor, today: date) -> Q:
    """Query filter on Membership selecting exactly those `decide_membership_listing` allows."""
    return _listed_q(actor, today, case="case", agency="agency")


def listed_team(actor, today: date) -> Q:
    """Query filter on TeamAssignment: the assignments whose practitioner's agency
    `decide_agency_listing` lists to the actor."""
    return _listed_q(actor, today, case="case", agency="practitioner__agency")


def listed_agencies(actor, case_id: int, today: date) -> Q:
    """Query filter on Agency: the agencies of the case's memberships listed to the actor."""
    Membership = apps.get_model("cases", "Membership")
    return Q(pk__in=Membership.objects.filter(listed_memberships(actor, today), case_id=case_id).values("agency_id"))


def named_to_client(agency_id: int, case: CaseFacts) -> bool:
    """Whether a document for the client (transparency notice, subject access copy) may name the
    agency as a member: the client is never a core member, so a discreet agency never is."""
    return not discreet_on_case(agency_id, case)


def named_to_client_q() -> Q:
    """Query filter on Membership: the memberships `named_to_client` allows."""
    Membership = apps.get_model("cases", "Membership")
    return ~Q(Exists(Membership.objects.filter(case=OuterRef("case"), agency=OuterRef("agency"), discreet=True)))
