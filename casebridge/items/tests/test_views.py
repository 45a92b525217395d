"""Information items on the web: who reads what, the case timeline, markings, the banner, and
source and method kept to the originating agency."""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import services as cases
from casebridge.conftest import PURPOSE, sign_in
from casebridge.items import services as items
from casebridge.items.tests.conftest import SECRETS
from casebridge.items.timeline import PAGE_SIZE

PERSONAS = ["petra", "ivo", "omar", "clara", "nora", "xavier"]

# Which of the exchange's items each persona reads (DESIGN.md §4): the agreement gives probation
# prison behaviour and police risk; consent gives the CSO programme items; origin gives the rest.
READS = {
    "petra": {"behaviour", "police_risk", "programme"},
    "ivo": {"behaviour", "prison_health", "prison_programme"},
    "omar": {"police_risk", "police_secret", "police_orcon"},
    "clara": {"programme", "prison_programme"},
    "nora": set(),
    "xavier": set(),
}
ITEMS = ["behaviour", "prison_health", "police_risk", "police_secret", "police_orcon", "programme", "prison_programme"]


def _page(client, user, url) -> str:
    response = sign_in(client, user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("key", ITEMS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_opens_exactly_the_item_pages_the_rule_allows(client, cast, exchange, persona, key):
    response = sign_in(client, cast[persona]).get(reverse("items:detail", args=[exchange[key].pk]))
    assert response.status_code == (200 if key in READS[persona] else 404)


@pytest.mark.parametrize("persona", ["petra", "ivo", "omar", "clara"])
def test_the_timeline_lists_only_readable_items_and_refused_ones_never_reach_the_template(client, cast, exchange,
                                                                                         case, persona):
    response = sign_in(client, cast[persona]).get(f"/cases/{case.pk}/")
    timeline = response.context["timeline"]
    shown = {entry.item.pk for entry in timeline.entries if entry.item is not None}
    assert shown == {exchange[key].pk for key in READS[persona]}
    assert timeline.total == len(READS[persona])
    page = response.content.decode()
    for key in set(ITEMS) - READS[persona]:
        assert exchange[key].title not in page
    assert f"Items 1–{len(READS[persona])} of {len(READS[persona])}." in page


@pytest.mark.parametrize("persona", ["nora", "xavier"])
def test_people_off_the_case_get_no_timeline_at_all(client, cast, exchange, case, persona):
    assert sign_in(client, cast[persona]).get(f"/cases/{case.pk}/").status_code == 404


def test_petra_reads_calm_on_the_wing_under_the_agreement_but_not_the_prisons_health_note(client, cast, exchange,
                                                                                          case):
    page = _page(client, cast["petra"], f"/cases/{case.pk}/")
    assert "Calm on the wing" in page and "Sleep problems reported" not in page
    assert "Visible because:</strong> sharing agreement" in page and "Custody behaviour and security up to" in page
    assert ": custody_behaviour_and_security up to" not in page  # the basis in words, not the policy's codes
    assert client.get(reverse("items:detail", args=[exchange["prison_health"].pk])).status_code == 404


def test_clara_reads_programme_items_only_with_the_clients_consent(client, cast, exchange, case):
    page = _page(client, cast["clara"], f"/cases/{case.pk}/")
    assert "Mentoring sessions started" in page and "Education course enrolled" in page
    assert "with the client&#x27;s consent of 1 May 2025" in page
    assert "Calm on the wing" not in page and "Network contacts assessed" not in page


def test_withdrawing_consent_takes_the_programme_items_off_claras_timeline_at_once(client, cast, exchange, case):
    from casebridge.sharing import services as sharing

    with transaction.atomic():
        sharing.withdraw_consent(actor=cast["petra"], case_id=case.pk, consent_id=exchange["consent"].pk,
                                 note="Client withdrew at the meeting.", purpose=PURPOSE)
    page = _page(client, cast["clara"], f"/cases/{case.pk}/")
    assert "Mentoring sessions started" not in page and "No information items you may read." in page
    assert client.get(reverse("items:detail", args=[exchange["programme"].pk])).status_code == 404


def test_timeline_entries_show_markings_nature_category_agency_author_and_basis(client, cast, exchange, case):
    page = _page(client, cast["omar"], f"/cases/{case.pk}/")
    entry = page[page.index(f'id="item-{exchange["police_secret"].pk}"'):]
    entry = entry[:entry.index("</li>")]
    # Markings and the category link to their definitions in the glossary.
    assert re.search(r'<span class="badge level-3" title="Classification"><a class="term" '
                     r'href="/glossary/legend/#classification-3" title="[^"]+">SECRET</a></span>', entry)
    assert ">ORCON</a></span>" in entry and ">Intelligence</a></span>" in entry and ">Fact</a></span>" in entry
    assert 'href="/glossary/#category-intelligence"' in entry
    assert "Intelligence</a> · Westmark Police, Omar Osei" in entry
    assert "Visible because:</strong> your agency recorded this item" in entry
    assessment = page[page.index(f'id="item-{exchange["police_risk"].pk}"'):]
    assert ">Assessment</a></span>" in assessment[:assessment.index("</li>")]


def test_grading_and_every_handling_code_are_shown(client, cast, exchange, case):
    with transaction.atomic():
        graded = items.record_item(actor=cast["omar"], case_id=case.pk, purpose=PURPOSE, data={
            "category": "online_activity", "nature": "fact", "title": "Forum posts", "body": "Posts on a forum.",
            "fact_date": dt.date(2025, 6, 2), "classification": 1, "no_decision": True, "no_cross_border": True,
            "source_reliability": "B", "information_accuracy": 2})
    page = _page(client, cast["omar"], reverse("items:detail", args=[graded.pk]))
    assert ">NO-DECISION</a></span>" in page and ">NO-CROSS-BORDER</a></span>" in page
    assert re.search(r'<span class="badge grading"><a class="term" href="/glossary/legend/#grading-B2" '
                     r'title="The source: Mostly reliable[^"]+">Grading B2</a></span>', page)
    assert re.search(r'>B — mostly reliable</a>; <a class="term" href="/glossary/legend/#accuracy-2" '
                     r'title="[^"]+">2 — known personally to the source</a>', page)


@pytest.mark.parametrize("persona, banner", [
    ("omar", '<div class="classification-banner level-3"'),
    ("petra", '<div class="classification-banner level-1"'),
    ("clara", '<div class="classification-banner level-0"'),
])
def test_the_banner_shows_the_highest_level_on_the_page(client, cast, exchange, case, persona, banner):
    page = _page(client, cast[persona], f"/cases/{case.pk}/")
    assert page.count(banner) == 2  # top and bottom


def test_a_case_page_without_items_says_it_shows_nothing_classified(client, cast, case):
    page = _page(client, cast["petra"], f"/cases/{case.pk}/")
    assert "No classified information on this page" in page


def test_the_item_page_banner_is_the_items_level(client, cast, exchange):
    page = _page(client, cast["omar"], reverse("items:detail", args=[exchange["police_secret"].pk]))
    assert page.count('<div class="classification-banner level-3"') == 2


# --- Source and method ------------------------------------------------------------------------

def _pages_for(persona, exchange, sourced, case) -> list[str]:
    readable = [exchange[key].pk for key in READS[persona]] + [sourced["item"].pk, sourced["derivative"].pk]
    decisions = [reverse("decisions:record", args=[case.pk])] if persona != "clara" else []  # no decisions at a CSO
    return [f"/cases/{case.pk}/", *(reverse("items:detail", args=[pk]) for pk in readable),
            *decisions, reverse("items:preview", args=[case.pk]),
            f"{reverse('items:record', args=[case.pk])}"]


@pytest.mark.parametrize("persona", ["petra", "ivo", "clara"])
def test_source_and_method_never_appear_on_any_page_of_another_agency(client, cast, exchange, sourced, case, persona):
    sign_in(client, cast[persona])
    for url in _pages_for(persona, exchange, sourced, case):
        response = client.get(url)
        assert response.status_code == 200, url
        for secret in SECRETS:
            assert secret not in response.content, (url, secret)


def test_the_originating_agency_sees_source_and_method(client, cast, sourced):
    sign_in(client, cast["omar"])
    page = client.get(reverse("items:detail", args=[sourced["item"].pk])).content
    assert b"Informant K-17, met in person" in page and b"Telephone intercept under warrant 25/114" in page
    assert b"Only your agency ever sees this section" in page


def test_a_recipient_gets_no_source_or_method_field_not_even_hidden(client, cast, sourced):
    page = _page(client, cast["petra"], reverse("items:detail", args=[sourced["item"].pk]))
    assert "source_text" not in page and "method_text" not in page and "Source and method" not in page


def test_a_recipient_of_a_derivative_sees_it_is_sanitised_and_nothing_of_the_original(client, cast, exchange,
                                                                                      sourced):
    page = _page(client, cast["petra"], reverse("items:detail", args=[sourced["derivative"].pk]))
    assert "Sanitised derivative" in page and "Possible travel abroad" in page
    assert "Travel plans" not in page and f'/items/{exchange["police_secret"].pk}/' not in page
    assert "disclosure" in page  # the basis


def test_the_originator_sees_the_derivatives_original_and_the_originals_derivatives(client, cast, exchange, sourced):
    derivative = _page(client, cast["omar"], reverse("items:detail", args=[sourced["derivative"].pk]))
    assert f'href="/items/{exchange["police_secret"].pk}/">Travel plans</a>' in derivative
    original = _page(client, cast["omar"], reverse("items:detail", args=[exchange["police_secret"].pk]))
    assert "Possible travel abroad" in original


# --- The item page ------------------------------------------------------------------------

def test_reading_an_item_page_is_audited_with_its_basis(client, cast, exchange):
    sign_in(client, cast["petra"]).get(reverse("items:detail", args=[exchange["behaviour"].pk]))
    event = AuditEvent.objects.get(operation=Operation.READ, object_id=str(exchange["behaviour"].pk),
                                   actor_id=cast["petra"].pk)
    assert event.detail["basis"].startswith("agreement") and event.recipients == ["Westmark Probation Service"]


def test_the_use_rights_panel_gives_each_answer_with_its_reason(client, cast, exchange):
    page = _page(client, cast["omar"], reverse("items:detail", args=[exchange["police_secret"].pk]))
    panel = page[page.index('id="use-rights"'):]
    panel = panel[:panel.index("</section>")]
    assert '<li class="refused">' in panel and "intelligence: may inform, never be the basis" in panel
    assert "Include in the client" not in panel  # not a DPO
    behaviour = _page(client, cast["petra"], reverse("items:detail", args=[exchange["behaviour"].pk]))
    assert "may be passed on under agreements of its own" in behaviour


def test_a_data_protection_officer_on_the_team_also_sees_subject_access(client, cast, exchange, case):
    from casebridge.cases import membership

    with transaction.atomic():
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["dora"].pk,
                                  purpose=PURPOSE)
    from casebridge.dataprotection.models import SubjectAccessRelease

    url = reverse("items:detail", args=[exchange["behaviour"].pk])
    page = _page(client, cast["dora"], url)  # the prison's item: probation answers for it once released
    assert "Include in the client&#x27;s subject access copy:</strong> no" in page and "not released" in page
    SubjectAccessRelease.objects.create(item=exchange["behaviour"], released_by=cast["ivo"], released_at=timezone.now())
    assert "Include in the client&#x27;s subject access copy:</strong> yes" in _page(client, cast["dora"], url)


def test_other_agencies_see_no_management_forms_on_an_item(client, cast, exchange):
    page = _page(client, cast["petra"], reverse("items:detail", args=[exchange["behaviour"].pk]))
    for control in ("Amend this item", "Retract this item", "Disclose to a member agency", "Attach a file",
                    "Who read this", "Versions", "Create a sanitised derivative"):
        assert control not in page


def test_the_originator_sees_every_control(client, cast, exchange):
    page = _page(client, cast["ivo"], reverse("items:detail", args=[exchange["behaviour"].pk]))
    for control in ("Amend this item", "Retract this item", "Disclose to a member agency", "Attach a file",
                    "Show who read this item", "Versions", "Create a sanitised derivative", "Preview as agency"):
        assert control in page


def test_item_and_case_pages_have_no_inline_script_or_style(client, cast, exchange, case):
    sign_in(client, cast["ivo"])
    for url in (f"/cases/{case.pk}/", reverse("items:detail", args=[exchange["behaviour"].pk])):
        page = client.get(url).content.decode()
        assert "<style" not in page and " style=" not in page and " on" + "click=" not in page
        assert all(" src=" in chunk.split(">", 1)[0] for chunk in page.split("<script")[1:])


def test_a_malformed_or_unknown_item_id_is_not_found(client, cast, exchange):
    sign_in(client, cast["omar"])
    assert client.get("/items/999999/").status_code == 404
    assert client.get("/items/abc/").status_code == 404


# --- The timeline: pages, filter, phases between items ---------------------------------------

@pytest.fixture
def long_history(cast, case):
    """Thirty items of Petra's, one a week from January 2025, and two phase changes among them."""
    petra = cast["petra"]
    with transaction.atomic():
        for week in range(30):
            items.record_item(actor=petra, case_id=case.pk, purpose=PURPOSE, data={
                "category": "programme_and_intervention" if week % 3 == 0 else "family_and_social_network",
                "nature": "fact", "title": f"Week {week:02d} note", "body": "Weekly contact.",
                "fact_date": dt.date(2025, 1, 6) + dt.timedelta(weeks=week)})
        cases.transition_phase(actor=petra, case_id=case.pk, purpose=PURPOSE, to_phase="release_preparation",
                               effective_on=dt.date(2025, 7, 15), handover_note="Release preparation begins.",
                               expected_version=case.version)
    return case


def _entries(client, url):
    timeline = client.get(url).context["timeline"]
    return timeline, [("phase", e.phase.to_phase) if e.phase else ("item", e.item.title) for e in timeline.entries]


def test_the_timeline_pages_through_items_and_places_each_phase_change_once_in_date_order(client, cast,
                                                                                        long_history):
    sign_in(client, cast["petra"])
    pages, offset = [], 0
    while offset is not None:  # follow "Older" to the last page
        timeline, entries = _entries(client, f"/cases/{long_history.pk}/?offset={offset}")
        pages.append((timeline, entries))
        offset = timeline.older
    assert [t.total for t, _ in pages] == [30] * len(pages) and pages[1][0].newer == 0
    assert [sum(kind == "item" for kind, _ in entries) for _, entries in pages] == \
        [min(PAGE_SIZE, 30 - start) for start in range(0, 30, PAGE_SIZE)]
    both = [entry for _, entries in pages for entry in entries]
    assert both.count(("phase", "release_preparation")) == 1 and both.count(("phase", "custody")) == 1
    # Newest first: the July phase change sits between week 27 (14 Jul) and week 28 (21 Jul).
    at = both.index(("phase", "release_preparation"))
    assert both[at - 1] == ("item", "Week 28 note") and both[at + 1] == ("item", "Week 27 note")
    at = both.index(("phase", "custody"))  # 1 March: between week 8 (3 Mar) and week 7 (24 Feb)
    assert both[at - 1] == ("item", "Week 08 note") and both[at + 1] == ("item", "Week 07 note")
    page = client.get(f"/cases/{long_history.pk}/").content.decode()
    assert f'href="?offset={PAGE_SIZE}#timeline">Older →</a>' in page


def test_the_timeline_filters_by_category(client, cast, long_history):
    sign_in(client, cast["petra"])
    timeline, entries = _entries(client, f"/cases/{long_history.pk}/?category=programme_and_intervention")
    assert timeline.total == 10
    assert all(e.item.category == "programme_and_intervention" for e in timeline.entries if e.item)


@pytest.mark.parametrize("query", ["category=gossip", "offset=-5", "offset=abc"])
def test_a_bad_timeline_filter_is_refused_with_a_message_not_a_crash(client, cast, exchange, case, query):
    response = sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/?{query}")
    assert response.status_code == 400 and "Showing all the information you may read, from the newest item." in response.content.decode()


@pytest.mark.parametrize("fixtures", [["exchange"], []])
def test_a_page_past_the_end_is_empty_not_an_error(request, client, cast, case, fixtures):
    for name in fixtures:
        request.getfixturevalue(name)
    response = sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/?offset=500")
    assert response.status_code == 200 and response.context["timeline"].entries == []


def test_listing_the_timeline_is_audited_with_each_items_basis(client, cast, exchange, case):
    signed_in = sign_in(client, cast["petra"])
    before = AuditEvent.objects.count()
    signed_in.get(f"/cases/{case.pk}/")
    # The page's one event: the reading of the case, naming each item its timeline showed.
    event, = AuditEvent.objects.filter(seq__gt=before)
    assert (event.operation, event.object_type) == (Operation.READ, "cases.case")
    assert set(event.detail["items"]) == {str(exchange[k].pk) for k in READS["petra"]}
    assert event.detail["shown"][0] == {"operation": "list", "object_type": items.ITEM,
                                        "total": len(READS["petra"]), "offset": 0}
