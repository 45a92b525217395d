"""Destructive or access-changing actions ask for confirmation in the web UI: the first POST shows
what will happen and changes nothing; Confirm carries the same fields and acts. No JavaScript."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from casebridge.audit.models import AuditEvent
from casebridge.cases import services as cases
from casebridge.cases.models import Case, Membership
from casebridge.conftest import PURPOSE, sign_in
from casebridge.sharing import agreements
from casebridge.sharing.models import AgreementParty, AgreementStatus, AgreementVersion, Consent
from casebridge.sharing.tests.conftest import terms


def _sign_draft(case, cast, agencies):
    with transaction.atomic():
        draft = agreements.draft_agreement(actor=cast["adam"], data=terms(agencies), purpose=PURPOSE)
    return ("adam", reverse("sharing:agreement_sign", args=[draft.pk]), {},
            lambda: AgreementParty.objects.get(version=draft, agency=agencies["probation"]).signed_at is not None)


def _withdraw_draft(case, cast, agencies):
    with transaction.atomic():
        draft = agreements.draft_agreement(actor=cast["adam"], data=terms(agencies), purpose=PURPOSE)
    return ("adam", reverse("sharing:agreement_withdraw", args=[draft.pk]), {},
            lambda: AgreementVersion.objects.get(pk=draft.pk).status == AgreementStatus.WITHDRAWN)


def _suspend(exchange):
    version = exchange["version"]
    return ("adam", reverse("sharing:agreement_suspend", args=[version.pk]), {"suspend-reason": "Breach."},
            lambda: AgreementVersion.objects.get(pk=version.pk).status == AgreementStatus.SUSPENDED)


def _resume(exchange, cast):
    version = exchange["version"]
    with transaction.atomic():
        agreements.set_suspended(actor=cast["adam"], version_id=version.pk, suspended=True, reason="Breach.",
                                 purpose=PURPOSE)
    return ("adam", reverse("sharing:agreement_resume", args=[version.pk]), {"resume-reason": "Closed."},
            lambda: AgreementVersion.objects.get(pk=version.pk).status == AgreementStatus.ACTIVE)


def _withdraw_consent(exchange, case):
    consent = exchange["consent"]
    return ("petra", reverse("sharing:consent_withdraw", args=[case.pk, consent.pk]),
            {f"withdraw-{consent.pk}-note": "Client asked by phone."},
            lambda: Consent.objects.get(pk=consent.pk).withdrawn_at is not None)


def _end_membership(case, agencies):
    membership = case.memberships.get(agency=agencies["cso"])
    return ("petra", reverse("cases:end_membership", args=[case.pk]),
            {"end-membership": membership.pk, "end-reason": "Programme ended.",
             "end-ends_on": cases.today().isoformat()},
            lambda: Membership.objects.get(pk=membership.pk).ends_on is not None)


def _transition(case):
    return ("petra", reverse("cases:transition", args=[case.pk]),
            {"transition-to_phase": "release_preparation", "transition-effective_on": cases.today().isoformat(),
             "transition-handover_note": "Parole hearing set.", "transition-version": case.version},
            lambda: Case.objects.get(pk=case.pk).phase == "release_preparation")


ACTIONS = {
    "sign": (lambda f: _sign_draft(f["case"], f["cast"], f["agencies"]), "You sign for Westmark Probation Service"),
    "suspend": (lambda f: _suspend(f["exchange"]), "stops every flow under this agreement at once"),
    "resume": (lambda f: _resume(f["exchange"], f["cast"]), "restores every flow under this agreement at once"),
    "withdraw draft": (lambda f: _withdraw_draft(f["case"], f["cast"], f["agencies"]), "can never be signed"),
    "withdraw consent": (lambda f: _withdraw_consent(f["exchange"], f["case"]), "Withdrawing acts at once"),
    "end membership": (lambda f: _end_membership(f["case"], f["agencies"]), "lose access to the case"),
    "phase transition": (lambda f: _transition(f["case"]), "The new phase applies at once"),
}


@pytest.fixture
def world(exchange, case, cast, agencies):
    return {"exchange": exchange, "case": case, "cast": cast, "agencies": agencies}


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_asks_first_and_a_post_without_confirmation_changes_nothing(client, world, action):
    setup, consequence = ACTIONS[action]
    actor, url, data, done = setup(world)
    events = AuditEvent.objects.count()
    response = sign_in(client, world["cast"][actor]).post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and consequence in page and "Nothing has changed yet." in page
    assert '<input type="hidden" name="confirmed" value="1">' in page and "<script>" not in page
    assert not done() and AuditEvent.objects.count() == events

    carried = MultiValueDict()
    for name, value in response.context["carried"]:
        carried.appendlist(name, value)
    carried["confirmed"] = "1"
    confirmed = client.post(url, carried)
    assert confirmed.status_code == 302 and done()


def test_the_confirmation_page_cancels_back_to_where_the_action_was_offered(client, world):
    actor, url, data, _ = _transition(world["case"])
    response = sign_in(client, world["cast"][actor]).post(url, data)
    assert response.context["cancel_url"] == f"/cases/{world['case'].pk}/#phases"


@pytest.mark.parametrize("persona, status", [("xavier", 404), ("ivo", 403)])
def test_asking_reveals_nothing_acting_would_not(client, world, persona, status):
    _, url, data, done = _transition(world["case"])
    response = sign_in(client, world["cast"][persona]).post(url, data)
    assert response.status_code == status and not done()


def test_the_api_does_not_ask(api, world):
    version = world["exchange"]["version"]
    response = api(world["cast"]["adam"]).post(f"/api/agreements/versions/{version.pk}/suspend", {"reason": "Breach."})
    assert response.status_code == 200 and response.json()["status"] == "suspended"


@pytest.fixture
def api(client):
    from casebridge.api.tests.conftest import ApiClient
    from casebridge.conftest import bearer

    return lambda user: ApiClient(client, bearer(user))
