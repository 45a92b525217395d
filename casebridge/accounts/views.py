"""Signing in with a password and a TOTP second factor, enrolment, purpose and signing out."""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import auth, messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.oath import TOTP

from casebridge import policy
from casebridge.accounts import language as languages
from casebridge.accounts import services, throttle
from casebridge.accounts.forms import CodeForm, LoginForm, TokenForm
from casebridge.agencies.models import Practitioner
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.errors import DomainError
from casebridge.forms import posted
from casebridge.permissions import public, requires
from casebridge.policy import Perm
from casebridge.vocabulary import Purpose


def _next_url(request, fallback="cases:dashboard"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return redirect(fallback).url


@public
def login(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect("cases:dashboard")
    form = LoginForm(posted(request))
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        try:
            throttle.count(request, throttle.Scope.LOGIN, username)
        except throttle.Throttled as exc:
            return _throttled(request, "accounts/login.html", form, exc)
        user = auth.authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is not None:
            auth.login(request, user)
            request.session["next"] = _next_url(request)
            return redirect("accounts:second_factor")
        return _refused(request, form, username)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def _throttled(request, template, form, exc, context=None, field=None):
    """Too many attempts: the message on the form, 429 and when to try again."""
    form.add_error(field, exc.message)
    response = render(request, template, {"form": form, **(context or {})}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _tried(username: str) -> str:
    """What the trail keeps of the username typed at a failed sign-in: an account's username as it
    is, anything else only as a fingerprint (people type a password into the username field)."""
    if Practitioner.objects.filter(username=username).exists():
        return username
    return fingerprint(username)


def _refused(request, form, username, status=200):
    locked = getattr(request, "axes_locked_out", False)
    tried = _tried(username[:150])
    record(actor=None, operation=Operation.LOCKED_OUT if locked else Operation.LOGIN_FAILED,
           object_type="accounts.login", object_id=tried[:60], purpose=Purpose.ADMINISTRATION,
           detail={"username": tried, "ip": request.META.get("REMOTE_ADDR", "")})
    if locked:
        form.add_error(None, _lockout_message())
        status = 429
    else:
        form.add_error(None, _("Username or password is not correct."))
    return render(request, "accounts/login.html", {"form": form}, status=status)


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes calls this from its middleware, after the view, when a sign-in met a locked
    account. The login view has already recorded the refusal and answered 429 with the message, so
    that answer stands; recording again here would write after the request's transaction ended."""
    if response is not None and response.status_code == 429:
        return response
    return locked_response(request)


def locked_response(request):
    """The lockout answer without an audit write: 429 with a stable code on the API, the sign-in
    page with the message elsewhere."""
    message = _lockout_message()
    if request.path_info.startswith("/api/"):
        from casebridge.api.errors import error_response

        return error_response(429, "account_locked", message)
    form = LoginForm()
    form.add_error(None, message)
    return render(request, "accounts/login.html", {"form": form}, status=429)


def _lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Too many failed attempts: this account is locked for %(minutes)d minutes. Ask your "
             "administrator if you need it sooner.") % {"minutes": minutes}


@public
def second_factor(request):
    """Ask for the TOTP code, or send the person to enrol if they have no authenticator yet."""
    user = request.user
    if not user.is_authenticated or user.is_service_account:
        return _no_web_session(request)
    if user.is_verified():
        return redirect("cases:dashboard")
    device = services.confirmed_device(user)
    if device is None:
        return redirect("accounts:enrol")
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            throttle.count(request, throttle.Scope.SECOND_FACTOR, user.pk)
        except throttle.Throttled as exc:
            return _throttled(request, "accounts/second_factor.html", form, exc, {"demo_code": _demo_hint(device)},
                              field="code")
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            record(actor=user, operation=Operation.LOGIN, obj=user, purpose=Purpose.ADMINISTRATION)
            return redirect(request.session.pop("next", None) or "cases:dashboard")
        record(actor=user, operation=Operation.MFA_FAILED, obj=user, purpose=Purpose.ADMINISTRATION)
        form.add_error("code", _("That code is not valid. Codes change every 30 seconds; try the current one."))
    hint = _demo_hint(device)
    return render(request, "accounts/second_factor.html", {"form": form, "demo_code": hint})


def _no_web_session(request):
    # A service account never holds a web session, even one half signed in: no TOTP enrolment.
    if request.user.is_authenticated:
        auth.logout(request)
    return redirect("accounts:login")


def _demo_hint(device):
    # Demo mode only (refused in production): lets an evaluator sign in without an authenticator app.
    if not settings.CASEBRIDGE_DEMO_TOTP_HINT:
        return None
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():0{device.digits}d}"


@public
def enrol(request):
    """First sign-in: show a QR code for an authenticator app and confirm it with one code."""
    user = request.user
    if not user.is_authenticated or user.is_service_account:
        return _no_web_session(request)
    if services.confirmed_device(user) is not None:
        return redirect("accounts:second_factor")
    device = services.pending_device(user)
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if services.confirm_enrolment(user=user, device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)
            record(actor=user, operation=Operation.LOGIN, obj=user, purpose=Purpose.ADMINISTRATION)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(request.session.pop("next", None) or "cases:dashboard")
        form.add_error("code", _("That code does not match. Check the app shows Casebridge and try the current code."))
    from base64 import b32encode

    return render(request, "accounts/enrol.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
    })


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return mark_safe(svg[svg.index("<svg"):])  # our own generated markup, no user input


