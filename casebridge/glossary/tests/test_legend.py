"""The legend of the badges: every classification level, marking and grading (each of the sixteen of
the 4x4 in words), the nature of information and the sanitised and retracted marks, from the glossary."""

import html
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from casebridge.glossary import terms
from casebridge.items.models import InformationAccuracy, SourceReliability


@pytest.fixture
def legend(web, cast):
    response = web(cast["clara"]).get(reverse("glossary:legend"))
    assert response.status_code == 200
    return response.content.decode()


def _line(page, anchor) -> str:
    """The text of the legend's line for `anchor`: its badge, then its definition."""
    found = re.search(rf'<dt id="{anchor}">(.*?)</dt><dd>(.*?)</dd>', page, re.S)
    assert found, anchor
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1) + " " + found.group(2))).split())


def test_the_legend_explains_every_grading_of_the_4x4_in_words(legend):
    codes = [f"{r}{a}" for r in SourceReliability.values for a in InformationAccuracy.values]
    assert len(codes) == 16
    for code in codes:
        assert f'<a href="#grading-{code}">{code}</a>' in legend, code  # in the table
        assert _line(legend, f"grading-{code}").startswith(f"{code} The source: "), code
    assert _line(legend, "grading-X4") == (
        "X4 The source: Cannot be judged: the source's reliability cannot be assessed (a new or unknown source). "
        "The information: Not known personally to the source and cannot be corroborated.")
    assert _line(legend, "reliability-B") == "B Mostly reliable: the source has in most instances proved reliable."
    assert _line(legend, "accuracy-1") == "1 Known to be true without reservation."


def test_the_legend_shows_each_badge_as_it_looks_with_its_meaning(legend, settings):
    for rank, label in enumerate(settings.CASEBRIDGE_CLASSIFICATION_LABELS):
        assert f'<dt id="classification-{rank}"><span class="badge level-{rank}">{label}</span></dt>' in legend
    assert _line(legend, "marking-ORCON").startswith("ORCON Originator controlled.")
    assert _line(legend, "marking-NO-CROSS-BORDER").startswith("NO-CROSS-BORDER Never read outside")
    assert _line(legend, "marking-intelligence").startswith("Intelligence The item is intelligence")
    assert _line(legend, "nature-opinion").startswith("Opinion A practitioner's personal view")
    assert _line(legend, "field-retracted").startswith("Retracted Withdrawn by the agency that recorded it")
    assert _line(legend, "field-tearline").startswith("Tearline (sanitised derivative)")


def test_every_term_of_a_badge_links_to_the_legend_and_every_other_to_the_glossary():
    every = terms.glossary()
    assert every["grading:B2"].url == "/glossary/legend/#grading-B2"
    assert every["marking:ORCON"].url == "/glossary/legend/#marking-ORCON"
    assert every["field:tearline"].url == "/glossary/legend/#field-tearline"
    assert every["phase:custody"].url == "/glossary/#phase-custody"


@pytest.mark.parametrize("reliability, accuracy, expected", [
    ("B", 2, '<a class="term" href="/glossary/legend/#grading-B2" title="The source: Mostly reliable'),
    ("X", None, '<a class="term" href="/glossary/legend/#reliability-X" title="Cannot be judged'),
    ("", 4, '<a class="term" href="/glossary/legend/#accuracy-4" title="Not known personally'),
])
def test_a_grading_badge_links_to_its_grading_or_to_the_half_that_is_graded(reliability, accuracy, expected):
    rendered = Template("{% load glossary %}{% grading r a %}").render(Context({"r": reliability, "a": accuracy}))
    assert rendered.startswith(expected)
    assert rendered.endswith(f">Grading {reliability or '–'}{accuracy or '–'}</a>")


def test_the_glossary_points_to_the_legend_and_lists_the_gradings_too(web, cast):
    page = web(cast["petra"]).get(reverse("glossary:index")).content.decode()
    assert f'href="{reverse("glossary:legend")}"' in page
    assert '<dt id="grading-X4"><a href="/glossary/legend/#grading-X4">X4</a></dt>' in page


def test_a_classification_badge_anywhere_links_its_level_to_the_legend():
    from types import SimpleNamespace

    text = SimpleNamespace(classification=2, classification_label="CONFIDENTIAL")
    rendered = Template("{% load glossary %}{% classification_badge text %}").render(Context({"text": text}))
    assert re.fullmatch(r'<span class="badge level-2"><a class="term" href="/glossary/legend/#classification-2" '
                        r'title="Serious harm[^"]+">CONFIDENTIAL</a></span>', rendered)
