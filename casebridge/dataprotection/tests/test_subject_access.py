"""Subject access: what the client receives, what a DPO may withhold, and what never leaves."""

import datetime as dt
import json

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.agencies.models import Practitioner
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import membership
from casebridge.conftest import PURPOSE, TOTP_KEY, bearer, sign_in
from casebridge.dataprotection import export, pdf, services
from casebridge.dataprotection.models import Withholding
from casebridge.dataprotection.tests.pdftext import pdf_text
from casebridge.errors import InvalidInput, NotVisible
from casebridge.items import services as items

REASON = "Art. 15(1)(a) Directive 2016/680: would obstruct the inquiry into the Q-42 network"
SECRETS = ["Informant K-17", "K-17", "Telephone intercept", "Neighbour R-9", "Door-to-door canvass"]


def _dpo(username, agency):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = Practitioner.objects.create_user(username, f"{username}@example.test", "x", agency=agency, role="dpo",
                                              first_name=username.title(), last_name="Dpo")
    TOTPDevice.objects.create(user=person, name="test", confirmed=True, key=TOTP_KEY)
    return person


@pytest.fixture
def sourced(exchange, cast, case):
    """A police assessment that is not intelligence, with a source and method of its own."""
    data = {"category": "risk_and_needs_assessment", "nature": "assessment", "title": "Contacts in the community",
            "body": "Regular visits to the youth centre.", "fact_date": dt.date(2025, 6, 2),
            "source_text": "Neighbour R-9", "method_text": "Door-to-door canvass"}
    with transaction.atomic():
        return items.record_item(actor=cast["omar"], case_id=case.pk, data=data, purpose=PURPOSE)


def _withhold(actor, case, item, reason=REASON):
    with transaction.atomic():
        return services.withhold_item(actor=actor, client_id=case.client_id, item_id=item.pk, legal_reason=reason,
                                      purpose=PURPOSE)


def _export(actor, case, fmt="json"):
    with transaction.atomic():
        return export.subject_access_export(actor=actor, client_id=case.client_id, purpose=PURPOSE, fmt=fmt)


def _titles(document) -> set[str]:
    return {item["title"] for item in document["items"]}


# Which exchange items go to the client, and why not when they do not.
IN_EXPORT = {
    "behaviour": True, "prison_health": True, "police_risk": True, "programme": True, "prison_programme": True,
    "police_orcon": True,     # ORCON limits sharing between agencies, not the client's own access
    "police_secret": False,   # intelligence never enters the client's own file
}


@pytest.mark.parametrize("key, included", IN_EXPORT.items())
def test_the_export_holds_every_item_on_the_clients_cases_except_intelligence(exchange, cast, case, key, included):
    assert (exchange[key].title in _titles(_export(cast["dora"], case))) is included


def test_withheld_and_retracted_items_leave_the_export(exchange, cast, case):
    _withhold(cast["dora"], case, exchange["police_orcon"])
    with transaction.atomic():
        items.retract_item(actor=cast["ivo"], item_id=exchange["prison_health"].pk, reason="Wrong client",
                           purpose=PURPOSE)
    titles = _titles(_export(cast["dora"], case))
    assert "Handler concerns" not in titles and "Sleep problems reported" not in titles
    assert "Calm on the wing" in titles


def test_the_export_holds_identity_cases_phases_and_member_agencies(exchange, cast, case):
    document = _export(cast["dora"], case)
    assert document["client"]["given_name"] == "Test" and document["client"]["date_of_birth"] == dt.date(1996, 5, 17)
    (record,) = document["cases"]
    assert record["reference"] == case.reference and record["current_phase"] == "Custody"
    assert record["phases"] == [{"phase": "Custody", "since": dt.date(2025, 3, 1)}]
    assert [m["name"] for m in record["member_agencies"]] == [
        "Westmark Probation Service", "Westmark Prison", "Westmark Police", "Open Door Exit Programme"]


