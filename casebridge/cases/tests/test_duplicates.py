"""Opening a case for someone who may already be a client warns first: a case the coordinator may see
is linked, one they may not see is only said to exist (with the hit / no-hit lookup offered); the
coordinator may open the case all the same, and the warning and the decision are audited."""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import services
from casebridge.cases.duplicates import PossibleDuplicate, near_dates
from casebridge.cases.models import Case, Client
from casebridge.conftest import PURPOSE, bearer, sign_in

BORN = dt.date(1996, 5, 17)  # the `case` fixture's client, Test Client-One, on Petra's case


@pytest.fixture
def hana(cast):
    """Xavier made a coordinator: of the housing office, on no case."""
    cast["xavier"].role = "coordinator"
    cast["xavier"].save(update_fields=["role"])
    return cast["xavier"]


def _open(actor, given="Test", family="Client-One", born=BORN, aliases=(), confirm=False):
    with transaction.atomic():
        return services.open_case(actor=actor, purpose=PURPOSE, phase="remand", phase_date=dt.date(2026, 1, 5),
                                  client={"given_name": given, "family_name": family, "date_of_birth": born,
                                          "aliases": list(aliases)},
                                  confirm_possible_duplicate=confirm)


def _warning(actor, **client):
    with pytest.raises(PossibleDuplicate) as raised:
        _open(actor, **client)
    return raised.value.found


@pytest.mark.parametrize("client", [
    {},                                               # the same name and birthday
    {"given": "TEST", "family": "client one"},        # case, hyphen
    {"given": "Tést", "family": "Cliënt-Öne"},        # accents
    {"given": "Client-One", "family": "Test"},        # family name first
    {"given": "Test", "family": "Klient-One"},        # a typo
    {"given": "Abu", "family": "Test", "aliases": ["Test Client One"]},  # the new person's alias is the name
    {"born": dt.date(1996, 5, 18)},                   # one digit of the birthday wrong
    {"born": dt.date(1996, 6, 17)},
])
def test_a_similar_name_born_on_the_same_or_a_nearly_same_day_warns(case, cast, client):
    found = _warning(cast["petra"], **client)
    assert found.visible == (case,) and not found.hidden


@pytest.mark.parametrize("client", [
    {"given": "Other", "family": "Person"},           # another name, same birthday
    {"born": dt.date(1980, 1, 1)},                    # the same name, another birthday
    {"born": dt.date(1997, 6, 17)},                   # two digits away
    {"given": "Tess", "family": "Clarke"},
])
def test_another_person_opens_without_a_warning(case, cast, client):
    opened = _open(cast["petra"], **client)
    assert opened.pk != case.pk


def test_an_existing_client_s_alias_warns(case, cast):
    Client.objects.filter(pk=case.client_id).update(aliases=["Abu Țest"])
    found = _warning(cast["petra"], given="Abu", family="Test", born=BORN)
    assert found.visible == (case,)


def test_a_warning_stops_the_opening_before_anything_is_written(case, cast):
    before = (Client.objects.count(), Case.objects.count())
    _warning(cast["petra"])
    assert (Client.objects.count(), Case.objects.count()) == before


def test_a_case_the_coordinator_may_not_see_is_only_said_to_exist(case, hana):
    found = _warning(hana)
    assert found.visible == () and found.hidden
    assert found.case_ids == (case.pk,)  # kept for the audit trail, never shown


def test_a_case_the_coordinator_may_not_see_warns_only_on_the_exact_birthday_like_the_lookup(case, hana):
    assert _open(hana, born=dt.date(1996, 5, 18)).pk  # a near date finds only cases one may see


def test_a_closed_case_the_coordinator_may_not_see_does_not_warn_like_the_lookup(case, hana):
    Case.objects.filter(pk=case.pk).update(phase="closed")
    assert _open(hana).pk


def test_near_dates_are_one_digit_away_or_day_and_month_swapped():
    dates = near_dates(dt.date(1990, 3, 4))
    assert {dt.date(1990, 3, 4), dt.date(1990, 4, 3), dt.date(1990, 3, 5), dt.date(1991, 3, 4),
            dt.date(1990, 8, 4)} <= dates
    assert dt.date(1990, 3, 15) not in dates and dt.date(1991, 4, 4) not in dates


