"""Role-fitting actions: which kinds of agency may take a formal decision, mark intelligence, and
record a source and method.

A civil-society exit programme does not take formal decisions and does not run informants; a form
that offers it those fields invites mistakes and false weight. Which kinds may is configuration
(`CASEBRIDGE_DECISION_AGENCY_KINDS`, `CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS`,
`CASEBRIDGE_SOURCE_METHOD_AGENCY_KINDS`, see casebridge/config.py); this module is the one place
that reads it, so forms (which fields to offer), services (what to refuse) and templates (which
actions to show) give the same answer.
"""

from django.conf import settings

from casebridge.errors import Forbidden
from casebridge.policy.core import Decision, Perm, english, role_allows
from casebridge.vocabulary import AgencyKind

# The permissions whose use depends on the agency's kind, and the setting naming the kinds that may.
KIND_SETTINGS: dict[Perm, str] = {
    Perm.DECISION_RECORD: "CASEBRIDGE_DECISION_AGENCY_KINDS",
    Perm.ITEM_MARK_INTELLIGENCE: "CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS",
    Perm.ITEM_RECORD_SOURCE: "CASEBRIDGE_SOURCE_METHOD_AGENCY_KINDS",
    Perm.REFLECTOR_KEEP: "CASEBRIDGE_DISTANCING_AGENCY_KINDS",
}
WHAT = {
    Perm.DECISION_RECORD: "take formal decisions",
    Perm.ITEM_MARK_INTELLIGENCE: "mark or grade intelligence",
    Perm.ITEM_RECORD_SOURCE: "record a source or method",
    Perm.REFLECTOR_KEEP: "run distancing work with a CaseReflector",
}


def decide_agency_kind(actor, perm: Perm) -> Decision:
    """May the actor's agency, by its kind, do `perm`? Permissions not in KIND_SETTINGS only need the role."""
    if not role_allows(actor, perm):
        return Decision(False, f"role {actor.role} does not grant {perm}")
    setting = KIND_SETTINGS.get(perm)
    if setting is None:
        return Decision(True, "not limited by agency kind")
    kind = actor.agency_kind
    label = english(AgencyKind(kind).label) if kind in AgencyKind.values else kind
    if kind in getattr(settings, setting):
        return Decision(True, f"agencies of the kind “{label}” {WHAT[perm]}")
    return Decision(False, f"agencies of the kind “{label}” do not {WHAT[perm]} in Casebridge")


def require_agency_kind(actor, perm: Perm) -> Decision:
    """403 with the reason (code `not_for_agency_kind`) when the actor's agency kind may not do `perm`."""
    decision = decide_agency_kind(actor, perm)
    if not decision:
        raise Forbidden(f"{decision.reason[:1].upper()}{decision.reason[1:]}.", code="not_for_agency_kind")
    return decision
