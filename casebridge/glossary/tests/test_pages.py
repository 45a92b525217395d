"""The glossary and categorisation pages, and terms linked to them wherever the interface shows them."""

import re

from django.template import Context, Template
from django.urls import reverse

from casebridge.glossary import terms


def _page(web, user, url):
    response = web(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_glossary_lists_a_phase_with_its_definition_and_synonyms(web, cast):
    page = _page(web, cast["ivo"], reverse("glossary:index"))
    assert 'id="phase-release_preparation"' in page and "Release preparation" in page
    assert "voorwaardelijke invrijheidstelling (v.i.)" in page and "Entlassungsvorbereitung" in page
    assert "The months before the earliest release date" in page


def test_the_filter_by_agency_kind_keeps_only_the_words_used_there(web, cast):
    page = _page(web, cast["ivo"], reverse("glossary:index") + "?agency_kind=prison")
    assert "detention" in page and "resettlement" in page  # words prisons use
    assert "on licence" not in page and "3x5x2" not in page  # probation's and police's words
    assert 'id="purpose-administration"' not in page  # no word used by prisons for it
    filtered = _page(web, cast["ivo"], reverse("glossary:index") + "?agency_kind=probation&country=NL")
    assert "voorwaardelijke invrijheidstelling" in filtered and "on licence" not in filtered


def test_every_term_links_to_an_anchor_that_exists_on_its_page(web, cast):
    pages = {url: _page(web, cast["petra"], url)
             for url in (reverse("glossary:index"), reverse("glossary:categorisations"), reverse("glossary:legend"))}
    missing = []
    for term in terms.glossary().values():
        path, anchor = term.url.split("#")
        if f'id="{anchor}"' not in pages[path]:
            missing.append(term.key)
    assert missing == [] and len(terms.glossary()) > 60


def test_the_categorisations_page_shows_definitions_the_mapping_and_that_it_is_no_score(web, cast):
    page = _page(web, cast["clara"], reverse("glossary:categorisations"))
    assert "a professional judgement, not a score" in page
    assert 'id="categorisation-vught-criminal_opportunist"' in page and "Vulnerable recipient" in page
    assert "narrower than" in page and "has no counterpart in" in page


def test_the_glossary_is_in_the_navigation_and_closed_to_a_visitor_who_is_not_signed_in(client, web, cast):
    assert client.get(reverse("glossary:index")).status_code == 302
    page = _page(web, cast["xavier"], reverse("cases:dashboard"))
    assert f'href="{reverse("glossary:index")}"' in page and f'href="{reverse("glossary:categorisations")}"' in page


def test_the_case_page_links_its_phase_to_the_glossary(web, cast, case):
    page = _page(web, cast["petra"], reverse("cases:detail", args=[case.pk]))
    link = re.search(r'<a class="term" href="/glossary/#phase-custody" title="([^"]+)">Custody</a>', page)
    assert link and link.group(1).startswith("The client serves a prison sentence")


def test_an_item_page_links_every_badge_to_the_legend_and_its_category_to_the_glossary(web, cast, exchange):
    item = exchange["police_orcon"]
    item.source_reliability, item.information_accuracy = "B", 2
    item.save(update_fields=["source_reliability", "information_accuracy"])
    page = _page(web, cast["omar"], reverse("items:detail", args=[item.pk]))
    for anchor in ("classification-1", "marking-ORCON", "nature-fact"):
        assert f'href="/glossary/legend/#{anchor}"' in page, anchor
    assert re.search(r'<a class="term" href="/glossary/legend/#grading-B2" title="The source: Mostly reliable[^"]*">'
                     r'Grading B2</a>', page)
    assert 'href="/glossary/#category-risk_and_needs_assessment"' in page


def test_the_term_tag_escapes_what_a_deployment_wrote_and_leaves_unknown_terms_unlinked(deployment):
    deployment({"terms": [{"key": "field:quote", "kind": "field", "label": "<b>Quote</b>",
                           "definition": 'Says "hello" & <script>'}]})
    rendered = Template('{% load glossary %}{% term "field" "quote" %}|{% term "phase" "nowhere" label %}'
                        '|{% term "reliability" "" "–" %}').render(Context({"label": "<i>x</i>"}))
    assert rendered == ('<a class="term" href="/glossary/#field-quote" title="Says &quot;hello&quot; &amp; '
                        '&lt;script&gt;">&lt;b&gt;Quote&lt;/b&gt;</a>|&lt;i&gt;x&lt;/i&gt;|–')


def test_the_side_by_side_page_links_common_domains_and_instrument_domains(web, cast, case, exchange):
    import datetime as dt

    from django.db import transaction

    from casebridge.assessments import services
    from casebridge.conftest import PURPOSE

    with transaction.atomic():
        services.record_assessment(actor=cast["petra"], case_id=case.pk, instrument="vera-2r@1", overall="moderate",
                                   assessed_on=dt.date.today(), domain_ratings={"BA": "moderate"},
                                   formulation="Formulation.", classification=1, purpose=PURPOSE)
    page = _page(web, cast["petra"], reverse("assessments:case", args=[case.pk]))
    assert '<a class="term" href="/glossary/#common-ideology"' in page
    assert re.search(r'<a class="term" href="/glossary/#domain-vera-2r-BA" title="[^"]+">Beliefs, attitudes and '
                     r'ideology</a>: <strong>moderate</strong>', page)
    assert re.search(r'href="/glossary/#domain-vera-2r-BA" title="[^"]+">BA</a>: moderate</li>', page)


def test_the_convening_page_links_each_conference_kind(web, cast, case):
    page = _page(web, cast["petra"], reverse("conferences:convene", args=[case.pk]))
    assert '<a class="term" href="/glossary/#conference-social_network"' in page
