"""Confirming destructive or access-changing actions in the web UI, without JavaScript.

The action's form posts to its view as usual. Without `confirmed=1` in the POST the view changes
nothing and answers with a confirmation page (`_confirm.html`) that says what will happen. Its
Confirm button posts the same fields again with `confirmed=1`; Cancel goes back. It is plain HTML
forms, so it works without script and under the strict Content-Security-Policy, and inside an
htmx swap of `<main>` as well as on a full page. The API never asks: a client confirms by calling.

Two ways to use it, one mechanism:
- `@confirm_first(title=..., consequence=...)` on a POST view (a fixed message, or a callable of
  the request and the view's arguments);
- `ask_first(request, ...)` inside a view that first validates its form, so a person confirms
  only what would be accepted.
"""

from functools import wraps

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

CONFIRM_FIELD = "confirmed"
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def _back(request, cancel_url: str | None) -> str:
    if cancel_url:
        return cancel_url
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return "/"


def confirmation_page(request, *, title: str, consequence: str, confirm_label: str = "",
                      cancel_url: str | None = None):
    """The page asking to confirm: what will happen, and the posted fields carried over unchanged."""
    carried = [(name, value) for name in request.POST if name not in _NOT_CARRIED
               for value in request.POST.getlist(name)]
    return render(request, "_confirm.html", {
        "title": title, "consequence": consequence, "confirm_label": confirm_label or _("Confirm"),
        "action": request.get_full_path(), "carried": carried, "cancel_url": _back(request, cancel_url),
        "confirm_field": CONFIRM_FIELD,
    })


def ask_first(request, **page):
    """None when this POST is confirmed (go ahead); otherwise the confirmation page to return."""
    return None if is_confirmed(request) else confirmation_page(request, **page)


def confirm_first(*, title, consequence, confirm_label="", cancel=None, check=None):
    """Decorate a POST view so that it runs only once confirmed. `title`, `consequence` and
    `cancel` may be strings or callables of (request, **view_kwargs). `check(request, **view_kwargs)`
    runs before the page is shown and raises as the view would (404 for a record the actor may not
    see, 403 for one they may not change), so asking never reveals more than acting would."""

    def value(given, request, kwargs):
        return given(request, **kwargs) if callable(given) else given

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not is_confirmed(request):
                if check is not None:
                    check(request, **kwargs)
                return confirmation_page(
                    request, title=value(title, request, kwargs), consequence=value(consequence, request, kwargs),
                    confirm_label=value(confirm_label, request, kwargs), cancel_url=value(cancel, request, kwargs))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
