"""Each main form, submitted empty and with invalid values, answers with the GOV.UK error pattern:
an error summary linking to every field in error (and to nothing else), "Error:" first in the page's
title, and the field's own specific message next to it, never "This field is required."."""

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import reverse

from casebridge.conferences.tests.conftest import conferencing, convene  # noqa: F401  (a fixture, used by name)
from casebridge.conftest import sign_in
from casebridge.tests.formpage import read

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class MainForm:
    name: str
    persona: str
    url: Callable           # (world) -> address the form posts to
    carried: Callable       # (world) -> what the page sends whatever is typed (versions, rows' defaults)
    empty: dict             # link target → the message for the form sent empty
    complete: Callable      # (world) -> a form filled in correctly
    invalid: Callable       # (world) -> values that replace some of `complete`'s
    refused: dict           # link target → the messages for those values, one for each value refused


def _rows(count=5) -> dict:
    # What the agreement page's rule rows send untouched: the management form and each row's level.
    return {"rule-TOTAL_FORMS": str(count), "rule-INITIAL_FORMS": "0",
            **{f"rule-{row}-max_classification": "0" for row in range(count)}}


def _conference_day() -> str:
    return (dt.date.today() + dt.timedelta(days=7)).isoformat()


MAIN_FORMS = [
    MainForm(
        "recording information", "petra", lambda w: reverse("items:record", args=[w["case"].pk]), lambda w: {},
        {"id_item-category": "Select a category", "id_item-nature": "Select the nature of the information",
         "id_item-title": "Enter a title", "id_item-body": "Enter the information's text",
         "id_item-fact_date": "Enter the date of the fact", "id_item-classification": "Select a classification"},
        lambda w: {"item-category": "programme_and_intervention", "item-nature": "fact", "item-title": "Mentoring",
                   "item-body": "Weekly sessions.", "item-fact_date": "2025-06-01", "item-classification": "1"},
        lambda w: {"item-fact_date": "2025-02-30", "item-handling": ["orcon", "secret", "urgent"]},
        {"id_item-fact_date": ["The date of the fact must be a real date"],
         "id_item-handling_0": ["Handling codes: “secret” is not one of the choices",
                                "Handling codes: “urgent” is not one of the choices"]}),
    MainForm(
        "opening a case", "petra", lambda w: reverse("cases:open"), lambda w: {},
        {"id_given_name": "Enter the client's given name", "id_family_name": "Enter the client's family name",
         "id_date_of_birth": "Enter the client's date of birth", "id_residency_status": "Select the residency status",
         "id_phase": "Select the starting phase", "id_phase_date": "Enter the date the phase started"},
        lambda w: {"given_name": "Testa", "family_name": "Synthetica", "date_of_birth": "1994-04-12",
                   "residency_status": "citizen", "phase": "custody", "phase_date": "2025-03-01"},
        lambda w: {"date_of_birth": "1994-13-12", "nationalities": "BE, XYZ, 12"},
        {"id_date_of_birth": ["The client's date of birth must be a real date"],
         "id_nationalities": ["Nationalities: “XYZ” is not a two-letter ISO 3166 country code, like BE or NL",
                              "Nationalities: “12” is not a two-letter ISO 3166 country code, like BE or NL"]}),
    MainForm(
        "phase transition", "petra", lambda w: reverse("cases:transition", args=[w["case"].pk]),
        lambda w: {"transition-version": w["case"].version},
        {"id_transition-to_phase": "Select the next phase",
         "id_transition-effective_on": "Enter the date the phase changes",
         "id_transition-handover_note": "Enter a handover note"},
        lambda w: {"transition-to_phase": "release_preparation", "transition-effective_on": dt.date.today().isoformat(),
                   "transition-handover_note": "Housing referral sent."},
        lambda w: {"transition-to_phase": "purgatory", "transition-effective_on": "2025-02-30"},
        {"id_transition-to_phase": ["Select the next phase from the list"],
         "id_transition-effective_on": ["The date the phase changes must be a real date"]}),
    MainForm(
        "membership", "petra", lambda w: reverse("cases:add_membership", args=[w["case"].pk]), lambda w: {},
        {"id_membership-agency": "Select the agency", "id_membership-point_of_contact": "Select the point of contact",
         "id_membership-phases_0": "Select the phases covered",
         "id_membership-participation": "Select how the agency takes part",
         "id_membership-starts_on": "Enter the start date"},
        lambda w: {"membership-agency": w["agencies"]["housing"].pk,
                   "membership-point_of_contact": w["cast"]["xavier"].pk,
                   "membership-phases": ["custody"], "membership-participation": "core",
                   "membership-starts_on": dt.date.today().isoformat()},
        lambda w: {"membership-phases": ["custody", "purgatory", "limbo"], "membership-starts_on": "someday"},
        {"id_membership-phases_0": ["The phases covered: “purgatory” is not one of the choices",
                                    "The phases covered: “limbo” is not one of the choices"],
         "id_membership-starts_on": ["The start date must be a real date"]}),
    MainForm(
        "consent", "petra", lambda w: reverse("sharing:consent_record", args=[w["case"].pk]), lambda w: {},
        {"id_consent-purpose": "Select the purpose", "id_consent-given_on": "Enter the date consent was given"},
        lambda w: {"consent-recipient_agency": w["agencies"]["cso"].pk,
                   "consent-categories": ["health_and_mental_health"],
                   "consent-purpose": "case_management", "consent-evidence": "Signed in the meeting of 2 May.",
                   "consent-given_on": "2025-05-02"},
        lambda w: {"consent-categories": ["gossip", "rumour"], "consent-given_on": "yesterday"},
        {"id_consent-categories_0": ["The categories of information: “gossip” is not one of the choices",
                                     "The categories of information: “rumour” is not one of the choices"],
         "id_consent-given_on": ["The date consent was given must be a real date"]}),
    MainForm(
        "disclosure", "petra", lambda w: reverse("items:disclose", args=[w["exchange"]["programme"].pk]),
        lambda w: {},
        {"id_disclose-recipient": "Select the recipient agency",
         "id_disclose-justification": "Enter why this agency needs the item now"},
        lambda w: {"disclose-recipient": w["agencies"]["police"].pk, "disclose-justification": "Risk review."},
        lambda w: {"disclose-recipient": "the police", "disclose-justification": "x" * 41},
        {"id_disclose-recipient": ["Select the recipient agency from the list"],
         "id_disclose-justification": ["Why this agency needs the item now must be 40 characters or fewer"]}),
    MainForm(
        "sharing agreement", "adam", lambda w: reverse("sharing:agreement_new"), lambda w: _rows(),
        {"id_title": "Enter a title for the agreement", "id_legal_basis": "Enter the legal basis",
         "id_valid_from": "Enter the first day it is valid"},
        lambda w: {"title": "Custody information",
                   "parties": [w["agencies"]["prison"].pk, w["agencies"]["probation"].pk],
                   "legal_basis": "Prison Act art. 12", "purposes": ["case_management"], "valid_from": "2025-01-01"},
        lambda w: {"purposes": ["case_management", "gossip", "nosiness"], "valid_to": "2026-02-31"},
        {"id_purposes_0": ["The purposes: “gossip” is not one of the choices",
                           "The purposes: “nosiness” is not one of the choices"],
         "id_valid_to": ["The last day it is valid must be a real date"]}),
    MainForm(
        "conference", "petra", lambda w: reverse("conferences:convene", args=[w["case"].pk]), lambda w: {},
        {"id_convene-kind": "Select the kind of conference", "id_convene-day": "Enter the date of the conference",
         "id_convene-start": "Enter the time it starts", "id_convene-end": "Enter the time it ends",
         "id_convene-chair": "Select who chairs"},
        lambda w: {"convene-kind": "review", "convene-day": _conference_day(), "convene-start": "10:00",
                   "convene-end": "12:00", "convene-place": "Room 2", "convene-chair": w["cast"]["petra"].pk},
        lambda w: {"convene-start": "25:99", "convene-participants": [w["cast"]["ivo"].pk, "abc", "xyz"]},
        {"id_convene-start": ["The time it starts must be a real time, like 14:30"],
         "id_convene-participants_0": ["Who to invite: “abc” is not one of the choices",
                                       "Who to invite: “xyz” is not one of the choices"]}),
    MainForm(
        "action", "petra", lambda w: reverse("conferences:set_action", args=[w["conference"].pk]), lambda w: {},
        {"id_action-text": "Enter what is to be done", "id_action-owner": "Select the owner",
         "id_action-due_on": "Enter the date it is due"},
        lambda w: {"action-text": "Book the housing intake.", "action-owner": w["cast"]["ivo"].pk,
                   "action-due_on": _conference_day()},
        lambda w: {"action-owner": "someone", "action-due_on": "soon"},
        {"id_action-owner": ["Select the owner from the list"],
         "id_action-due_on": ["The date it is due must be a real date"]}),
]


