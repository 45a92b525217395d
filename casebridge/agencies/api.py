"""Agencies and their people on the REST API. Who administers which agency is the policy's
decision, made in the services: records outside an administrator's reach are 404s."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from casebridge.accounts import services as accounts
from casebridge.agencies import services
from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.policy import Perm
from casebridge.vocabulary import AgencyKind, Role

router = Router(tags=["agencies"])

class AgencyOut(Schema):
    id: int
    name: str
    kind: AgencyKind
    country: str
    region: str
    active: bool
    clearance_ceiling: int | None = Field(None, description="Highest clearance its practitioners may hold; "
                                                            "null = the deployment's highest level.")
    version: int = Field(..., description="Raised on every administrative edit.")
    controller_name: str = Field(..., description="The controller, where it is not the agency itself.")
    controller_contact: str
    dpo_contact: str = Field(..., description="The data protection officer's contact details.")
    supervisory_authority: str = Field(..., description="The authority a client complains to, with its contact.")


class AgencyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: AgencyKind
    country: str = Field(..., pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. BE.")
    region: str = Field("", max_length=120)
    active: bool = True
    clearance_ceiling: int | None = Field(None, ge=0, le=20, description="Set by system administrators only.")
    controller_name: str = Field("", max_length=200)
    controller_contact: str = Field("", max_length=500)
    dpo_contact: str = Field("", max_length=500)
    supervisory_authority: str = Field("", max_length=500)


class AgencyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: AgencyKind | None = None
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    region: str | None = Field(None, max_length=120)
    active: bool | None = Field(None, description="Only system administrators switch agencies on and off.")
    clearance_ceiling: int | None = Field(None, ge=0, le=20, description=(
        "Only system administrators set it. Lowering it lowers everyone above it at once."))
    controller_name: str | None = Field(None, max_length=200)
    controller_contact: str | None = Field(None, max_length=500)
    dpo_contact: str | None = Field(None, max_length=500)
    supervisory_authority: str | None = Field(None, max_length=500)
    expected_version: int | None = Field(None, ge=1, le=2**31 - 1, description=(
        "The version you read; when given, an edit from an older one is refused (409 stale_version)."))


class PractitionerOut(Schema):
    id: int
    username: str
    display_name: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    phone: str
    agency_id: int
    agency_name: str
    role: Role
    clearance: int
    clearance_label: str
    is_active: bool
    is_service_account: bool
    last_login: datetime | None
    version: int = Field(..., description="Raised on every administrative edit.")

    @staticmethod
    def resolve_agency_name(obj) -> str:
        return obj.agency.name


class PractitionerFields(Schema):
    first_name: str | None = Field(None, min_length=1, max_length=150)
    last_name: str | None = Field(None, min_length=1, max_length=150)
    email: str | None = Field(None, max_length=254)
    job_title: str | None = Field(None, max_length=120)
    phone: str | None = Field(None, max_length=40)
    role: Role | None = None
    clearance: int | None = Field(None, ge=0, le=20, description="Classification level, 0 = lowest.")


class PractitionerIn(PractitionerFields):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=128, description="At least 12 characters, not common.")


class ServiceAccountIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    first_name: str = Field(..., min_length=1, max_length=150, description="The system this account stands for.")
    email: str = Field(..., max_length=254, description="Who answers for this integration.")
    role: Role = Field(Role.PRACTITIONER, description="Practitioner or coordinator only.")
    clearance: int = Field(0, ge=0, le=20)


class PractitionerPatch(PractitionerFields):
    is_active: bool | None = Field(None, description="False also revokes the person's API tokens.")
    expected_version: int | None = Field(None, ge=1, le=2**31 - 1, description=(
        "The version you read; when given, an edit from an older one is refused (409 stale_version)."))


def _given(payload: Schema, *exclude: str) -> dict:
    # Only what the client sent: a PATCH must not blank the fields it left out.
    return payload.dict(exclude_unset=True, exclude_none=True, exclude=set(exclude))


@router.get("/agencies", response=responses(list[AgencyOut]), auth=token(Perm.AGENCY_VIEW))
def list_agencies(request):
    """Every agency, so practitioners can find partners to bring into a case."""
    return services.list_agencies(actor=request.user, purpose=request.purpose)


@router.get("/agencies/{int:agency_id}", response=responses(AgencyOut), auth=token(Perm.AGENCY_VIEW))
def get_agency(request, agency_id: int):
    return services.get_agency(actor=request.user, agency_id=agency_id, purpose=request.purpose)


@router.post("/agencies", response=responses(AgencyOut, 201), auth=token(Perm.AGENCY_MANAGE))
def create_agency(request, payload: AgencyIn):
    """Register an agency (system administrators)."""
    return Status(201, services.create_agency(actor=request.user, data=payload.dict(), purpose=request.purpose))


@router.patch("/agencies/{int:agency_id}", response=responses(AgencyOut), auth=token(Perm.AGENCY_MANAGE))
def update_agency(request, agency_id: int, payload: AgencyPatch):
    """Correct an agency's details; fields not sent keep their values."""
    return services.update_agency(actor=request.user, agency_id=agency_id, data=_given(payload, "expected_version"),
                                  purpose=request.purpose, expected_version=payload.expected_version)


