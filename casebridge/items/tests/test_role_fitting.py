"""Role-fitting actions: which kinds of agency take formal decisions, mark intelligence and record a
source and method is configuration (casebridge.config), read through casebridge.policy.roles; forms
offer only those fields (absent, not disabled) and services refuse the rest with a 403."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge import config
from casebridge.api.tests.conftest import error_of
from casebridge.conftest import PURPOSE, sign_in
from casebridge.decisions import services as decisions
from casebridge.errors import Forbidden
from casebridge.items import services as items
from casebridge.items.forms import DeriveForm, RecordItemForm
from casebridge.items.models import InformationItem
from casebridge.policy import Perm
from casebridge.policy.roles import decide_agency_kind
from casebridge.vocabulary import AgencyKind

DECIDE = {"prosecution", "court", "prison", "probation", "police", "municipality", "social_services"}
INTELLIGENCE = {"police", "intelligence"}
SOURCE = {"police", "intelligence"}
INTELLIGENCE_FIELDS = {"intelligence", "source_reliability", "information_accuracy"}
SOURCE_FIELDS = {"source_text", "method_text"}


def practitioner(kind, role="practitioner"):
    return SimpleNamespace(id=1, agency_id=1, agency_kind=kind, role=role, is_active=True, clearance=3)


@pytest.mark.parametrize("kind", AgencyKind.values)
def test_each_agency_kind_gets_the_default_role_fitting_actions(kind):
    actor = practitioner(kind)
    assert bool(decide_agency_kind(actor, Perm.DECISION_RECORD)) is (kind in DECIDE)
    assert bool(decide_agency_kind(actor, Perm.ITEM_MARK_INTELLIGENCE)) is (kind in INTELLIGENCE)
    assert bool(decide_agency_kind(actor, Perm.ITEM_RECORD_SOURCE)) is (kind in SOURCE)


@pytest.mark.parametrize("kind", AgencyKind.values)
def test_each_agency_kind_gets_a_record_form_with_exactly_its_fields(kind):
    fields = set(RecordItemForm(actor=practitioner(kind)).fields)
    assert INTELLIGENCE_FIELDS <= fields if kind in INTELLIGENCE else not INTELLIGENCE_FIELDS & fields
    assert SOURCE_FIELDS <= fields if kind in SOURCE else not SOURCE_FIELDS & fields
    assert {"category", "title", "body", "classification", "handling"} <= fields


def test_a_derivative_form_offers_intelligence_marks_only_to_intelligence_kinds(exchange):
    item = exchange["police_secret"]
    assert INTELLIGENCE_FIELDS <= set(DeriveForm(actor=practitioner("police"), item=item).fields)
    assert not INTELLIGENCE_FIELDS & set(DeriveForm(actor=practitioner("prison"), item=item).fields)


def test_only_agencies_doing_it_are_allowed_and_roles_still_come_first():
    assert not decide_agency_kind(practitioner("police", role="nobody"), Perm.ITEM_RECORD_SOURCE)
    assert decide_agency_kind(practitioner("cso"), Perm.ITEM_RECORD)  # not limited by kind
    inactive = SimpleNamespace(**{**vars(practitioner("police")), "is_active": False})
    assert not decide_agency_kind(inactive, Perm.DECISION_RECORD)


def test_the_kinds_are_configuration(settings):
    settings.CASEBRIDGE_DECISION_AGENCY_KINDS = frozenset({"cso"})
    settings.CASEBRIDGE_SOURCE_METHOD_AGENCY_KINDS = frozenset()
    assert decide_agency_kind(practitioner("cso"), Perm.DECISION_RECORD)
    assert not decide_agency_kind(practitioner("probation"), Perm.DECISION_RECORD)
    assert not SOURCE_FIELDS & set(RecordItemForm(actor=practitioner("police")).fields)


@pytest.mark.parametrize("raw, parsed", [("police, intelligence", {"police", "intelligence"}), ("", set())])
def test_the_settings_take_known_kinds_and_may_be_empty(raw, parsed):
    assert config.read("CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS", {"CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS": raw}) == parsed


def test_an_unknown_kind_refuses_to_start():
    with pytest.raises(config.ConfigError, match="unknown agency kind 'polise'"):
        config.load({"CASEBRIDGE_DECISION_AGENCY_KINDS": "police,polise"})


def _item(**marks) -> dict:
    return {"category": "programme_and_intervention", "nature": "fact", "title": "Mentoring plan",
            "body": "Weekly sessions.", "fact_date": dt.date(2025, 6, 1), "classification": 0, **marks}


@pytest.mark.parametrize("who, marks, refused", [
    ("clara", {"intelligence": True}, True),
    ("clara", {"source_reliability": "B"}, True),
    ("clara", {"information_accuracy": 2}, True),
    ("clara", {"source_text": "A friend of the client"}, True),
    ("ivo", {"method_text": "Cell search"}, True),
    ("ivo", {"intelligence": True}, True),
    ("petra", {"source_text": "Visitor log"}, True),
    ("omar", {"intelligence": True, "source_reliability": "B", "information_accuracy": 2,
              "source_text": "Informant", "method_text": "Meeting"}, False),
    ("clara", {}, False),
])
def test_the_item_service_refuses_fields_the_agency_kind_does_not_fill_in(case, cast, who, marks, refused):
    if refused:
        with pytest.raises(Forbidden) as refusal, transaction.atomic():
            items.record_item(actor=cast[who], case_id=case.pk, data=_item(**marks), purpose=PURPOSE)
        assert refusal.value.code == "not_for_agency_kind"
        assert not InformationItem.objects.exists()
    else:
        with transaction.atomic():
            item = items.record_item(actor=cast[who], case_id=case.pk, data=_item(**marks), purpose=PURPOSE)
        assert InformationItem.objects.filter(pk=item.pk).exists()


def test_the_api_refuses_intelligence_from_an_exit_programme_with_a_stable_code(api, cast, case):
    response = api(cast["clara"]).post(f"/api/cases/{case.pk}/items", {
        "category": "programme_and_intervention", "nature": "fact", "title": "Rumour", "body": "Heard in the group.",
        "fact_date": "2025-06-01", "intelligence": True})
    assert response.status_code == 403 and error_of(response)["code"] == "not_for_agency_kind"
    assert "do not mark or grade intelligence" in error_of(response)["message"]


def test_a_field_posted_although_not_offered_is_ignored_by_the_form(client, cast, case):
    sign_in(client, cast["clara"])
    response = client.post(reverse("items:record", args=[case.pk]), {
        "item-category": "programme_and_intervention", "item-nature": "fact", "item-title": "Mentoring plan",
        "item-body": "Weekly sessions.", "item-fact_date": "2025-06-01", "item-classification": "0",
        "item-intelligence": "on", "item-source_text": "A friend of the client"})
    item = InformationItem.objects.get(title="Mentoring plan")
    assert response.status_code == 302 and not item.intelligence
    assert InformationItem.objects.filter(pk=item.pk, source_text="").exists()


def test_an_amendment_keeps_what_the_agency_may_no_longer_fill_in(client, cast, exchange, settings):
    """Configuration changed after the item was recorded: the amend form no longer offers the fields,
    and the item keeps its intelligence marking, source and method."""
    settings.CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS = frozenset()
    settings.CASEBRIDGE_SOURCE_METHOD_AGENCY_KINDS = frozenset()
    item = exchange["police_secret"]
    sign_in(client, cast["omar"])
    page = client.get(reverse("items:detail", args=[item.pk])).content.decode()
    assert 'name="amend-intelligence"' not in page and 'name="amend-source_text"' not in page
    response = client.post(reverse("items:amend", args=[item.pk]), {
        "amend-category": item.category, "amend-nature": item.nature, "amend-title": item.title,
        "amend-body": "Travel plans confirmed.", "amend-fact_date": "2025-06-01", "amend-classification": "3",
        "amend-handling": ["orcon"], "amend-change_note": "Confirmed.", "amend-version": "1"})
    assert response.status_code == 302
    kept = InformationItem.objects.filter(pk=item.pk).values("intelligence", "source_text", "method_text", "body")[0]
    assert kept == {"intelligence": True, "source_text": "Informant K-17", "method_text": "Telephone intercept",
                    "body": "Travel plans confirmed."}
    with pytest.raises(Forbidden), transaction.atomic():  # but may not change them
        items.amend_item(actor=cast["omar"], item_id=item.pk, purpose=PURPOSE, change_note="Remove source.",
                         data={**_item(category="intelligence", classification=3), "intelligence": True,
                               "source_text": ""})


@pytest.mark.parametrize("who, status", [("ivo", 302), ("clara", 403), ("xavier", 404)])
def test_the_decision_form_is_for_deciding_agencies_only(client, cast, case, who, status):
    sign_in(client, cast[who])
    url = reverse("decisions:record", args=[case.pk])
    assert client.get(url).status_code == (200 if status == 302 else status)
    response = client.post(url, {"decision-kind": "regime", "decision-text": "Standard regime.",
                                 "decision-decided_on": "2025-06-10"})
    assert response.status_code == status


def test_the_decision_service_refuses_an_exit_programme_with_the_reason(case, cast):
    with pytest.raises(Forbidden, match="do not take formal decisions") as refusal, transaction.atomic():
        decisions.record_decision(actor=cast["clara"], case_id=case.pk, kind="regime", text="Standard regime.",
                                  decided_on=dt.date(2025, 6, 10), basis_item_ids=[], purpose=PURPOSE)
    assert refusal.value.code == "not_for_agency_kind"
