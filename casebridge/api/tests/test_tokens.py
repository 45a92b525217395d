"""API tokens: bearer only while valid. Who issues and revokes them: casebridge/accounts/tests/test_tokens.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casebridge.accounts.models import ApiToken
from casebridge.agencies.models import Practitioner
from casebridge.api.tests.conftest import error_of
from casebridge.policy import Perm


def _refused(client, authorization: str | None):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/api/me", **headers)
    assert response.status_code == 401, response.content
    assert error_of(response)["code"] == "unauthenticated"


@pytest.mark.parametrize("authorization", [
    None, "Bearer", "Bearer garbage", "Bearer cb_", "Bearer cb_0000000000000000_nope", "Basic cGV0cmE6cGV0cmE=",
])
def test_a_missing_or_garbage_token_is_unauthenticated(client, cast, authorization):
    _refused(client, authorization)


def test_a_revoked_token_is_unauthenticated_at_once(client, api, cast):
    petra = api(cast["petra"])
    assert petra.get("/api/me").status_code == 200
    ApiToken.objects.filter(practitioner=cast["petra"]).update(revoked_at=timezone.now())
    _refused(client, petra.headers["HTTP_AUTHORIZATION"])


def test_an_expired_token_is_unauthenticated(client, api, cast):
    petra = api(cast["petra"])
    ApiToken.objects.filter(practitioner=cast["petra"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    _refused(client, petra.headers["HTTP_AUTHORIZATION"])


def test_a_token_of_a_deactivated_practitioner_is_unauthenticated(client, api, cast):
    petra = api(cast["petra"])
    Practitioner.objects.filter(pk=cast["petra"].pk).update(is_active=False)
    _refused(client, petra.headers["HTTP_AUTHORIZATION"])


def test_a_token_does_not_follow_its_holder_to_another_agency(client, api, cast, agencies):
    petra = api(cast["petra"])
    Practitioner.objects.filter(pk=cast["petra"].pk).update(agency=agencies["housing"])
    _refused(client, petra.headers["HTTP_AUTHORIZATION"])


def test_the_api_takes_no_csrf_token_because_it_takes_no_cookies(cast, case):
    from django.test import Client

    from casebridge.conftest import bearer

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/api/cases/{case.pk}/team", data={"practitioner": cast["nora"].pk},
                           content_type="application/json", **bearer(cast["petra"]))
    assert response.status_code == 201


def test_a_signed_in_browser_session_does_not_authenticate_the_api(web, cast):
    browser = web(cast["petra"])
    assert browser.get("/api/me").status_code == 401


def test_me_lists_what_the_role_and_the_agency_kind_allow(api, cast):
    clara, ivo = (api(cast[who]).get("/api/me").json()["permissions"] for who in ("clara", "ivo"))
    assert Perm.ITEM_READ in clara and Perm.ITEM_READ in ivo
    assert Perm.DECISION_RECORD in ivo and Perm.DECISION_RECORD not in clara  # an exit programme takes no decision
    assert Perm.ITEM_MARK_INTELLIGENCE not in clara
