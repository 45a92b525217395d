"""Conferences on the REST API, through the same services as the web pages.

What a conference shows of case content (agenda texts, attendee names, actions, the briefing pack)
is what the caller may read under the sharing rule; the rest is left out, not counted.
"""

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Router, Schema, Status

from casebridge.api.auth import token
from casebridge.audit import services as audit
from casebridge.api.errors import ERRORS, responses
from casebridge.cases import services as cases
from casebridge.cases.schemas import AgencyRef, PractitionerRef
from casebridge.conferences import actions, kinds, minutes, packs, pdf, proposals, services
from casebridge.dataprotection.api import PDF_RESPONSE
from casebridge.dataprotection.pdf import as_response
from casebridge.conferences.models import ActionStatus, Attendance, Relation, Reply, Trigger
from casebridge.policy import Perm

router = Router(tags=["conferences"])
TEXT = settings.CASEBRIDGE_MAX_TEXT


class KindOut(Schema):
    code: str
    label: str
    purpose: str
    conveners: list[str]
    chairs: list[str]
    core: list[str]
    on_request: list[str]
    client_attends: bool
    family_attends: bool
    requires_consent: bool
    confidential: bool
    min_clearance: int
    phases: list[str]
    agenda: list[dict]


class ConferenceSummary(Schema):
    id: int
    case_id: int
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online_link: str
    step: int
    chair: PractitionerRef
    version: int


class ParticipantOut(Schema):
    id: int
    practitioner: PractitionerRef | None
    agency: AgencyRef | None
    relation: Relation | None = Field(None, description="For an attendee who is not a user.")
    name: str | None = Field(None, description="An attendee's name, where you may read it.")
    core: bool
    reply: Reply
    attendance: Attendance | None
    version: int


class TextOut(Schema):
    item_id: int
    title: str
    text: str
    classification_label: str


class AgendaOut(Schema):
    id: int
    position: int
    audience: str
    text: TextOut
    linked: list[TextOut]
    reviews_actions: bool


class ActionOut(Schema):
    id: int
    case_id: int
    conference_id: int | None
    text: TextOut
    owner: PractitionerRef
    due_on: date
    status: ActionStatus
    overdue: bool
    version: int


class DecisionOut(Schema):
    decision: TextOut
    rationale: TextOut
    options: TextOut | None
    dissent: TextOut | None


class ItemNoteOut(Schema):
    agenda_position: int
    text: TextOut


class MinutesOut(Schema):
    number: int
    status: str
    item_notes: list[ItemNoteOut]
    notes: TextOut | None
    security: TextOut | None
    summary: TextOut | None
    decisions: list[DecisionOut]


class ConferenceOut(ConferenceSummary):
    participants: list[ParticipantOut]
    agenda: list[AgendaOut]
    actions: list[ActionOut]
    minutes: list[MinutesOut] = Field(..., description="Every version, newest first, with the parts you may read.")


class DecisionIn(Schema):
    decision: str = Field(..., min_length=1, max_length=2000)
    rationale: str = Field(..., min_length=1, max_length=TEXT)
    options: str = Field("", max_length=TEXT)
    dissent: str = Field("", max_length=TEXT)


class MinutesIn(Schema):
    notes: str = Field(..., min_length=1, max_length=TEXT)
    summary: str = Field(..., min_length=1, max_length=TEXT, description="Kept for the client's subject access.")
    security_notes: str = Field("", max_length=TEXT)
    classification: int | None = Field(None, ge=0, le=20)
    security_classification: int | None = Field(None, ge=0, le=20)
    decisions: list[DecisionIn] = Field(default_factory=list, max_length=20)
    item_notes: dict[int, str] = Field(default_factory=dict, description="Notes by agenda item id.")


class AttendeeIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    relation: Relation


class ConveneIn(Schema):
    kind: str = Field(..., max_length=40)
    starts_at: datetime
    ends_at: datetime
    place: str = Field("", max_length=200)
    online_link: str = Field("", max_length=500)
    chair: int = Field(..., ge=1)
    participants: list[int] = Field(default_factory=list, max_length=services.MAX_PARTICIPANTS)
    attendees: list[AttendeeIn] = Field(default_factory=list, max_length=services.MAX_ATTENDEES)
    proposal: int | None = Field(None, ge=1)
    follows: int | None = Field(None, ge=1)


class ReplyIn(Schema):
    answer: Reply
    delegate: int | None = Field(None, ge=1)
    expected_version: int | None = Field(None, ge=1)