def test_the_form_links_a_case_the_coordinator_may_see(case, cast, client):
    page = sign_in(client, cast["petra"]).post("/cases/open/", _form())
    html = page.content.decode()
    assert page.status_code == 409 and "This person may already be a client" in html
    assert f'href="/cases/{case.pk}/"' in html and case.reference in html and "Test Client-One" in html
    assert 'name="confirm_possible_duplicate"' in html
    assert Case.objects.count() == 1


def test_the_form_says_nothing_of_a_case_the_coordinator_may_not_see_but_offers_the_lookup(case, hana, client):
    page = sign_in(client, hana).post("/cases/open/", _form())
    html = page.content.decode()
    assert page.status_code == 409 and "you are not on" in html
    assert 'action="/search/lookup/"' in html and 'name="family_name" value="Client-One"' in html
    for detail in [case.reference, f"/cases/{case.pk}/", "Westmark Probation", "Petra", "17 May 1996"]:
        assert detail not in html


def test_the_coordinator_may_open_the_case_after_confirming_and_both_steps_are_audited(case, cast, client):
    sign_in(client, cast["petra"])
    warned = client.post("/cases/open/", _form())
    key = _hidden(warned.content.decode(), "warned_for")
    unconfirmed = client.post("/cases/open/", {**_form(), "warned_for": key})
    assert unconfirmed.status_code == 409  # the box must be ticked
    opened = client.post("/cases/open/", {**_form(), "warned_for": key, "confirm_possible_duplicate": "on"})
    new = Case.objects.exclude(pk=case.pk).get()
    assert opened.status_code == 302 and opened.url == f"/cases/{new.pk}/"
    warnings = AuditEvent.objects.filter(operation=Operation.LOOKUP, detail__duplicate_check=True)
    assert warnings.count() == 2 and warnings.last().detail["shown"] == [case.pk]
    created = AuditEvent.objects.get(operation=Operation.CREATE, object_type="cases.case", case_id=new.pk)
    assert created.detail["possible_duplicate_of"] == [case.pk] and created.detail["duplicate_confirmed"] is True


def test_a_confirmation_holds_only_for_the_person_warned_about(case, cast, client):
    sign_in(client, cast["petra"])
    other = client.post("/cases/open/", _form(given_name="Marta", family_name="Janssens"))
    assert other.status_code == 302  # another person: nothing to confirm
    key = _hidden(client.post("/cases/open/", _form()).content.decode(), "warned_for")
    changed = client.post("/cases/open/", {**_form(aliases="Teo"), "warned_for": key, "confirm_possible_duplicate": "on"})
    assert changed.status_code == 409 and Case.objects.count() == 2  # the first case, and Marta's


def test_the_api_answers_409_with_only_what_the_caller_may_see_then_opens_on_confirmation(case, cast, hana, client):
    body = {"client": {"given_name": "Test", "family_name": "Client-One", "date_of_birth": "1996-05-17"},
            "phase": "remand", "phase_date": "2026-01-05"}
    headers = {"content_type": "application/json"}
    seen = client.post("/api/cases", body, **headers, **bearer(cast["petra"]))
    assert seen.status_code == 409
    error = seen.json()["error"]
    assert error["code"] == "possible_duplicate" and error["hidden_match"] is False
    assert error["matches"] == [{"case_id": case.pk, "case_reference": case.reference,
                                 "client_name": "Test Client-One", "client_date_of_birth": "1996-05-17"}]
    unseen = client.post("/api/cases", body, **headers, **bearer(hana))
    assert unseen.status_code == 409 and unseen.json()["error"]["matches"] == []
    assert unseen.json()["error"]["hidden_match"] is True and case.reference not in unseen.content.decode()
    assert AuditEvent.objects.filter(operation=Operation.LOOKUP, detail__duplicate_check=True).count() == 2
    opened = client.post("/api/cases", {**body, "confirm_possible_duplicate": True}, **headers, **bearer(hana))
    assert opened.status_code == 201 and Case.objects.count() == 2


def _form(**change):
    return {"given_name": "Test", "family_name": "Client-One", "aliases": "", "date_of_birth": "1996-05-17",
            "nationalities": "", "languages": "", "residency_status": "unknown", "residency_note": "",
            "phase": "remand", "phase_date": "2026-01-05", "summary": "", "sentence_start": "",
            "earliest_release": "", "conditional_release": "", "sentence_end": "", "supervision_end": "", **change}


def _hidden(html: str, name: str) -> str:
    import re

    found = re.search(rf'<input type="hidden" name="{name}"(?: value="([^"]*)")?', html)
    return (found.group(1) or "") if found else ""