@router.get("/practitioners", response=responses(list[PractitionerOut]), auth=token(Perm.PRACTITIONER_MANAGE))
def list_practitioners(request):
    """The people of the agencies the caller administers."""
    return services.administered_practitioners(request.user).order_by("agency__name", "last_name", "first_name")


@router.get("/practitioners/{int:practitioner_id}", response=responses(PractitionerOut),
            auth=token(Perm.PRACTITIONER_MANAGE))
def get_practitioner(request, practitioner_id: int):
    return services.get_practitioner(actor=request.user, practitioner_id=practitioner_id, purpose=request.purpose)


@router.patch("/practitioners/{int:practitioner_id}", response=responses(PractitionerOut),
              auth=token(Perm.PRACTITIONER_MANAGE))
def update_practitioner(request, practitioner_id: int, payload: PractitionerPatch):
    """Change a person's details, role, clearance or whether the account is active."""
    return services.update_practitioner(actor=request.user, practitioner_id=practitioner_id,
                                        data=_given(payload, "expected_version"), purpose=request.purpose,
                                        expected_version=payload.expected_version)


@router.post("/agencies/{int:agency_id}/practitioners", response=responses(PractitionerOut, 201),
             auth=token(Perm.PRACTITIONER_MANAGE))
def create_practitioner(request, agency_id: int, payload: PractitionerIn):
    """Create an account; the person enrols an authenticator app at first sign-in."""
    person = services.create_practitioner(
        actor=request.user, agency_id=agency_id, username=payload.username, password=payload.password,
        data=_given(payload, "username", "password"), purpose=request.purpose)
    return Status(201, person)


@router.post("/agencies/{int:agency_id}/service-accounts", response=responses(PractitionerOut, 201),
             auth=token(Perm.PRACTITIONER_MANAGE))
def create_service_account(request, agency_id: int, payload: ServiceAccountIn):
    """Create a service account for a system integration: no web sign-in; an administrator of the
    agency issues its tokens on the administration page."""
    account = services.create_practitioner(
        actor=request.user, agency_id=agency_id, username=payload.username, password="",
        data=_given(payload, "username"), purpose=request.purpose, service_account=True)
    return Status(201, account)


@router.post("/practitioners/{int:practitioner_id}/reset-second-factor", response=responses(None, 204),
             auth=token(Perm.PRACTITIONER_MANAGE))
def reset_second_factor(request, practitioner_id: int):
    """Remove a person's authenticator so they enrol again at next sign-in (a lost phone)."""
    accounts.reset_second_factor(actor=request.user, practitioner_id=practitioner_id, purpose=request.purpose)
    return Status(204, None)
