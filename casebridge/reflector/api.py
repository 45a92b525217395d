"""The CaseReflector on the REST API, through the same services as the pages."""

from datetime import date

from django.conf import settings
from ninja import Field, Router, Schema, Status

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.policy import Perm
from casebridge.reflector import progress, services, summary
from casebridge.reflector.factors import GROUPS

router = Router(tags=["reflector"])


class FactorGroupOut(Schema):
    code: str
    name: str
    factors: list[dict] = Field(..., description="[{code, name}] in the DesistKit's order.")


class RatingIn(Schema):
    knowledge: str = Field("unknown", description="known, suspected or unknown.")
    valence: str = Field("neutral", description="resource, neutral or challenge.")
    priority: int = Field(0, ge=0, le=3)
    note: str = Field("", max_length=2000)


class SessionIn(Schema):
    held_on: date
    note: str = Field(..., min_length=1, max_length=settings.CASEBRIDGE_MAX_TEXT)
    ratings: dict[str, RatingIn] = Field(default_factory=dict, description="Factor code -> rating; factors left "
                                                                           "out keep their last rating.")
    classification: int | None = Field(None, ge=0, le=20)
    keep_in_agency: bool = Field(True, description="ORCON: the session stays with your agency.")


class GoalIn(Schema):
    text: str = Field(..., min_length=1, max_length=500)
    factor: str = Field("", max_length=40)
    agreed_on: date
    classification: int | None = Field(None, ge=0, le=20)
    keep_in_agency: bool = True


class GoalChange(Schema):
    status: str = Field(..., max_length=20)
    version: int = Field(..., description="The version you read; a stale one is refused with 409.")


class ShareIn(Schema):
    classification: int = Field(0, ge=0, le=20)
    conference_id: int | None = Field(None, description="A coming conference you take part in, to bring it to.")


class ReflectorOut(Schema):
    id: int
    case_id: int
    agency: str
    keeps: bool
    sessions: list[dict]
    goals: list[dict]
    current: dict = Field(..., description="Factor code -> the latest readable rating of it.")
    progress: list[dict] = Field(..., description="Per session: per group, resources and challenges.")


def _rating(r) -> dict:
    return {"knowledge": r.knowledge, "valence": r.valence, "priority": r.priority, "note": r.note}


def _out(view) -> dict:
    return {
        "id": view.reflector.pk, "case_id": view.reflector.case_id, "agency": view.reflector.agency.name,
        "keeps": view.keeps,
        "sessions": [{"number": s.position, "held_on": s.session.held_on, "note": s.note.body,
                      "classification": s.note.classification, "ratings": {code: _rating(r)
                                                                           for code, r in s.ratings.items()}}
                     for s in view.sessions],
        "goals": [{"id": g.pk, "text": item.body, "factor": g.factor, "status": g.status, "version": g.version,
                   "agreed_on": g.agreed_on, "reached_on": g.reached_on} for g, item in view.goals],
        "current": {code: _rating(r) for code, r in view.current().items()},
        "progress": [{"session": row["position"], "groups": {
            group.code: {"resources": resources, "challenges": challenges}
            for group, resources, challenges in row["groups"]}} for row in progress.table(view)]}


@router.get("/reflector-factors", response=responses(list[FactorGroupOut]), auth=token(Perm.CASE_LIST))
def factors(request):
    """The CaseReflector's 29 distancing factors in their four groups."""
    return [{"code": g.code, "name": str(g.name), "factors": [{"code": c, "name": str(n)} for c, n in g.factors]}
            for g in GROUPS]


@router.get("/cases/{int:case_id}/reflectors", response=responses(list[ReflectorOut]), auth=token(Perm.CASE_VIEW))
def list_reflectors(request, case_id: int):
    """The case's reflectors with what you may read of each."""
    return [_out(view) for view in services.case_reflectors(actor=request.user, case_id=case_id,
                                                            purpose=request.purpose)]


@router.post("/cases/{int:case_id}/reflectors", response=responses(ReflectorOut, 201),
             auth=token(Perm.REFLECTOR_KEEP))
def start(request, case_id: int):
    """Start your agency's reflector on the case (or get it, if it has one)."""
    made = services.start_reflector(actor=request.user, case_id=case_id, purpose=request.purpose)
    return Status(201, _out(services.read_reflector(actor=request.user, reflector_id=made.pk,
                                                    purpose=request.purpose)))


@router.get("/reflectors/{int:reflector_id}", response=responses(ReflectorOut), auth=token(Perm.CASE_VIEW))
def get_reflector(request, reflector_id: int):
    return _out(services.read_reflector(actor=request.user, reflector_id=reflector_id, purpose=request.purpose))


@router.post("/reflectors/{int:reflector_id}/sessions", response=responses(ReflectorOut, 201),
             auth=token(Perm.REFLECTOR_KEEP))
def record_session(request, reflector_id: int, payload: SessionIn):
    services.record_session(actor=request.user, reflector_id=reflector_id, held_on=payload.held_on,
                            note=payload.note, ratings={k: v.dict() for k, v in payload.ratings.items()},
                            classification=payload.classification, keep_in_agency=payload.keep_in_agency,
                            purpose=request.purpose)
    return Status(201, get_reflector(request, reflector_id))


@router.post("/reflectors/{int:reflector_id}/goals", response=responses(ReflectorOut, 201),
             auth=token(Perm.REFLECTOR_KEEP))
def set_goal(request, reflector_id: int, payload: GoalIn):
    services.set_goal(actor=request.user, reflector_id=reflector_id, text=payload.text, factor=payload.factor,
                      agreed_on=payload.agreed_on, classification=payload.classification,
                      keep_in_agency=payload.keep_in_agency, purpose=request.purpose)
    return Status(201, get_reflector(request, reflector_id))


@router.patch("/reflector-goals/{int:goal_id}", response=responses(ReflectorOut), auth=token(Perm.REFLECTOR_KEEP))
def change_goal(request, goal_id: int, payload: GoalChange):
    goal = services.change_goal(actor=request.user, goal_id=goal_id, status=payload.status,
                                expected_version=payload.version, purpose=request.purpose)
    return get_reflector(request, goal.reflector_id)


@router.get("/reflectors/{int:reflector_id}/summary", response=responses(dict), auth=token(Perm.REFLECTOR_KEEP))
def get_summary(request, reflector_id: int):
    """The non-personal summary as it stands (your agency's reflector), and the state it states."""
    reflector = services.own_reflector(request.user, reflector_id, request.purpose)
    view = services.read_reflector(actor=request.user, reflector_id=reflector.pk, purpose=request.purpose)
    last = summary.last_shared(reflector)
    return {"lines": summary.summary_lines(view, last.state if last else None), "state": summary.state_of(view)}


@router.post("/reflectors/{int:reflector_id}/summary/share", response=responses(dict, 201),
             auth=token(Perm.REFLECTOR_KEEP))
def share(request, reflector_id: int, payload: ShareIn):
    """Share the summary as an item of the case (and bring it to a coming conference you take part in)."""
    shared = summary.share_summary(actor=request.user, reflector_id=reflector_id,
                                   classification=payload.classification, conference_id=payload.conference_id,
                                   purpose=request.purpose)
    return Status(201, {"item_id": shared.item_id, "through_session": shared.through_session})
