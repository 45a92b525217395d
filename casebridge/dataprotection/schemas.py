"""Shapes of the data protection documents on the API. Each lists its fields, so an export can
never carry a field by accident."""

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Schema

from casebridge.api.text import Text
from casebridge.vocabulary import Category


class ClientRecord(Schema):
    given_name: str
    family_name: str
    aliases: list[str]
    date_of_birth: date
    nationalities: list[str]
    languages: list[str]
    residency_status: str


class PhasePeriod(Schema):
    phase: Text
    since: date


class MemberAgency(Schema):
    name: Text
    kind: Text
    starts_on: date
    ends_on: date | None


class CaseRecord(Schema):
    reference: str
    opened_on: date
    current_phase: str
    lead_agency: str
    phases: list[PhasePeriod]
    member_agencies: list[MemberAgency]


class AttachmentRecord(Schema):
    filename: str
    content_type: str
    size_bytes: int


class ItemRecord(Schema):
    case_reference: str
    recorded_by_agency: str
    category: str
    nature: str
    title: str
    text: str
    date_of_fact: date
    recorded_on: date
    version: int
    sanitised_summary_of_another_record: bool
    attachments: list[AttachmentRecord]


class SubjectAccessOut(Schema):
    title: str
    generated_at: datetime
    provided_by: str
    classification: str = Field(..., description="The highest classification of what the copy holds; every page of "
                                                 "the PDF carries it.")
    client: ClientRecord
    cases: list[CaseRecord]
    items: list[ItemRecord] = Field(..., description="What the providing agency answers for: the items it recorded "
                                                     "and those it received once released by their recording agency. "
                                                     "Never intelligence or its derivatives, withheld or retracted "
                                                     "items, and never any item's source or method.")


class WithholdIn(Schema):
    legal_reason: str = Field(..., min_length=1, max_length=settings.CASEBRIDGE_MAX_TEXT,
                              description="The legal provision and why it applies; shown to DPOs only.")


class WithheldOut(Schema):
    item_id: int
    case_reference: str
    title: str
    legal_reason: str
    recorded_by: str
    recorded_at: datetime


class PendingOut(Schema):
    """An item awaiting its originator's release: named by reference and category, never by content."""

    item_id: int
    case_reference: str
    category: str
    recorded_by_agency: str
    classification_label: str


class ReleaseOut(Schema):
    item_id: int
    released_by: str
    released_at: datetime


class CategoryTermsOut(Schema):
    category: Category
    level: str = Field(..., description="The highest classification the agreement lets through.")
    consent_required: bool
    consent_given: bool
    sentence: str


class ShareOut(Schema):
    recipient: Text
    categories: list[CategoryTermsOut]
    bases: list[str]


class DisclosureCountOut(Schema):
    recipient: Text
    count: int


class AgencyNoticeOut(Schema):
    name: Text
    kind: Text
    lead: bool
    active: bool
    controller: str = Field(..., description="The controller of what the agency records.")
    controller_contact: str = Field(..., description="The controller's contact details (empty: not recorded).")
    dpo_contact: str = Field(..., description="The data protection officer's contact details (empty: not recorded).")
    authority: str = Field(..., description="The supervisory authority to complain to (empty: not recorded).")
    shares: list[ShareOut]
    disclosures: list[DisclosureCountOut]


class RightOut(Schema):
    right: str = Field(..., description="access, rectification, erasure, restriction, objection or complaint")
    sentence: str


class TransparencyOut(Schema):
    case_reference: Text
    client_name: Text
    generated_on: date
    language: str = Field(..., description="The notice's language: the one asked for (?language=), else the first "
                                           "of the client's the deployment has, else the deployment's default.")
    in_client_language: bool = Field(..., description="Whether that is one of the client's recorded languages.")
    title: str
    given_by: str = Field(..., description="The agency that gives the client the notice.")
    agencies: list[AgencyNoticeOut]
    rights: list[RightOut]
    rights_limits: str
    complain: str
    need_to_know: str
    consent: str
    audited: str
    never_shared: str
    disclosures_counted: str = Field(..., description="Which disclosures are counted: those of information the "
                                                      "preparing agency may see, by and to the agencies named.")
