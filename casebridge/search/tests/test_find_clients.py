"""Finding clients and cases: by name (without case or accents, by a prefix, with a typo), by alias and
by reference, only among the cases the searcher may see; and item text by its stems."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import membership, services as cases
from casebridge.cases.models import Client
from casebridge.conftest import PURPOSE, bearer, sign_in
from casebridge.items import services as items
from casebridge.search.services import search_cases, search_items


def _open(petra, given, family, born, aliases=()):
    return cases.open_case(actor=petra, purpose=PURPOSE, phase="custody", phase_date=dt.date(2025, 3, 1),
                           client={"given_name": given, "family_name": family, "date_of_birth": born,
                                   "aliases": list(aliases)})


@pytest.fixture
def clients(cast, agencies):
    """Emir Hodžić's case, with the prison and Ivo on it; Amra Hodžić's and Jan Peeters' cases, with
    Petra's agency only. Nobody else is on any of them."""
    petra = cast["petra"]
    with transaction.atomic():
        emir = _open(petra, "Emir", "Hodžić", dt.date(1990, 3, 4), aliases=["Emko Hodza"])
        membership.add_membership(actor=petra, case_id=emir.pk, agency_id=agencies["prison"].pk,
                                  point_of_contact_id=cast["ivo"].pk, phases=["custody"], purpose=PURPOSE,
                                  starts_on=dt.date(2025, 3, 1))
        membership.assign_to_team(actor=petra, case_id=emir.pk, practitioner_id=cast["ivo"].pk, purpose=PURPOSE)
        amra = _open(petra, "Amra", "Hodžić", dt.date(1985, 11, 23))
        jan = _open(petra, "Jan", "Peeters", dt.date(1979, 1, 2))
    return {"emir": emir, "amra": amra, "jan": jan}


def _cases(actor, query):
    with transaction.atomic():
        hits, total = search_cases(actor=actor, query=query, purpose=PURPOSE)
    return [hit.case.pk for hit in hits], total, hits


@pytest.mark.parametrize("query", [
    "Emir Hodžić",   # as written
    "emir hodzic",   # without accents or capitals
    "EMIR HODŽIĆ",   # capitals
    "Hodžić Emir",   # family name first
    "emir hod",      # the start of a word
    "Em Hodzc",      # a prefix and a letter missing
    "Emir Hodzič",   # the wrong accent
    "Emir Hozdic",   # two letters swapped
    "emko",          # an alias
])
def test_a_client_is_found_by_name_without_accents_or_case_by_prefix_and_with_a_typo(clients, cast, query):
    found, total, _ = _cases(cast["petra"], query)
    assert found == [clients["emir"].pk] and total == 1


@pytest.mark.parametrize("query, who", [
    ("hodzic", {"emir", "amra"}),
    ("hod", {"emir", "amra"}),
    ("Hodžić", {"emir", "amra"}),
    ("peters", {"jan"}),       # a letter missing
    ("horvat", set()),
    ("Emir Peeters", set()),   # every word must name the same client
    ("e", set()),              # one letter is no search for a name
])
def test_every_word_must_name_the_client(clients, cast, query, who):
    found, total, _ = _cases(cast["petra"], query)
    assert set(found) == {clients[name].pk for name in who} and total == len(who)


def test_an_exact_name_ranks_above_a_typo_and_says_what_found_it(clients, cast):
    _, _, hits = _cases(cast["petra"], "emko")
    assert hits[0].matched == ("alias",)
    _, _, hits = _cases(cast["petra"], "Hodžić")
    assert [hit.matched for hit in hits] == [("name",), ("name",)] and hits[0].score == 100


def test_a_case_is_found_by_its_reference_whole_or_in_part(clients, cast):
    reference = clients["emir"].reference  # CB-2025-000NN
    year, number = reference.split("-")[1:]
    for query in [reference, reference.lower(), f"CB-{year}-{int(number):04d}", f"cb {year} {int(number)}",
                  number, f"{year}-{number}"]:
        found, _, hits = _cases(cast["petra"], query)
        assert clients["emir"].pk in found, query
        assert "reference" in next(h for h in hits if h.case.pk == clients["emir"].pk).matched
    found, total, _ = _cases(cast["petra"], reference)
    assert found == [clients["emir"].pk] and total == 1


@pytest.mark.parametrize("persona, sees", [
    ("petra", {"emir", "amra"}),   # the coordinator of both
    ("ivo", {"emir"}),             # on Emir's case only: Amra is neither shown nor counted
    ("nora", set()),               # Petra's agency, but not on the team
    ("xavier", set()),             # another agency, on no case
    ("omar", set()),
])
def test_a_client_is_found_only_through_a_case_the_searcher_may_see(clients, cast, persona, sees):
    visible = {clients[name].pk for name in sees}
    found, total, _ = _cases(cast[persona], "hodzic")
    assert set(found) == visible and total == len(visible)
    for name in ("emir", "amra"):  # by reference too: a case the searcher may not see is not there
        found, total, _ = _cases(cast[persona], clients[name].reference)
        assert found == ([clients[name].pk] if name in sees else []) and total == len(found)


