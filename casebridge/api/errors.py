"""Every API error as one JSON shape with a stable code, and nothing half-written behind it.

    {"error": {"code": "not_found", "message": "...", "field": null, "details": [...]}}

Requests run in one transaction (ATOMIC_REQUESTS), but ninja turns exceptions into ordinary
responses, so Django would see a normal return and commit whatever the failing operation had
already written. Every handler here therefore marks the transaction for rollback first.
"""

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import IntegrityError, connection, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from casebridge.accounts.throttle import Throttled
from casebridge.errors import BUSY_MESSAGE, RETRY_AFTER_SECONDS, DomainError, is_busy

logger = logging.getLogger("casebridge.api")

NOT_FOUND = gettext_lazy("No such record, or you may not see it.")
_CODES_BY_STATUS = {400: "invalid_input", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
                    405: "method_not_allowed", 409: "conflict", 422: "validation_error",
                    429: "throttled", 503: "busy"}


class ErrorDetail(Schema):
    field: str | None
    message: str
    type: str


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None
    details: list[ErrorDetail] | None = None
    current_version: int | None = None  # with `stale_version`: the version to reload


class ErrorOut(Schema):
    error: ErrorBody


# Documented on every operation so clients see the shape and codes in the OpenAPI document.
ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 409, 422, 500, 503)}


def responses(schema, status: int = 200) -> dict:
    """The `response=` of an operation: its success schema plus the error shape."""
    return {status: schema, **ERRORS}


def error_response(status: int, code: str, message: str, field: str | None = None,
                   details: list | None = None, **extra) -> HttpResponse:
    if connection.in_atomic_block:  # always, under ATOMIC_REQUESTS; set_rollback raises outside one
        transaction.set_rollback(True)
    error = {"code": code, "message": message, "field": field}
    if details:
        error["details"] = details
    error.update({name: value for name, value in extra.items() if value is not None})
    return JsonResponse({"error": error}, status=status)


def _domain(request, exc: DomainError):
    return error_response(exc.status, exc.code, exc.message, exc.field,
                          current_version=getattr(exc, "current_version", None))


def _throttled(request, exc: Throttled):
    response = error_response(exc.status, exc.code, exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _validation(request, exc: ValidationError):
    details = [{"field": _field(e.get("loc", ())), "message": e.get("msg", _("is not valid")),
                "type": e.get("type", "")} for e in exc.errors]
    first = details[0] if details else {"field": None, "message": _("is not valid")}
    where = f"{first['field']}: " if first["field"] else ""
    return error_response(422, "validation_error",
                          _("The request is not valid (%(problem)s).") % {"problem": f"{where}{first['message']}"},
                          first["field"], details)


def _field(loc) -> str | None:
    # ("body", "payload", "client", "given_name") -> "client.given_name"; ("query", "phase") -> "phase"
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]  # the name of the body parameter means nothing to the client
    return ".".join(parts) or None


def _not_found(request, exc):
    # The same words whether the record is missing or hidden: the reason would leak existence.
    return error_response(404, "not_found", str(NOT_FOUND))


def _forbidden(request, exc):
    return error_response(403, getattr(exc, "code", "forbidden"), str(exc) or _("You may not do this to this record."))


def _unauthenticated(request, exc):
    response = error_response(401, "unauthenticated",
                              _("Send a valid API token: 'Authorization: Bearer <token>'."))
    response["WWW-Authenticate"] = "Bearer"
    return response


def _http_error(request, exc: HttpError):
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    return error_response(exc.status_code, _CODES_BY_STATUS.get(exc.status_code, "invalid_input"), message)


def _suspicious(request, exc):
    # Django's refusals of the request itself, e.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
    return error_response(400, "invalid_input", _("The request is too large or malformed."))


def _integrity(request, exc):
    # Two requests raced for the same record (e.g. the same person put on a team twice).
    return error_response(409, "conflict", _("The record changed while this request ran. Reload and try again."))


def busy(request, exc):
    """The database could not serve in time (`casebridge.errors.is_busy`): 503, try again shortly."""
    response = error_response(503, "busy", str(BUSY_MESSAGE))
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _internal(request, exc):
    if is_busy(exc):
        return busy(request, exc)
    logger.exception("API request failed: %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "internal_error", _("Something went wrong on our side; nothing was saved."))


def install(api) -> None:
    """Register the handlers on a NinjaAPI. Lookup follows each exception's MRO, most specific first."""
    api.add_exception_handler(DomainError, _domain)
    api.add_exception_handler(Throttled, _throttled)
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(PermissionDenied, _forbidden)
    api.add_exception_handler(AuthenticationError, _unauthenticated)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(SuspiciousOperation, _suspicious)
    api.add_exception_handler(MultiPartParserError, _suspicious)
    api.add_exception_handler(IntegrityError, _integrity)
    api.add_exception_handler(Exception, _internal)