class AgendaIn(Schema):
    heading: str = Field(..., min_length=1, max_length=200)
    notes: str = Field("", max_length=TEXT)
    audience: str = Field(kinds.Audience.EVERYONE, description="everyone, professionals or cleared.")
    classification: int | None = Field(None, ge=0, le=20)
    linked: list[int] = Field(default_factory=list, max_length=services.MAX_LINKED)


class ActionIn(Schema):
    text: str = Field(..., min_length=1, max_length=TEXT)
    owner: int = Field(..., ge=1)
    due_on: date
    classification: int | None = Field(None, ge=0, le=20)


class ActionUpdateIn(Schema):
    status: ActionStatus
    note: str = Field("", max_length=TEXT)
    expected_version: int | None = Field(None, ge=1)


class AttendanceIn(Schema):
    attendance: dict[int, Attendance]


class ProposalOut(Schema):
    id: int
    case_id: int
    kind: str
    trigger: Trigger
    moment: date
    due_on: date
    status: str


class DismissIn(Schema):
    reason: str = Field(..., min_length=1, max_length=TEXT)


class PackItemOut(TextOut):
    originating_agency: str
    fact_date: date
    category: str
    basis: str


class PackAgendaOut(Schema):
    heading: str
    text: PackItemOut
    linked: list[PackItemOut]


class PackOut(Schema):
    conference_id: int
    case_reference: str
    prepared_for: str
    summary: PackItemOut | None
    agenda: list[PackAgendaOut]
    actions: list[ActionOut]
    recent: list[PackItemOut]


def _text(item) -> dict:
    return {"item_id": item.pk, "title": item.title, "text": item.body,
            "classification_label": item.classification_label}


def _action(action) -> dict:
    return {"id": action.pk, "case_id": action.case_id, "conference_id": action.conference_id,
            "text": _text(action.text), "owner": action.owner, "due_on": action.due_on, "status": action.status,
            "overdue": action.overdue(cases.today()), "version": action.version}


def _summary(conference) -> dict:
    fields = ("id", "case_id", "kind", "status", "starts_at", "ends_at", "place", "online_link", "step", "chair",
              "version")
    return {name: getattr(conference, name) for name in fields}


@router.get("/conference-kinds", response=responses(list[KindOut]), auth=token(Perm.CONFERENCE_VIEW))
def conference_kinds(request):
    """The conference kinds in force: the defaults and the deployment's own."""
    return [{**{name: getattr(k, name) for name in ("code", "client_attends", "family_attends", "requires_consent",
                                                     "confidential", "min_clearance")},
             "label": str(k.label), "purpose": str(k.purpose),
             **{name: sorted(getattr(k, name)) for name in ("conveners", "chairs", "core", "on_request")},
             "phases": [str(p) for p in k.phases],
             "agenda": [{"heading": str(a.heading), "audience": a.audience} for a in k.agenda]}
            for k in kinds.all_kinds().values()]


@router.get("/cases/{int:case_id}/conferences", response=responses(list[ConferenceSummary]),
            auth=token(Perm.CONFERENCE_VIEW))
def list_conferences(request, case_id: int):
    """The conferences of the case you may know of (a confidential one only if you take part)."""
    case, _decision = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    return [_summary(c) for c in services.case_conferences(actor=request.user, case=case)]


@router.post("/cases/{int:case_id}/conferences", response=responses(ConferenceSummary, 201),
             auth=token(Perm.CONFERENCE_CONVENE))
def convene(request, case_id: int, payload: ConveneIn):
    """Convene a conference: invitations are e-mailed with an iCalendar entry naming the case reference only."""
    conference = services.convene(
        actor=request.user, case_id=case_id, kind=payload.kind, starts_at=payload.starts_at, ends_at=payload.ends_at,
        chair_id=payload.chair, participant_ids=payload.participants, place=payload.place,
        online_link=payload.online_link, attendees=[a.dict() for a in payload.attendees],
        proposal_id=payload.proposal, follows_id=payload.follows, purpose=request.purpose)
    return Status(201, _summary(conference))


@router.get("/conferences/{int:conference_id}", response=responses(ConferenceOut), auth=token(Perm.CONFERENCE_VIEW))
def get_conference(request, conference_id: int):
    """The conference: participants listed to you, the agenda items for you whose texts you may read, the
    actions you may read."""
    with audit.consultation(actor=request.user, purpose=request.purpose):  # one event for the texts shown
        view = services.read_conference(actor=request.user, conference_id=conference_id, purpose=request.purpose)
    return {**_summary(view.conference),
            "participants": [_participant(p) for p in view.people]
            + [_participant(p, name.body) for p, name in view.guests],
            "agenda": [{"id": e.pk, "position": e.position, "audience": e.audience, "text": _text(text),
                        "linked": [_text(i) for i in linked], "reviews_actions": e.reviews_actions}
                       for e, text, linked in view.agenda],
            "actions": [_action(a) for a in view.actions],
            "minutes": [_minutes(m) for m in view.minutes]}