def test_a_case_search_is_audited_with_its_fingerprint_count_and_cases(clients, cast):
    found, total, _ = _cases(cast["ivo"], "Hodzic")
    event = AuditEvent.objects.filter(operation=Operation.SEARCH, object_type="cases.case").last()
    assert event.actor_username == "ivo" and event.detail["query"] == fingerprint("Hodzic")
    assert event.detail["total"] == total == 1 and event.detail["cases"] == found


def test_the_search_page_shows_client_and_case_and_hides_what_is_not_visible(clients, cast, client):
    sign_in(client, cast["ivo"])
    page = client.get(reverse("search:search"), {"q": "hodzic"})
    html = page.content.decode()
    assert page.status_code == 200
    for expected in ["Emir Hodžić", clients["emir"].reference, reverse("cases:detail", args=[clients["emir"].pk]),
                     "1 case found", "Emko Hodza"]:
        assert expected in html
    assert "Amra" not in html and clients["amra"].reference not in html
    assert AuditEvent.objects.filter(operation=Operation.SEARCH).count() == 1  # one event for the page


def test_an_item_result_names_its_client(clients, cast, client):
    with transaction.atomic():
        items.record_item(actor=cast["petra"], case_id=clients["jan"].pk, purpose=PURPOSE, data={
            "category": "housing_employment_education", "nature": "fact", "title": "Tenancy signed",
            "body": "A flat in the old town.", "fact_date": dt.date(2025, 6, 1)})
    sign_in(client, cast["petra"])
    html = client.get(reverse("search:search"), {"q": "tenancy"}).content.decode()
    assert "Tenancy signed" in html and "Jan Peeters" in html


def test_the_api_returns_cases_and_items_with_their_client(clients, cast, client):
    answer = client.get("/api/search", {"q": "hodžić"}, **bearer(cast["ivo"])).json()
    assert answer["case_total"] == 1
    (hit,) = answer["cases"]
    assert hit == {"case_id": clients["emir"].pk, "case_reference": clients["emir"].reference, "phase": "custody",
                   "lead_agency": "Westmark Probation Service", "client_name": "Emir Hodžić",
                   "client_aliases": ["Emko Hodza"], "client_date_of_birth": "1990-03-04", "matched": ["name"]}
    nothing = client.get("/api/search", {"q": "hodzic"}, **bearer(cast["xavier"])).json()
    assert nothing["case_total"] == 0 and nothing["cases"] == []
    one_case = client.get("/api/search", {"q": "hodzic", "case_id": clients["emir"].pk}, **bearer(cast["ivo"])).json()
    assert one_case["case_total"] is None and one_case["cases"] == []


# An item's text in each interface language, and a query that finds it only by its stem: neither is
# a prefix of the other.
STEMMED = [
    ("english", "Looking at a house near the station", "housing"),
    ("dutch", "Hij heeft een woning in Gent gevonden", "woningen"),
    ("french", "Le logement est trouvé", "logements"),
    ("french", "Il a été libéré hier", "liberation"),
    ("german", "Eine Wohnung in Köln", "Wohnungen"),
]


@pytest.mark.parametrize("language, body, query", STEMMED)
def test_item_text_is_found_by_its_stem_in_each_interface_language(clients, cast, language, body, query):
    with transaction.atomic():
        made = items.record_item(actor=cast["petra"], case_id=clients["jan"].pk, purpose=PURPOSE, data={
            "category": "housing_employment_education", "nature": "fact", "title": "Situation note",
            "body": body, "fact_date": dt.date(2025, 6, 1)})
    with transaction.atomic():
        results, total = search_items(actor=cast["petra"], query=query, purpose=PURPOSE)
    assert [r.item.pk for r in results] == [made.pk] and total == 1
    with transaction.atomic():  # nobody else on the case finds it, whatever the language
        assert search_items(actor=cast["ivo"], query=query, purpose=PURPOSE)[1] == 0


@pytest.mark.parametrize("query, found", [
    ("tena", True),        # the start of a word
    ("TENANC", True),
    ("te", False),         # two letters are a whole word only
    ("tenancies", True),   # a stem
    ("tenantry", False),
])
def test_item_text_is_found_by_the_start_of_a_word_of_three_letters_or_more(clients, cast, query, found):
    with transaction.atomic():
        items.record_item(actor=cast["petra"], case_id=clients["jan"].pk, purpose=PURPOSE, data={
            "category": "housing_employment_education", "nature": "fact", "title": "Tenancy signed",
            "body": "A flat in the old town.", "fact_date": dt.date(2025, 6, 1)})
    with transaction.atomic():
        assert search_items(actor=cast["petra"], query=query, purpose=PURPOSE)[1] == (1 if found else 0)


def test_the_name_index_follows_a_corrected_name_and_any_change_of_the_row(clients, cast):
    with transaction.atomic():
        cases.update_client(actor=cast["petra"], case_id=clients["jan"].pk, data={"family_name": "Verhoeven"},
                            purpose=PURPOSE)
    assert _cases(cast["petra"], "verhoven")[0] == [clients["jan"].pk]
    assert _cases(cast["petra"], "peeters")[0] == []
    # Kept by the database itself, so a change made without the services is found too.
    Client.objects.filter(pk=clients["jan"].client_id).update(aliases=["Jean Ŝmit"])
    assert _cases(cast["petra"], "smit")[0] == [clients["jan"].pk]