@pytest.fixture
def world(case, cast, agencies, conferencing, settings):
    settings.CASEBRIDGE_MAX_TEXT = 40
    return {"case": case, "cast": cast, "agencies": agencies, "exchange": conferencing,
            "conference": convene(cast["petra"], case, participants=[cast["ivo"]])}


def _error_id(link: str) -> str:
    # A group of checkboxes is linked at its first box; its message is the group's.
    return link.removesuffix("_0")


def _assert_pattern(response, expected: dict):
    page = read(response)
    assert response.status_code == 400
    assert page.title.startswith("Error: "), page.title
    assert page.summaries == 1
    assert set(page.links()) == {f"#{target}" for target in expected}  # every field in error, and only those
    for target, messages in expected.items():
        assert page.has_input(target), target  # the link leads somewhere
        for message in [messages] if isinstance(messages, str) else messages:
            assert message in page.links()[f"#{target}"]
            assert message in page.field_error(_error_id(target)), (target, page.field_error(_error_id(target)))
    assert "This field is required" not in response.content.decode()


@pytest.mark.parametrize("form", MAIN_FORMS, ids=lambda f: f.name)
def test_a_main_form_sent_empty_names_every_missing_field_in_the_summary_the_title_and_beside_it(
        client, world, form):
    response = sign_in(client, world["cast"][form.persona]).post(form.url(world), form.carried(world))
    _assert_pattern(response, form.empty)


