"""Administrative authority over people: the agency's clearance ceiling (set by a system
administrator only), roles only a system administrator assigns, nobody changing their own role or
clearance, and service accounts that never sign in on the web."""

import pytest
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.agencies import services
from casebridge.agencies.models import Agency, Practitioner
from casebridge.api.tests.conftest import api, error_of  # noqa: F401  (api is a fixture, used by name)
from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PURPOSE, bearer, sign_in

PERSON = {"first_name": "Nora", "last_name": "Nijs", "email": "nora@example.test", "role": "practitioner",
          "clearance": "1", "is_active": "on"}


def _ceiling(agency, level):
    Agency.objects.filter(pk=agency.pk).update(clearance_ceiling=level)


@pytest.fixture
def sync(cast, agencies):
    """A service account of the probation service, created by Adam, its administrator."""
    with transaction.atomic():
        return services.create_practitioner(
            actor=cast["adam"], agency_id=agencies["probation"].pk, username="probation-sync", password="",
            data={"first_name": "Case register sync", "email": "sync@example.test"}, purpose=PURPOSE,
            service_account=True)


# --- The clearance ceiling -------------------------------------------------------------------------

def test_lowering_the_ceiling_lowers_everyone_above_it_at_once_and_is_audited(client, cast, agencies):
    probation = agencies["probation"]
    response = sign_in(client, cast["sam"]).post(f"/admin/agencies/{probation.pk}/", {
        "name": probation.name, "kind": "probation", "country": "BE", "region": "Westmark", "active": "on",
        "clearance_ceiling": "1"})
    assert response.status_code == 302
    assert Agency.objects.get(pk=probation.pk).clearance_ceiling == 1
    assert Practitioner.objects.get(pk=cast["petra"].pk).clearance == 1  # was CONFIDENTIAL
    assert Practitioner.objects.get(pk=cast["omar"].pk).clearance == 3  # police: another agency
    event = AuditEvent.objects.filter(operation=Operation.UPDATE, object_type="agencies.agency").latest("seq")
    assert event.detail["capped"] == [cast["petra"].pk] and event.detail["changes"]["clearance_ceiling"] == [None, 1]


def test_an_agency_administrator_is_not_offered_the_ceiling_and_cannot_set_it_through_the_api(client, api, cast,
                                                                                              agencies):
    probation = agencies["probation"]
    page = sign_in(client, cast["adam"]).get(f"/admin/agencies/{probation.pk}/")
    assert "clearance_ceiling" not in page.context["agency_form"].fields
    response = api(cast["adam"]).patch(f"/api/agencies/{probation.pk}", {"clearance_ceiling": 3})
    assert response.status_code == 403 and error_of(response)["code"] == "beyond_authority"
    assert Agency.objects.get(pk=probation.pk).clearance_ceiling is None


@pytest.mark.parametrize("actor, target, change, status, message", [
    ("adam", "nora", {"clearance": "2"}, 400, "from the list"),       # above the ceiling: not offered
    ("sam", "nora", {"clearance": "2"}, 400, "from the list"),        # the ceiling binds everyone
    ("adam", "nora", {"clearance": "0"}, 302, ""),
    ("adam", "nora", {"role": "dpo"}, 400, "from the list"),           # not offered on the form
    ("adam", "nora", {"role": "agency_admin"}, 400, "from the list"),
    ("adam", "nora", {"role": "coordinator"}, 302, ""),
    ("sam", "nora", {"role": "dpo"}, 302, ""),                                  # a system administrator appoints
    ("adam", "adam", {"clearance": "0"}, 400, "from the list"),        # own clearance: only the current one
])
def test_what_an_administrator_may_change_on_the_web_within_a_restricted_ceiling(client, cast, agencies, actor,
                                                                                 target, change, status, message):
    _ceiling(agencies["probation"], 1)
    person = cast[target]
    data = {**PERSON, "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
            "role": person.role, "clearance": str(person.clearance), **change}
    response = sign_in(client, cast[actor]).post(f"/admin/practitioners/{person.pk}/", data)
    assert response.status_code == status
    fresh = Practitioner.objects.get(pk=person.pk)
    changed = all(str(getattr(fresh, k)) == v for k, v in change.items())
    assert changed == (status == 302)
    if message:
        assert message in response.content.decode()


