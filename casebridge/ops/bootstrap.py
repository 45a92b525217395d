"""Creating a system administrator from the command line.

The web services need an acting administrator; the very first one has none, so it is created
here with the command-line operator recorded in the audit trail instead (actor None).
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.errors import InvalidInput
from casebridge.ops.operator import cli_detail
from casebridge.vocabulary import AgencyKind, Purpose, Role


def _check_username(username: str) -> str:
    username = (username or "").strip()
    if not username or len(username) > 150 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise InvalidInput("the username may contain letters, digits, dots, dashes and underscores", field="username")
    if Practitioner.objects.filter(username__iexact=username).exists():
        raise InvalidInput(f"the username {username!r} is taken", field="username")
    return username


def _agency(name: str, kind: str, country: str, region: str) -> tuple[Agency, bool]:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("the agency name is required (at most 200 characters)", field="agency")
    existing = Agency.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing, False
    if kind not in AgencyKind.values:
        raise InvalidInput(f"unknown agency kind {kind!r} (one of {', '.join(AgencyKind.values)})", field="kind")
    country = (country or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput("the country must be a two-letter ISO code, e.g. BE", field="country")
    agency = Agency.objects.create(name=name, kind=kind, country=country, region=region.strip()[:120])
    record(actor=None, operation=Operation.CREATE, obj=agency, purpose=Purpose.ADMINISTRATION,
           detail=cli_detail(name=name, kind=kind, country=country, region=agency.region))
    return agency, True


def create_system_admin(*, username: str, email: str, password: str, agency_name: str,
                        agency_kind: str = AgencyKind.OTHER, country: str = "BE", first_name: str = "",
                        last_name: str = "", region: str = "") -> tuple[Practitioner, Agency, bool]:
    """Create a system administrator (and their agency if it does not exist yet), audited.

    Returns the person, the agency and whether the agency was created. The person enrols an
    authenticator app (TOTP) at first sign-in.
    """
    username = _check_username(username)
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"{email!r} is not an e-mail address", field="email") from None
    person = Practitioner(username=username, email=email, role=Role.SYSTEM_ADMIN,
                          first_name=(first_name or "").strip()[:150], last_name=(last_name or "").strip()[:150],
                          job_title="System administrator")
    try:
        validate_password(password, person)
    except ValidationError as exc:
        raise InvalidInput("password refused: " + " ".join(exc.messages), field="password") from None
    agency, created = _agency(agency_name, agency_kind, country, region)
    person.agency = agency
    person.set_password(password)
    person.save()
    record(actor=None, operation=Operation.CREATE, obj=person, purpose=Purpose.ADMINISTRATION,
           detail=cli_detail(username=username, agency=agency.name, role=Role.SYSTEM_ADMIN))
    return person, agency, created
