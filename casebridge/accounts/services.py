"""Sign-in events, the TOTP second factor, and API tokens."""

import hmac

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge import policy
from casebridge.accounts.models import TOKEN_PREFIX, ApiToken, hash_secret
from casebridge.agencies.models import Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.errors import InvalidInput, NotVisible
from casebridge.policy import Perm
from casebridge.vocabulary import Purpose


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def confirm_enrolment(*, user, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token((token or "").strip()):
        record(actor=user, operation=Operation.MFA_FAILED, obj=user, purpose=Purpose.ADMINISTRATION,
               detail={"stage": "enrolment"})
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    record(actor=user, operation=Operation.MFA_ENROLLED, obj=user, purpose=Purpose.ADMINISTRATION)
    return True


def reset_second_factor(*, actor, practitioner_id, purpose: str) -> None:
    """Remove a person's TOTP devices so they enrol again at next login (lost phone)."""
    person = Practitioner.objects.filter(pk=practitioner_id).first()
    if person is None:
        raise NotVisible("no such practitioner")
    policy.require_administer(actor, Perm.PRACTITIONER_MANAGE, person.agency_id)
    TOTPDevice.objects.filter(user=person).delete()
    record(actor=actor, operation=Operation.UPDATE, obj=person, purpose=purpose, detail={"second_factor": "reset"})


def issue_token(*, actor, practitioner_id, name: str, purpose: str, expires_at=None) -> tuple[ApiToken, str]:
    """Create a token for a practitioner of an agency the actor administers. The plain token is
    returned once and never stored."""
    person = Practitioner.objects.filter(pk=practitioner_id, is_active=True).first()
    if person is None:
        raise NotVisible("no such practitioner")
    policy.require_administer(actor, Perm.TOKEN_MANAGE, person.agency_id)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise InvalidInput("Give the token a name (at most 120 characters).", field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput("The expiry must be in the future.", field="expires_at")
    key_id, secret = ApiToken.new_secret()
    token = ApiToken.objects.create(name=name, practitioner=person, agency_id=person.agency_id, key_id=key_id,
                                    secret_hash=hash_secret(secret), created_by=actor, expires_at=expires_at)
    record(actor=actor, operation=Operation.TOKEN_ISSUED, obj=token, purpose=purpose,
           detail={"practitioner": person.username, "name": name})
    return token, f"{TOKEN_PREFIX}{key_id}_{secret}"


def revoke_token(*, actor, token_id, purpose: str) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id).select_related("practitioner").first()
    if token is None:
        raise NotVisible("no such token")
    policy.require_administer(actor, Perm.TOKEN_MANAGE, token.agency_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, operation=Operation.TOKEN_REVOKED, obj=token, purpose=purpose,
               detail={"practitioner": token.practitioner.username})
    return token


def administered_tokens(actor):
    return ApiToken.objects.filter(policy.administered(actor, Perm.TOKEN_MANAGE)).select_related("practitioner")


def authenticate_token(raw: str) -> Practitioner | None:
    """The practitioner a bearer token stands for, or None if it is unknown, revoked or expired,
    or if the practitioner is inactive or no longer works for the token's agency."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or raw.count("_") < 2:
        return None
    key_id, _, secret = raw[len(TOKEN_PREFIX):].partition("_")
    token = ApiToken.objects.filter(key_id=key_id).select_related("practitioner__agency").first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        return None
    now = timezone.now()
    person = token.practitioner
    if token.revoked_at or (token.expires_at and token.expires_at <= now) or not person.is_active \
            or person.agency_id != token.agency_id or not person.agency_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return person
