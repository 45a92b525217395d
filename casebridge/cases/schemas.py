"""Shapes of the case record on the API: what clients send (bounded) and what they get back."""

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Schema

from casebridge.cases.models import KeyDate, Participation, Phase, ResidencyStatus
from casebridge.cases.rules import next_phases
from casebridge.cases.services import today
from casebridge.vocabulary import AgencyKind, Category

MAX_TEXT = settings.CASEBRIDGE_MAX_TEXT


# --- Out ------------------------------------------------------------------------------------

class CarriedTextOut(Schema):
    """A text of the case record (summary, handover note ...), carried by an information item and
    shown only to callers the sharing rule lets read that item. Where the caller may not read it,
    or there is none, the field is null: the two look the same."""

    item_id: int = Field(..., description="The item carrying the text: GET /api/items/{item_id} for its markings.")
    text: str
    category: Category
    classification_label: str


def carried(context, item_id) -> dict | None:
    """The carried text `item_id` for the response, if it is among the items the endpoint found the
    caller may read (`request.readable_content`, from items.services.readable_carried); else None.
    An endpoint that did not look them up shows none: deny by default."""
    request = (context or {}).get("request")
    item = (getattr(request, "readable_content", None) or {}).get(item_id) if item_id else None
    if item is None:
        return None
    return {"item_id": item.pk, "text": item.body, "category": item.category,
            "classification_label": item.classification_label}


def _carried_field(what: str):
    return Field(None, description=f"{what}; null if there is none or you may not read it.")


class AgencyRef(Schema):
    id: int
    name: str
    kind: AgencyKind


class PractitionerRef(Schema):
    id: int
    username: str
    display_name: str
    agency_id: int


class ClientOut(Schema):
    id: int
    given_name: str
    family_name: str
    aliases: list[str]
    date_of_birth: date
    nationalities: list[str]
    languages: list[str]
    residency_status: ResidencyStatus
    residency_note: CarriedTextOut | None = _carried_field("The residency note")

    @staticmethod
    def resolve_residency_note(obj, context) -> dict | None:
        return carried(context, obj.residency_item_id)


class KeyDates(Schema):
    sentence_start: date | None = None
    earliest_release: date | None = None
    conditional_release: date | None = None
    sentence_end: date | None = None
    supervision_end: date | None = None


class CaseSummary(Schema):
    id: int
    reference: str
    phase: Phase
    status: str
    client_name: str
    lead_agency: AgencyRef
    coordinator: PractitionerRef
    opened_on: date
    version: int

    @staticmethod
    def resolve_client_name(obj) -> str:
        return obj.client.full_name


class MembershipOut(Schema):
    id: int
    agency: AgencyRef
    point_of_contact: PractitionerRef
    deputy: PractitionerRef | None
    responsibilities: CarriedTextOut | None = _carried_field("What the agency does on the case")
    participation: Participation
    discreet: bool = Field(..., description="Listed only to the agency's own people and to the core members.")
    phases: list[Phase]
    starts_on: date
    ends_on: date | None
    end_reason: CarriedTextOut | None = _carried_field("Why the membership ended")
    active: bool

    @staticmethod
    def resolve_active(obj) -> bool:
        return obj.is_active(today())

    @staticmethod
    def resolve_responsibilities(obj, context) -> dict | None:
        return carried(context, obj.responsibilities_item_id)

    @staticmethod
    def resolve_end_reason(obj, context) -> dict | None:
        return carried(context, obj.end_item_id)


class TeamMemberOut(Schema):
    id: int
    practitioner: PractitionerRef
    role_on_case: str
    assigned_at: datetime
    active: bool
    released_at: datetime | None
    handover_note: CarriedTextOut | None = _carried_field("The handover note left on release")
    successor: PractitionerRef | None

    @staticmethod
    def resolve_handover_note(obj, context) -> dict | None:
        return carried(context, obj.handover_item_id)


class PhaseChangeOut(Schema):
    id: int
    from_phase: Phase | None
    to_phase: Phase
    effective_on: date
    recorded_at: datetime
    recorded_by: PractitionerRef
    handover_note: CarriedTextOut | None = _carried_field("The handover note into this phase")

    @staticmethod
    def resolve_from_phase(obj) -> str | None:
        return obj.from_phase or None  # the opening entry comes from nowhere

    @staticmethod
    def resolve_handover_note(obj, context) -> dict | None:
        return carried(context, obj.note_item_id)


class CaseDetail(CaseSummary):
    summary: CarriedTextOut | None = _carried_field("The case summary")
    client: ClientOut
    continuity_liaison: PractitionerRef | None
    key_dates: KeyDates
    next_phases: list[Phase]
    memberships: list[MembershipOut] = Field(..., description="The memberships listed to the caller: a discreet "
                                                               "one only to its own agency and the core members.")
    team: list[TeamMemberOut] = Field(..., description="The team, present and former, as listed to the caller.")
    phase_history: list[PhaseChangeOut]
    visible_because: str = Field("", description="The policy's basis for showing this case to the caller.")
    may_manage: bool = Field(False, description="Whether the caller may make management edits.")

    @staticmethod
    def resolve_summary(obj, context) -> dict | None:
        return carried(context, obj.summary_item_id)

    @staticmethod
    def resolve_key_dates(obj) -> dict:
        return {kd.value: getattr(obj, kd.value) for kd in KeyDate}

    @staticmethod
    def resolve_next_phases(obj) -> list[str]:
        return next_phases(obj.phase)

    @staticmethod
    def resolve_phase_history(obj):
        return obj.phase_changes.select_related("recorded_by")


