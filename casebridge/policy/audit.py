"""Who reads which audit events (DESIGN.md §5).

- An agency's data protection officer sees the events of their own agency's practitioners, and
  every event that concerns their agency's content whoever acted: each consultation, listing,
  search hit, disclosure, export or use of an item their agency originated. Directive 2016/680
  Art. 25 asks the controller to be able to verify exactly that.
- A system administrator sees account and configuration events (signing in, second factors,
  tokens, agencies, practitioners, agreements, the chain's verification) and never an event about
  a case: which cases are worked, read or audited is case content.
- Nobody else reads the trail.

As every rule in this package, the single-event test and the query filter stand side by side,
and a property test proves they agree.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from casebridge.errors import NotVisible
from casebridge.policy.core import Decision, Perm, role_allows
from casebridge.vocabulary import Role


class AdministrativeObject(StrEnum):
    """The object types of account and configuration events: the system administrator's share of
    the trail. An event on one of these about a case (`case_id` set) is not administrative."""

    LOGIN = "accounts.login"  # failed sign-ins and lockouts, before anyone is known
    TOKEN = "accounts.apitoken"
    SECOND_FACTOR = "otp_totp.totpdevice"
    PRACTITIONER = "agencies.practitioner"  # sign-in, sign-out, second factor, the account itself
    AGENCY = "agencies.agency"
    AGREEMENT = "sharing.agreementversion"
    AUDIT_CHAIN = "audit.chain"  # verifying the chain
    AUDIT_EVENTS = "audit.events"  # consulting the trail without naming a case


ADMINISTRATIVE_OBJECTS = frozenset(o.value for o in AdministrativeObject)


@dataclass(frozen=True)
class EventFacts:
    """What the rule needs to know of one event."""

    agency_id: int | None  # the acting practitioner's agency, when the event was written
    object_type: str
    case_id: int | None = None
    concerns: frozenset[int] = field(default_factory=frozenset)  # agencies whose content it touches


def decide_audit_event(actor, event: EventFacts) -> Decision:
    """May `actor` read this audit event? Returns why, or why not."""
    if not role_allows(actor, Perm.AUDIT_READ):
        return Decision(False, f"role {getattr(actor, 'role', '')} does not grant {Perm.AUDIT_READ}")
    if actor.role == Role.DPO:
        if event.agency_id is not None and event.agency_id == actor.agency_id:
            return Decision(True, "an act of your agency")
        if actor.agency_id in event.concerns:
            return Decision(True, "concerns your agency's information")
        return Decision(False, "neither an act of your agency nor about its information")
    if actor.role == Role.SYSTEM_ADMIN:
        if event.case_id is None and event.object_type in ADMINISTRATIVE_OBJECTS:
            return Decision(True, "an account or configuration event")
        return Decision(False, "system administrators read account and configuration events only")
    return Decision(False, "no audit scope for this role")


def visible_audit_events(actor) -> Q:
    """Query filter on AuditEvent selecting exactly the events `decide_audit_event` allows."""
    if not role_allows(actor, Perm.AUDIT_READ):
        return Q(pk__in=[])
    if actor.role == Role.DPO:
        concerned = apps.get_model("audit", "AuditEventAgency").objects.filter(
            event_id=OuterRef("seq"), agency_id=actor.agency_id)
        return Q(agency_id=actor.agency_id) | Q(Exists(concerned))
    if actor.role == Role.SYSTEM_ADMIN:
        return Q(case_id__isnull=True, object_type__in=sorted(ADMINISTRATIVE_OBJECTS))
    return Q(pk__in=[])


# In another agency's act, a DPO reads only what concerns their agency: the references to its own
# items in these lists, and these scalar references about the event's object (which is then one of
# their items, or a decision or export that used them). Totals, search fingerprints, other
# agencies' item ids and anything not listed here are left out.
_ITEM_REFERENCES = frozenset({"items", "basis", "retracted"})
_OBJECT_REFERENCES = frozenset({"basis", "version", "item", "sha256", "size", "disclosure", "allow_decision_use",
                                "revoked", "format", "export", "kind", "withheld_from_subject_access", "client"})


def is_partial_view(actor, event: EventFacts) -> bool:
    """Does `actor` read this (visible) event only because it concerns their agency's items?"""
    return actor.role == Role.DPO and event.agency_id != actor.agency_id


def shown_detail(actor, event: EventFacts, detail: dict, own_items) -> dict:
    """The part of an event's detail `actor` may read (the event itself already allowed): all of it
    for their own agency's acts and for system administrators; in another agency's act, only the
    references to their agency's items (`own_items`, the ids the event recorded for it)."""
    if not is_partial_view(actor, event):
        return detail
    own = {str(i) for i in own_items}
    shown = {}
    for key, value in (detail if isinstance(detail, dict) else {}).items():
        if key in _ITEM_REFERENCES and isinstance(value, dict):
            shown[key] = {k: v for k, v in value.items() if str(k) in own}
        elif key in _ITEM_REFERENCES and isinstance(value, list):
            shown[key] = [v for v in value if str(v) in own]
        elif key in _OBJECT_REFERENCES and not isinstance(value, (dict, list)):
            shown[key] = value
    return shown


def require_audit_event(actor, event: EventFacts) -> Decision:
    """The decision, or NotVisible (404): an event outside the reader's scope does not exist for them."""
    decision = decide_audit_event(actor, event)
    if not decision:
        raise NotVisible(decision.reason)
    return decision
