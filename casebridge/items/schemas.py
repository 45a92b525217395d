"""Shapes of information items on the API: what clients send (bounded) and what they get back.

Source and method are in `OwnItemOut` only, which `item_out` builds for the originating agency
alone. Every other caller gets `ItemOut`, a schema without those fields, so they are not there to
fill: an ORM object passed where ItemOut is declared cannot carry them out either.
"""

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from ninja import Field, Schema

from casebridge import policy
from casebridge.cases.schemas import AgencyRef, PractitionerRef
from casebridge.items.models import Carrier, InformationAccuracy, Nature, SourceReliability
from casebridge.vocabulary import Category

MAX_TEXT = settings.CASEBRIDGE_MAX_TEXT


# --- Out ------------------------------------------------------------------------------------

class AttachmentOut(Schema):
    id: int
    item_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ItemOut(Schema):
    """An item as any reader sees it, with the basis on which the caller reads it.

    The originating agency also gets `source_text`, `method_text`, `derived_from` and
    `derivatives`; for everyone else those keys are absent."""

    id: int
    case_id: int
    category: Category
    nature: Nature
    title: str
    body: str
    fact_date: date
    classification: int
    classification_label: str
    handling_codes: list[str]
    orcon: bool
    no_decision: bool
    no_cross_border: bool
    intelligence: bool
    source_reliability: str
    information_accuracy: int | None
    is_derivative: bool = Field(..., description="A sanitised derivative (tearline) of another item.")
    carrier: Carrier = Field(Carrier.RECORD, description="What the item carries: an ordinary record, or a text of "
                             "the case record (a handover note, the case summary, a decision's text ...).")
    originating_agency: AgencyRef
    author: PractitionerRef
    version: int
    created_at: datetime
    updated_at: datetime
    retracted: bool
    retracted_at: datetime | None
    retraction_reason: str
    attachments: list[AttachmentOut]
    visible_because: str = ""


class OwnItemOut(ItemOut):
    """An item as its originating agency sees it."""

    source_text: str
    method_text: str
    derived_from: int | None
    derivatives: list[int]
    lifted_markings: list[str] = Field([], description="Markings of the original lifted on this derivative.")
    lift_reason: str = Field("", description="Why they were lifted (your agency only).")


def item_out(actor, item, decision) -> ItemOut:
    """The item for this caller: with source and method only for the originating agency."""
    public = ItemOut.from_orm(item).model_copy(update={"visible_because": decision.reason})
    if not policy.may_see_source_and_method(actor, item):
        return public
    return OwnItemOut(**public.model_dump(), source_text=item.source_text, method_text=item.method_text,
                      derived_from=item.derived_from_id, lifted_markings=item.lifted_markings,
                      lift_reason=item.lift_reason,
                      derivatives=list(item.derivatives.order_by("pk").values_list("pk", flat=True)))


class HiddenByPurposeOut(Schema):
    purpose: str
    label: str
    count: int = Field(..., description="Items hidden for the declared purpose that this purpose would show.")


class TimelineOut(Schema):
    total: int = Field(..., description="Items on the case the caller may read (with the filter).")
    offset: int
    limit: int
    items: list[ItemOut]
    hidden_by_purpose: list[HiddenByPurposeOut] = Field(
        [], description="Items the declared purpose hides that another purpose your role may declare would show.")


class ReaderOut(Schema):
    at: datetime
    person: str
    agency: str
    operation: str = Field(..., description="The audit event's operation: Read, List or Search.")
    how: str = Field(..., description="How the item reached the reader: opened the item, shown with the "
                                      "case (a case page or record), listed, or found by a search.")
    purpose: str
    basis: str


class RetractOut(Schema):
    item: ItemOut
    readers: list[ReaderOut] = Field(..., description="Who outside your agency read the item or its derivatives.")


class UseRightOut(Schema):
    action: str
    allowed: bool
    reason: str


class ItemDisclosureOut(Schema):
    id: int
    item_id: int
    recipient: AgencyRef
    justification: str
    allow_decision_use: bool
    disclosed_at: datetime
    disclosed_by: PractitionerRef
    revoked_at: datetime | None
    active: bool

    @staticmethod
    def resolve_active(obj) -> bool:
        return obj.revoked_at is None


class PreviewItemOut(Schema):
    id: int
    title: str
    category: Category
    classification: int
    classification_label: str
    handling_codes: list[str]
    visible: bool
    basis: str | None


class PreviewOut(Schema):
    agency: AgencyRef
    member: bool = Field(..., description="Whether the agency is an active member covering the current phase.")
    note: str
    items: list[PreviewItemOut]


# --- In -------------------------------------------------------------------------------------

class MarkingsIn(Schema):
    nature: Nature = Nature.FACT
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=MAX_TEXT)
    fact_date: date
    classification: int = Field(0, ge=0, le=99,
                                description="Rank of the level, 0 = the lowest; at most your clearance.")
    orcon: bool = False
    no_decision: bool = False
    no_cross_border: bool = False
    intelligence: bool = False
    source_reliability: SourceReliability | None = None
    information_accuracy: InformationAccuracy | None = None


class ItemIn(MarkingsIn):
    category: Category
    source_text: str = Field("", max_length=MAX_TEXT, description="Only your agency will ever see this.")
    method_text: str = Field("", max_length=MAX_TEXT, description="Only your agency will ever see this.")


class ItemPatch(Schema):
    """Only the fields sent change; `expected_version` is the item's version when it was read."""

    expected_version: int
    change_note: str = Field(..., min_length=1, max_length=MAX_TEXT)
    category: Category | None = None
    nature: Nature | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    fact_date: date | None = None
    classification: int | None = Field(None, ge=0, le=99)
    orcon: bool | None = None
    no_decision: bool | None = None
    no_cross_border: bool | None = None
    intelligence: bool | None = None
    source_reliability: SourceReliability | None = None
    information_accuracy: InformationAccuracy | None = None
    source_text: str | None = Field(None, max_length=MAX_TEXT)
    method_text: str | None = Field(None, max_length=MAX_TEXT)


class DeriveIn(MarkingsIn):
    """A sanitised derivative: its category is the original's; it has no source or method. It
    inherits the original's intelligence flag, NO-DECISION and NO-CROSS-BORDER unless `lift` names
    them, with `lift_reason`."""

    lift: list[Literal["intelligence", "no_decision", "no_cross_border"]] = Field(
        [], description="Inherited markings to lift (only those the original carries).")
    lift_reason: str = Field("", max_length=MAX_TEXT, description="Required when lifting; kept for your agency only.")


class RetractIn(Schema):
    reason: str = Field(..., min_length=1, max_length=MAX_TEXT)


class DiscloseIn(Schema):
    recipient: int = Field(..., description="Agency id of a member of the case.")
    justification: str = Field(..., min_length=1, max_length=MAX_TEXT)
    allow_decision_use: bool = Field(False, description="Lift NO-DECISION / intelligence for this recipient.")