def _maybe(item):
    return _text(item) if item is not None else None


def _minutes(view) -> dict:
    return {"number": view.minutes.number, "status": view.minutes.status, "notes": _maybe(view.notes),
            "item_notes": [{"agenda_position": position, "text": _text(note)} for position, note in view.item_notes],
            "security": _maybe(view.security), "summary": _maybe(view.summary),
            "decisions": [{"decision": _text(d.text), "rationale": _text(d.rationale), "options": _maybe(d.options),
                           "dissent": _maybe(d.dissent)} for d in view.decisions]}


def _participant(p, name=None) -> dict:
    return {"id": p.pk, "practitioner": p.practitioner, "agency": p.agency, "relation": p.relation or None,
            "name": name, "core": p.core, "reply": p.reply, "attendance": p.attendance or None, "version": p.version}


@router.post("/conferences/{int:conference_id}/reply", response=responses(ParticipantOut),
             auth=token(Perm.CONFERENCE_VIEW))
def reply(request, conference_id: int, payload: ReplyIn):
    """Accept, decline, or delegate to a colleague of your agency who can take part."""
    mine = services.reply(actor=request.user, conference_id=conference_id, answer=payload.answer,
                          delegate_id=payload.delegate, expected_version=payload.expected_version,
                          purpose=request.purpose)
    return _participant(mine)


@router.post("/conferences/{int:conference_id}/agenda", response=responses(AgendaOut, 201),
             auth=token(Perm.CONFERENCE_RUN))
def add_agenda_item(request, conference_id: int, payload: AgendaIn):
    """Add an agenda item (the convener or chair)."""
    entry = services.add_agenda_item(actor=request.user, conference_id=conference_id, heading=payload.heading,
                                     notes=payload.notes, audience=payload.audience, linked_item_ids=payload.linked,
                                     classification=payload.classification, purpose=request.purpose)
    return Status(201, {"id": entry.pk, "position": entry.position, "audience": entry.audience,
                        "text": _text(entry.text_item), "linked": [_text(i) for i in entry.linked.all()],
                        "reviews_actions": entry.reviews_actions})


@router.post("/conferences/{int:conference_id}/actions", response=responses(ActionOut, 201),
             auth=token(Perm.CONFERENCE_RUN))
def set_action(request, conference_id: int, payload: ActionIn):
    """Set an action (the convener or chair) for an owner who can read it."""
    action = actions.set_action(actor=request.user, conference_id=conference_id, text=payload.text,
                                owner_id=payload.owner, due_on=payload.due_on, classification=payload.classification,
                                purpose=request.purpose)
    action.text = action.text_item
    return Status(201, _action(action))


@router.post("/conferences/{int:conference_id}/attendance", response=responses(ConferenceSummary),
             auth=token(Perm.CONFERENCE_RUN))
def attendance(request, conference_id: int, payload: AttendanceIn):
    """Record attendance; the conference is then held."""
    return _summary(services.record_attendance(actor=request.user, conference_id=conference_id,
                                               attendance=payload.attendance, purpose=request.purpose))


@router.post("/conferences/{int:conference_id}/minutes", response=responses(ConferenceSummary, 201),
             auth=token(Perm.CONFERENCE_RUN))
def record_minutes(request, conference_id: int, payload: MinutesIn):
    """Record a new version of the minutes of a conference that was held (its convener or chair)."""
    made = minutes.record_minutes(actor=request.user, conference_id=conference_id, notes=payload.notes,
                                  summary=payload.summary, security_notes=payload.security_notes,
                                  decisions=[d.dict() for d in payload.decisions], item_notes=payload.item_notes,
                                  classification=payload.classification,
                                  security_classification=payload.security_classification, purpose=request.purpose)
    return Status(201, _summary(made.conference))


@router.post("/conferences/{int:conference_id}/minutes/{int:number}/approve", response=responses(ConferenceSummary),
             auth=token(Perm.CONFERENCE_RUN))
def approve_minutes(request, conference_id: int, number: int):
    """The chair approves the newest version of the minutes."""
    approved = minutes.approve_minutes(actor=request.user, conference_id=conference_id, number=number,
                                       purpose=request.purpose)
    return _summary(approved.conference)


