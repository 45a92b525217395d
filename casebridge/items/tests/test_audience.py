""""Who will see this" on the recording form: the preview is the policy's own decision, person by
person and purpose by purpose, on the item as it will be once recorded; it reveals nothing to anyone
not on the case, and nothing about a discreet member to those it is not listed to."""

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge import policy
from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Membership
from casebridge.cases.services import case_facts, load_case, today
from casebridge.conftest import PURPOSE, sign_in
from casebridge.items import services as items
from casebridge.items.audience import AUDIENCE, who_will_see
from casebridge.items.facts import item_facts, items_with_case, sharing_facts
from casebridge.items.models import InformationItem
from casebridge.policy import Perm
from casebridge.tests.formpage import read

pytestmark = pytest.mark.django_db

# (author, category, classification, markings, who on the team reads it for at least one purpose)
COMBINATIONS = [
    ("petra", "programme_and_intervention", 0, {}, {"petra", "clara"}),  # agreement, with the client's consent
    ("petra", "programme_and_intervention", 1, {}, {"petra"}),           # above what the agreement allows the CSO
    ("petra", "programme_and_intervention", 0, {"orcon": True}, {"petra"}),  # ORCON moves only by disclosure
    ("petra", "health_and_mental_health", 2, {"no_decision": True}, {"petra"}),
    ("omar", "risk_and_needs_assessment", 1, {}, {"omar", "petra"}),
    ("omar", "risk_and_needs_assessment", 3, {"intelligence": True}, {"omar"}),  # above everyone's clearance but his
    ("ivo", "custody_behaviour_and_security", 1, {"no_cross_border": True}, {"ivo", "petra"}),
]


def _draft(category, level, marks) -> policy.Draft:
    return policy.Draft(category=category, classification=level, **marks)


def _flat(groups) -> list:
    return [reader for group in groups for reader in group.readers]


@pytest.mark.parametrize("author, category, level, marks, reading", COMBINATIONS)
def test_the_preview_agrees_with_the_policys_decision_on_the_saved_item_for_every_member_and_purpose(
        exchange, case, cast, author, category, level, marks, reading):
    actor = cast[author]
    with transaction.atomic():
        previewed = _flat(who_will_see(actor=actor, case_id=case.pk, draft=_draft(category, level, marks),
                                       purpose=PURPOSE))
        saved = items.record_item(actor=actor, case_id=case.pk, purpose=PURPOSE, data={
            "category": category, "classification": level, "nature": "fact", "title": "Preview check",
            "body": "What the team should know.", "fact_date": today(), **marks})
    assert {r.person.username for r in previewed if r.reads} == reading
    assert {r.person.username for r in previewed} == {"petra", "ivo", "omar", "clara"}  # the whole team, asked
    item = items_with_case(InformationItem.objects.filter(pk=saved.pk)).get()
    facts, fresh = case_facts(load_case(case.pk)), item_facts(item)
    world = sharing_facts(recipient_ids={r.person.agency_id for r in previewed}, client_ids=[case.client_id],
                          item_ids=[item.pk])
    for reader in previewed:
        for purpose, _label in policy.purposes_for(reader.person):
            decided = policy.decide_item(reader.person, Perm.ITEM_READ, fresh, facts, world, purpose, today())
            assert bool(decided) == (purpose in reader.purposes), (reader.person.username, purpose, decided.reason)


def test_the_preview_says_why_someone_on_the_team_would_not_read_it(exchange, case, cast):
    with transaction.atomic():
        groups = who_will_see(actor=cast["omar"], case_id=case.pk, purpose=PURPOSE,
                              draft=_draft("risk_and_needs_assessment", 1, {}))
    by_name = {group.name: group for group in groups}
    assert by_name["Westmark Police"].own and groups[0].name == "Westmark Police"  # the author's agency first
    assert by_name["Open Door Exit Programme"].why_not == ["it is classified above their clearance"]
    assert by_name["Westmark Prison"].why_not == [
        "no agreement or disclosure lets their agency read this category at this level"]
    probation = by_name["Westmark Probation Service"]
    assert [r.person.username for r in probation.reading] == ["petra"] and probation.why_not == []
    # The agreement covers three purposes: the preview names them, since Petra may declare others.
    assert probation.purposes == ["Case management", "Risk assessment", "Release planning"]


