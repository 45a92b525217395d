"""Rate limits on signing in, the second factor, the person lookup and API token use, per account
and per address, with a clear message on the page and 429 `rate_limited` with Retry-After on the API."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.api.tests.conftest import api, error_of  # noqa: F401  (api: the fixture)
from casebridge.conftest import PASSWORD, bearer, clear_of_a_rate_window

WINDOW = 3600  # the limits' fixed window: long, so that a test's attempts seldom wait for a new one
LOOKUP = {"given_name": "Test", "family_name": "Client-One", "date_of_birth": "1996-05-17"}


@pytest.fixture
def rates(settings):
    """Small limits: 3 attempts per account in an hour, twice that per address."""
    settings.CASEBRIDGE_RATES = {"login": (3, WINDOW), "second_factor": (3, WINDOW), "lookup": (3, WINDOW),
                                 "token": (3, WINDOW)}
    settings.CASEBRIDGE_RATE_ADDRESS_FACTOR = 2
    settings.AXES_FAILURE_LIMIT = 100  # the lockout is tested elsewhere; here only the rate counts
    clear_of_a_rate_window(WINDOW, margin=10)


def _code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_too_many_sign_ins_for_one_account_are_refused_even_with_the_right_password(client, cast, rates):
    for _ in range(3):
        assert client.post("/accounts/login/", {"username": "petra", "password": "wrong password!"}).status_code == 200
    response = client.post("/accounts/login/", {"username": "petra", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts. Wait" in response.content
    assert 1 <= int(response["Retry-After"]) <= WINDOW
    assert "_auth_user_id" not in client.session


def test_another_account_from_the_same_address_may_still_sign_in(client, cast, rates):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "petra", "password": "wrong password!"})
    response = client.post("/accounts/login/", {"username": "nora", "password": PASSWORD})
    assert response.status_code == 302


def test_one_address_trying_many_accounts_is_refused(client, cast, rates):
    for username in ("ivo", "omar", "clara", "nora", "xavier", "adam"):
        client.post("/accounts/login/", {"username": username, "password": "wrong password!"})
    response = client.post("/accounts/login/", {"username": "dora", "password": PASSWORD})
    assert response.status_code == 429


def test_the_limit_counts_usernames_whatever_their_case(client, cast, rates):
    for username in ("petra", "PETRA", "Petra"):
        client.post("/accounts/login/", {"username": username, "password": "wrong password!"})
    assert client.post("/accounts/login/", {"username": "pEtra", "password": PASSWORD}).status_code == 429


def test_too_many_second_factor_codes_are_refused_even_the_right_one(client, cast, rates):
    petra = cast["petra"]
    assert client.post("/accounts/login/", {"username": "petra", "password": PASSWORD}).status_code == 302
    for _ in range(3):
        client.post("/accounts/second-factor/", {"code": "000000"})
    response = client.post("/accounts/second-factor/", {"code": _code(petra)})
    assert response.status_code == 429 and response["Retry-After"]
    assert b"Too many attempts" in response.content
    assert client.get("/").status_code == 302  # still not signed in


def test_too_many_lookups_on_the_api_are_429_with_a_stable_code(api, case, cast, rates, settings):
    settings.CASEBRIDGE_RATES = {**settings.CASEBRIDGE_RATES, "token": (100, WINDOW)}
    clara = api(cast["clara"])
    for _ in range(3):
        assert clara.post("/api/lookup", LOOKUP).status_code == 200
    response = clara.post("/api/lookup", LOOKUP)
    assert response.status_code == 429
    assert error_of(response)["code"] == "rate_limited" and 1 <= int(response["Retry-After"]) <= WINDOW


def test_too_many_lookups_on_the_page_show_a_message(web, case, cast, rates):
    clara = web(cast["clara"])
    for _ in range(3):
        assert clara.post("/search/lookup/", LOOKUP).status_code == 200
    response = clara.post("/search/lookup/", LOOKUP)
    assert response.status_code == 429 and b"Too many attempts" in response.content


def test_too_many_requests_with_one_token_are_429_with_retry_after(api, cast, rates):
    petra = api(cast["petra"])
    for _ in range(3):
        assert petra.get("/api/me").status_code == 200
    response = petra.get("/api/me")
    assert response.status_code == 429
    assert error_of(response)["code"] == "rate_limited" and response["Retry-After"]


def test_guessing_tokens_from_one_address_is_refused_too(client, cast, rates):
    for _ in range(6):
        assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer cb_guess_guess").status_code == 401
    response = client.get("/api/me", **bearer(cast["petra"]))
    assert response.status_code == 429 and error_of(response)["code"] == "rate_limited"


def test_the_limits_are_configuration(monkeypatch):
    from casebridge import config

    monkeypatch.setenv("CASEBRIDGE_RATE_LOGIN", "7/120")
    assert config.load()["CASEBRIDGE_RATE_LOGIN"] == (7, 120)
    monkeypatch.setenv("CASEBRIDGE_RATE_LOGIN", "7 per minute")
    with pytest.raises(config.ConfigError, match="CASEBRIDGE_RATE_LOGIN"):
        config.load()
    monkeypatch.setenv("CASEBRIDGE_CACHE", "redis")
    with pytest.raises(config.ConfigError, match="CASEBRIDGE_CACHE"):
        config.read("CASEBRIDGE_CACHE")
