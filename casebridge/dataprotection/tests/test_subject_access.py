"""Subject access: what the client receives, what a DPO may withhold, and what never leaves."""

import datetime as dt
import json

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.agencies.models import Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import membership
from casebridge.conftest import PURPOSE, TOTP_KEY, bearer, sign_in
from casebridge.dataprotection import export, pdf, services
from casebridge.dataprotection.models import SubjectAccessRelease, Withholding
from casebridge.dataprotection.tests.pdftext import pdf_text
from casebridge.errors import Forbidden, InvalidInput, NotVisible
from casebridge.items import services as items

REASON = "Art. 15(1)(a) Directive 2016/680: would obstruct the inquiry into the Q-42 network"
SECRETS = ["Informant K-17", "K-17", "Telephone intercept", "Neighbour R-9", "Door-to-door canvass"]


def _dpo(username, agency, clearance=3):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = Practitioner.objects.create_user(username, f"{username}@example.test", "x", agency=agency, role="dpo",
                                              clearance=clearance, first_name=username.title(), last_name="Dpo")
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


def _release(actor, case, item):
    with transaction.atomic():
        return services.release_for_subject_access(actor=actor, client_id=case.client_id, item_id=item.pk,
                                                   purpose=PURPOSE)


def _overview(actor, case):
    with transaction.atomic():
        return services.subject_access_overview(actor=actor, client_id=case.client_id, purpose=PURPOSE)


@pytest.fixture
def dpos(agencies):
    return {"police": _dpo("paula", agencies["police"]), "prison": _dpo("pim", agencies["prison"]),
            "housing": _dpo("hugo", agencies["housing"])}


# Dora answers for probation: what it recorded, and what it received once the recorder released it.
IN_DORAS_EXPORT = {
    "programme": True,          # recorded by probation
    "behaviour": False,         # received from the prison: awaits the prison's release
    "police_risk": False,       # received from the police: awaits the police's release
    "prison_health": False,     # never received by probation
    "police_orcon": False,      # ORCON: never received by probation
    "police_secret": False,     # intelligence never enters the client's own file
}


@pytest.mark.parametrize("key, included", IN_DORAS_EXPORT.items())
def test_a_dpo_exports_what_their_agency_recorded_and_nothing_it_has_not_been_released(exchange, cast, case, key,
                                                                                      included):
    assert (exchange[key].title in _titles(_export(cast["dora"], case))) is included


def test_received_items_are_listed_as_awaiting_their_originator_until_it_releases_them(exchange, cast, case, dpos):
    pending = {i.title for i in _overview(cast["dora"], case).pending}
    assert pending == {"Calm on the wing", "Network contacts assessed"}
    _release(dpos["police"], case, exchange["police_risk"])
    overview = _overview(cast["dora"], case)
    assert {i.title for i in overview.pending} == {"Calm on the wing"}
    assert "Network contacts assessed" in {i.title for i in overview.included}
    assert "Network contacts assessed" in _titles(_export(cast["dora"], case))


def test_a_release_reaches_only_agencies_that_received_the_item(exchange, cast, case, dpos):
    _release(dpos["police"], case, exchange["police_orcon"])  # ORCON: probation never received it
    _release(dpos["prison"], case, exchange["prison_health"])  # no agreement prison -> probation for health
    titles = _titles(_export(cast["dora"], case))
    assert "Handler concerns" not in titles and "Sleep problems reported" not in titles


def test_withdrawing_a_release_puts_the_item_back_to_awaiting(exchange, cast, case, dpos):
    _release(dpos["police"], case, exchange["police_risk"])
    with transaction.atomic():
        services.withdraw_release(actor=dpos["police"], client_id=case.client_id, item_id=exchange["police_risk"].pk,
                                  purpose=PURPOSE)
    assert "Network contacts assessed" in {i.title for i in _overview(cast["dora"], case).pending}


@pytest.mark.parametrize("act", ["withhold", "lift", "release", "withdraw"])
def test_only_the_originating_agency_withholds_lifts_or_releases(exchange, cast, case, dpos, act):
    calls = {
        "withhold": lambda actor, item: _withhold(actor, case, item),
        "lift": lambda actor, item: services.lift_withholding(actor=actor, client_id=case.client_id, item_id=item.pk,
                                                              purpose=PURPOSE),
        "release": lambda actor, item: _release(actor, case, item),
        "withdraw": lambda actor, item: services.withdraw_release(actor=actor, client_id=case.client_id,
                                                                  item_id=item.pk, purpose=PURPOSE),
    }
    _withhold(dpos["police"], case, exchange["police_risk"])
    _release(dpos["police"], case, exchange["police_risk"])
    with pytest.raises(Forbidden):  # Dora sees the received item, but it is not hers to change
        calls[act](cast["dora"], exchange["police_risk"])
    with pytest.raises(NotVisible):  # an item probation never received does not exist for her
        calls[act](cast["dora"], exchange["police_orcon"])
    assert Withholding.objects.filter(item=exchange["police_risk"]).exists()
    assert SubjectAccessRelease.objects.filter(item=exchange["police_risk"]).exists()