def test_source_and_method_never_appear_in_the_json_or_the_pdf(sourced, exchange, cast, case, client):
    sign_in(client, cast["dora"])
    as_json = client.get(reverse("dataprotection:export_json", args=[case.client_id]))
    as_pdf = client.get(reverse("dataprotection:export_pdf", args=[case.client_id]))
    assert as_json.status_code == as_pdf.status_code == 200
    text = as_json.content.decode()
    pdf_words = pdf_text(as_pdf.content)
    assert "Contacts in the community" in text and "Contacts in the community" in pdf_words  # the item is there
    for secret in SECRETS:
        assert secret not in text
        assert secret not in pdf_words


def test_withheld_reasons_are_shown_to_the_dpo_and_never_put_in_the_export(exchange, cast, case, client):
    _withhold(cast["dora"], case, exchange["police_orcon"])
    sign_in(client, cast["dora"])
    page = client.get(reverse("dataprotection:client", args=[case.client_id])).content.decode()
    assert "Art. 15(1)(a) Directive 2016/680" in page and "Handler concerns" in page
    exported = [client.get(reverse("dataprotection:export_json", args=[case.client_id])).content.decode(),
                pdf_text(client.get(reverse("dataprotection:export_pdf", args=[case.client_id])).content)]
    for document in exported:
        assert "Q-42" not in document and "15(1)(a)" not in document and "Handler concerns" not in document


def test_the_pdf_export_is_a_readable_pdf(exchange, cast, case):
    content = pdf.subject_access_pdf(_export(cast["dora"], case, fmt="pdf"))
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    words = pdf_text(content)
    assert "Information held about you in Casebridge" in words and "Calm on the wing" in words


def test_every_export_is_audited_as_going_to_the_client(exchange, cast, case):
    document = _export(cast["dora"], case, fmt="pdf")
    event = AuditEvent.objects.filter(operation=Operation.EXPORT).last()
    assert event.recipients == ["the client"] and event.actor_username == "dora"
    assert event.object_type == "cases.client" and event.object_id == str(case.client_id)
    assert event.detail["format"] == "pdf" and len(event.detail["items"]) == len(document["items"]) == 6


@pytest.fixture
def dpos(agencies):
    return {"police": _dpo("paula", agencies["police"]), "housing": _dpo("hugo", agencies["housing"])}


@pytest.mark.parametrize("who, sees", [("dora", True), ("police", True), ("housing", False), ("petra", False),
                                       ("sam", False)])
def test_only_a_dpo_of_an_agency_on_the_clients_cases_acts_for_the_client(exchange, cast, case, dpos, who, sees):
    actor = dpos.get(who) or cast[who]
    if sees:
        assert _export(actor, case)["client"]["family_name"] == "Client-One"
        return
    with pytest.raises(NotVisible):
        _export(actor, case)
    with pytest.raises(NotVisible):
        _withhold(actor, case, exchange["behaviour"])


def test_a_dpo_of_an_agency_that_left_the_case_still_answers_for_its_time_on_it(exchange, cast, case, dpos):
    police = case.memberships.get(agency__kind="police")
    with transaction.atomic():
        membership.end_membership(actor=cast["petra"], case_id=case.pk, membership_id=police.pk, reason="Closed",
                                  purpose=PURPOSE)
    assert _titles(_export(dpos["police"], case))


def test_withholding_and_lifting_are_audited_with_the_reasons_fingerprint(exchange, cast, case):
    item = exchange["behaviour"]
    _withhold(cast["dora"], case, item)
    assert Withholding.objects.get(item=item).legal_reason == REASON
    with transaction.atomic():
        services.lift_withholding(actor=cast["dora"], client_id=case.client_id, item_id=item.pk, purpose=PURPOSE)
    assert not Withholding.objects.filter(item=item).exists()
    held, lifted = AuditEvent.objects.filter(operation=Operation.UPDATE, object_type="items.informationitem",
                                             object_id=str(item.pk)).order_by("seq")
    assert held.detail["withheld_from_subject_access"] is True and held.detail["legal_reason"] == fingerprint(REASON)
    assert lifted.detail["withheld_from_subject_access"] is False
    assert "Calm on the wing" in _titles(_export(cast["dora"], case))


