"""Full-text search: only what you may read, counted and quoted after filtering, never sources."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PURPOSE, bearer, sign_in
from casebridge.errors import InvalidInput, NotVisible
from casebridge.items import readership
from casebridge.items import services as items
from casebridge.search import fts
from casebridge.search.services import matching_items, search_items

PERSONAS = ["petra", "ivo", "omar", "clara", "nora", "xavier"]

# A word from one exchange item's title → who finds that item. Everyone else finds nothing.
FINDS = {
    "wing": {"ivo", "petra"},          # prison behaviour, RESTRICTED: prison → probation by agreement
    "Travel": {"omar"},                # police intelligence, SECRET, ORCON
    "Handler": {"omar"},               # ORCON: no agreement carries it
    "network": {"omar", "petra"},      # police risk assessment, RESTRICTED: police → probation
    "mentoring": {"petra", "clara"},   # probation programme, OPEN: to the CSO with the client's consent
    "Sleep": {"ivo"},                  # prison health: no agreement covers health
}


def _search(actor, query, **kwargs):
    with transaction.atomic():
        return search_items(actor=actor, query=query, purpose=PURPOSE, **kwargs)


@pytest.mark.parametrize("word", FINDS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_search_finds_an_item_only_for_those_who_may_read_it(exchange, cast, persona, word):
    results, total = _search(cast[persona], word)
    assert total == len(results) == (1 if persona in FINDS[word] else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_counts_exactly_the_readable_items_that_match(exchange, cast, persona):
    actor = cast[persona]
    readable = set(items.visible_items(actor, PURPOSE).values_list("pk", flat=True))
    results, total = _search(actor, "details for the team", limit=100)  # every exchange item's body
    assert total == len(readable)
    assert {r.item.pk for r in results} == readable


def test_the_count_covers_every_readable_match_not_only_the_page(exchange, cast):
    results, total = _search(cast["petra"], "details", limit=1)
    assert len(results) == 1 and total == 3
    rest, _ = _search(cast["petra"], "details", offset=1, limit=10)
    assert {r.item.pk for r in rest}.isdisjoint({results[0].item.pk}) and len(rest) == 2


@pytest.mark.parametrize("query", ["K-17", "Informant", "intercept", "Telephone intercept"])
@pytest.mark.parametrize("persona", ["omar", "petra", "sam"])
def test_source_and_method_are_never_found_not_even_by_the_originator(exchange, cast, persona, query):
    _, total = _search(cast[persona], query)
    assert total == 0


def test_a_snippet_quotes_the_visible_text_and_never_the_source(exchange, cast):
    (result,), _ = _search(cast["omar"], "travel")
    assert "Travel plans" in result.snippet
    assert "K-17" not in result.snippet and "intercept" not in result.snippet
    assert ("plans:", False) in result.snippet_parts and ("Travel", True) in result.snippet_parts


def test_each_result_says_why_it_is_visible(exchange, cast):
    (result,), _ = _search(cast["petra"], "wing")
    assert result.basis.startswith("agreement")
    (own,), _ = _search(cast["ivo"], "wing")
    assert own.basis == "your agency originated this item"


def test_search_matches_without_regard_to_case_or_accents(exchange, cast):
    _, total = _search(cast["petra"], "MENTORING Séssions")
    assert total == 1


def test_the_index_follows_amendments(exchange, cast):
    with transaction.atomic():
        items.amend_item(actor=cast["ivo"], item_id=exchange["behaviour"].pk, change_note="Clearer title",
                         purpose=PURPOSE,
                         data={"category": "custody_behaviour_and_security", "nature": "fact",
                               "title": "Quiet in the workshop", "body": "Works well with staff.",
                               "fact_date": exchange["behaviour"].fact_date, "classification": 1})
    assert _search(cast["petra"], "workshop")[1] == 1
    assert _search(cast["petra"], "wing")[1] == 0


def test_a_retracted_item_is_found_only_by_its_originator(exchange, cast):
    with transaction.atomic():
        readership.retract_item(actor=cast["ivo"], item_id=exchange["behaviour"].pk, reason="Wrong client",
                           purpose=PURPOSE)
    assert _search(cast["petra"], "wing")[1] == 0
    assert _search(cast["ivo"], "wing")[1] == 1


def test_a_search_is_audited_with_its_query_fingerprint_count_and_items(exchange, cast):
    results, total = _search(cast["petra"], "details")
    event = AuditEvent.objects.filter(operation=Operation.SEARCH).last()
    assert event.actor_username == "petra" and event.purpose == PURPOSE
    assert event.detail["query"] == fingerprint("details") and event.detail["total"] == total == 3
    assert set(event.detail["items"]) == {str(r.item.pk) for r in results}
    assert event.recipients == ["Westmark Probation Service"]


GARBAGE = ['"', '"unterminated', "AND", "OR NOT", "NEAR(a b", "*", "title:wing", "^wing", "(((", "a'b", "wing*",
           "-wing", "{title body}: x", "NOT wing", "x" * 199, "\\", "';--", "wi\x00ng", "\u0301", "🙂 wing"]


@pytest.mark.parametrize("query", GARBAGE)
def test_query_syntax_in_user_input_never_breaks_the_search(exchange, cast, query):
    try:
        results, total = _search(cast["petra"], query)
    except InvalidInput as refused:
        assert refused.field == "q"
    else:
        assert total == len(results) <= 1


@pytest.mark.parametrize("query", GARBAGE + ["", "   "])
def test_garbage_queries_get_an_answer_not_a_server_error(exchange, cast, client, query):
    sign_in(client, cast["petra"])
    page = client.get(reverse("search:search"), {"q": query})
    assert page.status_code in (200, 400)
    api = client.get("/api/search", {"q": query}, **bearer(cast["petra"]))
    assert api.status_code in (200, 400, 422)
    if api.status_code != 200:
        assert api.json()["error"]["code"] in ("invalid_input", "validation_error")


def test_an_empty_query_is_refused_with_a_reason(exchange, cast):
    with pytest.raises(InvalidInput, match="at least one word"):
        _search(cast["petra"], " ?! ")


def test_searching_a_case_you_may_not_see_is_a_404(exchange, cast, case):
    with pytest.raises(NotVisible):
        _search(cast["xavier"], "details", case_id=case.pk)
    assert _search(cast["petra"], "details", case_id=case.pk)[1] == 3


def test_matching_items_narrows_any_queryset_for_other_callers(exchange):
    from casebridge.items.models import InformationItem

    found = matching_items(InformationItem.objects.all(), "Calm wing")
    assert list(found) == [exchange["behaviour"]]
    assert not matching_items(InformationItem.objects.all(), "K-17").exists()


def test_the_index_is_restored_when_a_migration_drops_its_triggers_or_the_stemmer_changes(exchange):
    from casebridge.items.models import InformationItem

    if connection.vendor != "sqlite":
        # PostgreSQL keeps its indexes and the trigger that fills the document column through
        # table changes; there is nothing to restore.
        assert fts.ensure(connection) is False
        with connection.cursor() as cursor:
            for index in (fts.PG_INDEX, fts.PG_NAME_INDEX):
                cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index])
                assert cursor.fetchone() is not None
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal", [fts.PG_TRIGGER])
            assert cursor.fetchone() is not None
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_item_fts_update")
    assert fts.ensure(connection) is True
    assert fts.ensure(connection) is False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'")
        assert {row[0] for row in cursor.fetchall()} == set(fts.SQLITE_TRIGGERS)
        # Terms computed by another stemmer than the one indexed: re-indexed, still found.
        cursor.execute(f"UPDATE {fts.SQLITE_STATE} SET signature = 'an older stemmer'")
    assert fts.ensure(connection) is True and fts.ensure(connection) is False
    assert list(matching_items(InformationItem.objects.all(), "Calm wing")) == [exchange["behaviour"]]


def test_the_search_page_shows_markings_snippet_case_and_basis(exchange, cast, case, client):
    sign_in(client, cast["petra"])
    page = client.get(reverse("search:search"), {"q": "network"})
    html = page.content.decode()
    assert page.status_code == 200
    for expected in ["Network contacts assessed", case.reference, "RESTRICTED", "<mark>Network</mark>",
                     f"Sharing agreement {exchange['version'].agreement_id}, version 1", "1 item found"]:
        assert expected in html
    assert "Travel plans" not in html


def test_the_search_page_without_a_query_shows_only_the_form(exchange, cast, client):
    sign_in(client, cast["xavier"])
    page = client.get(reverse("search:search"))
    assert page.status_code == 200 and b"found" not in page.content


def test_the_search_page_raises_the_banner_to_the_highest_level_shown(exchange, cast, client):
    sign_in(client, cast["omar"])
    html = client.get(reverse("search:search"), {"q": "details"}).content.decode()
    assert "SECRET" in html and "level-3" in html


def test_a_search_of_items_and_of_cases_by_name_is_one_event_of_the_items_search_naming_the_cases_found(
        exchange, cast, case, client):
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    answer = client.get("/api/search", {"q": "Client-One"}, **bearer(cast["petra"])).json()
    assert [hit["case_reference"] for hit in answer["cases"]] == [case.reference]
    (event,) = AuditEvent.objects.filter(seq__gt=before, operation=Operation.SEARCH)
    assert (event.operation, event.object_type) == (Operation.SEARCH, items.ITEM)
    assert [(shown["object_type"], shown["cases"]) for shown in event.detail["shown"]] == [("cases.case", [case.pk])]


def test_the_api_searches_with_the_same_rule(exchange, cast, case, client):
    answer = client.get("/api/search", {"q": "details", "limit": 1}, **bearer(cast["clara"])).json()
    assert answer["total"] == 2 and len(answer["results"]) == 1  # programme items of probation and prison
    answer = client.get("/api/search", {"q": "mentoring"}, **bearer(cast["clara"])).json()
    (hit,) = answer["results"]
    assert hit["title"] == "Mentoring sessions started"
    assert hit["case_reference"] == case.reference and hit["classification_label"] == "OPEN"
    assert "consent" in hit["basis"] and "details for the team" in hit["snippet"]
    hidden = client.get("/api/search", {"q": "details", "case_id": case.pk}, **bearer(cast["xavier"]))
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("page", ["web", "api"])
def test_a_search_reads_its_results_in_a_fixed_number_of_queries(exchange, cast, client, page):
    """However many results, a page reads them in one query and their attachments in one more:
    no row of a result (its author, its attachments, its case) is read item by item."""
    from django.test.utils import CaptureQueriesContext

    if page == "web":
        sign_in(client, cast["petra"])

    def search(query):
        if page == "web":
            return client.get(reverse("search:search"), {"q": query})
        return client.get("/api/search", {"q": query}, **bearer(cast["petra"]))

    assert search("wing").status_code == 200  # the session's first write of the minute is behind us
    counts = {}
    for query in ("network", "details"):  # one result, then three
        with CaptureQueriesContext(connection) as captured:
            assert search(query).status_code == 200
        counts[query] = len(captured.captured_queries)
        sql = [q["sql"] for q in captured.captured_queries]
        assert sum('FROM "items_attachment"' in s for s in sql) == 1
    assert counts["details"] == counts["network"]
