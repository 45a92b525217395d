"""Formal decisions on the REST API, through the same services as the web pages.

A decision lists as its basis only the items the caller may read; the others are left out, not
counted, so a decision never reveals that an unreadable item exists.
"""

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Router, Schema, Status

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.cases.schemas import AgencyRef, CarriedTextOut, PractitionerRef
from casebridge.decisions import services
from casebridge.decisions.forms import MAX_BASIS
from casebridge.decisions.models import DecisionKind
from casebridge.policy import Perm
from casebridge.vocabulary import Category

router = Router(tags=["decisions"])


class BasisItemOut(Schema):
    id: int
    title: str
    classification_label: str


class DecisionOut(Schema):
    id: int
    case_id: int
    kind: DecisionKind
    text: CarriedTextOut = Field(..., description="What was decided, with the item carrying it. A decision "
                                 "whose text you may not read is not listed at all.")
    decided_on: date
    agency: AgencyRef
    decided_by: PractitionerRef
    recorded_at: datetime
    basis: list[BasisItemOut] = Field(..., description="The basis items you may read.")


class DecisionIn(Schema):
    kind: DecisionKind
    text: str = Field(..., min_length=1, max_length=settings.CASEBRIDGE_MAX_TEXT)
    decided_on: date
    basis: list[int] = Field(default_factory=list, max_length=MAX_BASIS, description="Ids of items of the case.")
    category: Category | None = Field(None, description="Category of the decision's text, which decides who sees "
                                      "the decision; default: the one the kind suggests.")
    classification: int | None = Field(None, ge=0, description="Classification of the decision's text; default "
                                       "RESTRICTED (or your clearance if lower).")


def _out(decision, basis) -> dict:
    # Built field by field: `decision.basis` holds every basis item, and only `basis` may go out.
    # The text item is readable: decisions_for_case lists only those, and a new one is the caller's.
    fields = ("id", "case_id", "kind", "decided_on", "agency", "decided_by", "recorded_at")
    text = decision.text_item
    return {**{name: getattr(decision, name) for name in fields}, "basis": list(basis),
            "text": {"item_id": text.pk, "text": text.body, "category": text.category,
                     "classification_label": text.classification_label}}


@router.get("/cases/{int:case_id}/decisions", response=responses(list[DecisionOut]), auth=token(Perm.CASE_VIEW))
def list_decisions(request, case_id: int):
    """The formal decisions on the case whose text the caller may read, newest first, each with the basis
    items the caller may read. The others are not listed."""
    rows = services.decisions_for_case(actor=request.user, case_id=case_id, purpose=request.purpose)
    return [_out(decision, basis) for decision, basis in rows]


@router.post("/cases/{int:case_id}/decisions", response=responses(DecisionOut, 201),
             auth=token(Perm.DECISION_RECORD))
def record_decision(request, case_id: int, payload: DecisionIn):
    """Record a decision of the caller's agency; intelligence and NO-DECISION items cannot be its basis."""
    decision = services.record_decision(actor=request.user, case_id=case_id, kind=payload.kind, text=payload.text,
                                        decided_on=payload.decided_on, basis_item_ids=payload.basis,
                                        category=payload.category, classification=payload.classification,
                                        purpose=request.purpose)
    return Status(201, _out(decision, decision.basis.all()))
