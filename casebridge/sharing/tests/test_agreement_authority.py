"""Who lifts a suspension (the party that suspended, nobody else) and withdrawing a draft that
should never take effect."""

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PURPOSE, sign_in
from casebridge.errors import BeyondAuthority, Forbidden, InvalidInput, NotVisible
from casebridge.sharing import agreements
from casebridge.sharing.models import AgreementStatus, AgreementVersion
from casebridge.sharing.tests.conftest import terms


def _suspend(admin, version):
    with transaction.atomic():
        return agreements.set_suspended(actor=admin, version_id=version.pk, suspended=True,
                                        reason="Breach under investigation.", purpose=PURPOSE)


def _status(version) -> str:
    return AgreementVersion.objects.get(pk=version.pk).status


@pytest.fixture
def suspended_by_prison(exchange, admins):
    version = exchange["version"]
    _suspend(admins["prison"], version)
    return version


@pytest.mark.parametrize("resumer, status", [
    ("prison", 302),      # the party that suspended
    ("probation", 403),   # another party: sees the agreement, cannot overrule the suspension
    ("cso", 403),
    ("housing", 404),     # no party at all
])
def test_only_the_suspending_party_resumes_on_the_web(client, suspended_by_prison, admins, resumer, status):
    version = suspended_by_prison
    response = sign_in(client, admins[resumer]).post(reverse("sharing:agreement_resume", args=[version.pk]),
                                                     {"resume-reason": "Resolved.", "confirmed": "1"})
    assert response.status_code == status
    assert _status(version) == (AgreementStatus.ACTIVE if status == 302 else AgreementStatus.SUSPENDED)


@pytest.mark.parametrize("resumer, status", [("prison", 200), ("probation", 403), ("housing", 404)])
def test_only_the_suspending_party_resumes_through_the_api(api, suspended_by_prison, admins, resumer, status):
    version = suspended_by_prison
    response = api(admins[resumer]).post(f"/api/agreements/versions/{version.pk}/resume", {"reason": "Resolved."})
    assert response.status_code == status
    assert _status(version) == (AgreementStatus.ACTIVE if status == 200 else AgreementStatus.SUSPENDED)


def test_the_page_offers_resuming_to_the_suspending_party_only_and_names_it(client, suspended_by_prison, admins):
    url = reverse("sharing:agreement", args=[suspended_by_prison.pk])
    other = sign_in(client, admins["probation"]).get(url).content.decode()
    assert "Resume the agreement" not in other and "Suspended by Westmark Prison" in other
    own = sign_in(client, admins["prison"]).get(url).content.decode()
    assert "Resume the agreement" in own


def test_a_suspension_from_before_the_party_was_kept_is_lifted_by_a_system_administrator(suspended_by_prison, cast,
                                                                                          admins):
    AgreementVersion.objects.filter(pk=suspended_by_prison.pk).update(suspended_by_agency=None)
    with pytest.raises(BeyondAuthority), transaction.atomic():
        agreements.set_suspended(actor=admins["prison"], version_id=suspended_by_prison.pk, suspended=False,
                                 reason="x", purpose=PURPOSE)
    with transaction.atomic():
        agreements.set_suspended(actor=cast["sam"], version_id=suspended_by_prison.pk, suspended=False,
                                 reason="Resolved.", purpose=PURPOSE)
    assert _status(suspended_by_prison) == AgreementStatus.ACTIVE


def test_the_audit_event_names_the_suspending_party_but_not_the_reason(suspended_by_prison, admins, agencies):
    with transaction.atomic():
        agreements.set_suspended(actor=admins["prison"], version_id=suspended_by_prison.pk, suspended=False,
                                 reason="Resolved after review.", purpose=PURPOSE)
    events = AuditEvent.objects.filter(object_type="sharing.agreementversion", operation=Operation.UPDATE)
    assert [e.detail["status"] for e in events] == [["active", "suspended"], ["suspended", "active"]]
    assert events.last().detail["suspended_by_agency"] == agencies["prison"].pk
    assert not any("Breach" in str(e.detail) or "Resolved" in str(e.detail) for e in events)


@pytest.fixture
def draft(case, agencies, admins):
    with transaction.atomic():
        return agreements.draft_agreement(actor=admins["prison"], data=terms(agencies), purpose=PURPOSE)


def test_an_administrator_of_a_party_withdraws_a_draft_which_can_then_never_be_signed(client, draft, admins):
    admin = sign_in(client, admins["probation"])
    response = admin.post(reverse("sharing:agreement_withdraw", args=[draft.pk]), {"confirmed": "1"})
    assert response.status_code == 302 and _status(draft) == AgreementStatus.WITHDRAWN
    event = AuditEvent.objects.filter(object_type="sharing.agreementversion", object_id=str(draft.pk)).latest("seq")
    assert event.actor_username == "adam" and event.detail["status"] == ["draft", "withdrawn"]
    with pytest.raises(InvalidInput, match="Only a draft"), transaction.atomic():
        agreements.sign_agreement(actor=admins["prison"], version_id=draft.pk, purpose=PURPOSE)
    page = admin.get(reverse("sharing:agreement", args=[draft.pk])).content.decode()
    assert "Withdrawn" in page and "Sign for" not in page and "Withdraw this draft" not in page


@pytest.mark.parametrize("who, refusal", [("housing", NotVisible), ("petra", Forbidden)])
def test_a_draft_is_not_withdrawn_by_someone_who_administers_no_party(draft, cast, admins, who, refusal):
    actor = admins.get(who) or cast[who]
    with pytest.raises(refusal), transaction.atomic():
        agreements.withdraw_draft(actor=actor, version_id=draft.pk, purpose=PURPOSE)
    assert _status(draft) == AgreementStatus.DRAFT


def test_an_agreement_in_force_cannot_be_withdrawn_only_suspended(api, exchange, admins):
    response = api(admins["probation"]).post(f"/api/agreements/versions/{exchange['version'].pk}/withdraw")
    assert response.status_code == 400 and _status(exchange["version"]) == AgreementStatus.ACTIVE


def test_a_draft_is_withdrawn_through_the_api(api, draft, admins):
    response = api(admins["prison"]).post(f"/api/agreements/versions/{draft.pk}/withdraw")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
