"""Who records, withdraws and reads the evidence of a client's consent (DESIGN.md §3, Consent).

Consent is recorded by the people who run the case, never by the agency that benefits from it:
a practitioner of the lead agency or the case coordinator, and never (a practitioner of) an agency
that receives under the consent, named or by kind. When the lead agency itself is the recipient,
nobody on the lead side is independent of it, so the agency that releases information under the
consent (it holds a consent-requiring agreement rule towards the recipient) records it instead.
Withdrawal is as easy as giving: any member of the case team records it, and it acts on the next
request. The evidence (the note of how and where consent was given, and the signed form) says
something about the client: it is read by the lead agency, the coordinator, the recipient (which
must be able to demonstrate the consent it relies on) and the agency that recorded it.

The caller has already decided that the actor may see the case (casebridge.policy.cases): an actor
who may not is a 404 before any of these rules is asked.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from casebridge.errors import Forbidden
from casebridge.policy.cases import CaseFacts
from casebridge.policy.core import Decision, Perm, role_allows


class ConsentAction(StrEnum):
    OFFER = "consent:offer"  # whether to offer the form: may this actor record any consent on the case?
    GIVE = "consent:give"
    WITHDRAW = "consent:withdraw"
    SEE_EVIDENCE = "consent:see_evidence"


@dataclass(frozen=True)
class ConsentRecordFacts:
    """What the consent rules need about one consent (or, for GIVE, the one about to be recorded)."""

    recipient_agency_id: int | None
    recipient_kind: str
    lead_agency_kind: str
    sharing_agency_ids: frozenset[int] = frozenset()  # originators of consent-requiring rules to the recipient
    recorder_agency_id: int | None = None  # None while it is being recorded

    def receives(self, agency_id: int, kind: str) -> bool:
        """Does an agency (id, kind) receive under this consent?"""
        if self.recipient_agency_id is not None:
            return self.recipient_agency_id == agency_id
        return self.recipient_kind == kind


def _leads(actor, case: CaseFacts) -> str | None:
    if actor.id == case.coordinator_id:
        return "the case coordinator"
    if actor.agency_id == case.lead_agency_id:
        return "a practitioner of the lead agency"
    return None


def _give(actor, consent: ConsentRecordFacts, case: CaseFacts) -> Decision:
    if consent.receives(actor.agency_id, actor.agency_kind):
        return Decision(False, "your agency receives information under this consent, so it cannot record it; "
                               "the lead agency or the case coordinator records it")
    lead_side = _leads(actor, case)
    if lead_side:
        return Decision(True, f"recorded by {lead_side}")
    if consent.receives(case.lead_agency_id, consent.lead_agency_kind):
        if actor.agency_id in consent.sharing_agency_ids:
            return Decision(True, "the lead agency receives under this consent; recorded by an agency that "
                                  "shares with it under a consent-requiring agreement")
        return Decision(False, "the lead agency receives under this consent; an agency that shares with it under "
                               "a consent-requiring agreement records it")
    return Decision(False, "only a practitioner of the lead agency or the case coordinator records consent")


def _offer(actor, consent: ConsentRecordFacts | None, case: CaseFacts) -> Decision:
    """Whether to offer the form at all: the lead side records consents, and an agency sharing with
    the lead agency under consent records the consents the lead agency receives under. `consent`
    carries only `sharing_agency_ids` (towards the lead agency) here: the recipient is not chosen yet."""
    lead_side = _leads(actor, case)
    if lead_side:
        return Decision(True, lead_side)
    if consent is not None and actor.agency_id in consent.sharing_agency_ids:
        return Decision(True, "your agency shares with the lead agency under consent")
    return Decision(False, "only a practitioner of the lead agency or the case coordinator records consent")


def _sees_evidence(actor, consent: ConsentRecordFacts, case: CaseFacts) -> Decision:
    lead_side = _leads(actor, case)
    if lead_side:
        return Decision(True, lead_side)
    if consent.receives(actor.agency_id, actor.agency_kind):
        return Decision(True, "your agency receives under this consent")
    if consent.recorder_agency_id is not None and consent.recorder_agency_id == actor.agency_id:
        return Decision(True, "your agency recorded this consent")
    return Decision(False, "the evidence is for the lead agency, the coordinator, the recipient and the recorder")


def decide_consent(actor, action: ConsentAction, consent: ConsentRecordFacts | None, case: CaseFacts) -> Decision:
    """May `actor` (who may see the case) do `action` to this consent? The basis or the refusal."""
    if not role_allows(actor, Perm.CONSENT_MANAGE if action != ConsentAction.SEE_EVIDENCE else Perm.CASE_VIEW):
        return Decision(False, f"role {actor.role} does not handle consent")
    if actor.id not in case.team_ids:
        return Decision(False, "not on the case team")
    match action:
        case ConsentAction.WITHDRAW:
            return Decision(True, "any member of the case team records a withdrawal")
        case ConsentAction.OFFER:
            return _offer(actor, consent, case)
        case ConsentAction.GIVE if consent is not None:
            return _give(actor, consent, case)
        case ConsentAction.SEE_EVIDENCE if consent is not None:
            return _sees_evidence(actor, consent, case)
    return Decision(False, f"{action} needs a consent")


def evidence_visible(actor, case: CaseFacts) -> Q:
    """Query filter (on Consent) for the consents of a case whose evidence `actor` may read: the
    filter half of `decide_consent(..., SEE_EVIDENCE, ...)`, for an actor on the case team."""
    if not role_allows(actor, Perm.CASE_VIEW) or actor.id not in case.team_ids:
        return Q(pk__in=[])
    if _leads(actor, case):
        return Q()
    return (Q(recipient_agency_id=actor.agency_id) | Q(recipient_agency__isnull=True, recipient_kind=actor.agency_kind)
            | Q(recorder_agency_id=actor.agency_id))


def require_consent(actor, action: ConsentAction, consent: ConsentRecordFacts | None, case: CaseFacts) -> Decision:
    """403 with the reason when the actor (who sees the case) may not do this."""
    decision = decide_consent(actor, action, consent, case)
    if not decision:
        raise Forbidden(decision.reason, code="consent_not_allowed")
    return decision
