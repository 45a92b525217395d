"""A search starts from the searcher's cases (docs/search.md, "Performance"): on a random world, it
finds, counts and orders exactly what matching the words across every item and filtering finds."""

import random

import pytest
from django.db import connection, transaction
from django.utils import timezone

from casebridge.agencies.models import Practitioner
from casebridge.cases.models import TeamAssignment
from casebridge.items import services as items
from casebridge.items.models import CONFERENCE_CARRIERS, InformationItem
from casebridge.ops.bench.ingest import WORDS, load_items
from casebridge.ops.bench.world import build_world
from casebridge.search import fts, services
from casebridge.search.services import matching_items, search_items
from casebridge.vocabulary import Purpose

PURPOSE = Purpose.CASE_MANAGEMENT
# Common and rare words, prefixes, stems, two words, and words of no item.
QUERIES = [*WORDS[:6], *WORDS[60:63], *WORDS[-3:], "con", "visits", "meetings", "housing support", "risk plan",
           "family contact visit", "zzyzx", "in"]


@pytest.fixture
def world(db):
    rng = random.Random(11)
    with transaction.atomic():
        built = build_world(rng=rng, cases=24, practitioners=60, agreements=8, today=timezone.localdate())
    load_items(rng=rng, world=built, total=1200)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would: plans for these rows, not an empty table
            cursor.execute("ANALYZE")
    people = (TeamAssignment.objects.filter(released_at__isnull=True, practitioner__is_active=True)
              .values_list("practitioner_id", flat=True).distinct().order_by("practitioner_id"))
    return list(Practitioner.objects.select_related("agency").filter(pk__in=people[:6]))


def _everywhere(actor, query):
    """The search before it started from the cases: the words matched across all items, then filtered."""
    visible = items.visible_items(actor, PURPOSE).exclude(carrier__in=CONFERENCE_CARRIERS)
    return list(matching_items(visible, query).order_by("-fact_date", "-id").values_list("pk", flat=True))


def test_searching_within_the_searchers_cases_finds_what_matching_everywhere_found(world):
    compared = found = 0
    for actor in world:
        for query in QUERIES:
            expected = _everywhere(actor, query)
            with transaction.atomic():
                results, total = search_items(actor=actor, query=query, purpose=PURPOSE, limit=100)
            assert total == len(expected), (actor.username, query)
            assert [r.item.pk for r in results] == expected[:100], (actor.username, query)
            compared, found = compared + 1, found + bool(expected)
    # The comparison meant something: most searches found items, and no searcher saw everything.
    assert found > compared // 2
    assert all(items.visible_items(a, PURPOSE).count() < InformationItem.objects.count() for a in world)


def test_the_cases_only_narrow_the_match_and_the_filter_still_decides(world):
    actor = world[0]
    everything = list(InformationItem.objects.values_list("case_id", flat=True).distinct())
    anywhere = set(matching_items(InformationItem.objects.all(), "contact"))
    within = set(matching_items(InformationItem.objects.all(), "contact", everything))
    assert within == anywhere and anywhere
    mine = list(services.cases.visible_cases(actor).values_list("pk", flat=True))
    assert {i.case_id for i in matching_items(InformationItem.objects.all(), "contact", mine)} <= set(mine)
    assert not matching_items(InformationItem.objects.all(), "contact", []).exists()


def test_a_searcher_on_more_cases_than_can_be_named_is_matched_across_all_items(world, monkeypatch):
    actor = world[0]
    expected = _everywhere(actor, "contact")
    monkeypatch.setattr(services, "MAX_SEARCHED_CASES", 0)
    assert services._searched_cases(actor) is None
    with transaction.atomic():
        results, total = search_items(actor=actor, query="contact", purpose=PURPOSE, limit=100)
    assert total == len(expected) and [r.item.pk for r in results] == expected[:100]


def test_no_query_word_spells_a_term_within_a_case(world):
    item = InformationItem.objects.order_by("pk").first()
    word = item.title.split()[-1]
    one = InformationItem.objects.filter(pk=item.pk)
    # "_" never reaches the engine: the words typed are the case's number and the word.
    typed = fts.in_case(item.case_id, word)
    assert set(matching_items(one, typed)) == set(matching_items(one, f"{item.case_id} {word}"))
    assert not matching_items(one, f"{item.case_id} {word}").exists()
    # The search itself finds the item within its case, and not within another.
    assert matching_items(one, word, [item.case_id]).exists()
    assert not matching_items(one, word, [item.case_id + 1]).exists()


def test_a_page_past_the_last_still_counts_every_match(world):
    actor = world[0]
    expected = _everywhere(actor, "contact")
    with transaction.atomic():
        results, total = search_items(actor=actor, query="contact", purpose=PURPOSE, offset=len(expected) + 5, limit=10)
    assert results == [] and total == len(expected) > 0
