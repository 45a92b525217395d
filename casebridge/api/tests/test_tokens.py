"""API tokens: bearer only while valid, shown once, stored as a hash, managed by administrators."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casebridge.accounts.models import ApiToken, hash_secret
from casebridge.agencies.models import Practitioner
from casebridge.api.tests.conftest import error_of
from casebridge.audit.models import AuditEvent


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


def test_a_token_is_shown_once_and_stored_only_as_a_hash(api, cast):
    issued = api(cast["adam"]).post(f"/api/practitioners/{cast['nora'].pk}/tokens", {"name": "Case sync"})
    assert issued.status_code == 201
    raw = issued.json()["token"]
    secret = raw.removeprefix("cb_").partition("_")[2]  # cb_<key id>_<secret>; the secret may hold "_"
    stored = ApiToken.objects.get(pk=issued.json()["id"])
    assert stored.secret_hash == hash_secret(secret) != secret
    stored_text = " ".join(str(v) for v in ApiToken.objects.filter(pk=stored.pk).values().first().values())
    assert secret not in stored_text
    assert all(secret not in str(e.detail) for e in AuditEvent.objects.all())
    listed = api(cast["adam"]).get("/api/tokens").json()
    assert stored.key_id in [t["key_id"] for t in listed]
    assert not any("token" in t for t in listed)
    assert api(cast["adam"]).client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"] == "nora"


def test_an_administrator_revokes_a_token_and_it_stops_working(client, api, cast):
    issued = api(cast["adam"]).post(f"/api/practitioners/{cast['nora'].pk}/tokens", {"name": "Case sync"}).json()
    revoked = api(cast["adam"]).post(f"/api/tokens/{issued['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    _refused(client, f"Bearer {issued['token']}")


def test_an_agency_administrator_cannot_issue_tokens_for_another_agency(api, cast):
    response = api(cast["adam"]).post(f"/api/practitioners/{cast['xavier'].pk}/tokens", {"name": "Sneaky"})
    assert response.status_code == 404
    assert not ApiToken.objects.filter(practitioner=cast["xavier"]).exists()


def test_a_token_expiry_in_the_past_is_refused(api, cast):
    response = api(cast["adam"]).post(f"/api/practitioners/{cast['nora'].pk}/tokens",
                                      {"name": "Old", "expires_at": "2000-01-01T00:00:00Z"})
    assert response.status_code == 400
    assert error_of(response)["field"] == "expires_at"


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
