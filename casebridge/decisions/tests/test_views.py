"""Formal decisions on the web: recording one on readable items, the refusals the form explains,
and the case page's decisions section, which shows each reader only the basis items they may read."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.conftest import PURPOSE, sign_in
from casebridge.decisions import services as decisions
from casebridge.decisions.models import FormalDecision
from casebridge.items import services as items
from casebridge.sharing import services as sharing


def _decision(**overrides) -> dict:
    data = {"kind": "regime", "text": "Standard regime continues; review in three months.",
            "decided_on": "2025-06-10", **overrides}
    return {f"decision-{k}": v for k, v in data.items()}


def _form(client, user, case) -> str:
    response = sign_in(client, user).get(reverse("decisions:record", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_offers_as_basis_only_the_items_the_user_may_read(client, cast, exchange, case):
    page = _form(client, cast["petra"], case)
    for title in ("Calm on the wing", "Network contacts assessed", "Mentoring sessions started"):
        assert title in page
    for title in ("Sleep problems reported", "Travel plans", "Handler concerns", "Education course enrolled"):
        assert title not in page
    assert page.count('<div class="classification-banner level-1"') == 2


def test_a_decision_on_readable_items_is_recorded_and_shown_on_the_case_page(client, cast, exchange, case):
    sign_in(client, cast["petra"])
    response = client.post(reverse("decisions:record", args=[case.pk]),
                           {**_decision(), "decision-basis": [exchange["behaviour"].pk, exchange["police_risk"].pk]})
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/#decisions"
    decision = FormalDecision.objects.get()
    assert decision.agency == cast["petra"].agency and decision.basis.count() == 2
    page = client.get(f"/cases/{case.pk}/").content.decode()
    section = page[page.index('id="decisions"'):]
    section = section[:section.index("</section>")]
    assert "Regime" in section and "Standard regime continues" in section and "Petra Peeters" in section
    assert f'href="/items/{exchange["behaviour"].pk}/">Calm on the wing</a>' in section


def test_each_reader_sees_only_the_basis_items_they_may_read(client, cast, exchange, case, agencies):
    # The text is a programme item at OPEN (the CSO reads it under the agreement and the client's
    # consent) and disclosed to the prison: both read the decision, each with their own basis items.
    with transaction.atomic():
        decision = decisions.record_decision(
            actor=cast["petra"], case_id=case.pk, kind="regime", text="Decided.", decided_on=dt.date(2025, 6, 10),
            purpose=PURPOSE, category="programme_and_intervention", classification=0,
            basis_item_ids=[exchange["behaviour"].pk, exchange["police_risk"].pk])
        sharing.disclose_item(actor=cast["petra"], item_id=decision.text_item_id, recipient_id=agencies["prison"].pk,
                              justification="The prison applies the regime.", purpose=PURPOSE)
    ivo = sign_in(client, cast["ivo"]).get(f"/cases/{case.pk}/").content.decode()
    assert "Calm on the wing</a>" in ivo and "Network contacts assessed" not in ivo
    clara = sign_in(client, cast["clara"]).get(f"/cases/{case.pk}/").content.decode()
    assert "Decided." in clara and "no item you may read" in clara and "Calm on the wing" not in clara


def test_a_decision_based_on_intelligence_is_refused_with_the_reason(client, cast, exchange, case):
    sign_in(client, cast["omar"])
    response = client.post(reverse("decisions:record", args=[case.pk]),
                           {**_decision(kind="risk_level"), "decision-basis": [exchange["police_secret"].pk]})
    page = response.content.decode()
    assert response.status_code == 400
    assert ("“Travel plans” cannot be a basis: intelligence: may inform, never be the basis of a formal "
            "decision.") in page
    assert not FormalDecision.objects.exists()


@pytest.fixture
def no_decision_item(cast, agencies, case):
    """Omar's RESTRICTED NO-DECISION item, disclosed to probation."""
    with transaction.atomic():
        item = items.record_item(actor=cast["omar"], case_id=case.pk, purpose=PURPOSE, data={
            "category": "risk_and_needs_assessment", "nature": "assessment", "title": "Informal risk view",
            "body": "Not for decisions.", "fact_date": dt.date(2025, 6, 3), "classification": 1,
            "no_decision": True})
        sharing.disclose_item(actor=cast["omar"], item_id=item.pk, recipient_id=agencies["probation"].pk,
                              purpose=PURPOSE, justification="Background for the review.")
    return item


