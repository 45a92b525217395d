"""Human labels for machine values (casebridge/labels.py): every enumeration is known by name, and the
policy's bases read as sentences, with labels and dates in the reader's language."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.template import Context, Template
from django.utils import translation

from casebridge import labels, policy
from casebridge.policy.cases import CaseFacts, MembershipFacts
from casebridge.policy.core import Perm
from casebridge.policy.items import ConsentFacts, DisclosureFacts, ItemFacts, RuleFacts, SharingFacts

TODAY = dt.date(2026, 6, 1)
PROGRAMME = "programme_and_intervention"
READER = SimpleNamespace(id=1, pk=1, role="practitioner", agency_id=1, agency_kind="cso", agency_country="BE",
                         agency_active=True, is_active=True, clearance=3)


def test_every_choice_field_of_every_model_has_its_enumeration_named_in_labels():
    registered = {labels.choices(kind) for kind in labels.ENUMERATIONS}
    missing = sorted(f"{model._meta.label}.{f.name}" for model in apps.get_models()
                     if model.__module__.startswith("casebridge.") for f in model._meta.get_fields()
                     if getattr(f, "choices", None) and tuple(f.choices) not in registered)
    assert missing == []


@pytest.mark.parametrize("kind, value, expected", [
    ("phase", "release_preparation", "Release preparation"),
    ("category", PROGRAMME, "Programme and intervention"),
    ("purpose", "case_management", "Case management"),
    ("classification", 2, "CONFIDENTIAL"),
    ("classification", "1", "RESTRICTED"),
    ("marking", "ORCON", "ORCON"),
    ("accuracy", 2, "2 — known personally to the source"),
    ("audience", "cleared", "Security-cleared professionals only"),
    ("phase", "a_retired_phase", "A retired phase"),  # a value an older version wrote, still readable
])
def test_a_value_is_put_in_words_by_its_enumeration(kind, value, expected):
    assert labels.label(kind, value) == expected


def test_a_code_of_an_unknown_enumeration_is_guessed_only_when_one_enumeration_has_it():
    assert labels.guess("release_preparation") == "Release preparation"
    assert labels.guess("other") == "Other"  # an agency kind, a decision kind, a relation …: one word for all
    assert labels.guess("unknown") is None  # a residency status "Unknown", or knowledge "Still unknown"
    assert labels.guess("not_a_code") is None


def _item(originator, category=PROGRAMME):
    return ItemFacts(id=10, case_id=5, client_id=7, originating_agency_id=originator, category=category,
                     classification=0, originator_country="BE")


def _bases():
    """The policy's own basis texts, one of each shape, made by the policy (not copied here)."""
    rule = RuleFacts(agreement_id=3, version=2, originator_id=2, recipient_id=1, category=PROGRAMME,
                     max_classification=0, consent_required=True, purposes=frozenset({"case_management"}),
                     status="active", valid_from=dt.date(2026, 1, 1), label="Westmark Probation → Open Door")
    consent = ConsentFacts(id=4, client_id=7, recipient_agency_id=1, recipient_kind="",
                           categories=frozenset({PROGRAMME}), purpose="case_management", given_on=dt.date(2026, 3, 9))
    world = SharingFacts.of(rules=[rule], consents=[consent],
                            disclosures=[DisclosureFacts(id=6, item_id=11, recipient_id=1, disclosed_on=TODAY)])
    disclosed = ItemFacts(id=11, case_id=5, client_id=7, originating_agency_id=3, category="health_and_mental_health",
                          classification=0, originator_country="BE")
    case = CaseFacts(id=5, phase="release_preparation", lead_agency_id=2, coordinator_id=9,
                     team_ids=frozenset({1}), memberships=(MembershipFacts(1, TODAY, None,
                                                                           frozenset({"release_preparation"})),))
    return {
        "originator": policy.sharing_basis(READER, _item(1), world, "case_management", TODAY),
        "disclosure": policy.sharing_basis(READER, disclosed, world, "case_management", TODAY),
        "agreement": policy.sharing_basis(READER, _item(2), world, "case_management", TODAY),
        "case": policy.decide_case(READER, Perm.CASE_VIEW, case, TODAY).reason,
    }


def test_every_shape_of_the_policys_basis_reads_as_words_without_codes_or_iso_dates():
    bases = _bases()
    with translation.override("en"):
        words = {name: labels.basis(text) for name, text in bases.items()}
    assert words["originator"] == "your agency recorded this item"
    assert words["disclosure"] == "disclosure 6 by the agency that recorded it, on 1 Jun 2026"
    assert words["agreement"] == ("sharing agreement 3, version 2 (Westmark Probation → Open Door): Programme and "
                                  "intervention up to OPEN; with the client's consent of 9 Mar 2026")
    assert words["case"] == "on the case team; your agency is a core member in the phase Release preparation"
    assert all(text != words[name] for name, text in bases.items())  # each was recognised, none left as it was


def test_a_conference_basis_is_said_in_the_readers_language():
    from casebridge.policy import conferences
    facts = conferences.ConferenceFacts(id=1, case_id=1, confidential=False, convened_by_id=7, chair_id=8,
                                        participant_ids=frozenset({9}))
    chair = conferences._part(type("Actor", (), {"id": 8})(), facts)
    with translation.override("nl"):
        assert labels.basis(chair) == "u zit de conferentie voor"
        assert labels.basis("the case team knows of its conferences") == "het casusteam weet van zijn conferenties"


def test_a_basis_of_another_shape_is_shown_as_it_is():
    assert labels.basis("a basis from a future version") == "a basis from a future version"


def test_the_template_filters_label_values_lists_and_bases():
    rendered = Template('{% load labels %}{{ phase|label:"phase" }}|{{ phases|label:"phase" }}|{{ basis|basis }}') \
        .render(Context({"phase": "supervised_release", "phases": ["custody", "release_preparation"],
                         "basis": "your agency originated this item"}))
    assert rendered == "Supervised release|Custody, Release preparation|your agency recorded this item"


def test_dates_follow_the_active_language():
    with translation.override("en"):
        assert labels.day("2026-03-09") == "9 Mar 2026"
    with translation.override("de"):
        assert labels.day(dt.date(2026, 3, 9)) == "9. März 2026"
    assert labels.day("not a date") == "not a date"
