"""Formal decisions through the API: recorded on readable items, refused on intelligence and
NO-DECISION items, and listed with only the basis items each caller may read."""

import pytest
from django.db import transaction

from casebridge.api.tests.conftest import error_of
from casebridge.conftest import PURPOSE
from casebridge.decisions.models import FormalDecision
from casebridge.sharing import services as sharing


def _decision(**overrides) -> dict:
    return {"kind": "regime", "text": "Standard regime continues.", "decided_on": "2025-06-10", **overrides}


def test_a_decision_is_recorded_with_its_basis_and_listed_for_the_team(api, cast, exchange, case, agencies):
    # A programme text at OPEN: the CSO reads it under the agreement with consent; the prison by disclosure.
    made = api(cast["petra"]).post(f"/api/cases/{case.pk}/decisions", _decision(
        basis=[exchange["behaviour"].pk, exchange["police_risk"].pk], category="programme_and_intervention",
        classification=0))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["agency"]["kind"] == "probation" and body["decided_by"]["username"] == "petra"
    assert {b["title"] for b in body["basis"]} == {"Calm on the wing", "Network contacts assessed"}
    assert body["text"]["text"] == "Standard regime continues." and body["text"]["category"] == "programme_and_intervention"
    with transaction.atomic():
        sharing.disclose_item(actor=cast["petra"], item_id=body["text"]["item_id"], recipient_id=agencies["prison"].pk,
                              justification="The prison applies the regime.", purpose=PURPOSE)
    ivo = api(cast["ivo"]).get(f"/api/cases/{case.pk}/decisions").json()
    assert [[b["title"] for b in d["basis"]] for d in ivo] == [["Calm on the wing"]]
    clara = api(cast["clara"]).get(f"/api/cases/{case.pk}/decisions").json()
    assert clara[0]["text"]["text"] == "Standard regime continues." and clara[0]["basis"] == []
    assert clara[0]["text"]["item_id"] == body["text"]["item_id"]


def test_a_decision_based_on_intelligence_is_refused_with_the_reason(api, cast, exchange, case):
    response = api(cast["omar"]).post(f"/api/cases/{case.pk}/decisions",
                                      _decision(kind="risk_level", basis=[exchange["police_secret"].pk]))
    error = error_of(response)
    assert response.status_code == 400 and error["field"] == "basis"
    assert error["message"] == ("“Travel plans” cannot be a basis: intelligence: may inform, never be the basis of "
                                "a formal decision.")
    assert not FormalDecision.objects.exists()


@pytest.mark.parametrize("change, status, field", [
    ({"basis": [999999]}, 400, "basis"),
    ({"decided_on": "2999-01-01"}, 400, "decided_on"),
    ({"kind": "execution"}, 422, "kind"),
    ({"text": ""}, 422, "text"),
    ({"basis": list(range(1, 200))}, 422, "basis"),
])
def test_bad_input_is_refused_with_the_field_named(api, cast, exchange, case, change, status, field):
    response = api(cast["petra"]).post(f"/api/cases/{case.pk}/decisions", _decision(**change))
    assert response.status_code == status and error_of(response)["field"] == field
    assert not FormalDecision.objects.exists()


def test_an_item_the_caller_may_not_read_is_refused_like_an_unknown_one(api, cast, exchange, case):
    unreadable = api(cast["petra"]).post(f"/api/cases/{case.pk}/decisions",
                                         _decision(basis=[exchange["prison_health"].pk]))
    expected = f"Item {exchange['prison_health'].pk} is not an item of this case you may read."
    assert error_of(unreadable)["message"] == expected


@pytest.mark.parametrize("persona", ["nora", "xavier"])
def test_people_off_the_case_get_404(api, cast, exchange, case, persona):
    assert api(cast[persona]).get(f"/api/cases/{case.pk}/decisions").status_code == 404
    assert api(cast[persona]).post(f"/api/cases/{case.pk}/decisions", _decision()).status_code == 404
