"""Hit / no-hit lookup: yes or no, and on yes only whom to call; every question recorded."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases.models import Case, Client
from casebridge.conftest import PURPOSE, bearer, sign_in
from casebridge.errors import InvalidInput
from casebridge.search.lookup import lookup_person

BORN = dt.date(1996, 5, 17)  # the case's client, Test Client-One


@pytest.fixture
def aliased(case):
    Client.objects.filter(pk=case.client_id).update(aliases=["Teo Klient", "Abu Țest"])
    return case


def _ask(actor, given, family, born=BORN):
    with transaction.atomic():
        return lookup_person(actor=actor, given_name=given, family_name=family, date_of_birth=born, purpose=PURPOSE)


@pytest.mark.parametrize("given, family, born, hit", [
    ("Test", "Client-One", BORN, True),
    ("TEST", "client-one", BORN, True),           # case
    ("Tést", "Cliént-Öne", BORN, True),           # accents
    ("Test", "Client One", BORN, True),           # hyphen or space
    ("Client-One", "Test", BORN, True),           # family name first
    ("Teo", "Klient", BORN, True),                # an alias
    ("abu", "TEST", BORN, True),                  # an alias, accents and case aside
    ("Test", "Client-One", dt.date(1996, 5, 18), False),  # the date of birth is exact
    ("Test", "Client-Two", BORN, False),
    ("Test", "", BORN, None),                     # a name is required: refused, not answered
])
def test_a_lookup_answers_yes_only_for_the_clients_names_and_exact_date_of_birth(aliased, cast, given, family,
                                                                                born, hit):
    if hit is None:
        with pytest.raises(InvalidInput):
            _ask(cast["xavier"], given, family, born)
        return
    assert _ask(cast["xavier"], given, family, born).hit is hit


def test_a_hit_names_only_the_coordinating_agency_and_its_point_of_contact(case, cast):
    cast["petra"].phone = "+32 50 12 34 56"
    cast["petra"].save(update_fields=["phone"])
    answer = _ask(cast["xavier"], "Test", "Client-One")
    (contact,) = answer.contacts
    assert (contact.agency, contact.name, contact.email, contact.phone) == (
        "Westmark Probation Service", "Petra Peeters", "petra@example.test", "+32 50 12 34 56")


def test_a_closed_case_is_not_a_hit(case, cast):
    Case.objects.filter(pk=case.pk).update(phase="closed")
    assert _ask(cast["xavier"], "Test", "Client-One").hit is False


@pytest.mark.parametrize("given, hit, recipients", [
    ("Test", True, ["Westmark Probation Service"]),
    ("Nobody", False, []),
])
def test_every_lookup_is_audited_with_the_questions_fingerprints_and_the_answer(case, cast, given, hit, recipients):
    _ask(cast["xavier"], given, "Client-One")
    event = AuditEvent.objects.filter(operation=Operation.LOOKUP).last()
    assert event.actor_username == "xavier" and event.purpose == PURPOSE
    assert event.detail["query"] == {"given_name": fingerprint(given), "family_name": fingerprint("Client-One"),
                                     "date_of_birth": fingerprint("1996-05-17")}
    assert event.detail["hit"] is hit
    assert event.recipients == recipients


def test_the_lookup_page_answers_without_any_case_detail(case, cast, client):
    sign_in(client, cast["xavier"])
    assert client.get(reverse("search:lookup")).status_code == 200
    page = client.post(reverse("search:lookup"), {"given_name": "test", "family_name": "client-one",
                                                  "date_of_birth": "1996-05-17"})
    html = page.content.decode()
    assert page.status_code == 200 and "Yes" in html and "Petra Peeters" in html
    for detail in [case.reference, "Custody", "custody"]:
        assert detail not in html
    miss = client.post(reverse("search:lookup"), {"given_name": "Test", "family_name": "Client-One",
                                                  "date_of_birth": "1990-01-01"})
    assert miss.status_code == 200 and "No:" in miss.content.decode()


def test_the_lookup_page_refuses_an_incomplete_question(case, cast, client):
    sign_in(client, cast["xavier"])
    page = client.post(reverse("search:lookup"), {"given_name": "Test", "family_name": "Client-One"})
    assert page.status_code == 400 and not AuditEvent.objects.filter(operation=Operation.LOOKUP).exists()


def test_the_api_lookup_says_yes_or_no_and_nothing_else(case, cast, client):
    headers = {**bearer(cast["clara"]), "content_type": "application/json"}
    hit = client.post("/api/lookup", {"given_name": "Test", "family_name": "Client-One",
                                      "date_of_birth": "1996-05-17"}, **headers)
    assert hit.status_code == 200
    assert hit.json() == {"hit": True, "contacts": [{"agency": "Westmark Probation Service", "name": "Petra Peeters",
                                                     "email": "petra@example.test", "phone": ""}]}
    miss = client.post("/api/lookup", {"given_name": "Test", "family_name": "Client-One",
                                       "date_of_birth": "1996-05-18"}, **headers)
    assert miss.json() == {"hit": False, "contacts": []}
    bad = client.post("/api/lookup", {"given_name": "Te\x00st", "family_name": "Client-One",
                                      "date_of_birth": "1996-05-17"}, **headers)
    # A NUL character is refused at the edge like anywhere else (casebridge.bounds), naming the field.
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "given_name"
