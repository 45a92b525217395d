"""Sharing agreements as their administrators live them: drafted, signed by every party, amended,
suspended and resumed, expiring; and what each step does to what a practitioner reads."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.conftest import PURPOSE, sign_in
from casebridge.errors import Forbidden, InvalidInput, NotVisible
from casebridge.items import services as items
from casebridge.sharing import agreements
from casebridge.sharing.models import Agreement, AgreementStatus, AgreementVersion
from casebridge.sharing.tests.conftest import terms


def titles(user):
    return {i.title for i in items.visible_items(user, PURPOSE)}


def _record(person, case, category, title, **marks):
    data = {"category": category, "nature": "fact", "title": title, "body": f"{title}.",
            "fact_date": dt.date(2025, 6, 1), **marks}
    with transaction.atomic():
        return items.record_item(actor=person, case_id=case.pk, data=data, purpose=PURPOSE)


@pytest.fixture
def prison_items(case, cast):
    _record(cast["ivo"], case, "custody_behaviour_and_security", "No incidents this quarter", classification=1)
    _record(cast["ivo"], case, "risk_and_needs_assessment", "Risk review: moderate", classification=1)


def _sign(person, version):
    with transaction.atomic():
        return agreements.sign_agreement(actor=person, version_id=version.pk, purpose=PURPOSE)


def _draft_through_the_web(client, admin, data):
    response = sign_in(client, admin).post(reverse("sharing:agreement_new"), data)
    return response, AgreementVersion.objects.order_by("-pk").first()


def _form_data(agencies, **overrides) -> dict:
    data = {"title": "Custody information for release planning",
            "parties": [agencies["prison"].pk, agencies["probation"].pk],
            "legal_basis": "Prison Act art. 12", "purposes": ["case_management"], "valid_from": "2025-01-01",
            "valid_to": "", "rule-TOTAL_FORMS": "5", "rule-INITIAL_FORMS": "0",
            "rule-0-originator": agencies["prison"].pk, "rule-0-recipient": agencies["probation"].pk,
            "rule-0-categories": ["custody_behaviour_and_security"], "rule-0-max_classification": "1"}
    for row in range(1, 5):
        data[f"rule-{row}-max_classification"] = "0"
    return {**data, **overrides}


def test_a_draft_gives_no_access_until_the_administrators_of_every_party_have_signed(
        client, case, cast, agencies, admins, prison_items):
    response, draft = _draft_through_the_web(client, admins["probation"], _form_data(agencies))
    assert response.status_code == 302 and response.url == reverse("sharing:agreement", args=[draft.pk])
    assert draft.status == AgreementStatus.DRAFT and "No incidents this quarter" not in titles(cast["petra"])

    page = client.get(response.url).content.decode()
    assert "Sign for Westmark Probation Service" in page and "0 of 2 parties" in page
    signed = client.post(reverse("sharing:agreement_sign", args=[draft.pk]), {"confirmed": "1"},
                         follow=True).content.decode()
    assert "Signed for Westmark Probation Service. 1 of 2 parties still to sign." in signed
    assert "No incidents this quarter" not in titles(cast["petra"])  # one of two signatures

    _sign(admins["prison"], draft)
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.ACTIVE
    assert titles(cast["petra"]) == {"No incidents this quarter"}  # the rule covers custody behaviour only


def test_a_second_version_supersedes_the_first_only_when_every_party_has_signed_it(case, cast, agencies, admins,
                                                                                     prison_items):
    with transaction.atomic():
        first = agreements.draft_agreement(actor=admins["prison"], data=terms(agencies), purpose=PURPOSE)
    _sign(admins["prison"], first)
    _sign(admins["probation"], first)
    risk_only = terms(agencies, rules=[("prison", "probation", ["risk_and_needs_assessment"], 1, False)])
    with transaction.atomic():
        second = agreements.amend_agreement(actor=admins["probation"], agreement_id=first.agreement_id,
                                            data=risk_only, purpose=PURPOSE)
    assert second.number == 2 and second.agreement.title == "Custody information for release planning"
    _sign(admins["probation"], second)
    assert titles(cast["petra"]) == {"No incidents this quarter"}  # version 1 still in force

    _sign(admins["prison"], second)
    first.refresh_from_db()
    assert first.status == AgreementStatus.SUPERSEDED
    assert titles(cast["petra"]) == {"Risk review: moderate"}


def test_a_new_version_waits_while_another_draft_awaits_sign_off(case, cast, agencies, admins):
    with transaction.atomic():
        first = agreements.draft_agreement(actor=admins["prison"], data=terms(agencies), purpose=PURPOSE)
    with pytest.raises(InvalidInput, match="already waiting"):
        agreements.amend_agreement(actor=admins["prison"], agreement_id=first.agreement_id, data=terms(agencies),
                                   purpose=PURPOSE)


def test_suspending_cuts_access_on_the_next_request_and_resuming_restores_it(client, exchange, cast):
    version, petra = exchange["version"], cast["petra"]
    item_page = reverse("items:detail", args=[exchange["behaviour"].pk])  # "Calm on the wing", from the prison
    assert sign_in(client, petra).get(item_page).status_code == 200
    adam = sign_in(client, cast["adam"])
    response = adam.post(reverse("sharing:agreement_suspend", args=[version.pk]),
                         {"suspend-reason": "Data breach at a party under investigation.", "confirmed": "1"})
    assert response.status_code == 302
    page = adam.get(response.url).content.decode()
    assert "Data breach at a party under investigation." in page and "Resume the agreement" in page
    assert sign_in(client, petra).get(item_page).status_code == 404
    assert "Calm on the wing" not in titles(petra) and "Mentoring sessions started" not in titles(cast["clara"])

    sign_in(client, cast["adam"]).post(reverse("sharing:agreement_resume", args=[version.pk]),
                                       {"resume-reason": "Investigation closed.", "confirmed": "1"})
    assert sign_in(client, petra).get(item_page).status_code == 200


def test_a_suspension_needs_a_reason_and_is_refused_without_one(client, exchange, cast):
    response = sign_in(client, cast["adam"]).post(reverse("sharing:agreement_suspend", args=[exchange["version"].pk]),
                                                  {"suspend-reason": ""})
    assert response.status_code == 400 and "Enter a reason" in response.content.decode()
    exchange["version"].refresh_from_db()
    assert exchange["version"].status == AgreementStatus.ACTIVE


def test_an_agreement_past_its_last_day_gives_no_access_and_is_listed_as_expired(client, exchange, cast):
    version = exchange["version"]
    AgreementVersion.objects.filter(pk=version.pk).update(valid_to=dt.date.today() - dt.timedelta(days=1))
    assert "Calm on the wing" not in titles(cast["petra"])
    page = sign_in(client, cast["petra"]).get(reverse("sharing:agreements")).content.decode()
    assert "Westmark exit continuum" in page and "Expired" in page


def test_the_list_shows_parties_status_validity_and_signatures_to_every_party(client, exchange, cast):
    page = sign_in(client, cast["clara"]).get(reverse("sharing:agreements")).content.decode()
    assert "Westmark exit continuum" in page and "4/4" in page and "open-ended" in page
    assert "Open Door Exit Programme" in page and "Draft an agreement" not in page


def test_the_detail_page_shows_the_legal_basis_purposes_rules_and_signatures(client, exchange, cast):
    page = sign_in(client, cast["petra"]).get(reverse("sharing:agreement", args=[exchange["version"].pk]))
    text = page.content.decode()
    assert "Regional protocol 2025/3" in text and "Release planning" in text
    assert "Westmark Prison → Westmark Probation Service" in text and "Custody behaviour and security" in text
    assert "RESTRICTED" in text and "required" in text and "Sam Smets" in text
    assert "Suspend" not in text and "Sign for" not in text  # Petra reads; administrators manage


def test_an_agency_that_is_no_party_does_not_see_the_agreement(client, exchange, cast, admins):
    url = reverse("sharing:agreement", args=[exchange["version"].pk])
    assert sign_in(client, cast["xavier"]).get(url).status_code == 404
    assert "Westmark exit continuum" not in client.get(reverse("sharing:agreements")).content.decode()
    with pytest.raises(NotVisible):
        agreements.set_suspended(actor=admins["housing"], version_id=exchange["version"].pk, suspended=True,
                                 reason="x", purpose=PURPOSE)
    with pytest.raises(NotVisible):
        agreements.amend_agreement(actor=admins["housing"], agreement_id=exchange["version"].agreement_id,
                                   data={}, purpose=PURPOSE)


@pytest.mark.parametrize("username", ["petra", "ivo", "clara", "dora"])
@pytest.mark.parametrize("name, method", [
    ("agreement_new", "get"), ("agreement_new", "post"), ("agreement_sign", "post"), ("agreement_suspend", "post"),
    ("agreement_resume", "post"), ("agreement_amend", "get"), ("agreement_amend", "post"),
])
def test_practitioners_who_are_not_administrators_get_a_404_on_every_manage_action(client, exchange, cast, username,
                                                                                     name, method):
    version = exchange["version"]
    arg = version.agreement_id if name == "agreement_amend" else version.pk
    url = reverse(f"sharing:{name}") if name == "agreement_new" else reverse(f"sharing:{name}", args=[arg])
    response = getattr(sign_in(client, cast[username]), method)(url, {"suspend-reason": "x"} if method == "post" else {})
    assert response.status_code == 404
    version.refresh_from_db()
    assert version.status == AgreementStatus.ACTIVE and AgreementVersion.objects.count() == 1


def test_an_administrator_may_not_sign_for_an_agency_that_is_not_theirs(exchange, cast, agencies):
    from casebridge.conftest import _person

    root = _person("root", agencies["housing"], "system_admin")  # sees every agreement, party to none
    with pytest.raises(Forbidden):
        agreements.sign_agreement(actor=root, version_id=exchange["version"].pk, purpose=PURPOSE)


@pytest.mark.parametrize("change, message", [
    ({"rule-0-recipient": "housing"}, "Each rule runs from one party to another."),
    ({"purposes": []}, "Choose the purposes the agreement serves."),
    ({"valid_from": "2026-01-01", "valid_to": "2025-01-01"}, "The agreement cannot end before it starts."),
    ({"parties": ["probation"]}, "An agreement needs at least two active agencies as parties."),
    ({"rule-0-categories": []}, "Give the originator, the recipient and at least one category"),
    ({"rule-0-originator": "", "rule-0-recipient": "", "rule-0-categories": []}, "Add at least one rule"),
])
def test_bad_terms_get_a_message_on_the_form_and_write_nothing(client, case, agencies, admins, change, message):
    def agency_pk(value):
        return agencies[value].pk if value in agencies else value

    resolved = {key: [agency_pk(v) for v in value] if isinstance(value, list) else agency_pk(value)
                for key, value in change.items()}
    response, _ = _draft_through_the_web(client, admins["probation"], _form_data(agencies, **resolved))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_new_version_is_filled_in_from_the_one_in_force(client, exchange, cast):
    page = sign_in(client, cast["adam"]).get(reverse("sharing:agreement_amend", args=[exchange["version"].agreement_id]))
    text = page.content.decode()
    assert page.status_code == 200 and "Filled in from version 1" in text
    assert "Regional protocol 2025/3" in text and 'name="rule-TOTAL_FORMS" value="6"' in text
