"""Agreements, consents and disclosures through the API: the same services and answers as the web."""

import pytest
from django.db import transaction

from casebridge.api.tests.conftest import error_of
from casebridge.conftest import PURPOSE
from casebridge.items import services as items
from casebridge.sharing import services as sharing
from casebridge.sharing.models import Agreement, AgreementStatus, Consent
from casebridge.sharing.tests.conftest import terms


def test_an_agreement_drafted_and_signed_through_the_api_takes_effect_on_the_last_signature(api, case, cast,
                                                                                              agencies, admins):
    made = api(admins["prison"]).post("/api/agreements", terms(agencies))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "draft" and body["signed"] == 0 and len(body["parties"]) == 2
    assert body["rules"][0]["max_classification_label"] == "RESTRICTED"
    version = body["id"]
    assert api(admins["prison"]).post(f"/api/agreements/versions/{version}/sign").json()["status"] == "draft"
    signed = api(admins["probation"]).post(f"/api/agreements/versions/{version}/sign").json()
    assert signed["status"] == "active" and signed["signed"] == 2


def test_a_new_version_through_the_api_keeps_the_title_and_waits_for_signatures(api, exchange, cast, agencies,
                                                                               admins):
    agreement = exchange["version"].agreement_id
    data = terms(agencies, parties=("prison", "probation", "police", "cso"))
    del data["title"]
    made = api(admins["probation"]).post(f"/api/agreements/{agreement}/versions", data)
    assert made.status_code == 201, made.content
    assert made.json()["number"] == 2 and made.json()["title"] == "Westmark exit continuum"
    listed = api(cast["petra"]).get("/api/agreements").json()
    assert [(v["number"], v["status"]) for v in listed] == [(2, "draft"), (1, "active")]


def test_suspending_and_resuming_through_the_api_switch_access_off_and_on(api, exchange, cast):
    version = exchange["version"].pk
    suspended = api(cast["adam"]).post(f"/api/agreements/versions/{version}/suspend", {"reason": "Audit finding."})
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    assert "Calm on the wing" not in {i.title for i in items.visible_items(cast["petra"], PURPOSE)}
    resumed = api(cast["adam"]).post(f"/api/agreements/versions/{version}/resume", {"reason": "Resolved."})
    assert resumed.json()["status"] == "active"
    assert "Calm on the wing" in {i.title for i in items.visible_items(cast["petra"], PURPOSE)}


@pytest.mark.parametrize("username, method, path, status", [
    ("petra", "post", "/api/agreements", 404),                         # role grants no agreement management
    ("ivo", "post", "/api/agreements/versions/{v}/sign", 404),
    ("petra", "post", "/api/agreements/versions/{v}/suspend", 404),
    ("hal", "post", "/api/agreements/versions/{v}/suspend", 404),      # administrator of no party
    ("hal", "post", "/api/agreements/{a}/versions", 404),
    ("leen", "post", "/api/agreements/versions/{v}/resume", 400),      # a party's, but it is not suspended
    ("xavier", "get", "/api/agreements/versions/{v}", 404),
])
def test_manage_actions_are_refused_to_those_who_may_not_take_them(api, exchange, cast, agencies, admins, username,
                                                                   method, path, status):
    person = cast.get(username) or next(a for a in admins.values() if a.username == username)
    version = exchange["version"]
    url = path.format(v=version.pk, a=version.agreement_id)
    body = {"reason": "x"} if "suspend" in url or "resume" in url else terms(agencies)
    response = api(person).get(url) if method == "get" else api(person).post(url, body)
    assert response.status_code == status, response.content
    version.refresh_from_db()
    assert version.status == AgreementStatus.ACTIVE and Agreement.objects.count() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"purposes": []}, "purposes"),
    ({"valid_to": "2024-12-31"}, "valid_to"),
    ({"rules": [("prison", "housing", ["custody_behaviour_and_security"], 1, False)]}, "rules"),
])
def test_bad_terms_get_a_json_error_and_write_nothing(api, case, agencies, admins, overrides, field):
    response = api(admins["prison"]).post("/api/agreements", terms(agencies, **overrides))
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_input" and error["field"] == field
    assert not Agreement.objects.exists()


def test_consent_recorded_by_the_lead_agency_and_withdrawn_by_the_cso_through_the_api(api, exchange, case, cast,
                                                                                         agencies):
    clara, petra = api(cast["clara"]), api(cast["petra"])
    listed = clara.get(f"/api/cases/{case.pk}/consents").json()
    assert [(c["recipient_label"], c["categories"], c["active"]) for c in listed] == [
        ("Open Door Exit Programme", ["programme_and_intervention"], True)]
    body = {"recipient_kind": "housing", "categories": ["housing_employment_education"], "purpose": "release_planning",
            "evidence": "Said yes in the meeting of 2 May, noted by Petra.", "given_on": "2025-05-02"}
    refused = clara.post(f"/api/cases/{case.pk}/consents", body)
    assert refused.status_code == 403 and error_of(refused)["code"] == "consent_not_allowed"
    made = petra.post(f"/api/cases/{case.pk}/consents", body)
    assert made.status_code == 201 and made.json()["recipient_label"] == "any Housing"
    assert made.json()["evidence"] == body["evidence"] and made.json()["evidence_visible"] is True

    withdrawn = clara.post(f"/api/cases/{case.pk}/consents/{exchange['consent'].pk}/withdraw", {"note": "By letter."})
    assert withdrawn.status_code == 200 and withdrawn.json()["active"] is False
    assert withdrawn.json()["withdrawn_by"]["username"] == "clara"
    assert "Mentoring sessions started" not in {i.title for i in items.visible_items(cast["clara"], PURPOSE)}


def test_a_consent_naming_both_an_agency_and_a_kind_is_refused(api, case, cast, agencies):
    response = api(cast["petra"]).post(f"/api/cases/{case.pk}/consents", {
        "recipient_agency": agencies["cso"].pk, "recipient_kind": "cso", "categories": ["programme_and_intervention"],
        "purpose": "case_management", "evidence": "Form.", "given_on": "2025-05-02"})
    assert response.status_code == 400 and error_of(response)["field"] == "recipient_agency"
    assert not Consent.objects.exists()


def test_disclosures_through_the_api_for_originator_recipient_and_bystander(api, exchange, case, cast, agencies):
    with transaction.atomic():
        disclosure = sharing.disclose_item(actor=cast["omar"], item_id=exchange["police_orcon"].pk,
                                           recipient_id=agencies["probation"].pk, justification="Risk plan.",
                                           purpose=PURPOSE)
    seen = api(cast["petra"]).get(f"/api/cases/{case.pk}/disclosures").json()
    assert [(d["item"]["title"], d["item"]["handling_codes"]) for d in seen] == [("Handler concerns", ["ORCON"])]
    assert api(cast["clara"]).get(f"/api/cases/{case.pk}/disclosures").json() == []
    assert api(cast["petra"]).post(f"/api/cases/{case.pk}/disclosures/{disclosure.pk}/revoke").status_code == 403
    revoked = api(cast["omar"]).post(f"/api/cases/{case.pk}/disclosures/{disclosure.pk}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_by"]["username"] == "omar"
    assert api(cast["petra"]).get(f"/api/cases/{case.pk}/disclosures").json() == []
