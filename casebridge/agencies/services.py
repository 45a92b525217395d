"""Administration of agencies and their practitioners.

System administrators manage every agency; agency administrators manage their own agency's
people only. Records outside an administrator's reach are 404s.
"""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge import policy
from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.errors import Forbidden, InvalidInput, NotVisible, StaleVersion
from casebridge.locking import compare_and_set, lock_rows
from casebridge.policy import Perm
from casebridge.vocabulary import AgencyKind, Role

# The data protection contacts the client's transparency notice names (docs/documents.md), with their longest length.
CONTACT_FIELDS = {"controller_name": 200, "controller_contact": 500, "dpo_contact": 500, "supervisory_authority": 500}
AGENCY_FIELDS = ("name", "kind", "country", "region", "active", "clearance_ceiling", *CONTACT_FIELDS)
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
        raise InvalidInput(_("Name is required (at most 200 characters)."), field="name")
    if data.get("kind") not in AgencyKind.values:
        raise InvalidInput(_("Choose the kind of agency."), field="kind")
    country = (data.get("country") or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput(_("Country must be a two-letter ISO code, e.g. BE."), field="country")
    return {"name": name, "kind": data["kind"], "country": country,
            "region": (data.get("region") or "").strip()[:120], "active": bool(data.get("active", True)),
            "clearance_ceiling": _ceiling_of(data.get("clearance_ceiling")), **_contacts(data)}


def _contacts(data: dict) -> dict:
    """The data protection contacts, each a few lines of text, kept as written (line ends made plain)."""
    contacts = {}
    for name, longest in CONTACT_FIELDS.items():
        value = "\n".join(line.strip() for line in str(data.get(name) or "").strip().splitlines())
        if len(value) > longest:
            raise InvalidInput(_("At most %(count)d characters.") % {"count": longest}, field=name)
        contacts[name] = value
    return contacts


def _ceiling_of(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("The ceiling must be a classification level."), field="clearance_ceiling") from None
    if not 0 <= level < len(settings.CASEBRIDGE_CLASSIFICATION_LABELS):
        raise InvalidInput(_("Unknown classification level."), field="clearance_ceiling")
    return level


def create_agency(*, actor, data: dict, purpose: str) -> Agency:
    if actor.role != Role.SYSTEM_ADMIN or not policy.role_allows(actor, Perm.AGENCY_MANAGE):
        raise Forbidden(_("only system administrators create agencies"))
    fields = _agency_fields(data)
    if fields["clearance_ceiling"] is not None:
        policy.require_authority(policy.decide_set_ceiling(actor), field="clearance_ceiling")
    if Agency.objects.filter(name__iexact=fields["name"]).exists():
        raise InvalidInput(_("An agency with this name already exists."), field="name")
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


def _check_version(record, expected_version) -> None:
    """Refuse an edit made from a copy older than the record (read under its lock), saying who changed
    it and when: an administrator of the agency or a system administrator."""
    if expected_version is not None and int(expected_version) != record.version:
        raise _stale(record)


def _stale(record) -> StaleVersion:
    who = record.changed_by.display_name if record.changed_by else _("another person")
    when = formats.date_format(timezone.localtime(record.changed_at), "DATETIME_FORMAT") if record.changed_at else "—"
    return StaleVersion(_("Someone else changed this record since you opened it: %(by)s, %(when)s (now version "
                          "%(version)d). Nothing of your change was saved; the form shows the current values, make "
                          "your change again.") % {"by": who, "when": when, "version": record.version},
                        current_version=record.version)


def _write(record, actor, fields: dict) -> None:
    """Write `fields` and raise the version (compare and set; under the lock it always matches)."""
    if not compare_and_set(record, actor, **fields):
        raise _stale(type(record).objects.select_related("changed_by").get(pk=record.pk))


def update_agency(*, actor, agency_id, data: dict, purpose: str, expected_version=None) -> Agency:
    lock_rows(Agency.objects.filter(pk=_int(agency_id)))  # fields and the ceiling's capping from what is committed
    agency = get_agency(actor=actor, agency_id=agency_id, purpose=purpose, manage=True)
    _check_version(agency, expected_version)
    # Fields missing from `data` keep their values, so a partial update (API PATCH) clears nothing.
    current = {name: getattr(agency, name) for name in AGENCY_FIELDS}
    fields = _agency_fields({**current, **data})
    if Agency.objects.filter(name__iexact=fields["name"]).exclude(pk=agency.pk).exists():
        raise InvalidInput(_("An agency with this name already exists."), field="name")
    if actor.role != Role.SYSTEM_ADMIN:
        fields.pop("active")  # only system administrators switch agencies on and off
    if fields["clearance_ceiling"] != agency.clearance_ceiling:
        policy.require_authority(policy.decide_set_ceiling(actor), field="clearance_ceiling")
    changes = {k: [getattr(agency, k), v] for k, v in fields.items() if getattr(agency, k) != v}
    _write(agency, actor, fields)
    detail = {"changes": changes}
    if "clearance_ceiling" in changes and agency.clearance_ceiling is not None:
        detail["capped"] = _cap_clearances(agency)
    record(actor=actor, operation=Operation.UPDATE, obj=agency, purpose=purpose, detail=detail)
    return agency


def _cap_clearances(agency: Agency) -> list[int]:
    """Lowering the ceiling lowers at once everyone above it (their access shrinks on the next
    request, like any revocation); returns their ids for the audit event."""
    above = Practitioner.objects.filter(agency=agency, clearance__gt=agency.clearance_ceiling)
    capped = sorted(above.values_list("pk", flat=True))
    above.update(clearance=agency.clearance_ceiling)
    return capped


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


def get_practitioner(*, actor, practitioner_id, purpose: str, lock: bool = False) -> Practitioner:
    """The practitioner, if the actor administers them (404 otherwise). With `lock`, to change them:
    their agency and they are locked first (casebridge.locking), before the read and its event."""
    if lock:
        _lock_practitioner(practitioner_id)
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
            raise InvalidInput(_("%(field)s is required.") % {"field": name.replace("_", " ").capitalize()}, field=name)
    if "role" in fields and fields["role"] not in Role.values:
        raise InvalidInput(_("Unknown role."), field="role")
    if "clearance" in fields:
        try:
            fields["clearance"] = int(fields["clearance"])
        except (TypeError, ValueError):
            raise InvalidInput(_("Clearance must be a classification level."), field="clearance") from None
        if not 0 <= fields["clearance"] < len(settings.CASEBRIDGE_CLASSIFICATION_LABELS):
            raise InvalidInput(_("Unknown classification level."), field="clearance")
    return fields


def _check_authority(actor, person: Practitioner, fields: dict) -> None:
    """The role and clearance `fields` would give `person` are within the actor's authority and
    the agency's ceiling (policy.decide_role / decide_clearance); 403 on the field otherwise."""
    levels = len(settings.CASEBRIDGE_CLASSIFICATION_LABELS)
    policy.require_authority(policy.decide_role(actor, person, fields.get("role", person.role)), field="role")
    policy.require_authority(policy.decide_clearance(
        actor, person, fields.get("clearance", person.clearance), agency_ceiling=person.agency.clearance_ceiling,
        levels=levels), field="clearance")


def create_practitioner(*, actor, agency_id, username: str, password: str, data: dict, purpose: str,
                        service_account: bool = False) -> Practitioner:
    """Create an account in an agency the actor administers. A person enrols TOTP at first login;
    a service account never signs in on the web (no usable password) and uses API tokens only."""
    policy.require_administer(actor, Perm.PRACTITIONER_MANAGE, _int(agency_id))
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise NotVisible("no such agency")
    username = (username or "").strip()
    if not username or len(username) > 150 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise InvalidInput(_("Username may contain letters, digits, dots, dashes and underscores."), field="username")
    if Practitioner.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("This username is taken."), field="username")
    fields = _practitioner_fields(actor, data)
    person = Practitioner(username=username, agency=agency, is_service_account=service_account)
    _check_authority(actor, person, fields)
    for name, value in fields.items():
        setattr(person, name, value)
    if service_account:
        person.set_unusable_password()
    else:
        try:
            validate_password(password, person)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="password") from None
        person.set_password(password)
    person.save()
    record(actor=actor, operation=Operation.CREATE, obj=person, purpose=purpose,
           detail={"username": username, "agency": agency.name, "role": person.role, "clearance": person.clearance,
                   "service_account": service_account})
    return person