@requires(Perm.ACCOUNT_SELF)
@require_POST
def logout(request):
    record(actor=request.user, operation=Operation.LOGOUT, obj=request.user, purpose=Purpose.ADMINISTRATION)
    auth.logout(request)
    return redirect("accounts:login")


@requires(Perm.ACCOUNT_SELF)
@require_POST
def purpose(request):
    """Declare the purpose recorded with everything the person does from now on."""
    chosen = request.POST.get("purpose")
    decision = policy.decide_purpose(request.user, chosen)
    if decision:
        request.session["purpose"] = chosen
        messages.success(request, _("Purpose set to: %(purpose)s.") % {"purpose": Purpose(chosen).label})
    elif chosen in Purpose.values:
        messages.error(request, _("%(reason)s; nothing changed.") % {"reason": f"{decision.reason[0].upper()}{decision.reason[1:]}"})
    else:
        messages.error(request, _("Unknown purpose; nothing changed."))
    return redirect(_next_url(request))


@public
@require_POST
def language(request):
    """Choose the interface language. Anyone may, on the sign-in page too: it is kept in a cookie.
    A signed-in person's choice is also kept on their account (and audited), so it follows them to
    another browser and to the API."""
    code = request.POST.get("language", "")
    if not languages.supported(code):
        messages.error(request, _("Unknown language; nothing changed."))
        return redirect(_next_url(request))
    user = request.user
    if user.is_authenticated and user.is_verified():
        services.choose_language(actor=user, language=code)
    return languages.remember(redirect(_next_url(request)), code)


@requires(Perm.ACCOUNT_SELF)
def tokens(request):
    """The person's own API tokens: list, issue (shown once), revoke. Reaching this page needs a
    session verified with the second factor, which is what issuing a token requires."""
    form = TokenForm(posted(request))
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                issued = services.issue_token(
                    actor=request.user, owner_id=request.user.pk, name=form.cleaned_data["name"],
                    valid_until=form.cleaned_data["valid_until"], second_factor=request.user.is_verified(),
                    purpose=request.purpose)
        except DomainError as exc:
            form.add_domain_error(exc)
    token, plain = issued or (None, None)
    response = render(request, "accounts/tokens.html", {
        "form": TokenForm() if issued else form, "tokens": services.own_tokens(request.user),
        "issued_token": token, "issued_secret": plain, "now": timezone.now(),
        "revoke_url": "accounts:revoke_token",
    }, status=400 if form.errors else 200)
    if issued:
        add_never_cache_headers(response)  # the secret is in this page: no browser or proxy may keep a copy
    return response


@requires(Perm.ACCOUNT_SELF)
@require_POST
def revoke_token(request, token_id):
    with transaction.atomic():
        token = services.revoke_token(actor=request.user, token_id=token_id, purpose=request.purpose)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")
