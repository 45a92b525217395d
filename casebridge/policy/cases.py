"""Need-to-know for cases: a practitioner sees a case only while on its team, with their agency an
active member covering the current phase."""

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from casebridge.errors import Forbidden, NotVisible
from casebridge.policy.core import Decision, Perm, role_allows
from casebridge.vocabulary import Role


# --- Facts about a case ----------------------------------------------------------------------

@dataclass(frozen=True)
class MembershipFacts:
    agency_id: int
    starts_on: date
    ends_on: date | None
    phases: frozenset[str]
    core: bool = True
    discreet: bool = False  # listed only to its own agency and the core members (policy.listing)

    def active_on(self, today: date) -> bool:
        return self.starts_on <= today and (self.ends_on is None or self.ends_on > today)


@dataclass(frozen=True)
class CaseFacts:
    id: int
    phase: str
    lead_agency_id: int
    coordinator_id: int
    team_ids: frozenset[int] = field(default_factory=frozenset)
    memberships: tuple[MembershipFacts, ...] = ()
    coordinator_agency_id: int | None = None


@dataclass(frozen=True)
class Rule:
    """One condition of a decision, as a single-record test and as a query filter."""

    name: str
    refusal: str
    holds: Callable[[object, CaseFacts, date], bool]
    query: Callable[[object, date], Q]


def _active_membership_q(actor, today: date) -> Q:
    Membership = apps.get_model("cases", "Membership")
    return Q(Exists(
        Membership.objects.filter(case=OuterRef("pk"), agency_id=actor.agency_id, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .filter(coverage__phase=OuterRef("phase"))
    ))


def agency_active(actor) -> bool:
    """Deactivating an agency removes all its practitioners' access on their next request."""
    return bool(getattr(actor, "agency_active", False))


def _agency_active_q(actor, today: date) -> Q:
    # Read from the agency's row at query time: a deactivation counts from the very next query.
    Agency = apps.get_model("agencies", "Agency")
    return Q(Exists(Agency.objects.filter(pk=actor.agency_id, active=True)))


def _on_team_q(actor, today: date) -> Q:
    TeamAssignment = apps.get_model("cases", "TeamAssignment")
    # An IN over the actor's own assignments lets the database start from the (few) cases the
    # person works on instead of testing every case.
    return Q(pk__in=TeamAssignment.objects.filter(practitioner_id=actor.id, released_at__isnull=True)
             .values("case_id"))


CASE_VISIBILITY: tuple[Rule, ...] = (
    Rule(
        "agency_active",
        "your agency is deactivated",
        lambda actor, case, today: agency_active(actor),
        _agency_active_q,
    ),
    Rule(
        "on_case_team",
        "not on the case team",
        lambda actor, case, today: actor.id in case.team_ids,
        _on_team_q,
    ),
    Rule(
        "agency_is_active_member_covering_phase",
        "agency is not an active member covering the current phase",
        lambda actor, case, today: any(
            m.agency_id == actor.agency_id and m.active_on(today) and case.phase in m.phases
            for m in case.memberships
        ),
        _active_membership_q,
    ),
)


def decide_case(actor, perm: Perm, case: CaseFacts, today: date) -> Decision:
    """May `actor` do `perm` to this case? Returns the basis or the first refusal."""
    if not role_allows(actor, perm):
        return Decision(False, f"role {actor.role} does not grant {perm}")
    for rule in CASE_VISIBILITY:
        if not rule.holds(actor, case, today):
            return Decision(False, rule.refusal)
    if perm == Perm.CASE_MANAGE and not _manages(actor, case):
        return Decision(False, "only the coordinator or a coordinator of the lead agency manages the case")
    member = next(m for m in case.memberships
                  if m.agency_id == actor.agency_id and m.active_on(today) and case.phase in m.phases)
    kind = "core" if member.core else "on-request"
    return Decision(True, f"on the case team; agency is an active {kind} member covering phase {case.phase}")


# What an import into a case asks (casebridge.imports): the importing agency, not a person, writes
# there, so the personal rule (on the case team) is not asked; the agency rules are, exactly as
# a reader's: an agency never imports into a case it may not see.
IMPORT_RULES = ("agency_active", "agency_is_active_member_covering_phase")


def decide_import(actor, case: CaseFacts, today: date) -> Decision:
    """May `actor` import records of their agency into this case? Their role must grant
    `import:run`, and their agency must be active and an active member covering the case's phase."""
    if not role_allows(actor, Perm.IMPORT_RUN):
        return Decision(False, f"role {actor.role} does not grant {Perm.IMPORT_RUN}")
    for rule in CASE_VISIBILITY:
        if rule.name in IMPORT_RULES and not rule.holds(actor, case, today):
            return Decision(False, rule.refusal)
    return Decision(True, f"agency is an active member covering phase {case.phase}")


def _manages(actor, case: CaseFacts) -> bool:
    return actor.id == case.coordinator_id or (
        actor.agency_id == case.lead_agency_id and actor.role == Role.COORDINATOR)


def visible_cases(actor, today: date) -> Q:
    """Query filter selecting exactly the cases for which `decide_case(actor, CASE_VIEW)` allows."""
    if not role_allows(actor, Perm.CASE_VIEW):
        return Q(pk__in=[])
    combined = Q()
    for rule in CASE_VISIBILITY:
        combined &= rule.query(actor, today)
    return combined


def require_case(actor, perm: Perm, case: CaseFacts, today: date) -> Decision:
    """Raise NotVisible (404) if the actor may not see the case, Forbidden (403) if it may see
    it but not do `perm`; otherwise return the decision with its basis."""
    seen = decide_case(actor, Perm.CASE_VIEW, case, today)
    if not seen:
        raise NotVisible(seen.reason)
    if perm == Perm.CASE_VIEW:
        return seen
    decision = decide_case(actor, perm, case, today)
    if not decision:
        raise Forbidden(decision.reason)
    return decision
