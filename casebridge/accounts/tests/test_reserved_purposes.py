"""Purposes reserved to roles are refused to other roles, and the case page says what the chosen
purpose hides."""

import pytest
from django.urls import reverse

from casebridge import policy
from casebridge.conftest import bearer, sign_in
from casebridge.errors import InvalidInput
from casebridge.items import readership
from casebridge.items import services as items
from casebridge.vocabulary import Purpose

RESERVED = [("petra", "data_protection", False), ("dora", "data_protection", True), ("petra", "administration", False),
            ("adam", "administration", True), ("sam", "administration", True), ("dora", "administration", False),
            ("petra", "case_management", True), ("petra", "no_such_purpose", False)]


@pytest.mark.parametrize("who, purpose, allowed", RESERVED)
def test_reserved_purposes_are_declared_only_by_their_roles(cast, who, purpose, allowed):
    assert policy.decide_purpose(cast[who], purpose).allowed is allowed
    assert (purpose in dict(policy.purposes_for(cast[who]))) is allowed


def test_the_purpose_switcher_refuses_a_reserved_purpose_and_offers_only_allowed_ones(cast, client):
    sign_in(client, cast["petra"])
    response = client.post(reverse("accounts:purpose"), {"purpose": "data_protection"}, follow=True)
    page = response.content.decode()
    assert "reserved to data protection officers" in page
    assert client.session.get("purpose") != "data_protection"
    assert 'value="data_protection"' not in page and 'value="supervision"' in page


def test_a_reserved_purpose_left_in_the_session_falls_back_to_case_management(cast, client):
    sign_in(client, cast["petra"])
    session = client.session
    session["purpose"] = "administration"
    session.save()
    page = client.get(reverse("cases:dashboard")).content.decode()
    assert 'value="case_management" selected' in page or "Case management" in page


def test_the_api_refuses_a_reserved_purpose_with_a_clear_error(exchange, cast, case, client):
    refused = client.get(f"/api/cases/{case.pk}/items", HTTP_X_CASEBRIDGE_PURPOSE="data_protection",
                         **bearer(cast["petra"]))
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "purpose_reserved" and "reserved" in refused.json()["error"]["message"]


def test_item_services_refuse_a_reserved_purpose(exchange, cast, case):
    with pytest.raises(InvalidInput) as refused:
        items.timeline(actor=cast["petra"], case_id=case.pk, purpose=Purpose.ADMINISTRATION)
    assert refused.value.code == "purpose_reserved"


def test_the_case_page_and_the_api_say_how_many_items_another_purpose_shows(exchange, cast, case, client):
    # Petra reads the prison's and police's risk items for case management, release planning and
    # risk assessment (the agreement's purposes), but not for supervision.
    hidden = dict((p, n) for p, _, n in readership.hidden_by_purpose(cast["petra"], case, Purpose.SUPERVISION))
    assert hidden == {"case_management": 2, "release_planning": 2, "risk_assessment": 2}
    assert readership.hidden_by_purpose(cast["petra"], case, Purpose.CASE_MANAGEMENT) == []
    sign_in(client, cast["petra"])
    session = client.session
    session["purpose"] = "supervision"
    session.save()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "2 items appear under the purpose “Case management”" in page
    listing = client.get(f"/api/cases/{case.pk}/items", HTTP_X_CASEBRIDGE_PURPOSE="supervision",
                         **bearer(cast["petra"])).json()
    assert {h["purpose"]: h["count"] for h in listing["hidden_by_purpose"]} == hidden
