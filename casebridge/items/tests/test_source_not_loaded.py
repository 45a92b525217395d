"""Source and method are not even read from the database for anyone but the originating agency.

Every query the pages, API, search, exports and previews run for another agency's reader is
captured, and none may select (or mention) the source_text or method_text columns; the originator's
own item page and API answer still read them.
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casebridge.conftest import PURPOSE, bearer, sign_in
from casebridge.decisions import services as decisions
from casebridge.items import services as items
from casebridge.items.models import InformationItem
from casebridge.search import services as search
from casebridge.sharing.models import Disclosure

COLUMNS = ("source_text", "method_text")


def queries(run) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [query["sql"] for query in captured.captured_queries]


def selecting_source(sqls) -> list[str]:
    return [sql for sql in sqls if any(column in sql for column in COLUMNS)]


@pytest.fixture
def decided(sourced, cast, case):
    """Petra's decision based on Omar's sourced item (disclosed to probation): its basis is prefetched."""
    with transaction.atomic():
        decisions.record_decision(actor=cast["petra"], case_id=case.pk, kind="regime", text="Standard regime.",
                                  decided_on=dt.date(2025, 6, 10), basis_item_ids=[sourced["item"].pk],
                                  purpose=PURPOSE)


def _web_pages(case, sourced) -> list[str]:
    return [reverse("cases:detail", args=[case.pk]), reverse("items:detail", args=[sourced["item"].pk]),
            reverse("items:detail", args=[sourced["derivative"].pk]), f"{reverse('search:search')}?q=recruiter",
            reverse("sharing:disclosures", args=[case.pk]), reverse("sharing:consents", args=[case.pk]),
            reverse("items:preview", args=[case.pk]), reverse("dataprotection:transparency", args=[case.pk])]


def _api_calls(case, sourced) -> list[str]:
    return [f"/api/cases/{case.pk}/items", f"/api/items/{sourced['item'].pk}", f"/api/items/{sourced['derivative'].pk}",
            f"/api/items/{sourced['item'].pk}/use-rights", "/api/search?q=recruiter",
            f"/api/cases/{case.pk}/disclosures", f"/api/cases/{case.pk}/decisions",
            f"/api/cases/{case.pk}/transparency"]


@pytest.mark.parametrize("persona", ["petra", "ivo", "clara"])
def test_no_page_of_another_agency_selects_source_or_method(client, cast, case, sourced, decided, persona):
    browser = sign_in(client, cast[persona])
    for url in _web_pages(case, sourced):
        responses = []
        sqls = queries(lambda: responses.append(browser.get(url)))
        assert responses[0].status_code == 200, url
        assert not selecting_source(sqls), (url, selecting_source(sqls)[:1])


@pytest.mark.parametrize("persona", ["petra", "ivo", "clara"])
def test_no_api_answer_to_another_agency_selects_source_or_method(client, cast, case, sourced, decided, persona):
    headers = bearer(cast[persona])
    for url in _api_calls(case, sourced):
        responses = []
        sqls = queries(lambda: responses.append(client.get(url, **headers)))
        assert responses[0].status_code == 200, (url, responses[0].content[:200])
        assert not selecting_source(sqls), (url, selecting_source(sqls)[:1])


def test_the_decision_page_and_refused_changes_of_another_agency_select_no_source(client, cast, case, sourced):
    petra = sign_in(client, cast["petra"])
    disclosure = Disclosure.objects.filter(item=sourced["item"]).first()
    headers = bearer(cast["petra"])
    attempts = [
        (lambda: petra.get(reverse("decisions:record", args=[case.pk])), 200),
        (lambda: client.patch(f"/api/items/{sourced['item'].pk}", {"expected_version": 1, "change_note": "x",
                                                                   "body": "y"}, content_type="application/json",
                              **headers), 403),
        (lambda: client.post(f"/api/disclosures/{disclosure.pk}/revoke", **headers), 403),
    ]
    for call, status in attempts:
        answers = []
        sqls = queries(lambda: answers.append(call()))
        assert answers[0].status_code == status
        assert not selecting_source(sqls), selecting_source(sqls)[:1]


def test_the_subject_access_export_of_a_dpo_selects_no_source(client, cast, case, sourced):
    dora = sign_in(client, cast["dora"])
    for name in ("export_json", "client"):
        sqls = queries(lambda: dora.get(reverse(f"dataprotection:{name}", args=[case.client_id])))
        assert not selecting_source(sqls), (name, selecting_source(sqls)[:1])


def test_the_services_leave_source_and_method_deferred_for_other_agencies(cast, case, sourced):
    petra = cast["petra"]
    sqls = queries(lambda: [
        items.timeline(actor=petra, case_id=case.pk, purpose=PURPOSE),
        items.get_item(actor=petra, item_id=sourced["item"].pk, purpose=PURPOSE),
        search.search_items(actor=petra, query="recruiter", purpose=PURPOSE),
        list(items.visible_items(petra, PURPOSE).filter(derived_from__isnull=False)),
    ])
    assert sqls and not selecting_source(sqls)
    item, _ = items.get_item(actor=petra, item_id=sourced["item"].pk, purpose=PURPOSE, audit=False)
    assert set(item.get_deferred_fields()) >= set(COLUMNS)
    assert items.load_source_and_method(petra, item) is False
    assert set(item.get_deferred_fields()) >= set(COLUMNS)


def test_the_originator_still_reads_its_source_and_method(client, cast, sourced):
    omar = sign_in(client, cast["omar"])
    page = []
    sqls = queries(lambda: page.append(omar.get(reverse("items:detail", args=[sourced["item"].pk]))))
    assert "Informant K-17, met in person" in page[0].content.decode() and selecting_source(sqls)
    answer = []
    sqls = queries(lambda: answer.append(client.get(f"/api/items/{sourced['item'].pk}", **bearer(cast["omar"]))))
    assert answer[0].json()["method_text"] == "Telephone intercept under warrant 25/114" and selecting_source(sqls)


def test_a_plain_query_of_items_defers_source_and_method_even_through_relations(sourced):
    assert not selecting_source(queries(lambda: list(InformationItem.objects.all())))
    assert not selecting_source(queries(lambda: [d.item.title for d in Disclosure.objects.all()]))
    assert not selecting_source(queries(lambda: list(InformationItem.objects.get(pk=sourced["item"].pk)
                                                     .decisions.all())))
    derivative = InformationItem.objects.get(pk=sourced["derivative"].pk)
    assert not selecting_source(queries(lambda: derivative.derived_from.title))