@pytest.mark.parametrize("form", MAIN_FORMS, ids=lambda f: f.name)
def test_a_main_form_with_invalid_values_names_each_one_the_second_too(client, world, form):
    data = {**form.carried(world), **form.complete(world), **form.invalid(world)}
    response = sign_in(client, world["cast"][form.persona]).post(form.url(world), data)
    _assert_pattern(response, form.refused)


def test_a_small_form_that_redirects_with_its_refusal_shows_it_as_the_error_summary_where_it_lands(client, world):
    from casebridge.conferences.models import Proposal, Trigger

    proposal = Proposal.objects.create(case=world["case"], kind="review", trigger=Trigger.PERIODIC_REVIEW,
                                       key="review-x", moment=dt.date.today(), due_on=dt.date.today(),
                                       created_at=dt.datetime.now(dt.UTC))
    sign_in(client, world["cast"]["petra"])
    answer = client.post(reverse("conferences:dismiss", args=[proposal.pk]), {"dismiss-reason": ""}, follow=True)
    page = read(answer)
    assert page.title.startswith("Error: ") and page.summaries == 1
    assert page.summary == [(None, "Say why no conference is needed.")]


def test_a_half_filled_rule_row_of_an_agreement_is_named_by_its_number_in_the_summary(client, world):
    agreement = next(form for form in MAIN_FORMS if form.name == "sharing agreement")
    data = {**agreement.carried(world), **agreement.complete(world), "rule-1-originator": world["agencies"]["prison"].pk}
    page = read(sign_in(client, world["cast"]["adam"]).post(agreement.url(world), data))
    assert page.title.startswith("Error: ")
    assert page.summary == [(None, "Rule 2: Give the originator, the recipient and at least one category, or leave "
                                   "the whole row empty.")]
