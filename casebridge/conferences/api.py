"""Conferences on the REST API, through the same services as the web pages.

What a conference shows of case content (agenda texts, attendee names, actions, the briefing pack)
is what the caller may read under the sharing rule; the rest is left out, not counted.
"""

from ninja import Router, Status

from casebridge.api.auth import token
from casebridge.api.errors import ERRORS, responses
from casebridge.audit import services as audit
from casebridge.cases import services as cases
from casebridge.conferences import actions, kinds, minutes, packs, pdf, proposals, running, services, viewing
from casebridge.conferences.schemas import (ActionIn, ActionOut, ActionUpdateIn, AgendaIn, AgendaOut, AttendanceIn,
                                            ConferenceOut, ConferenceSummary, ConveneIn, DismissIn, KindOut,
                                            MinutesIn, PackOut, ParticipantOut, ProposalOut, ReplyIn, StepIn)
from casebridge.dataprotection.api import PDF_RESPONSE
from casebridge.documents.pdf import as_response
from casebridge.policy import Perm

router = Router(tags=["conferences"])


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
    return [_summary(c) for c in viewing.case_conferences(actor=request.user, case=case)]


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
        view = viewing.read_conference(actor=request.user, conference_id=conference_id, purpose=request.purpose)
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
    return _summary(running.record_attendance(actor=request.user, conference_id=conference_id,
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
    return _summary(running.cancel(actor=request.user, conference_id=conference_id, purpose=request.purpose))


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


@router.post("/conferences/{int:conference_id}/advance", response=responses(ConferenceSummary),
             auth=token(Perm.CONFERENCE_RUN))
def advance(request, conference_id: int, payload: StepIn):
    """Move the conference on to its kind's next phase (its convener or chair)."""
    return _summary(running.advance(actor=request.user, conference_id=conference_id,
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
