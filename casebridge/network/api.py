"""The support network on the REST API, through the same services: a tie you may not read is a 404."""

from datetime import datetime

from django.conf import settings
from ninja import Field, Router, Schema, Status

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.network import services
from casebridge.network.models import EndReason, Kind, Relation, Stance
from casebridge.network.services import NAME_LENGTH
from casebridge.policy import Perm

router = Router(tags=["network"])


def _values(choices) -> str:
    return "One of: " + ", ".join(choices.values) + "."


class TieIn(Schema):
    name: str = Field(..., min_length=1, max_length=NAME_LENGTH)
    kind: str = Field(..., max_length=30, description=_values(Kind))
    relation: str = Field(..., max_length=30, description=_values(Relation))
    stance: str = Field(..., max_length=30, description=_values(Stance))
    strength: int = Field(..., ge=1, le=3, description="1 weak, 2 moderate, 3 strong.")
    notes: str = Field("", max_length=settings.CASEBRIDGE_MAX_TEXT)
    classification: int | None = Field(None, ge=0, le=20)


class TieChangeIn(Schema):
    version: int = Field(..., ge=1, description="The version you read; a stale one is refused (409).")
    stance: str | None = Field(None, max_length=30, description=_values(Stance))
    strength: int | None = Field(None, ge=1, le=3)
    notes: str | None = Field(None, max_length=settings.CASEBRIDGE_MAX_TEXT)


class TieEndIn(Schema):
    version: int = Field(..., ge=1)
    reason: str = Field(..., max_length=30, description=_values(EndReason))


class TieOut(Schema):
    id: int
    name: str
    kind: str
    relation: str
    stance: str
    strength: int
    notes: str
    agency: str
    classification: int
    recorded_at: datetime
    version: int
    ended_at: datetime | None
    end_reason: str | None
    basis: str = Field(..., description="Why you may read this tie.")


def _out(reading) -> dict:
    tie = reading.tie
    return {"id": tie.pk, "name": reading.name, "kind": tie.kind, "relation": tie.relation, "stance": tie.stance,
            "strength": tie.strength, "notes": reading.notes, "agency": tie.agency.name,
            "classification": reading.item.classification, "recorded_at": tie.recorded_at, "version": tie.version,
            "ended_at": tie.ended_at, "end_reason": tie.end_reason or None, "basis": reading.basis}


def _read(request, tie_id: int) -> dict:
    return _out(services.readable_tie(actor=request.user, tie_id=tie_id, purpose=request.purpose))


@router.get("/cases/{int:case_id}/network", response=responses(list[TieOut]), auth=token(Perm.CASE_VIEW))
def list_ties(request, case_id: int):
    """The case's support-network ties you may read, current and ended, in the order they were mapped."""
    return [_out(r) for r in services.readable_network(actor=request.user, case_id=case_id, purpose=request.purpose)]


@router.post("/cases/{int:case_id}/network", response=responses(TieOut, 201), auth=token(Perm.CASE_VIEW))
def map_tie(request, case_id: int, payload: TieIn):
    """Map a person or organisation around the client, for your agency."""
    tie = services.map_tie(actor=request.user, case_id=case_id, name=payload.name, kind=payload.kind,
                           relation=payload.relation, stance=payload.stance, strength=payload.strength,
                           notes=payload.notes, classification=payload.classification, purpose=request.purpose)
    return Status(201, _read(request, tie.pk))


@router.patch("/network/{int:tie_id}", response=responses(TieOut), auth=token(Perm.CASE_VIEW))
def change_tie(request, tie_id: int, payload: TieChangeIn):
    """Change a tie of your agency: stance, strength or notes, at the version you read."""
    services.change_tie(actor=request.user, tie_id=tie_id, expected_version=payload.version, stance=payload.stance,
                        strength=payload.strength, notes=payload.notes, purpose=request.purpose)
    return _read(request, tie_id)


@router.post("/network/{int:tie_id}/end", response=responses(TieOut), auth=token(Perm.CASE_VIEW))
def end_tie(request, tie_id: int, payload: TieEndIn):
    """End a tie of your agency; it stays on record."""
    services.end_tie(actor=request.user, tie_id=tie_id, expected_version=payload.version, reason=payload.reason,
                     purpose=request.purpose)
    return _read(request, tie_id)
