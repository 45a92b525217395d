"""Security defaults: CSRF, CSP, cookies, lockout, password hashing, second factor."""

import json

import pytest
from django.conf import settings as django_settings
from django.test import Client

from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PASSWORD, sign_in


def test_a_form_post_without_a_csrf_token_is_rejected(cast):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "petra", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_a_signed_in_post_without_a_csrf_token_is_rejected(cast):
    browser = sign_in(Client(enforce_csrf_checks=True), cast["petra"])
    response = browser.post("/accounts/purpose/", {"purpose": "supervision"})
    assert response.status_code == 403
    assert browser.session.get("purpose") is None


def test_pages_carry_a_content_security_policy_without_inline_script(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert b"<script>" not in response.content  # no inline script element anywhere on the page


def test_session_cookies_are_http_only_and_strict(client, cast):
    client.post("/accounts/login/", {"username": "petra", "password": PASSWORD})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"


def test_production_configuration_sends_cookies_over_https_only():
    from casebridge import config

    env = {"CASEBRIDGE_MODE": "production", "CASEBRIDGE_SECRET_KEY": "k" * 50, "DATABASE_URL": "postgres://x/y"}
    assert config.load(env)["CASEBRIDGE_SECURE_COOKIES"] is True
    with pytest.raises(config.ConfigError):
        config.load({**env, "CASEBRIDGE_SECURE_COOKIES": "false"})


@pytest.mark.parametrize("env,reason", [
    ({"CASEBRIDGE_MODE": "production"}, "SECRET_KEY"),
    ({"CASEBRIDGE_MODE": "production", "CASEBRIDGE_SECRET_KEY": "short", "DATABASE_URL": "postgres://x/y"}, "SECRET_KEY"),
    ({"CASEBRIDGE_MODE": "production", "CASEBRIDGE_SECRET_KEY": "k" * 50}, "DATABASE_URL"),
    ({"CASEBRIDGE_MODE": "production", "CASEBRIDGE_SECRET_KEY": "k" * 50, "DATABASE_URL": "postgres://x/y",
      "CASEBRIDGE_DEMO_TOTP_HINT": "true"}, "DEMO_TOTP_HINT"),
    ({"CASEBRIDGE_MODE": "staging"}, "CASEBRIDGE_MODE"),
    ({"CASEBRIDGE_LOCKOUT_FAILURES": "0"}, "LOCKOUT_FAILURES"),
    ({"CASEBRIDGE_CLASSIFICATION_LABELS": "ONLY"}, "CLASSIFICATION_LABELS"),
])
def test_insecure_or_invalid_configuration_refuses_to_start_with_a_reason(env, reason):
    from casebridge import config

    with pytest.raises(config.ConfigError) as refused:
        config.load(env)
    assert reason in str(refused.value)


def test_passwords_are_hashed_with_argon2_in_the_configured_product():
    from casebridge import settings as product_settings

    assert product_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, cast):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "petra", "password": "wrong password!"})
        assert response.status_code in (200, 429)
    response = client.post("/accounts/login/", {"username": "petra", "password": PASSWORD})
    assert response.status_code == 429
    assert b"locked" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(operation=Operation.LOGIN_FAILED).count() >= 1
    assert AuditEvent.objects.filter(operation=Operation.LOCKED_OUT).exists()


def test_a_failed_login_is_audited_with_the_account_tried(client, cast):
    client.post("/accounts/login/", {"username": "petra", "password": "nope nope nope"})
    event = AuditEvent.objects.get(operation=Operation.LOGIN_FAILED)
    assert event.detail["username"] == "petra" and event.object_id == "petra" and event.actor_id is None


def test_a_username_that_names_no_account_is_kept_only_as_a_fingerprint(client, cast):
    typed = "Correct Horse Battery 9"  # a password typed into the username field
    client.post("/accounts/login/", {"username": typed, "password": "nope nope nope"})
    event = AuditEvent.objects.get(operation=Operation.LOGIN_FAILED)
    assert event.detail["username"] == fingerprint(typed) and event.object_id == fingerprint(typed)[:60]
    assert typed.casefold() not in json.dumps(event.detail).casefold()


def test_a_password_alone_never_reaches_a_case_page(client, case):
    client.post("/accounts/login/", {"username": "petra", "password": PASSWORD})
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 302 and "second-factor" in response.url


def test_a_wrong_second_factor_code_is_refused_and_audited(client, cast):
    client.post("/accounts/login/", {"username": "petra", "password": PASSWORD})
    response = client.post("/accounts/second-factor/", {"code": "000000"})
    assert response.status_code == 200 and b"not valid" in response.content
    assert AuditEvent.objects.filter(operation=Operation.MFA_FAILED, actor_id=cast["petra"].pk).exists()
    assert client.get("/").status_code == 302


def test_a_new_account_must_enrol_an_authenticator_with_a_qr_code(client, agencies):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from casebridge.agencies.models import Practitioner

    Practitioner.objects.create_user("newbie", "n@example.test", PASSWORD, agency=agencies["prison"])
    client.post("/accounts/login/", {"username": "newbie", "password": PASSWORD})
    assert client.get("/accounts/second-factor/").url == "/accounts/enrol/"
    page = client.get("/accounts/enrol/")
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user__username="newbie", confirmed=False)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    assert client.post("/accounts/enrol/", {"code": code}).status_code == 302
    assert TOTPDevice.objects.get(user__username="newbie").confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(operation=Operation.MFA_ENROLLED).exists()


def test_an_unknown_purpose_changes_nothing(client, cast):
    sign_in(client, cast["petra"])
    client.post("/accounts/purpose/", {"purpose": "curiosity", "next": "/"})
    assert client.session.get("purpose") is None
    client.post("/accounts/purpose/", {"purpose": "supervision", "next": "/"})
    assert client.session["purpose"] == "supervision"


def test_an_offsite_next_url_is_not_followed(client, cast):
    sign_in(client, cast["petra"])
    response = client.post("/accounts/purpose/", {"purpose": "supervision", "next": "https://evil.example/"})
    assert response.url == "/"


def test_a_demo_password_hash_is_argon2_verified_by_production_and_upgraded_at_the_first_sign_in():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from casebridge.accounts.hashers import DemoArgon2PasswordHasher

    demo = DemoArgon2PasswordHasher().encode("demo-password-2026", DemoArgon2PasswordHasher().salt())
    production = Argon2PasswordHasher()
    assert demo.startswith("argon2$") and production.verify("demo-password-2026", demo)
    assert not production.verify("another password", demo)
    assert production.must_update(demo)  # rehashed at production cost when its account signs in
    assert not production.must_update(production.encode("x" * 12, production.salt()))