@pytest.mark.parametrize("reason, twice, message", [("", False, "required"), ("   ", False, "required"),
                                                    (REASON, True, "already withheld")])
def test_a_withholding_needs_a_reason_and_happens_once(exchange, cast, case, reason, twice, message):
    if twice:
        _withhold(cast["dora"], case, exchange["behaviour"])
    with pytest.raises(InvalidInput, match=message):
        _withhold(cast["dora"], case, exchange["behaviour"], reason)


def test_an_item_of_another_client_cannot_be_withheld_through_this_one(exchange, cast, case):
    with pytest.raises(NotVisible):
        with transaction.atomic():
            services.withhold_item(actor=cast["dora"], client_id=case.client_id, item_id=10**9, legal_reason=REASON,
                                   purpose=PURPOSE)


def test_the_web_form_withholds_and_refuses_an_empty_reason(exchange, cast, case, client):
    sign_in(client, cast["dora"])
    item = exchange["programme"]
    url = reverse("dataprotection:withhold", args=[case.client_id, item.pk])
    refused = client.post(url, {f"withhold-{item.pk}-legal_reason": ""})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    done = client.post(url, {f"withhold-{item.pk}-legal_reason": REASON})
    assert done.status_code == 302 and Withholding.objects.filter(item=item).exists()
    lifted = client.post(reverse("dataprotection:lift", args=[case.client_id, item.pk]))
    assert lifted.status_code == 302 and not Withholding.objects.filter(item=item).exists()
    again = client.post(reverse("dataprotection:lift", args=[case.client_id, item.pk]))
    assert again.status_code == 400 and "not withheld" in again.content.decode()


def test_the_dpo_finds_the_client_from_the_subject_access_list(exchange, cast, case, client, dpos):
    sign_in(client, cast["dora"])
    listing = client.get(reverse("dataprotection:clients")).content.decode()
    assert reverse("dataprotection:client", args=[case.client_id]) in listing
    sign_in(client, dpos["housing"])
    assert "Client-One" not in client.get(reverse("dataprotection:clients")).content.decode()
    assert client.get(reverse("dataprotection:client", args=[case.client_id])).status_code == 404
    sign_in(client, cast["petra"])
    assert client.get(reverse("dataprotection:clients")).status_code == 404


def test_the_api_exports_withholds_and_lists_withholdings(sourced, exchange, cast, case, client, dpos):
    headers = bearer(cast["dora"])
    base = f"/api/clients/{case.client_id}"
    document = client.get(f"{base}/subject-access", **headers)
    assert document.status_code == 200 and "Travel plans" not in document.content.decode()
    for secret in SECRETS:
        assert secret not in document.content.decode()
    as_pdf = client.get(f"{base}/subject-access.pdf", **headers)
    assert as_pdf["Content-Type"] == "application/pdf" and as_pdf.content.startswith(b"%PDF")
    held = client.post(f"{base}/items/{exchange['police_orcon'].pk}/withholding", {"legal_reason": REASON},
                       content_type="application/json", **headers)
    assert held.status_code == 201 and held.json()["legal_reason"] == REASON
    assert [w["title"] for w in client.get(f"{base}/withholdings", **headers).json()] == ["Handler concerns"]
    assert "Handler concerns" not in client.get(f"{base}/subject-access", **headers).content.decode()
    assert client.delete(f"{base}/items/{exchange['police_orcon'].pk}/withholding", **headers).status_code == 204
    assert client.get(f"{base}/subject-access", **bearer(cast["petra"])).status_code == 404
    hidden = client.get(f"{base}/subject-access", **bearer(dpos["housing"]))
    assert hidden.status_code == 404 and json.loads(hidden.content)["error"]["code"] == "not_found"
