"""Sign-in events, the TOTP second factor, and API tokens."""

import hmac
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge import policy
from casebridge.accounts.models import TOKEN_PREFIX, ApiToken, hash_secret
from casebridge.agencies.models import Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.errors import InvalidInput, NotVisible
from casebridge.locking import lock_rows
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


def choose_language(*, actor, language: str) -> bool:
    """Keep `language` as the actor's interface language, on every browser and on the API. A
    change of the account, so it is audited; choosing the language already kept changes nothing.
    Returns whether it changed."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Choose one of the languages offered."), field="language", code="unknown_language")
    if actor.language == language:
        return False
    # One column of the person's own row: no administrative edit (version) is involved or overwritten.
    Practitioner.objects.filter(pk=actor.pk).update(language=language)
    actor.language = language
    record(actor=actor, operation=Operation.UPDATE, obj=actor, purpose=Purpose.ADMINISTRATION,
           detail={"language": language})
    return True


def reset_second_factor(*, actor, practitioner_id, purpose: str) -> None:
    """Remove a person's TOTP devices so they enrol again at next login (lost phone)."""
    person = Practitioner.objects.filter(pk=practitioner_id).first()
    if person is None:
        raise NotVisible("no such practitioner")
    policy.require_administer(actor, Perm.PRACTITIONER_MANAGE, person.agency_id)
    TOTPDevice.objects.filter(user=person).delete()
    record(actor=actor, operation=Operation.UPDATE, obj=person, purpose=purpose, detail={"second_factor": "reset"})


def issue_token(*, actor, owner_id, name: str, valid_until, second_factor: bool,
                purpose: str) -> tuple[ApiToken, str]:
    """Issue a token standing for `owner_id`: one's own (after the second factor), or a service
    account's by an administrator of its agency (policy.decide_issue_token). It works until the
    end of `valid_until`, at most TOKEN_MAX_DAYS days from today. The plain token is returned once
    and never stored."""
    owner = Practitioner.objects.filter(pk=owner_id).select_related("agency").first()
    if owner is None or not policy.decide_administer(actor, Perm.TOKEN_MANAGE, owner.agency_id) \
            and owner.pk != actor.pk:
        raise NotVisible("no such practitioner")
    policy.require_authority(policy.decide_issue_token(actor, owner, second_factor=second_factor))
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise InvalidInput(_("Give the token a name (at most 120 characters)."), field="name")
    expires_at = token_expiry(valid_until)
    key_id, secret = ApiToken.new_secret()
    token = ApiToken.objects.create(name=name, practitioner=owner, agency_id=owner.agency_id, key_id=key_id,
                                    secret_hash=hash_secret(secret), created_by=actor, expires_at=expires_at)
    # References only: the token's name is free text a person typed, so it stays out of the trail.
    record(actor=actor, operation=Operation.TOKEN_ISSUED, obj=token, purpose=purpose,
           detail={"practitioner": owner.pk, "service_account": owner.is_service_account,
                   "expires_at": expires_at.isoformat()})
    return token, f"{TOKEN_PREFIX}{key_id}_{secret}"


def token_expiry(valid_until):
    """The moment a token valid until the end of day `valid_until` stops working; refuses a missing
    day, a day in the past, or one more than TOKEN_MAX_DAYS days away."""
    if not isinstance(valid_until, date):
        raise InvalidInput(_("Choose the last day the token may be used (at most %(days)d days from today).")
                           % {"days": policy.TOKEN_MAX_DAYS}, field="valid_until", code="expiry_required")
    today = timezone.localdate()
    if valid_until < today:
        raise InvalidInput(_("The last day of validity cannot be in the past."), field="valid_until",
                           code="expiry_in_past")
    if valid_until > today + timedelta(days=policy.TOKEN_MAX_DAYS):
        raise InvalidInput(_("A token may be valid for at most %(days)d days, until %(last)s.")
                           % {"days": policy.TOKEN_MAX_DAYS, "last": today + timedelta(days=policy.TOKEN_MAX_DAYS)},
                           field="valid_until", code="expiry_too_far")
    return timezone.make_aware(datetime.combine(valid_until + timedelta(days=1), time.min))


def revoke_token(*, actor, token_id, purpose: str) -> ApiToken:
    """Revoke a token at once: its holder's own, or one of an agency the actor administers."""
    if str(token_id).isdigit():
        lock_rows(ApiToken.objects.filter(pk=int(token_id)))  # two revocations at once: one event
    token = ApiToken.objects.filter(pk=token_id).select_related("practitioner").first()
    if token is None:
        raise NotVisible("no such token")
    policy.require_revoke_token(actor, owner_id=token.practitioner_id, agency_id=token.agency_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, operation=Operation.TOKEN_REVOKED, obj=token, purpose=purpose,
               detail={"practitioner": token.practitioner_id})
    return token


LAST_USED_PRECISION = timedelta(minutes=1)  # how stale a token's "last used" may be


def own_tokens(actor):
    return ApiToken.objects.filter(practitioner_id=actor.pk)


def administered_tokens(actor):
    return ApiToken.objects.filter(policy.administered(actor, Perm.TOKEN_MANAGE)).select_related("practitioner")


def revocable_tokens(actor):
    return ApiToken.objects.filter(policy.revocable_tokens(actor)).select_related("practitioner")


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
    # Stamped after the request commits, in its own statement: a request never holds the token's
    # row while it works, so revoking the token or deactivating its holder (which lock the
    # practitioner, then the tokens: casebridge.locking) never waits for it, nor it for them.
    # To the minute, as the token list shows it: a client sending many requests a minute does not
    # make each of them a write.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        transaction.on_commit(lambda: ApiToken.objects.filter(pk=token.pk).update(last_used_at=now), robust=True)
    return person
