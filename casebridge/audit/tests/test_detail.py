"""An event's detail in words (casebridge/audit/detail.py): labels by key, values by what the key holds
and, for a key like `kind` or `status`, by what the event is about."""

import pytest

from casebridge.audit import detail


def _lines(rows, depth=0):
    for row in rows:
        yield ("  " * depth) + f"{row.label}: {row.text}".rstrip(": ")
        yield from _lines(row.rows, depth + 1)


@pytest.mark.parametrize("object_type, value, expected", [
    ("sharing.agreementversion", {"status": "superseded"}, ["Status: Superseded by a newer version"]),
    ("agencies.agency", {"kind": "faith_or_cultural_mediator"}, ["Kind: Faith or cultural mediator"]),
    ("decisions.formaldecision", {"kind": "release_recommendation"}, ["Kind: Release recommendation"]),
    ("network.tie", {"relation": "scene_contact", "strength": 3}, ["Relation: Scene contact", "Strength: Strong"]),
    ("cases.membership", {"phases": ["custody", "release_preparation"], "discreet": True},
     ["Phases: Custody, Release preparation", "Discreet membership: yes"]),
    ("cases.case", {"key_dates": ["earliest_release"], "effective_on": "2025-05-09"},
     ["Key dates changed: Earliest release", "Effective on: 9 May 2025"]),
])
def test_a_value_is_put_in_words_by_its_key_and_the_object_it_is_about(object_type, value, expected):
    assert list(_lines(detail.rows(value, object_type))) == expected


def test_what_else_a_page_showed_is_named_by_its_operation_and_object():
    rows = detail.rows({"items": {"12": "your agency originated this item"},
                        "shown": [{"operation": "list", "object_type": "decisions.formaldecision", "count": 2}]})
    assert list(_lines(rows)) == [
        "Items shown, each with why it was visible", "  item 12: your agency recorded this item",
        "Also shown on the same page", "  List: Formal decision", "    Number listed: 2"]


def test_the_list_of_events_shows_the_first_lines_and_counts_the_rest():
    shown, more = detail.summary({"a_one": 1, "a_two": 2, "items": {"1": "x", "2": "y"}, "a_four": 4, "a_five": 5})
    assert [(r.label, r.text) for r in shown] == [("A one", "1"), ("A two", "2"),
                                                  ("Items shown, each with why it was visible", "2 entries"),
                                                  ("A four", "4")]
    assert more == 1