@pytest.mark.parametrize("actor, target, change, message", [
    ("adam", "nora", {"clearance": 2}, "exceeds the agency's ceiling"),
    ("adam", "nora", {"role": "dpo"}, "only a system administrator"),
    ("adam", "nora", {"role": "agency_admin"}, "only a system administrator"),
    ("adam", "nora", {"role": "system_admin"}, "only a system administrator"),
    ("adam", "dora", {"role": "practitioner"}, "only a system administrator"),  # nor remove a DPO
    ("adam", "adam", {"clearance": 0}, "own clearance"),
    ("adam", "adam", {"role": "practitioner"}, "own role"),
    ("sam", "sam", {"clearance": 2}, "own clearance"),
])
def test_changes_beyond_an_administrators_authority_are_refused_through_the_api(api, cast, agencies, actor, target,
                                                                               change, message):
    _ceiling(agencies["probation"], 1)
    response = api(cast[actor]).patch(f"/api/practitioners/{cast[target].pk}", change)
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "beyond_authority" and error["field"] == next(iter(change)) and message in error["message"].lower()
    fresh = Practitioner.objects.get(pk=cast[target].pk)
    assert (fresh.role, fresh.clearance) == (cast[target].role, cast[target].clearance)


def test_an_agency_administrator_cannot_create_a_dpo_but_a_system_administrator_can(api, cast, agencies):
    new = {"username": "dana", "password": "a long enough passphrase 7", "first_name": "Dana", "last_name": "D",
           "role": "dpo", "clearance": 1}
    refused = api(cast["adam"]).post(f"/api/agencies/{agencies['probation'].pk}/practitioners", new)
    assert refused.status_code == 403 and not Practitioner.objects.filter(username="dana").exists()
    made = api(cast["sam"]).post(f"/api/agencies/{agencies['probation'].pk}/practitioners", new)
    assert made.status_code == 201 and Practitioner.objects.get(username="dana").role == "dpo"


def test_the_practitioner_form_offers_clearances_up_to_the_ceiling_only(client, cast, agencies):
    _ceiling(agencies["probation"], 1)
    page = sign_in(client, cast["adam"]).get(f"/admin/agencies/{agencies['probation'].pk}/")
    assert [level for level, _ in page.context["person_form"].fields["clearance"].choices] == [0, 1]
    assert [r for r, _ in page.context["person_form"].fields["role"].choices] == ["practitioner", "coordinator"]


# --- Service accounts ------------------------------------------------------------------------------

def test_an_administrator_creates_a_service_account_shown_as_such(client, cast, agencies):
    sign_in(client, cast["adam"])
    response = client.post(f"/admin/agencies/{agencies['probation'].pk}/service-accounts/", {
        "service-username": "register-sync", "service-first_name": "Register sync",
        "service-email": "it@example.test", "service-role": "practitioner", "service-clearance": "0"})
    account = Practitioner.objects.get(username="register-sync")
    assert response.status_code == 302 and account.is_service_account and not account.has_usable_password()
    page = client.get(f"/admin/agencies/{agencies['probation'].pk}/").content.decode()
    assert "service account" in page and "No web sign-in" in page


def test_a_service_account_is_never_an_administrator_or_dpo(api, cast, agencies):
    response = api(cast["sam"]).post(f"/api/agencies/{agencies['probation'].pk}/service-accounts", {
        "username": "sneaky", "first_name": "Sneaky", "email": "s@example.test", "role": "dpo"})
    assert response.status_code == 403 and not Practitioner.objects.filter(username="sneaky").exists()


def test_a_service_account_cannot_sign_in_on_the_web_even_with_a_password(client, sync):
    sync.set_password("a long enough passphrase 7")
    sync.save()
    response = client.post("/accounts/login/", {"username": "probation-sync", "password": "a long enough passphrase 7"})
    assert response.status_code == 200 and "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(operation=Operation.LOGIN_FAILED, object_id="probation-sync").exists()


def test_a_service_account_holds_no_web_session_and_cannot_enrol_a_second_factor(client, sync):
    client.force_login(sync, backend="casebridge.accounts.backends.PeopleOnlyBackend")
    response = client.get("/accounts/enrol/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert client.get("/").url.startswith("/accounts/login/")
    assert not TOTPDevice.objects.filter(user=sync).exists()


def test_a_service_accounts_token_works_on_the_api_and_the_audit_trail_shows_it(client, cast, sync):
    headers = bearer(sync, actor=cast["adam"])
    me = client.get("/api/me", **headers).json()
    assert me["username"] == "probation-sync" and me["is_service_account"] is True
    assert client.get("/api/cases", **headers).status_code == 200
    event = AuditEvent.objects.filter(actor_username="probation-sync").latest("seq")
    assert event.detail["actor_kind"] == "service_account"
    issued = AuditEvent.objects.get(operation=Operation.TOKEN_ISSUED)
    assert issued.actor_username == "adam" and issued.detail["service_account"] is True
    assert "actor_kind" not in issued.detail  # Adam is a person
    page = sign_in(client, cast["dora"]).get("/audit/").content.decode()
    assert "probation-sync <span class=\"badge\">service account</span>" in page