def test_a_withholding_by_the_originator_keeps_a_released_item_out_of_every_export(exchange, cast, case, dpos):
    _release(dpos["police"], case, exchange["police_risk"])
    _withhold(dpos["police"], case, exchange["police_risk"])
    assert "Network contacts assessed" not in _titles(_export(cast["dora"], case))
    assert "Network contacts assessed" not in _titles(_export(dpos["police"], case))
    overview = _overview(cast["dora"], case)
    assert [i.title for i in overview.withheld_by_others] == ["Network contacts assessed"] and not overview.withheld


def test_intelligence_cannot_be_released(exchange, cast, case, dpos):
    with pytest.raises(InvalidInput, match="Intelligence"):
        _release(dpos["police"], case, exchange["police_secret"])


def _derive(exchange, cast, **data):
    with transaction.atomic():
        return items.derive_item(actor=cast["omar"], item_id=exchange["police_secret"].pk, purpose=PURPOSE, data={
            "title": "Possible travel abroad", "body": "Indications of plans to travel abroad.",
            "fact_date": dt.date(2025, 6, 1), "classification": 1, **data})


def test_a_derivative_of_intelligence_never_enters_subject_access_even_with_the_flag_lifted(exchange, cast, case,
                                                                                            dpos):
    derivative = _derive(exchange, cast, lift=["intelligence"], lift_reason="Sanitised for the release board.")
    assert not derivative.intelligence and derivative.lifted_intelligence
    assert "Possible travel abroad" not in _titles(_export(dpos["police"], case))
    assert _overview(dpos["police"], case).intelligence == 2  # the original and its derivative, counted only


def test_a_derivative_is_withheld_wherever_its_original_is(exchange, cast, case, dpos):
    original = exchange["police_risk"]
    with transaction.atomic():
        derivative = items.derive_item(actor=cast["omar"], item_id=original.pk, purpose=PURPOSE, data={
            "title": "Contacts, in short", "body": "Some contacts of concern.", "fact_date": dt.date(2025, 6, 1),
            "classification": 0})
    assert "Contacts, in short" in _titles(_export(dpos["police"], case))
    _withhold(dpos["police"], case, original)
    assert "Contacts, in short" not in _titles(_export(dpos["police"], case))
    assert derivative.pk not in {i.pk for i in _overview(dpos["police"], case).included}


def test_items_above_the_dpos_clearance_are_counted_and_left_to_a_cleared_dpo(exchange, cast, case, dpos):
    low = _dpo("lena", cast["omar"].agency, clearance=0)
    overview = _overview(low, case)
    assert "Network contacts assessed" not in {i.title for i in overview.included}
    assert overview.above_clearance == 2  # the police's two RESTRICTED items; intelligence is counted apart
    assert "Network contacts assessed" in _titles(_export(dpos["police"], case))
    with pytest.raises(Forbidden):
        _withhold(low, case, exchange["police_risk"])


def test_a_dpo_of_a_deactivated_agency_answers_for_nothing(exchange, cast, case, dpos):
    agency = dpos["police"].agency
    agency.active = False
    agency.save()
    with pytest.raises(NotVisible):
        _export(Practitioner.objects.get(pk=dpos["police"].pk), case)


def test_source_and_method_never_appear_in_the_json_or_the_pdf(sourced, exchange, cast, case, client, dpos):
    sign_in(client, dpos["police"])
    as_json = client.get(reverse("dataprotection:export_json", args=[case.client_id]))
    as_pdf = client.get(reverse("dataprotection:export_pdf", args=[case.client_id]))
    assert as_json.status_code == as_pdf.status_code == 200
    text = as_json.content.decode()
    pdf_words = pdf_text(as_pdf.content)
    assert "Contacts in the community" in text and "Contacts in the community" in pdf_words  # the item is there
    for secret in SECRETS:
        assert secret not in text
        assert secret not in pdf_words


