"""No input gives a 5xx: every value is held to the edge bounds (casebridge.bounds) before a service
or database sees it, and every path under /api/ answers JSON in the error format, whatever the
method. Regression tests for each server error a sweep and targeted probes found."""

import datetime as dt
import importlib
import json

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from casebridge.accounts.models import ApiToken
from casebridge.audit.models import AuditEvent, Operation
from casebridge.api.tests.conftest import api, error_of  # noqa: F401  (api: the fixture)
from casebridge.bounds import LATEST_DAY, MAX_INT
from casebridge.conftest import PASSWORD

TOO_BIG = 2**64


def test_a_locked_account_is_told_it_is_locked_and_the_refusal_is_recorded_once(client, cast):
    # django-axes answers again after the view, once the request's transaction has ended: that
    # second answer must not write (outside a transaction it was a server error).
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "petra", "password": "wrong password!"})
    before = AuditEvent.objects.filter(operation=Operation.LOCKED_OUT).count()
    response = client.post("/accounts/login/", {"username": "petra", "password": PASSWORD})
    assert response.status_code == 429
    assert b"this account is locked for 30 minutes" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(operation=Operation.LOCKED_OUT).count() == before + 1


def test_the_lockout_answer_on_the_api_is_429_with_a_stable_code(rf):
    from casebridge.accounts.views import locked_out

    response = locked_out(rf.post("/api/anything"))
    assert response.status_code == 429 and _error(response)["code"] == "account_locked"


def _error(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)["error"]


@pytest.mark.parametrize("path", [f"/api/cases/{TOO_BIG}", f"/api/cases/{TOO_BIG}/items",
                                  f"/api/items/{TOO_BIG}", f"/api/cases/1/items?offset={TOO_BIG}"])
def test_integers_beyond_64_bits_in_the_path_or_query_are_a_validation_error(api, cast, case, path):
    response = api(cast["petra"]).get(path)
    assert response.status_code == 422, response.content[:300]
    assert error_of(response)["code"] == "validation_error"


def test_an_integer_beyond_64_bits_in_a_body_names_its_field(api, cast, case):
    response = api(cast["petra"]).patch(f"/api/cases/{case.pk}/client", {"expected_version": TOO_BIG,
                                                                         "given_name": "Other"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "expected_version"


def test_the_largest_64_bit_id_is_simply_not_found(api, cast):
    response = api(cast["petra"]).get(f"/api/cases/{MAX_INT}")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-30", "0001-01-01"])
def test_dates_outside_the_supported_range_are_a_validation_error(api, cast, case, day):
    response = api(cast["petra"]).put(f"/api/cases/{case.pk}/key-dates",
                                      {"expected_version": case.version, "sentence_start": day})
    assert response.status_code == 422
    assert error_of(response)["field"] == "sentence_start"


def test_the_last_supported_day_is_accepted(api, cast, case):
    response = api(cast["petra"]).put(f"/api/cases/{case.pk}/key-dates",
                                      {"expected_version": case.version, "sentence_start": LATEST_DAY.isoformat()})
    assert response.status_code == 200


def test_an_audit_filter_up_to_9999_12_31_is_a_validation_error_on_the_api(api, cast):
    response = api(cast["dora"]).get("/api/audit/events?date_to=9999-12-31")
    assert response.status_code == 422 and error_of(response)["field"] == "date_to"


def test_an_audit_filter_up_to_9999_12_31_is_refused_on_the_page(web, cast):
    response = web(cast["dora"]).get("/audit/?date_to=9999-12-31")
    assert response.status_code == 400
    assert "date out of range".encode() in response.content


@pytest.mark.parametrize("page", [10**30, 10**6])
def test_huge_page_numbers_are_refused_on_the_api(api, cast, page):
    response = api(cast["dora"]).get(f"/api/audit/events?page={page}")
    assert response.status_code == 422 and error_of(response)["field"] == "page"


@pytest.mark.parametrize("page, reason", [(10**30, b"number out of range"),
                                          (10**6, b"page must be between 1 and 100000")])
def test_huge_page_numbers_are_refused_on_the_pages(web, cast, page, reason):
    response = web(cast["dora"]).get(f"/audit/?page={page}")
    assert response.status_code == 400
    assert reason in response.content


def test_a_nul_character_in_an_api_body_names_its_field(api, cast, case):
    response = api(cast["petra"]).patch(f"/api/cases/{case.pk}/client", {"expected_version": case.version,
                                                                         "given_name": "Ot\x00her"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "given_name"


def test_a_nul_character_in_an_api_query_is_a_validation_error(api, cast, case):
    response = api(cast["petra"]).get(f"/api/search?q=a%00b&case={case.pk}")
    assert response.status_code == 422 and error_of(response)["field"] == "q"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_character_on_a_page_is_refused_with_a_message(web, cast, case, method):
    response = getattr(web(cast["petra"]), method)("/search/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert b"text must not contain NUL characters" in response.content


def test_an_id_beyond_64_bits_in_a_page_address_is_refused(web, cast):
    response = web(cast["adam"]).get(f"/admin/practitioners/{TOO_BIG}/")
    assert response.status_code == 400


def test_a_token_with_a_far_future_expiry_no_longer_breaks_its_holders_admin_page(web, cast):
    petra = cast["petra"]
    ApiToken.objects.create(name="old", practitioner=petra, agency_id=petra.agency_id, key_id="farfuture",
                            secret_hash="x" * 64, created_by=petra,
                            expires_at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.timezone.utc))
    migration = importlib.import_module("casebridge.accounts.migrations.0004_edge_cap_token_expiry")
    from django.apps import apps

    migration.cap_far_future_tokens(apps, None)
    token = ApiToken.objects.get(key_id="farfuture")
    assert token.expires_at <= timezone.now() + dt.timedelta(days=90)
    response = web(cast["adam"]).get(f"/admin/practitioners/{petra.pk}/")
    assert response.status_code == 200 and b"farfuture" in response.content


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "get"])
@pytest.mark.parametrize("path", ["/api/no-such-thing", "/api/cases/not-a-number/consents/signed", "/api/"])
def test_unknown_api_paths_answer_json_whatever_the_method_even_with_csrf_checks(db, method, path):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_method_a_route_does_not_take_answers_json(api, cast):
    response = api(cast["petra"]).request("delete", "/api/health")
    assert response.status_code == 405 and error_of(response)["code"] == "method_not_allowed"


def test_a_multipart_body_without_a_boundary_is_invalid_input(client, api, cast, case):
    response = client.post(f"/api/cases/{case.pk}/consents/signed", b"--x--", content_type="multipart/form-data",
                           **api(cast["petra"]).headers)
    assert response.status_code == 400 and error_of(response)["code"] == "invalid_input"


@pytest.mark.parametrize("handler", ["bad_request", "forbidden", "not_found", "server_error"])
def test_the_project_error_handlers_answer_json_under_api(rf, handler):
    from casebridge import edge

    view = getattr(edge, handler)
    request = rf.get("/api/anything")
    response = view(request) if handler == "server_error" else view(request, None)
    assert _error(response)["code"] in {"invalid_input", "forbidden", "not_found", "internal_error"}


def test_a_csrf_refusal_under_api_answers_json(rf):
    from casebridge.edge import csrf_failure

    response = csrf_failure(rf.post("/api/cases"), reason="CSRF cookie not set.")
    assert response.status_code == 403 and _error(response)["code"] == "csrf_failed"