def test_a_no_decision_item_may_inform_but_not_be_a_basis(client, cast, exchange, no_decision_item, case):
    sign_in(client, cast["petra"])
    response = client.post(reverse("decisions:record", args=[case.pk]),
                           {**_decision(), "decision-basis": [no_decision_item.pk]})
    assert response.status_code == 400 and "NO-DECISION: may inform" in response.content.decode()


def test_the_originator_may_lift_the_restriction_for_one_agency(client, cast, agencies, case):
    with transaction.atomic():
        item = items.record_item(actor=cast["omar"], case_id=case.pk, purpose=PURPOSE, data={
            "category": "intelligence", "nature": "fact", "title": "Associates identified", "body": "Three names.",
            "fact_date": dt.date(2025, 6, 4), "classification": 1, "intelligence": True})
        sharing.disclose_item(actor=cast["omar"], item_id=item.pk, recipient_id=agencies["probation"].pk,
                              purpose=PURPOSE, justification="Needed for the conditions.", allow_decision_use=True)
    response = sign_in(client, cast["petra"]).post(
        reverse("decisions:record", args=[case.pk]),
        {**_decision(kind="supervision_condition"), "decision-basis": [item.pk]})
    assert response.status_code == 302
    assert list(FormalDecision.objects.get().basis.all()) == [item]


def test_an_item_the_user_may_not_read_cannot_be_slipped_in_as_a_basis(client, cast, exchange, case):
    response = sign_in(client, cast["petra"]).post(reverse("decisions:record", args=[case.pk]),
                                                    {**_decision(), "decision-basis": [exchange["prison_health"].pk]})
    page = response.content.decode()
    assert response.status_code == 400 and "is not an item of this case you may read" in page
    assert "Sleep problems reported" not in page


@pytest.mark.parametrize("change, message", [
    ({"decision-decided_on": "2999-01-01"}, "cannot be in the future"),
    ({"decision-kind": ""}, "Select the kind of decision"),
    ({"decision-kind": "execution"}, "Select the kind of decision from the list"),
    ({"decision-text": ""}, "Enter the decision"),
    ({"decision-basis": ["abc"]}, "The items it is based on: “abc” is not one of the choices"),
])
def test_bad_input_is_explained_on_the_form_and_records_nothing(client, cast, exchange, case, change, message):
    response = sign_in(client, cast["petra"]).post(reverse("decisions:record", args=[case.pk]),
                                                    {**_decision(), **change})
    assert response.status_code == 400 and message in response.content.decode()
    assert not FormalDecision.objects.exists()


@pytest.mark.parametrize("persona", ["nora", "xavier"])
def test_people_off_the_case_can_neither_see_nor_record_decisions(client, cast, exchange, case, persona):
    sign_in(client, cast[persona])
    assert client.get(reverse("decisions:record", args=[case.pk])).status_code == 404
    assert client.post(reverse("decisions:record", args=[case.pk]), _decision()).status_code == 404
    assert not FormalDecision.objects.exists()


def test_the_case_page_has_a_decisions_section_with_a_link_to_record_one(client, cast, case):
    page = sign_in(client, cast["ivo"]).get(f"/cases/{case.pk}/").content.decode()
    assert "Formal decisions" in page and "No formal decisions recorded on this case." in page
    assert f'href="/decisions/cases/{case.pk}/record/"' in page


def test_an_exit_programme_sees_the_decisions_but_is_not_offered_to_record_one(client, cast, case):
    page = sign_in(client, cast["clara"]).get(f"/cases/{case.pk}/").content.decode()
    assert "Formal decisions" in page and f'href="/decisions/cases/{case.pk}/record/"' not in page
