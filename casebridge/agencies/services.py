"""Administration of agencies and their practitioners.

System administrators manage every agency; agency administrators manage their own agency's
people only. Records outside an administrator's reach are 404s.
"""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge import policy
from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.errors import Forbidden, InvalidInput, NotVisible
from casebridge.policy import Perm
from casebridge.vocabulary import AgencyKind, Role

PRACTITIONER_FIELDS = ("first_name", "last_name", "email", "job_title", "phone", "role", "clearance", "is_active")


def list_agencies(*, actor, purpose: str):
    if not policy.role_allows(actor, Perm.AGENCY_VIEW):
        raise NotVisible("not permitted")
    return Agency.objects.all()


def administered_agencies(*, actor, purpose: str):
    """The agencies the actor administers, each with `practitioner_count`."""
    agencies = Agency.objects.filter(policy.administered(actor, Perm.AGENCY_MANAGE, "pk"))
    record(actor=actor, operation=Operation.LIST, object_type="agencies.agency", purpose=purpose)
    return agencies.annotate(practitioner_count=Count("practitioners"))


def _agency_fields(data: dict) -> dict:
    name = (data.get("name") or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("Name is required (at most 200 characters).", field="name")
    if data.get("kind") not in AgencyKind.values:
        raise InvalidInput("Choose the kind of agency.", field="kind")
    country = (data.get("country") or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput("Country must be a two-letter ISO code, e.g. BE.", field="country")
    return {"name": name, "kind": data["kind"], "country": country,
            "region": (data.get("region") or "").strip()[:120], "active": bool(data.get("active", True))}


def create_agency(*, actor, data: dict, purpose: str) -> Agency:
    if actor.role != Role.SYSTEM_ADMIN or not policy.role_allows(actor, Perm.AGENCY_MANAGE):
        raise Forbidden("only system administrators create agencies")
    fields = _agency_fields(data)
    if Agency.objects.filter(name__iexact=fields["name"]).exists():
        raise InvalidInput("An agency with this name already exists.", field="name")
    agency = Agency.objects.create(**fields)
    record(actor=actor, operation=Operation.CREATE, obj=agency, purpose=purpose, detail=fields)
    return agency


def get_agency(*, actor, agency_id, purpose: str, manage: bool = False) -> Agency:
    agency = Agency.objects.filter(pk=_int(agency_id)).first()
    if agency is None:
        raise NotVisible("no such agency")
    if manage:
        policy.require_administer(actor, Perm.AGENCY_MANAGE, agency.pk)
    elif not policy.role_allows(actor, Perm.AGENCY_VIEW):
        raise NotVisible("not permitted")
    record(actor=actor, operation=Operation.READ, obj=agency, purpose=purpose)
    return agency


def update_agency(*, actor, agency_id, data: dict, purpose: str) -> Agency:
    agency = get_agency(actor=actor, agency_id=agency_id, purpose=purpose, manage=True)
    # Fields missing from `data` keep their values, so a partial update (API PATCH) clears nothing.
    current = {name: getattr(agency, name) for name in ("name", "kind", "country", "region", "active")}
    fields = _agency_fields({**current, **data})
    if Agency.objects.filter(name__iexact=fields["name"]).exclude(pk=agency.pk).exists():
        raise InvalidInput("An agency with this name already exists.", field="name")
    if actor.role != Role.SYSTEM_ADMIN:
        fields.pop("active")  # only system administrators switch agencies on and off
    changes = {k: [getattr(agency, k), v] for k, v in fields.items() if getattr(agency, k) != v}
    for name, value in fields.items():
        setattr(agency, name, value)
    agency.save()
    record(actor=actor, operation=Operation.UPDATE, obj=agency, purpose=purpose, detail={"changes": changes})
    return agency


def administered_practitioners(actor):
    return Practitioner.objects.filter(policy.administered(actor, Perm.PRACTITIONER_MANAGE)).select_related("agency")


def agency_practitioners(*, actor, agency: Agency, purpose: str):
    """The people of an agency the actor administers, each with `has_second_factor`."""
    policy.require_administer(actor, Perm.PRACTITIONER_MANAGE, agency.pk)
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    people = administered_practitioners(actor).filter(agency=agency).annotate(has_second_factor=Exists(enrolled))
    record(actor=actor, operation=Operation.LIST, object_type="agencies.practitioner", purpose=purpose,
           detail={"agency": agency.name})
    return people


def get_practitioner(*, actor, practitioner_id, purpose: str) -> Practitioner:
    person = administered_practitioners(actor).filter(pk=_int(practitioner_id)).first()
    if person is None:
        raise NotVisible("no such practitioner")
    record(actor=actor, operation=Operation.READ, obj=person, purpose=purpose)
    return person


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotVisible("no such record") from None


def _practitioner_fields(actor, data: dict) -> dict:
    fields = {k: data[k] for k in PRACTITIONER_FIELDS if k in data}
    for name in ("first_name", "last_name"):
        if name in fields and (not str(fields[name]).strip() or len(str(fields[name])) > 150):
            raise InvalidInput(f"{name.replace('_', ' ').capitalize()} is required.", field=name)
    if "role" in fields:
        if fields["role"] not in Role.values:
            raise InvalidInput("Unknown role.", field="role")
        if fields["role"] == Role.SYSTEM_ADMIN and actor.role != Role.SYSTEM_ADMIN:
            raise InvalidInput("Only system administrators appoint system administrators.", field="role")
    if "clearance" in fields:
        try:
            fields["clearance"] = int(fields["clearance"])
        except (TypeError, ValueError):
            raise InvalidInput("Clearance must be a classification level.", field="clearance") from None
        if not 0 <= fields["clearance"] < len(settings.CASEBRIDGE_CLASSIFICATION_LABELS):
            raise InvalidInput("Unknown classification level.", field="clearance")
    return fields


def create_practitioner(*, actor, agency_id, username: str, password: str, data: dict, purpose: str) -> Practitioner:
    """Create an account in an agency the actor administers. The person enrols TOTP at first login."""
    policy.require_administer(actor, Perm.PRACTITIONER_MANAGE, _int(agency_id))
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise NotVisible("no such agency")
    username = (username or "").strip()
    if not username or len(username) > 150 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise InvalidInput("Username may contain letters, digits, dots, dashes and underscores.", field="username")
    if Practitioner.objects.filter(username__iexact=username).exists():
        raise InvalidInput("This username is taken.", field="username")
    fields = _practitioner_fields(actor, data)
    person = Practitioner(username=username, agency=agency, **fields)
    try:
        validate_password(password, person)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None
    person.set_password(password)
    person.save()
    record(actor=actor, operation=Operation.CREATE, obj=person, purpose=purpose,
           detail={"username": username, "agency": agency.name, "role": person.role, "clearance": person.clearance})
    return person


def update_practitioner(*, actor, practitioner_id, data: dict, purpose: str) -> Practitioner:
    person = get_practitioner(actor=actor, practitioner_id=practitioner_id, purpose=purpose)
    fields = _practitioner_fields(actor, data)
    if person.pk == actor.pk and (fields.get("is_active") is False or fields.get("role", person.role) != person.role):
        raise InvalidInput("You cannot deactivate yourself or change your own role.", field="role")
    changes = {k: [getattr(person, k), v] for k, v in fields.items() if getattr(person, k) != v}
    for name, value in fields.items():
        setattr(person, name, value)
    person.save()
    if fields.get("is_active") is False:
        person.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=actor, operation=Operation.UPDATE, obj=person, purpose=purpose, detail={"changes": changes})
    return person
