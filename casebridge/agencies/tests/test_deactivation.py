"""Deactivating an agency removes all its practitioners' access on their next request."""

import pytest
from django.urls import reverse

from casebridge import policy
from casebridge.agencies.models import Practitioner
from casebridge.cases.models import Case
from casebridge.conftest import PASSWORD, PURPOSE, bearer, sign_in
from casebridge.items import services as items
from casebridge.items.models import InformationItem


def _deactivate(agency):
    agency.active = False
    agency.save(update_fields=["active"])


def test_the_policy_refuses_every_case_and_item_to_a_deactivated_agency(exchange, cast, case):
    ivo = cast["ivo"]
    assert Case.objects.filter(policy.visible_cases(ivo, items.today())).exists()
    _deactivate(ivo.agency)
    ivo = Practitioner.objects.get(pk=ivo.pk)  # the next request loads the person afresh
    refused = policy.decide_case(ivo, policy.Perm.CASE_VIEW, __import__("casebridge.cases.services", fromlist=["x"])
                                 .case_facts(case), items.today())
    assert not refused and "deactivated" in refused.reason
    assert not Case.objects.filter(policy.visible_cases(ivo, items.today())).exists()
    assert not InformationItem.objects.filter(policy.visible_items(ivo, PURPOSE, items.today())).exists()
    petra = Practitioner.objects.get(pk=cast["petra"].pk)  # other agencies keep their access
    assert InformationItem.objects.filter(policy.visible_items(petra, PURPOSE, items.today())).exists()


def test_a_signed_in_practitioner_is_signed_out_on_the_next_request(exchange, cast, case, client):
    sign_in(client, cast["ivo"])
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    _deactivate(cast["ivo"].agency)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_practitioner_of_a_deactivated_agency_cannot_sign_in(cast, client):
    _deactivate(cast["ivo"].agency)
    response = client.post(reverse("accounts:login"), {"username": "ivo", "password": PASSWORD})
    assert response.status_code == 200 and "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_api_tokens_of_a_deactivated_agency_stop_working(exchange, cast, case, client):
    headers = bearer(cast["ivo"])
    assert client.get(f"/api/cases/{case.pk}", **headers).status_code == 200
    _deactivate(cast["ivo"].agency)
    assert client.get(f"/api/cases/{case.pk}", **headers).status_code == 401
