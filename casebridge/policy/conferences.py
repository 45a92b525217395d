"""Who may know of a case conference, who runs it, and which agenda items are for whom.

A conference's structure (kind, time, place, who is invited and who replied) is organisation the
case team shares: anyone who may see the case sees its conferences, except a confidential kind's
(the security conference), which only its participants, its convener and its chair know of. What
is said at a conference, its agenda texts, attendee names and actions, are items under the sharing
rule (`policy.items`); the audience of an agenda item narrows who it is for, never widens it.

As everywhere in the policy, the single-record test and the query filter stand side by side.
"""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from casebridge.errors import Forbidden, NotVisible
from casebridge.policy.cases import CaseFacts, decide_case, visible_cases
from casebridge.policy.core import Decision, Perm, role_allows

CLEARED = 2  # the clearance a "security-cleared professionals only" agenda item asks for (CONFIDENTIAL)


@dataclass(frozen=True)
class ConferenceFacts:
    id: int
    case_id: int
    confidential: bool
    convened_by_id: int
    chair_id: int
    participant_ids: frozenset[int]  # the practitioners invited (a delegate too)


def _part(actor, conference: ConferenceFacts) -> str:
    if actor.id == conference.chair_id:
        return "you chair the conference"
    if actor.id == conference.convened_by_id:
        return "you convened the conference"
    if actor.id in conference.participant_ids:
        return "you are invited to the conference"
    return ""


def decide_conference(actor, perm: Perm, conference: ConferenceFacts, case: CaseFacts, today: date) -> Decision:
    """May `actor` know of the conference (CONFERENCE_VIEW) or run it (CONFERENCE_RUN: agenda, attendance,
    actions, its phases, cancelling)? Returns the basis or the refusal."""
    if not role_allows(actor, perm):
        return Decision(False, f"role {actor.role} does not grant {perm}")
    seen = decide_case(actor, Perm.CASE_VIEW, case, today)
    if not seen:
        return seen
    part = _part(actor, conference)
    if perm == Perm.CONFERENCE_RUN:
        if actor.id in (conference.chair_id, conference.convened_by_id):
            return Decision(True, part)
        return Decision(False, "only its convener and its chair run a conference")
    if part:
        return Decision(True, part)
    if conference.confidential:
        return Decision(False, "a confidential conference is known to its participants only")
    return Decision(True, "the case team knows of its conferences")


def visible_conferences(actor, today: date) -> Q:
    """Query filter on Conference selecting exactly those `decide_conference(CONFERENCE_VIEW)` allows."""
    if not role_allows(actor, Perm.CONFERENCE_VIEW):
        return Q(pk__in=[])
    Case = apps.get_model("cases", "Case")
    Participant = apps.get_model("conferences", "Participant")
    invited = Exists(Participant.objects.filter(conference=OuterRef("pk"), practitioner_id=actor.id))
    return (Q(case_id__in=Case.objects.filter(visible_cases(actor, today)).values("pk"))
            & (Q(confidential=False) | Q(chair_id=actor.id) | Q(convened_by_id=actor.id) | Q(invited)))


def require_conference(actor, perm: Perm, conference: ConferenceFacts, case: CaseFacts, today: date) -> Decision:
    """NotVisible (404) if the actor may not know of the conference, Forbidden (403) if they may but not `perm`."""
    seen = decide_conference(actor, Perm.CONFERENCE_VIEW, conference, case, today)
    if not seen:
        raise NotVisible(seen.reason)
    if perm == Perm.CONFERENCE_VIEW:
        return seen
    decision = decide_conference(actor, perm, conference, case, today)
    if not decision:
        raise Forbidden(decision.reason)
    return decision


def agenda_for(audience: str, *, professional: bool, clearance: int) -> bool:
    """Whether an agenda item of this audience is for a participant: everyone's items for all, the
    professionals' for practitioners, the security-cleared professionals' for practitioners cleared
    CONFIDENTIAL or higher. (Whether they may read its text is the sharing rule's question.)"""
    if audience == "everyone":
        return True
    if audience == "professionals":
        return professional
    return professional and clearance >= CLEARED


def for_attendees(item) -> Decision:
    """May an item go into the pack of an attendee who is not a user (the client, family)? Only what its
    originator released for the client's subject access, and never intelligence, a withheld item or a
    retracted one (the subject access rules); the preparer must also be able to read it (the caller
    decides that with `decide_item`)."""
    if not item.released:
        return Decision(False, "not released for the client by its originator")
    if item.intelligence or "intelligence" in item.inherited:
        return Decision(False, "intelligence never enters the client's own file")
    if item.withheld or item.original_withheld:
        return Decision(False, "withheld from the client with a recorded legal reason")
    if item.retracted:
        return Decision(False, "retracted by its originator")
    return Decision(True, "released for the client by its originator")
