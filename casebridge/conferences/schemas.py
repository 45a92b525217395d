"""The shapes of conferences on the REST API (casebridge.conferences.api)."""

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Schema

from casebridge.cases.schemas import AgencyRef, PractitionerRef
from casebridge.conferences import kinds, services
from casebridge.conferences.models import ActionStatus, Attendance, Relation, Reply, Trigger

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


class StepIn(Schema):
    expected_step: int | None = Field(None, ge=0, le=50)
