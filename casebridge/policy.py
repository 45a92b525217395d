"""The one policy module: who may do what to which record.

Pure: no database reads, no request, no clock. Callers pass facts (plain data or model
instances with the attributes named below) and `today`. Each rule is written once as a
`Rule` holding both its single-record test and the query filter that selects the records for
which it holds, side by side, so that a detail page and a list can never drift apart; property
tests prove that the two halves agree on random worlds.

Deny by default: a permission no role grants, an inactive actor, or a rule that does not hold
refuses. Refusals on records the actor may not see become 404s (see `require`).
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Callable

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from casebridge.errors import Forbidden, NotVisible
from casebridge.vocabulary import Role


class Perm(StrEnum):
    DASHBOARD_VIEW = "dashboard:view"
    ACCOUNT_SELF = "account:self"
    CASE_LIST = "case:list"
    CASE_VIEW = "case:view"
    CASE_OPEN = "case:open"
    CASE_MANAGE = "case:manage"
    AGENCY_VIEW = "agency:view"
    AGENCY_MANAGE = "agency:manage"
    PRACTITIONER_MANAGE = "practitioner:manage"
    TOKEN_MANAGE = "token:manage"
    AUDIT_READ = "audit:read"


_EVERYONE = {Perm.DASHBOARD_VIEW, Perm.ACCOUNT_SELF, Perm.CASE_LIST, Perm.CASE_VIEW,
             Perm.CASE_MANAGE, Perm.AGENCY_VIEW}
_ADMIN = {Perm.AGENCY_MANAGE, Perm.PRACTITIONER_MANAGE, Perm.TOKEN_MANAGE}

# Coarse grants per role. Case permissions are for everyone because need-to-know is decided per
# case by the rules below, never by role alone.
ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.PRACTITIONER: frozenset(_EVERYONE),
    Role.COORDINATOR: frozenset(_EVERYONE | {Perm.CASE_OPEN}),
    Role.AGENCY_ADMIN: frozenset(_EVERYONE | _ADMIN),
    Role.DPO: frozenset(_EVERYONE | {Perm.AUDIT_READ}),
    Role.SYSTEM_ADMIN: frozenset(_EVERYONE | _ADMIN | {Perm.AUDIT_READ}),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # the basis when allowed, the refusal when not

    def __bool__(self) -> bool:
        return self.allowed


def role_allows(actor, perm: Perm) -> bool:
    return bool(getattr(actor, "is_active", False)) and perm in ROLE_PERMISSIONS.get(actor.role, ())


# --- Facts about a case ----------------------------------------------------------------------

@dataclass(frozen=True)
class MembershipFacts:
    agency_id: int
    starts_on: date
    ends_on: date | None
    phases: frozenset[str]
    core: bool = True

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


def _on_team_q(actor, today: date) -> Q:
    TeamAssignment = apps.get_model("cases", "TeamAssignment")
    return Q(Exists(TeamAssignment.objects.filter(
        case=OuterRef("pk"), practitioner_id=actor.id, released_at__isnull=True)))


CASE_VISIBILITY: tuple[Rule, ...] = (
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


# --- Administration of practitioners and agencies -------------------------------------------

def decide_administer(actor, perm: Perm, agency_id: int) -> Decision:
    """May `actor` administer (perm) people, tokens or details of agency `agency_id`?"""
    if not role_allows(actor, perm):
        return Decision(False, f"role {actor.role} does not grant {perm}")
    if actor.role == Role.SYSTEM_ADMIN:
        return Decision(True, "system administrator")
    if actor.agency_id == agency_id:
        return Decision(True, "administrator of this agency")
    return Decision(False, "administrators manage their own agency only")


def administered(actor, perm: Perm, agency_field: str = "agency_id") -> Q:
    """Query filter for the records `decide_administer` allows; `agency_field` names the agency."""
    if not role_allows(actor, perm):
        return Q(pk__in=[])
    if actor.role == Role.SYSTEM_ADMIN:
        return Q()
    return Q(**{agency_field: actor.agency_id})


def require_administer(actor, perm: Perm, agency_id: int) -> Decision:
    decision = decide_administer(actor, perm, agency_id)
    if not decision:
        raise NotVisible(decision.reason)
    return decision