@router.post("/conferences/{int:conference_id}/cancel", response=responses(ConferenceSummary),
             auth=token(Perm.CONFERENCE_RUN))
def cancel(request, conference_id: int):
    """Cancel a scheduled conference; the participants are told."""
    return _summary(services.cancel(actor=request.user, conference_id=conference_id, purpose=request.purpose))


def _pack_item(item, basis) -> dict:
    return {**_text(item), "originating_agency": item.originating_agency.name, "fact_date": item.fact_date,
            "category": item.category, "basis": basis}


@router.get("/conferences/{int:conference_id}/pack", response=responses(PackOut), auth=token(Perm.CONFERENCE_VIEW))
def pack(request, conference_id: int):
    """Your own briefing pack, decided for the purpose case conference, each item with its basis."""
    found = packs.briefing_pack(actor=request.user, conference_id=conference_id)
    return {"conference_id": found.conference.pk, "case_reference": found.conference.case.reference,
            "prepared_for": f"{found.person.display_name}, {found.person.agency.name}",
            "summary": _pack_item(*found.summary) if found.summary else None,
            "agenda": [{"heading": p.text.title, "text": _pack_item(p.text, p.basis),
                        "linked": [_pack_item(*pair) for pair in p.linked]} for p in found.agenda],
            "actions": [_action(a) for a in found.actions],
            "recent": [_pack_item(*pair) for pair in found.recent]}


@router.get("/conferences/{int:conference_id}/pack.pdf", response=ERRORS, auth=token(Perm.CONFERENCE_VIEW),
            openapi_extra=PDF_RESPONSE)
def pack_pdf(request, conference_id: int):
    """Your own briefing pack as a PDF: its highest classification and your name on every page."""
    found = packs.briefing_pack(actor=request.user, conference_id=conference_id, fmt="pdf")
    return as_response(pdf.pack_pdf(found), f"briefing-pack-{found.conference.case.reference}.pdf")


@router.get("/conferences/{int:conference_id}/attendees/{int:participant_id}/pack.pdf", response=ERRORS,
            auth=token(Perm.CONFERENCE_RUN), openapi_extra=PDF_RESPONSE)
def attendee_pack_pdf(request, conference_id: int, participant_id: int):
    """The plain-language pack of an attendee who is not a user, to print: only what was released for the client."""
    found = packs.attendee_pack(actor=request.user, conference_id=conference_id, participant_id=participant_id)
    return as_response(pdf.attendee_pdf(found), f"meeting-{found.conference.case.reference}.pdf")


class StepIn(Schema):
    expected_step: int | None = Field(None, ge=0, le=50)


@router.post("/conferences/{int:conference_id}/advance", response=responses(ConferenceSummary),
             auth=token(Perm.CONFERENCE_RUN))
def advance(request, conference_id: int, payload: StepIn):
    """Move the conference on to its kind's next phase (its convener or chair)."""
    return _summary(services.advance(actor=request.user, conference_id=conference_id,
                                     expected_step=payload.expected_step, purpose=request.purpose))


@router.get("/me/actions", response=responses(list[ActionOut]), auth=token(Perm.CONFERENCE_VIEW))
def my_actions(request):
    """Your open actions, soonest due first."""
    return [_action(a) for a in actions.my_actions(request.user, request.purpose)]


@router.post("/actions/{int:action_id}", response=responses(ActionOut), auth=token(Perm.CONFERENCE_VIEW))
def update_action(request, action_id: int, payload: ActionUpdateIn):
    """Mark progress on an action (its owner, the conference's chair or convener, the case's coordinator)."""
    action = actions.update_action(actor=request.user, action_id=action_id, status=payload.status, note=payload.note,
                                   expected_version=payload.expected_version, purpose=request.purpose)
    return _action(action)


@router.get("/me/proposals", response=responses(list[ProposalOut]), auth=token(Perm.CASE_MANAGE))
def my_proposals(request):
    """The open conference proposals on the cases you manage."""
    return list(proposals.open_proposals(request.user))


@router.post("/proposals/{int:proposal_id}/dismiss", response=responses(ProposalOut),
             auth=token(Perm.CASE_MANAGE))
def dismiss(request, proposal_id: int, payload: DismissIn):
    """Dismiss a proposal with a reason (a note of your agency)."""
    return proposals.dismiss(actor=request.user, proposal_id=proposal_id, reason=payload.reason,
                             purpose=request.purpose)
