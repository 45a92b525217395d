"""URLs of the API. Routes ninja does not know, and methods a route does not take, answer in the
same JSON error shape as everything else, so a client never has to parse an HTML page."""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, path, re_path
from django.views.decorators.csrf import csrf_exempt

from casebridge.api.api import api
from casebridge.api.errors import error_response
from casebridge.permissions import public


@public
@csrf_exempt  # a bearer-token API: an unknown route is a JSON 404 whatever the method, not a CSRF page
def unknown_route(request, rest: str = ""):
    return error_response(404, "not_found", "No such API route.")


def _json_not_allowed(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            refused = error_response(405, "method_not_allowed",
                                     f"{request.method} is not allowed here; use {response['Allow']}.")
            refused["Allow"] = response["Allow"]
            return refused
        return response

    return wrapped


def _api_patterns():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_not_allowed(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    # The API root has no page: the interactive docs load scripts from a CDN the CSP forbids.
    path("", unknown_route),
    path("", _api_patterns()),
    re_path(r"^(?P<rest>.*)$", unknown_route),
]