@pytest.mark.parametrize("outsider", ["xavier", "nora"])
def test_someone_not_on_the_case_team_gets_not_found_and_learns_nothing(client, exchange, case, cast, outsider):
    answer = sign_in(client, cast[outsider]).get(
        reverse("items:audience", args=[case.pk]),
        {"item-category": "programme_and_intervention", "item-classification": "0"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 404
    assert "Open Door Exit Programme" not in answer.content.decode()
    assert not AuditEvent.objects.filter(object_type=AUDIENCE).exists()


def test_the_htmx_preview_names_the_agencies_and_is_audited_as_a_read_of_the_case_without_content(
        client, exchange, case, cast):
    answer = sign_in(client, cast["petra"]).get(
        reverse("items:audience", args=[case.pk]),
        {"item-category": "programme_and_intervention", "item-classification": "0"}, HTTP_HX_REQUEST="true")
    page = answer.content.decode()
    assert answer.status_code == 200 and "<html" not in page  # the partial only
    assert "Open Door Exit Programme" in page and "1 of the 1 on the team would read it" in page
    assert "Westmark Prison" in page and "nobody on the team would read it" in page
    event = AuditEvent.objects.get(object_type=AUDIENCE)
    assert event.actor_username == "petra" and event.case_id == case.pk and event.operation == "read"
    assert event.detail["audience"] == {"category": "programme_and_intervention", "classification": 0,
                                        "markings": []}
    assert sorted(event.detail["readers"]) == sorted([cast["petra"].pk, cast["clara"].pk])


def test_the_preview_waits_for_a_category_and_records_nothing_until_then(client, exchange, case, cast):
    answer = sign_in(client, cast["petra"]).get(reverse("items:audience", args=[case.pk]),
                                                {"item-classification": "0"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and "Choose a category and a classification" in answer.content.decode()
    assert not AuditEvent.objects.filter(object_type=AUDIENCE).exists()


def test_without_javascript_the_preview_button_shows_the_form_as_typed_with_the_preview_and_saves_nothing(
        client, exchange, case, cast):
    before = InformationItem.objects.count()
    answer = sign_in(client, cast["petra"]).post(reverse("items:record", args=[case.pk]), {
        "item-category": "programme_and_intervention", "item-classification": "0", "item-title": "Draft title kept",
        "audience": "1"})
    page = read(answer)
    assert answer.status_code == 200 and InformationItem.objects.count() == before
    assert 'value="Draft title kept"' in answer.content.decode()
    assert "Open Door Exit Programme" in answer.content.decode()
    assert page.summaries == 0 and not page.title.startswith("Error")  # a preview, not a refusal


def test_the_recording_form_asks_for_the_preview_on_a_change_of_the_markings_only(client, exchange, case, cast):
    page = sign_in(client, cast["petra"]).get(reverse("items:record", args=[case.pk])).content.decode()
    assert f'hx-get="{reverse("items:audience", args=[case.pk])}"' in page
    assert 'hx-params="item-category,item-classification,item-handling"' in page  # never the title or the text
    assert "change from:#id_item-category, change from:#id_item-classification" in page


def test_a_discreet_member_the_author_may_not_see_is_neither_shown_nor_counted(client, exchange, case, cast, agencies):
    Membership.objects.filter(case=case, agency=agencies["police"]).update(discreet=True)
    Membership.objects.filter(case=case, agency=agencies["cso"]).update(participation="on_request")
    query = {"item-category": "risk_and_needs_assessment", "item-classification": "0"}
    as_clara = sign_in(client, cast["clara"]).get(reverse("items:audience", args=[case.pk]), query,
                                                  HTTP_HX_REQUEST="true").content.decode()
    assert "Westmark Police" not in as_clara and "Westmark Prison" in as_clara
    as_petra = sign_in(client, cast["petra"]).get(reverse("items:audience", args=[case.pk]), query,
                                                  HTTP_HX_REQUEST="true").content.decode()
    assert "Westmark Police" in as_petra  # the lead agency is a core member: discreet members are listed to it
