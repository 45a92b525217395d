"""The edge of the web application: what every request is held to before any view runs, and the
error pages of the project, which answer JSON under /api/ whatever the method or the failure.

`EdgeMiddleware` refuses a page request whose path, query string or form fields (not uploaded
files) hold a value out of the bounds of `casebridge.bounds` — a NUL character, a number beyond 64
bits, a typed day outside the supported years, a page beyond the last one any list has — with a
400 page saying which value and why, before a database could fail on it. The API checks its own
validated arguments (`casebridge.api.edge`), so here /api/ is left to it.

It also tells the database backend whether the request only reads (`reading_requests`: on SQLite a
read runs as a snapshot and appends its audit events after it), and answers a database too busy
to serve in time (SQLite's busy timeout, no free pooled connection) with a 503 and Retry-After.
"""

from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from casebridge.audit.backends import reading_requests
from casebridge.bounds import raw_problem
from casebridge.errors import BUSY_MESSAGE, RETRY_AFTER_SECONDS, is_busy

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX) or request.path_info == API_PREFIX.rstrip("/")


def _problem(request) -> tuple[str, str] | None:
    """(where, why) of the first out-of-bounds value of a page request, or None."""
    for segment in request.path_info.split("/"):
        reason = raw_problem(segment)
        if reason:
            return _("the address"), reason
    sources = [request.GET]
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                            "multipart/form-data"):
        sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            for value in [name, *values]:
                reason = raw_problem(value, name)
                if reason:
                    return name[:60].replace("\x00", ""), reason
    return None


class EdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            found = _problem(request)
            if found:
                where, why = found
                return HttpResponseBadRequest(render_to_string("400.html", {"where": where, "why": why}, request))
        with reading_requests(request.method):
            return self.get_response(request)

    def process_exception(self, request, exception):
        """The database was too busy to answer in time: 503 with Retry-After, not a server error.
        The request's transaction was rolled back, so nothing of it was kept."""
        if not is_busy(exception):
            return None
        if is_api(request):
            from casebridge.api.errors import busy

            return busy(request, exception)
        response = HttpResponse(render_to_string("503.html", {"why": BUSY_MESSAGE}, request), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


# Project error handlers (casebridge.urls): JSON under /api/, pages elsewhere.

def _api_error(status: int, code: str, message: str):
    from casebridge.api.errors import error_response  # the API's one error shape

    return error_response(status, code, message)


@requires_csrf_token
def bad_request(request, exception=None):
    if is_api(request):
        return _api_error(400, "invalid_input", _("The request is too large or malformed."))
    return HttpResponseBadRequest(render_to_string("400.html", {"why": _("The request is malformed.")}, request))


@requires_csrf_token
def forbidden(request, exception=None):
    if is_api(request):
        return _api_error(403, "forbidden", _("You may not do this."))
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)


@requires_csrf_token
def not_found(request, exception=None):
    if is_api(request):
        return _api_error(404, "not_found", _("No such API route."))
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    if is_api(request):
        return _api_error(500, "internal_error", _("Something went wrong on our side; nothing was saved."))
    from django.views.defaults import server_error as page

    return page(request)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the API authenticates with a bearer token and needs no CSRF token, but a
    refusal that still reaches here under /api/ answers in the API's shape, not as an HTML page."""
    if is_api(request):
        return _api_error(403, "csrf_failed", _("Cross-site request refused; API clients send a bearer token."))
    from django.views.csrf import csrf_failure as page

    return page(request, reason=reason)