def _lock_practitioner(practitioner_id) -> None:
    """Lock the practitioner's agency (its ceiling bounds their clearance), then the practitioner, in
    the order of casebridge.locking, so what is read next is what is committed and stays so."""
    agency = Practitioner.objects.filter(pk=_int(practitioner_id)).values_list("agency_id", flat=True).first()
    if agency is not None:
        lock_rows(Agency.objects.filter(pk=agency))
        lock_rows(Practitioner.objects.filter(pk=_int(practitioner_id)))


def update_practitioner(*, actor, practitioner_id, data: dict, purpose: str, expected_version=None) -> Practitioner:
    """Change the fields in `data`, and only those, on the practitioner as last committed."""
    person = get_practitioner(actor=actor, practitioner_id=practitioner_id, purpose=purpose, lock=True)
    _check_version(person, expected_version)
    fields = _practitioner_fields(actor, data)
    if person.pk == actor.pk and fields.get("is_active") is False:
        raise InvalidInput(_("You cannot deactivate yourself."), field="is_active")
    _check_authority(actor, person, fields)
    changes = {k: [getattr(person, k), v] for k, v in fields.items() if getattr(person, k) != v}
    _write(person, actor, fields)
    if fields.get("is_active") is False:
        person.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=actor, operation=Operation.UPDATE, obj=person, purpose=purpose, detail={"changes": changes})
    return person
