"""The client's consent on a case: recorded with its evidence, withdrawn as easily as it was given,
and the withdrawal acting on the very next request."""

import pytest
from django.urls import reverse

from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PURPOSE, sign_in
from casebridge.items import services as items
from casebridge.sharing.models import Consent


def titles(user):
    return {i.title for i in items.visible_items(user, PURPOSE)}


def _consent_form(**change) -> dict:
    return {"consent-recipient_agency": "", "consent-recipient_kind": "housing",
            "consent-categories": ["housing_employment_education"], "consent-purpose": "release_planning",
            "consent-evidence": "Signed form CF-19, witnessed by the exit worker.", "consent-given_on": "2025-05-02",
            **change}


def test_withdrawing_consent_hides_the_cso_s_consent_based_items_at_once(client, exchange, case, cast):
    clara, item_page = cast["clara"], reverse("items:detail", args=[exchange["programme"].pk])
    assert {"Mentoring sessions started", "Education course enrolled"} <= titles(clara)
    assert sign_in(client, clara).get(item_page).status_code == 200  # "Mentoring sessions started"
    page = client.get(reverse("sharing:consents", args=[case.pk])).content.decode()
    assert "Signed form CF-12" in page and "Withdraw consent" in page

    consent = exchange["consent"]
    response = client.post(reverse("sharing:consent_withdraw", args=[case.pk, consent.pk]),
                           {"confirmed": "1"})  # one click, and its confirmation
    assert response.status_code == 302
    assert client.get(item_page).status_code == 404
    assert titles(clara) == set()
    assert "Mentoring sessions started" in titles(cast["petra"])  # probation reads on its own basis


def test_a_withdrawal_keeps_its_date_and_note_on_the_list(client, exchange, case, cast):
    consent = exchange["consent"]
    petra = sign_in(client, cast["petra"])
    petra.post(reverse("sharing:consent_withdraw", args=[case.pk, consent.pk]),
               {f"withdraw-{consent.pk}-note": "Client asked by phone, 3 June.", "confirmed": "1"})
    page = petra.get(reverse("sharing:consents", args=[case.pk])).content.decode()
    assert "Client asked by phone, 3 June." in page and "Withdraw consent" not in page
    event = AuditEvent.objects.filter(operation=Operation.UPDATE, object_type="sharing.consent").get()
    assert event.detail["withdrawn"] is True and event.recipients == ["Open Door Exit Programme"]


def test_withdrawing_twice_is_refused_with_a_message(client, exchange, case, cast):
    consent = exchange["consent"]
    petra = sign_in(client, cast["petra"])
    url = reverse("sharing:consent_withdraw", args=[case.pk, consent.pk])
    petra.post(url, {"confirmed": "1"})
    response = petra.post(url, {"confirmed": "1"})
    assert response.status_code == 400 and "This consent is already withdrawn." in response.content.decode()
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None


def test_a_consent_recorded_on_the_page_is_listed_with_its_evidence(client, case, cast):
    petra = sign_in(client, cast["petra"])
    response = petra.post(reverse("sharing:consent_record", args=[case.pk]), _consent_form())
    assert response.status_code == 302
    page = petra.get(response.url).content.decode()
    assert "any Housing" in page and "Housing, employment and education" in page
    assert "Signed form CF-19, witnessed by the exit worker." in page and "Release planning" in page


@pytest.mark.parametrize("change, message", [
    ({"consent-recipient_agency": "cso"}, "Name either one agency or a kind of agency."),
    ({"consent-recipient_kind": ""}, "Name the agency, or the kind of agency, the client consents to."),
    ({"consent-categories": []}, "Choose the categories of information the consent covers."),
    ({"consent-given_on": "2099-01-01"}, "cannot be in the future"),
    ({"consent-evidence": ""}, "Give the evidence: a note of how and where consent was given, or the signed form."),
])
def test_bad_consent_input_gets_a_message_and_records_nothing(client, case, cast, agencies, change, message):
    change = {k: (agencies[v].pk if v in agencies else v) if isinstance(v, str) else v for k, v in change.items()}
    response = sign_in(client, cast["petra"]).post(reverse("sharing:consent_record", args=[case.pk]),
                                                    _consent_form(**change))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize("name, method", [("consents", "get"), ("consent_record", "post")])
def test_someone_not_on_the_case_gets_a_404(client, case, cast, name, method):
    response = getattr(sign_in(client, cast["xavier"]), method)(reverse(f"sharing:{name}", args=[case.pk]),
                                                                _consent_form())
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_the_case_page_links_to_consents_and_disclosures(client, case, cast):
    page = sign_in(client, cast["petra"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("sharing:consents", args=[case.pk]) in page
    assert reverse("sharing:disclosures", args=[case.pk]) in page
