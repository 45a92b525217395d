"""Administration: system administrators manage every agency, agency administrators their own."""

from django.db.models import Q

from casebridge.errors import NotVisible
from casebridge.policy.core import Decision, Perm, role_allows
from casebridge.vocabulary import Role


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
