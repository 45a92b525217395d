"""The interface language: a person's own choice, kept on their account, over the browser's.

The pages and the API speak the language the person chose (Practitioner.language); without a
choice, the browser's (a cookie set by the switch, else Accept-Language); else English."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from casebridge.agencies.models import Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import bearer, sign_in

COOKIE = "casebridge_language"


@pytest.fixture(autouse=True)
def english_afterwards():
    """LocaleMiddleware leaves the request's language active in the thread (every request sets its
    own, so requests never inherit it); the test client runs requests in the test's thread, so the
    next test, which may call services directly, gets English back."""
    yield
    translation.activate("en")


def choose(client, code, next="/accounts/tokens/"):
    return client.post("/accounts/language/", {"language": code, "next": next})


def language_changes(person):
    return AuditEvent.objects.filter(operation=Operation.UPDATE, actor_id=person.pk, object_id=str(person.pk),
                                     detail__has_key="language")


def test_choosing_a_language_keeps_it_on_the_account_and_audits_the_change(client, cast):
    petra = cast["petra"]
    response = choose(sign_in(client, petra), "nl")
    assert response.status_code == 302 and response.url == "/accounts/tokens/"
    assert response.cookies[COOKIE].value == "nl"
    petra.refresh_from_db()
    assert petra.language == "nl"
    assert [e.detail["language"] for e in language_changes(petra)] == ["nl"]


def test_choosing_the_language_already_kept_records_nothing_more(client, cast):
    petra = cast["petra"]
    sign_in(client, petra)
    choose(client, "de")
    choose(client, "de")
    assert language_changes(petra).count() == 1


def test_the_chosen_language_follows_the_person_to_another_browser_after_signing_out(client, cast):
    petra = cast["petra"]
    choose(sign_in(client, petra), "nl")
    client.post("/accounts/logout/")
    elsewhere = sign_in(Client(), petra)  # no language cookie, an English browser
    page = elsewhere.get("/accounts/tokens/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "nl"
    assert '<html lang="nl">' in page.content.decode()
    assert "Mijn API-tokens" in page.content.decode()


def test_a_persons_choice_wins_over_the_browsers_accept_language(client, cast):
    Practitioner.objects.filter(pk=cast["petra"].pk).update(language="de")
    page = sign_in(client, cast["petra"]).get("/accounts/tokens/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page["Content-Language"] == "de" and '<html lang="de">' in page.content.decode()


def test_without_a_choice_a_signed_in_person_gets_the_browsers_language(client, cast):
    page = sign_in(client, cast["ivo"]).get("/accounts/tokens/", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9,en;q=0.5")
    assert page["Content-Language"] == "fr" and '<html lang="fr">' in page.content.decode()


def test_the_sign_in_page_follows_the_browsers_language(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert '<html lang="de">' in page.content.decode() and "Anmelden" in page.content.decode()


def test_a_language_nobody_offers_falls_back_to_english(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja")
    assert page["Content-Language"] == "en" and "Sign in" in page.content.decode()


def test_before_signing_in_the_choice_is_kept_in_a_cookie_only(client, cast):
    response = choose(client, "fr", next="/accounts/login/")
    assert response.cookies[COOKIE].value == "fr"
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert page["Content-Language"] == "fr" and "Se connecter" in page.content.decode()
    assert not Practitioner.objects.exclude(language="").exists()
    assert not AuditEvent.objects.filter(detail__has_key="language").exists()


def test_an_unknown_language_changes_nothing(client, cast):
    petra = cast["petra"]
    response = choose(sign_in(client, petra), "xx")
    assert response.status_code == 302 and COOKIE not in response.cookies
    petra.refresh_from_db()
    assert petra.language == "" and not language_changes(petra).exists()


def test_the_api_answers_in_the_persons_language(client, cast):
    Practitioner.objects.filter(pk=cast["petra"].pk).update(language="nl")
    response = client.get("/api/cases/999999", **bearer(cast["petra"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response["Content-Language"] == "nl"
    assert response.json()["error"]["message"] == "Dit gegeven bestaat niet, of u mag het niet zien."


def test_the_api_follows_accept_language_for_someone_without_a_choice(client, cast):
    response = client.get("/api/cases/999999", **bearer(cast["ivo"]), HTTP_ACCEPT_LANGUAGE="de")
    assert response.json()["error"] == {
        "code": "not_found", "field": None,
        "message": "Diesen Datensatz gibt es nicht, oder Sie dürfen ihn nicht sehen."}


@pytest.mark.parametrize("language, expected", [
    ("en", "3 Mar 2026 · 3 Mar 2026 14:05 · 03/03/2026 · 1234.5"),
    ("nl", "3 maart 2026 · 3 maart 2026 14:05 · 3-3-2026 · 1234,5"),
    ("fr", "3 mars 2026 · 3 mars 2026 14:05 · 03/03/2026 · 1234,5"),
    ("de", "3. März 2026 · 3. März 2026 14:05 · 03.03.2026 · 1234,5"),
])
def test_dates_and_numbers_are_written_the_locales_way(language, expected):
    moment = timezone.make_aware(dt.datetime(2026, 3, 3, 14, 5))
    template = Template("{{ day|date }} · {{ moment|date:'DATETIME_FORMAT' }} · {{ day|date:'SHORT_DATE_FORMAT' }}"
                        " · {{ number }}")
    with translation.override(language):
        assert template.render(Context({"day": dt.date(2026, 3, 3), "moment": moment, "number": 1234.5})) == expected