def test_withheld_reasons_are_shown_to_the_originators_dpo_and_never_put_in_the_export(exchange, cast, case, client,
                                                                                      dpos):
    _withhold(dpos["police"], case, exchange["police_risk"])
    _release(dpos["police"], case, exchange["police_risk"])
    sign_in(client, dpos["police"])
    page = client.get(reverse("dataprotection:client", args=[case.client_id])).content.decode()
    assert "Art. 15(1)(a) Directive 2016/680" in page and "Network contacts assessed" in page
    exported = [client.get(reverse("dataprotection:export_json", args=[case.client_id])).content.decode(),
                pdf_text(client.get(reverse("dataprotection:export_pdf", args=[case.client_id])).content)]
    for document in exported:
        assert "Q-42" not in document and "15(1)(a)" not in document and "Network contacts assessed" not in document
    sign_in(client, cast["dora"])
    received = client.get(reverse("dataprotection:client", args=[case.client_id])).content.decode()
    assert "Network contacts assessed" in received and "Withheld by the recording agency" in received
    assert "Q-42" not in received


def test_the_dpo_page_lists_included_awaiting_and_withheld_items_with_their_markings(exchange, cast, case, client):
    sign_in(client, cast["dora"])
    page = client.get(reverse("dataprotection:client", args=[case.client_id])).content.decode()
    awaiting = page[page.index("Awaiting the recording agency"):page.index("Withheld from the export")]
    behaviour = exchange["behaviour"]
    assert f"Item {behaviour.pk}<" in awaiting and "RESTRICTED" in awaiting and "Custody behaviour" in awaiting
    assert "Calm on the wing" not in awaiting  # named by reference until its originator releases it
    assert "Mentoring sessions started" in page[:page.index("Awaiting the recording agency")]
    assert reverse("dataprotection:release", args=[case.client_id, exchange["programme"].pk]) in page
    assert reverse("dataprotection:withhold", args=[case.client_id, exchange["behaviour"].pk]) not in page


def test_the_pdf_export_is_a_readable_pdf(exchange, cast, case):
    content = pdf.subject_access_pdf(_export(cast["dora"], case, fmt="pdf"))
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    words = pdf_text(content)
    assert "Information held about you in Casebridge" in words and "Mentoring sessions started" in words


def test_every_export_is_audited_as_going_to_the_client(exchange, cast, case):
    document = _export(cast["dora"], case, fmt="pdf")
    event = AuditEvent.objects.filter(operation=Operation.EXPORT).last()
    assert event.recipients == ["the client"] and event.actor_username == "dora"
    assert event.object_type == "cases.client" and event.object_id == str(case.client_id)
    assert event.detail["format"] == "pdf" and event.detail["items"] == [exchange["programme"].pk]
    assert len(document["items"]) == 1


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
    assert "Network contacts assessed" in _titles(_export(dpos["police"], case))


def test_withholding_and_lifting_are_audited_by_reference_never_with_the_reason(exchange, cast, case):
    item = exchange["programme"]
    held = _withhold(cast["dora"], case, item)
    assert Withholding.objects.get(item=item).legal_reason == REASON
    with transaction.atomic():
        services.lift_withholding(actor=cast["dora"], client_id=case.client_id, item_id=item.pk, purpose=PURPOSE)
    assert not Withholding.objects.filter(item=item).exists()
    events = AuditEvent.objects.filter(operation=Operation.UPDATE, object_type="items.informationitem",
                                       object_id=str(item.pk)).order_by("seq")
    withheld, lifted = events
    assert withheld.detail == {"withheld_from_subject_access": True, "withholding": held.pk, "client": case.client_id}
    assert lifted.detail["withheld_from_subject_access"] is False
    assert not [e for e in events if "Q-42" in str(e.detail)]
    assert "Mentoring sessions started" in _titles(_export(cast["dora"], case))


@pytest.mark.parametrize("reason, twice, message", [("", False, "required"), ("   ", False, "required"),
                                                    (REASON, True, "already withheld")])
def test_a_withholding_needs_a_reason_and_happens_once(exchange, cast, case, reason, twice, message):
    if twice:
        _withhold(cast["dora"], case, exchange["programme"])
    with pytest.raises(InvalidInput, match=message):
        _withhold(cast["dora"], case, exchange["programme"], reason)


def test_an_item_of_another_client_cannot_be_withheld_through_this_one(exchange, cast, case):
    with pytest.raises(NotVisible):
        with transaction.atomic():
            services.withhold_item(actor=cast["dora"], client_id=case.client_id, item_id=10**9, legal_reason=REASON,
                                   purpose=PURPOSE)


