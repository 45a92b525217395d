"""API tokens: issued only by their own practitioner after the second factor (a service account's by
an administrator of its agency), always expiring within 90 days, shown once; revoked by their
holder or an administrator of their agency. Nobody acts as someone else through a token."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from casebridge.accounts import services as accounts
from casebridge.accounts.models import ApiToken, hash_secret
from casebridge.accounts.services import authenticate_token
from casebridge.agencies import services as agencies_services
from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PURPOSE, _person, bearer, sign_in
from casebridge.errors import BeyondAuthority, InvalidInput

TOKEN = re.compile(r"cb_[0-9a-f]{16}_[\w-]+")


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def people(cast, agencies):
    """The cast, Bart (police administrator) and a service account of the probation service."""
    with transaction.atomic():
        sync = agencies_services.create_practitioner(
            actor=cast["adam"], agency_id=agencies["probation"].pk, username="probation-sync", password="",
            data={"first_name": "Case register sync", "email": "sync@example.test"}, purpose=PURPOSE,
            service_account=True)
    return {**cast, "bart": _person("bart", agencies["police"], "agency_admin"), "sync": sync}


def _issue_url(owner_key, people) -> str:
    return "/accounts/tokens/" if owner_key == "self" else f"/admin/practitioners/{people[owner_key].pk}/service-tokens/"


@pytest.mark.parametrize("actor, owner, status", [
    ("nora", "self", 200),     # her own token, from her account page
    ("adam", "nora", 403),     # her administrator sees her, but never issues a token that acts as her
    ("sam", "nora", 403),      # nor does the system administrator
    ("bart", "nora", 404),     # another agency's administrator does not even see her
    ("petra", "nora", 404),    # a colleague who is no administrator
    ("adam", "sync", 200),     # the service account's own agency administrator
    ("sam", "sync", 403),      # a system administrator of another agency
    ("bart", "sync", 404),
    ("nora", "sync", 404),
])
def test_who_may_issue_a_token_on_the_web(client, people, actor, owner, status):
    sign_in(client, people[actor])
    response = client.post(_issue_url(owner, people), {"name": "Case sync", "valid_until": _day(30)})
    holder = people[actor] if owner == "self" else people[owner]
    assert response.status_code == status
    assert ApiToken.objects.filter(practitioner=holder).exists() == (status == 200)
    assert bool(TOKEN.search(response.content.decode())) == (status == 200)


def test_a_session_without_the_second_factor_cannot_issue_a_token(client, cast):
    client.force_login(cast["nora"])  # password only
    response = client.post("/accounts/tokens/", {"name": "Case sync", "valid_until": _day(30)})
    assert response.status_code == 302 and response.url == "/accounts/second-factor/"
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_token_without_the_second_factor(cast):
    with pytest.raises(BeyondAuthority, match="second factor"), transaction.atomic():
        accounts.issue_token(actor=cast["nora"], owner_id=cast["nora"].pk, name="x", valid_until=timezone.localdate(),
                             second_factor=False, purpose=PURPOSE)
    assert not ApiToken.objects.exists()


def test_the_api_offers_no_way_to_issue_a_token(client, cast):
    headers = bearer(cast["adam"])
    for url in (f"/api/practitioners/{cast['nora'].pk}/tokens", "/api/me/tokens"):
        response = client.post(url, {"name": "x", "valid_until": _day(5)}, content_type="application/json", **headers)
        assert response.status_code in (404, 405)
    assert set(ApiToken.objects.values_list("practitioner__username", flat=True)) == {"adam"}


@pytest.mark.parametrize("valid_until, message", [
    ("", "Choose the last day the token may be used"),
    (_day(-1), "cannot be in the past"),
    (_day(91), "at most 90 days"),
    ("next week", "The last day of the token must be a real date"),
])
def test_a_token_needs_an_expiry_within_90_days(client, cast, valid_until, message):
    response = sign_in(client, cast["nora"]).post("/accounts/tokens/", {"name": "Sync", "valid_until": valid_until})
    assert response.status_code == 400 and message in response.content.decode()
    assert not ApiToken.objects.exists() and not TOKEN.search(response.content.decode())


@pytest.mark.parametrize("days, code", [(-1, "expiry_in_past"), (91, "expiry_too_far"), (None, "expiry_required")])
def test_the_expiry_refusals_carry_stable_codes(cast, days, code):
    day = None if days is None else timezone.localdate() + timedelta(days=days)
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        accounts.issue_token(actor=cast["nora"], owner_id=cast["nora"].pk, name="x", valid_until=day,
                             second_factor=True, purpose=PURPOSE)
    assert refused.value.code == code and refused.value.field == "valid_until"


def test_a_token_valid_for_90_days_works_until_the_end_of_its_last_day(client, cast):
    sign_in(client, cast["nora"]).post("/accounts/tokens/", {"name": "Sync", "valid_until": _day(90)})
    last = timezone.localdate() + timedelta(days=90)
    expected = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    assert ApiToken.objects.get(practitioner=cast["nora"]).expires_at == expected


def test_an_issued_token_is_shown_once_and_only_its_hash_is_stored(client, cast):
    nora = cast["nora"]
    response = sign_in(client, nora).post("/accounts/tokens/", {"name": "Case sync", "valid_until": _day(30)})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "will not be shown again" in response.content.decode()
    raw = TOKEN.search(response.content.decode()).group()
    token = ApiToken.objects.get(practitioner=nora)
    assert token.secret_hash == hash_secret(raw.split("_", 2)[2]) and raw not in token.secret_hash
    assert authenticate_token(raw) == nora and token.created_by == nora
    event = AuditEvent.objects.get(operation=Operation.TOKEN_ISSUED)
    assert event.actor_username == "nora" and raw not in str(event.detail) and "Case sync" not in str(event.detail)
    again = client.get("/accounts/tokens/").content.decode()
    assert raw not in again and token.key_id in again


def test_the_account_page_lists_only_ones_own_tokens(client, cast):
    bearer(cast["petra"])
    mine = bearer(cast["nora"])
    page = sign_in(client, cast["nora"]).get("/accounts/tokens/")
    assert [t.practitioner.username for t in page.context["tokens"]] == ["nora"]
    assert client.get("/api/me/tokens", **mine).json()[0]["practitioner_username"] == "nora"
    assert len(client.get("/api/me/tokens", **mine).json()) == 1


@pytest.mark.parametrize("actor, url, status", [
    ("nora", "/accounts/tokens/{id}/revoke/", 302),   # her own
    ("adam", "/admin/tokens/{id}/revoke/", 302),      # her agency's administrator
    ("sam", "/admin/tokens/{id}/revoke/", 302),       # the system administrator
    ("bart", "/admin/tokens/{id}/revoke/", 404),      # another agency's administrator
    ("bart", "/accounts/tokens/{id}/revoke/", 404),
    ("petra", "/accounts/tokens/{id}/revoke/", 404),  # a colleague
    ("petra", "/admin/tokens/{id}/revoke/", 404),
])
def test_who_may_revoke_a_token_on_the_web(client, people, actor, url, status):
    raw = bearer(people["nora"])["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    token = ApiToken.objects.get(practitioner=people["nora"])
    response = sign_in(client, people[actor]).post(url.format(id=token.pk))
    assert response.status_code == status
    assert (authenticate_token(raw) is None) == (status == 302)


@pytest.mark.parametrize("actor, status", [("nora", 200), ("adam", 200), ("sam", 200), ("bart", 404), ("petra", 404)])
def test_who_may_revoke_a_token_through_the_api(client, people, actor, status):
    raw = bearer(people["nora"])["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    token = ApiToken.objects.get(practitioner=people["nora"])
    response = client.post(f"/api/tokens/{token.pk}/revoke", **bearer(people[actor]))
    assert response.status_code == status
    assert (authenticate_token(raw) is None) == (status == 200)


def test_an_administrator_page_offers_revoking_a_persons_token_but_not_issuing_one(client, cast):
    bearer(cast["nora"])
    page = sign_in(client, cast["adam"]).get(f"/admin/practitioners/{cast['nora'].pk}/").content.decode()
    assert "Revoke" in page and "service-tokens" not in page
    assert "Only Nora Nijs can issue tokens for themselves" in page
