import time

from django.contrib import auth, messages
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.accounts.language import use_preferred
from casebridge.vocabulary import Purpose

PURPOSE_HEADER = "HTTP_X_CASEBRIDGE_PURPOSE"


class IdleTimeoutMiddleware:
    """A web session ends after CASEBRIDGE_SESSION_MINUTES without a request (SESSION_COOKIE_AGE).
    Each request pushes the end back; the session is written for it at most once a minute (not on
    every request, each of which would otherwise be a database write), so the session ends between
    one minute before and the configured time after the last request. Listed after Django's
    SessionMiddleware, whose response step then saves what this one marked."""

    REFRESH_SECONDS = 60
    KEY = "_cb_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            seen = session.get(self.KEY)
            if not isinstance(seen, int) or not 0 <= now - seen < self.REFRESH_SECONDS:
                session[self.KEY] = now
        return response


class ActiveAgencyMiddleware:
    """Sign out, on their next request, anyone whose agency was deactivated since they signed in.

    The policy refuses them every case and item anyway (its `agency_active` rule); this ends the
    session too, so the web says why instead of showing an empty world. API tokens are refused by
    `accounts.services.authenticate_token`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/") \
                and not user.agency_active:
            auth.logout(request)
            messages.error(request, _("Your agency has been deactivated in Casebridge: your access has ended."))
        elif user is not None:
            # The user is known now: the views get the account itself rather than the lazy wrappers
            # of the authentication and second-factor middleware, which every attribute read the
            # policy makes (thousands on a case page) would go through.
            request.user = concrete(user)
        return self.get_response(request)


def concrete(user):
    """The object behind Django's lazy user wrappers (evaluated already), or `user` itself."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class PreferredLanguageMiddleware:
    """A signed-in person's own language (Practitioner.language) over the cookie and
    Accept-Language that LocaleMiddleware read: listed after the account is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            use_preferred(request, user)
        return self.get_response(request)


class PurposeMiddleware:
    """Attach the declared purpose to the request: from the session on the web (chosen in the
    header bar), from the X-Casebridge-Purpose header on the API. Unknown values, and purposes
    reserved to another role (policy.decide_purpose), fall back to case management on the web;
    the API rejects them explicitly (see casebridge.api.auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            raw = request.META.get(PURPOSE_HEADER, Purpose.CASE_MANAGEMENT)
        else:
            raw = request.session.get("purpose", Purpose.CASE_MANAGEMENT)
        request.purpose_raw = raw
        user = getattr(request, "user", None)
        allowed = raw in Purpose.values and (user is None or not user.is_authenticated
                                             or policy.decide_purpose(user, raw).allowed)
        request.purpose = raw if allowed else Purpose.CASE_MANAGEMENT
        return self.get_response(request)
