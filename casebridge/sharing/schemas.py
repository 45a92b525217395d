"""Shapes of agreements, consents and disclosures on the API: what clients send (bounded) and get back.

Rules the services check (parties, purposes, dates in order, rules between parties) are not
repeated here, so the API answers with the same words as the web pages.
"""

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Schema

from casebridge.cases.schemas import AgencyRef, PractitionerRef
from casebridge.cases.services import today
from casebridge.items.models import Nature
from casebridge.sharing.models import AgreementStatus
from casebridge.vocabulary import AgencyKind, Category, Purpose

MAX_TEXT = settings.CASEBRIDGE_MAX_TEXT


# --- Out ------------------------------------------------------------------------------------

class PartyOut(Schema):
    agency: AgencyRef
    signed_by: PractitionerRef | None
    signed_at: datetime | None


class RuleOut(Schema):
    originator: AgencyRef
    recipient: AgencyRef
    category: Category
    max_classification: int
    max_classification_label: str
    consent_required: bool


class AgreementVersionOut(Schema):
    id: int = Field(..., description="The version's id; agreement_id names the agreement across versions.")
    agreement_id: int
    title: str
    number: int
    status: AgreementStatus
    effective_status: AgreementStatus = Field(..., description="`expired` once an active version is past valid_to.")
    status_reason: str
    suspended_by_agency_id: int | None = Field(None, description="While suspended: the party that suspended it, "
                                                                 "the only one that may resume it.")
    legal_basis: str
    purposes: list[Purpose]
    valid_from: date
    valid_to: date | None
    created_at: datetime
    parties: list[PartyOut]
    rules: list[RuleOut]
    signed: int = Field(..., description="How many parties have signed.")

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.agreement.title

    @staticmethod
    def resolve_effective_status(obj) -> str:
        return obj.effective_status(today())

    @staticmethod
    def resolve_purposes(obj) -> list[str]:
        return [p.purpose for p in obj.purposes.all()]

    @staticmethod
    def resolve_parties(obj):
        return obj.parties.all()

    @staticmethod
    def resolve_rules(obj):
        return obj.rules.all()

    @staticmethod
    def resolve_signed(obj) -> int:
        return sum(1 for p in obj.parties.all() if p.signed_at is not None)


class ConsentFileOut(Schema):
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ConsentOut(Schema):
    """A consent. Its evidence (note, signed form, withdrawal note) is given only to those who may
    read it (the lead agency, the coordinator, the recipient, the recorder): `evidence_visible`
    says whether you may, and the evidence fields are null when you may not."""

    id: int
    client_id: int
    recipient_agency: AgencyRef | None
    recipient_kind: AgencyKind | None
    recipient_label: str
    categories: list[Category]
    purpose: Purpose
    given_on: date
    active: bool
    withdrawn_at: datetime | None
    withdrawn_by: PractitionerRef | None
    recorded_by: PractitionerRef
    recorded_at: datetime
    evidence_visible: bool
    evidence: str | None = Field(None, description="How and where consent was given.")
    evidence_file: ConsentFileOut | None = Field(
        None, description="The signed form; download it from /cases/{case_id}/consents/{id}/form.")
    withdrawal_note: str | None = None


def consent_out(row) -> ConsentOut:
    """The consent as this reader may see it (a services.ConsentRow)."""
    consent = row.consent
    document = getattr(consent, "document", None) if row.evidence else None
    return ConsentOut(
        id=consent.pk, client_id=consent.client_id, recipient_agency=consent.recipient_agency,
        recipient_kind=consent.recipient_kind or None, recipient_label=consent.recipient_label,
        categories=[c.category for c in consent.categories.all()], purpose=consent.purpose,
        given_on=consent.given_on, active=consent.withdrawn_at is None, withdrawn_at=consent.withdrawn_at,
        withdrawn_by=consent.withdrawn_by, recorded_by=consent.recorded_by, recorded_at=consent.recorded_at,
        evidence_visible=row.evidence, evidence=consent.evidence if row.evidence else None,
        evidence_file=ConsentFileOut.from_orm(document) if document is not None else None,
        withdrawal_note=consent.withdrawal_note if row.evidence else None)


class DisclosedItemOut(Schema):
    id: int
    title: str
    category: Category
    nature: Nature
    classification: int
    classification_label: str
    handling_codes: list[str]
    originating_agency: AgencyRef


class DisclosureOut(Schema):
    id: int
    item: DisclosedItemOut
    recipient: AgencyRef
    justification: str
    allow_decision_use: bool
    disclosed_by: PractitionerRef
    disclosed_at: datetime
    revoked_at: datetime | None
    revoked_by: PractitionerRef | None


# --- In -------------------------------------------------------------------------------------

class RuleIn(Schema):
    originator: int = Field(..., description="Agency id of a party.")
    recipient: int = Field(..., description="Agency id of another party.")
    categories: list[Category] = Field(..., max_length=len(Category.values))
    max_classification: int = Field(0, ge=0, description="Highest classification rank shared (0 = lowest).")
    consent_required: bool = False


class TermsIn(Schema):
    """The terms of a new version; the agreement's title stays as it is."""

    parties: list[int] = Field(..., max_length=50, description="Agency ids; at least two.")
    legal_basis: str = Field(..., max_length=MAX_TEXT)
    purposes: list[Purpose] = Field(..., max_length=len(Purpose.values))
    valid_from: date
    valid_to: date | None = Field(None, description="Last day the agreement applies; null for open-ended.")
    rules: list[RuleIn] = Field(..., max_length=100)


class AgreementIn(TermsIn):
    title: str = Field(..., max_length=200)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=MAX_TEXT)


class ConsentIn(Schema):
    recipient_agency: int | None = Field(None, description="Agency id; or give recipient_kind instead.")
    recipient_kind: AgencyKind | None = Field(None, description="Every agency of this kind.")
    categories: list[Category] = Field(..., max_length=len(Category.values))
    purpose: Purpose
    evidence: str = Field("", max_length=MAX_TEXT,
                          description="How and where consent was given; required unless the signed form is sent.")
    given_on: date


class WithdrawIn(Schema):
    note: str = Field("", max_length=MAX_TEXT)
