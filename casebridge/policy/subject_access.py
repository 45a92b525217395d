"""Subject access by controller (DESIGN.md §4, `include_in_subject_access`).

An agency's data protection officer answers subject access for what their agency processes: the
items it originated, and the items it received once their originating agency has released them
for subject access. An item goes into a DPO's answer only if all hold:
  1. the DPO's role compiles subject access and their agency is active;
  2. the DPO's agency is or was a member of the item's case;
  3. the item is classified at most at the DPO's clearance (a DPO vouches for what they can read;
     items above it wait for a DPO cleared to read them);
  4. the item is not retracted;
  5. neither the item nor, for a derivative, its original is intelligence (a lifted intelligence
     flag lifts the decision restriction, never this one);
  6. neither the item nor, for a derivative, its original is withheld with a recorded legal reason;
  7. the item is not NO-CROSS-BORDER outside its originator's country (itself or inherited);
  8. the DPO's agency originated it, or received it (a basis for some purpose) and its originator
     released it for subject access.
Items meeting 1-7 that the agency received but the originator has not released are awaiting the
originator. Each condition is a test and a filter side by side, as in casebridge.policy.items.
"""

from dataclasses import dataclass
from datetime import date
from typing import Callable

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from casebridge.policy.cases import _agency_active_q, agency_active
from casebridge.policy.core import Decision, Perm, role_allows
from casebridge.policy.items import _any_basis_q, _originator_q, sharing_basis
from casebridge.policy.markings import within_borders, within_borders_q
from casebridge.vocabulary import Purpose


@dataclass(frozen=True)
class AccessRule:
    name: str
    refusal: str
    holds: Callable  # (actor, item, case, world, today) -> bool
    query: Callable  # (actor, today) -> Q


def _member_ever_q(actor, today):
    Membership = apps.get_model("cases", "Membership")
    return Q(Exists(Membership.objects.filter(case=OuterRef("case_id"), agency_id=actor.agency_id)))


def _own(actor, item) -> bool:
    return item.originating_agency_id == actor.agency_id


def received(actor, item, world, today) -> bool:
    """The actor's agency holds a basis to read the item for some purpose (not counting origin)."""
    return not _own(actor, item) and any(sharing_basis(actor, item, world, purpose, today) is not None
                                         for purpose in Purpose.values)


def _received_q(actor, today) -> Q:
    combined = ~_originator_q(actor, None, today)
    either = Q(pk__in=[])
    for purpose in Purpose.values:
        either |= _any_basis_q(actor, purpose, today)
    return combined & either


def _no_original_q(field: str, value) -> Q:
    return Q(derived_from__isnull=True) | Q(**{f"derived_from__{field}": value})


SUBJECT_ACCESS_RULES: tuple[AccessRule, ...] = (
    AccessRule("agency_active", "your agency is deactivated",
               lambda a, i, c, w, t: agency_active(a), _agency_active_q),
    AccessRule("agency_on_case", "your agency was never on this case",
               lambda a, i, c, w, t: any(m.agency_id == a.agency_id for m in c.memberships), _member_ever_q),
    AccessRule("within_clearance", "classified above your clearance: a DPO cleared to read it answers for it",
               lambda a, i, c, w, t: i.classification <= a.clearance,
               lambda a, t: Q(classification__lte=a.clearance)),
    AccessRule("not_retracted", "retracted by its originator",
               lambda a, i, c, w, t: not i.retracted, lambda a, t: Q(retracted_at__isnull=True)),
    AccessRule("not_intelligence", "intelligence and its derivatives never enter the client's own file",
               lambda a, i, c, w, t: not i.intelligence and "intelligence" not in i.inherited,
               lambda a, t: Q(intelligence=False) & _no_original_q("intelligence", False)),
    AccessRule("not_withheld", "withheld with a recorded legal reason",
               lambda a, i, c, w, t: not i.withheld and not i.original_withheld,
               lambda a, t: Q(withholding__isnull=True) & _no_original_q("withholding__isnull", True)),
    AccessRule("within_borders", "NO-CROSS-BORDER: never leaves its originator's country",
               lambda a, i, c, w, t: within_borders(a, i), lambda a, t: within_borders_q(a)),
)
CONTROLLER = AccessRule(
    "controller", "received from another agency and not released by it for subject access",
    lambda a, i, c, w, t: _own(a, i) or (i.released and received(a, i, w, t)),
    lambda a, t: _originator_q(a, None, t) | (Q(subject_access_release__isnull=False) & _received_q(a, t)))


def decide_subject_access(actor, item, case, world, today: date) -> Decision:
    """May the actor (a DPO) put the item into their agency's subject access answer?"""
    if not role_allows(actor, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS):
        return Decision(False, f"role {actor.role} does not grant {Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS}")
    for rule in (*SUBJECT_ACCESS_RULES, CONTROLLER):
        if not rule.holds(actor, item, case, world, today):
            return Decision(False, rule.refusal)
    if _own(actor, item):
        return Decision(True, "your agency originated this item")
    return Decision(True, "received by your agency and released by its originator")


def _all(actor, today) -> Q:
    combined = Q()
    for rule in SUBJECT_ACCESS_RULES:
        combined &= rule.query(actor, today)
    return combined


def subject_access_items(actor, today: date) -> Q:
    """Query filter selecting exactly the items `decide_subject_access` allows."""
    if not role_allows(actor, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS):
        return Q(pk__in=[])
    return _all(actor, today) & CONTROLLER.query(actor, today)


def awaiting_release(actor, item, case, world, today: date) -> bool:
    """The item would go into the actor's answer once its originator releases it."""
    return (role_allows(actor, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS) and not item.released
            and all(rule.holds(actor, item, case, world, today) for rule in SUBJECT_ACCESS_RULES)
            and received(actor, item, world, today))


def awaiting_release_items(actor, today: date) -> Q:
    """Query filter of `awaiting_release`."""
    if not role_allows(actor, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS):
        return Q(pk__in=[])
    return _all(actor, today) & Q(subject_access_release__isnull=True) & _received_q(actor, today)


def processed(actor, item, case, world, today: date) -> bool:
    """The actor's agency answers for the item at all: it originated or received it, on a case it
    is or was a member of (what the DPO's page may count and list)."""
    return (role_allows(actor, Perm.SUBJECT_ACCESS) and any(m.agency_id == actor.agency_id for m in case.memberships)
            and (_own(actor, item) or (within_borders(actor, item) and received(actor, item, world, today))))


def processed_items(actor, today: date) -> Q:
    if not role_allows(actor, Perm.SUBJECT_ACCESS):
        return Q(pk__in=[])
    return _member_ever_q(actor, today) & (_originator_q(actor, None, today)
                                           | (within_borders_q(actor) & _received_q(actor, today)))