def test_the_web_forms_withhold_release_and_refuse_another_agencys_item(exchange, cast, case, client):
    sign_in(client, cast["dora"])
    item = exchange["programme"]
    url = reverse("dataprotection:withhold", args=[case.client_id, item.pk])
    refused = client.post(url, {f"withhold-{item.pk}-legal_reason": ""})
    assert refused.status_code == 400 and "Enter the legal reason" in refused.content.decode()
    done = client.post(url, {f"withhold-{item.pk}-legal_reason": REASON})
    assert done.status_code == 302 and Withholding.objects.filter(item=item).exists()
    lifted = client.post(reverse("dataprotection:lift", args=[case.client_id, item.pk]))
    assert lifted.status_code == 302 and not Withholding.objects.filter(item=item).exists()
    again = client.post(reverse("dataprotection:lift", args=[case.client_id, item.pk]))
    assert again.status_code == 400 and "not withheld" in again.content.decode()
    released = client.post(reverse("dataprotection:release", args=[case.client_id, item.pk]))
    assert released.status_code == 302 and SubjectAccessRelease.objects.filter(item=item).exists()
    other = exchange["behaviour"]
    assert client.post(reverse("dataprotection:release", args=[case.client_id, other.pk])).status_code == 403
    assert client.post(reverse("dataprotection:withhold", args=[case.client_id, other.pk]),
                       {f"withhold-{other.pk}-legal_reason": REASON}).status_code == 403
    never = exchange["police_orcon"]
    assert client.post(reverse("dataprotection:release", args=[case.client_id, never.pk])).status_code == 404
    assert not SubjectAccessRelease.objects.filter(item__in=[other, never]).exists()


def test_the_dpo_finds_the_client_from_the_subject_access_list(exchange, cast, case, client, dpos):
    sign_in(client, cast["dora"])
    listing = client.get(reverse("dataprotection:clients")).content.decode()
    assert reverse("dataprotection:client", args=[case.client_id]) in listing
    sign_in(client, dpos["housing"])
    assert "Client-One" not in client.get(reverse("dataprotection:clients")).content.decode()
    assert client.get(reverse("dataprotection:client", args=[case.client_id])).status_code == 404
    sign_in(client, cast["petra"])
    assert client.get(reverse("dataprotection:clients")).status_code == 404


def test_the_api_exports_withholds_releases_and_lists_awaiting_items(sourced, exchange, cast, case, client, dpos):
    police, dora = bearer(dpos["police"]), bearer(cast["dora"])
    base = f"/api/clients/{case.client_id}"
    document = client.get(f"{base}/subject-access", **police)
    assert document.status_code == 200 and "Travel plans" not in document.content.decode()
    for secret in SECRETS:
        assert secret not in document.content.decode()
    as_pdf = client.get(f"{base}/subject-access.pdf", **police)
    assert as_pdf["Content-Type"] == "application/pdf" and as_pdf.content.startswith(b"%PDF")
    risk = exchange["police_risk"].pk
    pending = client.get(f"{base}/subject-access/pending", **dora).json()
    expected = [exchange["behaviour"], exchange["police_risk"], sourced]
    assert [p["item_id"] for p in pending] == [i.pk for i in expected]
    assert [p["category"] for p in pending] == [i.category for i in expected]
    # Until the originator releases them, the items are named by reference, never by their content.
    assert not any(i.title in str(pending) for i in expected)
    assert client.post(f"{base}/items/{risk}/release", **dora).status_code == 403
    assert client.post(f"{base}/items/{risk}/release", **police).status_code == 201
    assert "Network contacts assessed" in client.get(f"{base}/subject-access", **dora).content.decode()
    held = client.post(f"{base}/items/{risk}/withholding", {"legal_reason": REASON},
                       content_type="application/json", **police)
    assert held.status_code == 201 and held.json()["legal_reason"] == REASON
    assert [w["title"] for w in client.get(f"{base}/withholdings", **police).json()] == ["Network contacts assessed"]
    assert client.get(f"{base}/withholdings", **dora).json() == []
    assert "Network contacts assessed" not in client.get(f"{base}/subject-access", **dora).content.decode()
    assert client.delete(f"{base}/items/{risk}/withholding", **dora).status_code == 403
    assert client.delete(f"{base}/items/{risk}/withholding", **police).status_code == 204
    assert client.delete(f"{base}/items/{risk}/release", **police).status_code == 204
    assert client.get(f"{base}/subject-access", **bearer(cast["petra"])).status_code == 404
    hidden = client.get(f"{base}/subject-access", **bearer(dpos["housing"]))
    assert hidden.status_code == 404 and json.loads(hidden.content)["error"]["code"] == "not_found"