class TransitionOut(PhaseChangeOut):
    case_version: int

    @staticmethod
    def resolve_case_version(obj) -> int:
        return obj.case.version  # the service's own case instance, already raised


class ReleaseOut(TeamMemberOut):
    case_version: int

    @staticmethod
    def resolve_case_version(obj) -> int:
        return obj.case.version  # the service's own case instance, already raised


class ReminderOut(Schema):
    case_id: int
    reference: str
    label: str
    due_on: date


# --- In -------------------------------------------------------------------------------------

class ClientIn(Schema):
    given_name: str = Field(..., min_length=1, max_length=120)
    family_name: str = Field(..., min_length=1, max_length=120)
    aliases: list[str] = Field(default_factory=list, max_length=20)
    date_of_birth: date
    nationalities: list[str] = Field(default_factory=list, max_length=20, description="ISO 3166-1 alpha-2 codes.")
    languages: list[str] = Field(default_factory=list, max_length=20)
    residency_status: ResidencyStatus = ResidencyStatus.UNKNOWN
    residency_note: str = Field("", max_length=MAX_TEXT)


class ClientPatch(Schema):
    """Only the fields sent change; `expected_version` is the case's version when it was read."""

    expected_version: int
    given_name: str | None = Field(None, min_length=1, max_length=120)
    family_name: str | None = Field(None, min_length=1, max_length=120)
    aliases: list[str] | None = Field(None, max_length=20)
    date_of_birth: date | None = None
    nationalities: list[str] | None = Field(None, max_length=20)
    languages: list[str] | None = Field(None, max_length=20)
    residency_status: ResidencyStatus | None = None
    residency_note: str | None = Field(None, max_length=MAX_TEXT)


class CaseOpenIn(Schema):
    client: ClientIn
    phase: Phase
    phase_date: date = Field(..., description="When the case entered this phase.")
    summary: str = Field("", max_length=MAX_TEXT)
    coordinator: int | None = Field(None, description="Id of a practitioner of your agency; defaults to you.")
    key_dates: KeyDates = Field(default_factory=KeyDates)
    confirm_possible_duplicate: bool = Field(False, description="Open the case although the client may already be "
                                             "a client (after a 409 `possible_duplicate`); recorded in the audit.")


class PossibleMatchOut(Schema):
    case_id: int
    case_reference: str
    client_name: str
    client_date_of_birth: date


class PossibleDuplicateBody(Schema):
    code: str = Field(..., description="`possible_duplicate`.")
    message: str
    field: str | None = None
    matches: list[PossibleMatchOut] = Field(..., description="The matching cases the caller may see.")
    hidden_match: bool = Field(..., description="An active case the caller may not see matches too: ask the "
                                                "hit / no-hit lookup (POST /api/lookup) whom to contact.")


class PossibleDuplicateOut(Schema):
    error: PossibleDuplicateBody


class KeyDatesIn(KeyDates):
    """All five key dates; one left out or null is cleared."""

    expected_version: int


class TransitionIn(Schema):
    to_phase: Phase
    effective_on: date
    handover_note: str = Field(..., min_length=1, max_length=MAX_TEXT)
    handover_category: Category = Field(Category.OFFENCE_AND_SENTENCE,
                                        description="Category of the handover note: decides who may read it.")
    handover_classification: int | None = Field(None, ge=0, description="Classification level of the note; "
                                                "default RESTRICTED (or your clearance if lower).")
    expected_version: int


class MembershipIn(Schema):
    agency: int = Field(..., description="Agency id.")
    point_of_contact: int = Field(..., description="Practitioner id, of that agency.")
    deputy: int | None = Field(None, description="Practitioner id, of that agency.")
    phases: list[Phase] = Field(..., min_length=1, max_length=len(Phase.values))
    responsibilities: str = Field("", max_length=MAX_TEXT)
    participation: Participation = Participation.CORE
    starts_on: date | None = Field(None, description="Defaults to today.")
    discreet: bool | None = Field(None, description="Listed only to the agency's own people and to the core members. "
                                                    "Left out or null: discreet for an intelligence service, listed "
                                                    "for every other agency.")


class MembershipPatch(Schema):
    discreet: bool = Field(..., description="Listed only to the agency's own people and to the core members.")


class MembershipEndIn(Schema):
    reason: str = Field(..., min_length=1, max_length=MAX_TEXT)
    ends_on: date | None = Field(None, description="First day without access; defaults to today.")


class TeamIn(Schema):
    practitioner: int = Field(..., description="Practitioner id, of an active member agency.")
    role_on_case: str = Field("", max_length=120)


class ReleaseIn(Schema):
    handover_note: str = Field(..., min_length=1, max_length=MAX_TEXT)
    successor: int | None = Field(None, description="Practitioner id; required when the coordinator leaves.")
    expected_version: int | None = Field(None, description="Checked when given.")


class LiaisonIn(Schema):
    continuity_liaison: int | None = Field(..., description="Practitioner id of a team member, or null to clear.")
    expected_version: int
