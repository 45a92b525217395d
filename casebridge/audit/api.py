"""The audit trail on the REST API: reading it (itself recorded) and verifying its hash chain."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.audit import reading, verification
from casebridge.audit.models import Operation
from casebridge.policy import Perm
from casebridge.vocabulary import Purpose

router = Router(tags=["audit"])


class EventFilters(Schema):
    case_id: int | None = Field(None, ge=1)
    case: str | None = Field(None, max_length=40, description="A case reference as case pages show it "
                                                              "(CB-2025-00004), or a case number.")
    operation: Operation | None = None
    actor: str | None = Field(None, max_length=150, description="Username, or full name, of whoever acted.")
    agency_id: int | None = Field(None, ge=1, description="The agency of whoever acted.")
    date_from: date | None = None
    date_to: date | None = None
    page: int = Field(1, ge=1)


class AuditEventOut(Schema):
    seq: int
    at: datetime
    operation: Operation
    purpose: Purpose | None
    actor_id: int | None
    actor_username: str
    agency_id: int | None
    agency_name: str
    object_type: str
    object_id: str
    case_id: int | None
    recipients: list
    detail: dict
    prev_hash: str
    hash: str
    partial: bool = Field(False, description="Another agency's act, shown to a DPO because it concerns their "
                                             "agency's items: the detail holds only those items' references.")

    @staticmethod
    def resolve_partial(obj) -> bool:
        return bool(getattr(obj, "partial", False))

    @staticmethod
    def resolve_purpose(obj) -> str | None:
        return obj.purpose or None  # sign-in events and the like carry none


class EventPage(Schema):
    items: list[AuditEventOut]
    page: int
    pages: int
    total: int
    per_page: int


class VerificationOut(Schema):
    ok: bool
    checked: int
    broken_seq: int | None
    reason: str


@router.get("/audit/events", response=responses(EventPage), auth=token(Perm.AUDIT_READ))
def list_events(request, filters: Query[EventFilters]):
    """One page of the events within the reader's audit scope, newest first (a DPO: their agency's
    acts and every event about its information; a system administrator: account and configuration
    events). Reading the trail is recorded in the trail."""
    events, info = reading.list_events(actor=request.user, purpose=request.purpose,
                                        filters=filters.dict(exclude_none=True))
    return {"items": events, "page": info.number, "pages": info.pages, "total": info.total,
            "per_page": info.per_page}


@router.get("/audit/events/{seq}", response=responses(AuditEventOut), auth=token(Perm.AUDIT_READ))
def get_event(request, seq: int):
    """One event by its number; 404 when it is outside the reader's audit scope."""
    return reading.get_event(actor=request.user, seq=seq, purpose=request.purpose)


@router.post("/audit/verify", response=responses(VerificationOut), auth=token(Perm.AUDIT_READ))
def verify(request):
    """Recompute the hash chain from the first event and report the first broken link, if any."""
    return verification.verify_and_record(actor=request.user, purpose=request.purpose, sign=False)
