"""Agencies, people and the audit trail through the API, within each administrator's reach."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.agencies.models import Agency, Practitioner
from casebridge.api.tests.conftest import error_of
from casebridge.audit.models import AuditEvent


def test_everyone_can_list_agencies_to_find_partners(api, cast, agencies):
    names = {a["name"] for a in api(cast["clara"]).get("/api/agencies").json()}
    assert names == {a.name for a in agencies.values()}


def test_a_system_administrator_registers_an_agency(api, cast):
    response = api(cast["sam"]).post("/api/agencies", {"name": "Eastmark Municipality", "kind": "municipality",
                                                       "country": "be", "region": "Eastmark"})
    assert response.status_code == 201, response.content
    assert response.json()["country"] == "BE"


def test_an_agency_administrator_cannot_register_agencies(api, cast):
    response = api(cast["adam"]).post("/api/agencies", {"name": "Shadow Agency", "kind": "other", "country": "BE"})
    assert response.status_code == 403
    assert not Agency.objects.filter(name="Shadow Agency").exists()


def test_an_agency_patch_changes_only_what_is_sent_and_keeps_it_active(api, cast, agencies):
    probation = agencies["probation"]
    response = api(cast["adam"]).patch(f"/api/agencies/{probation.pk}", {"region": "Greater Westmark"})
    assert response.status_code == 200, response.content
    probation.refresh_from_db()
    assert probation.region == "Greater Westmark"
    assert (probation.name, probation.active) == ("Westmark Probation Service", True)


def test_an_agency_administrator_cannot_edit_another_agency(api, cast, agencies):
    response = api(cast["adam"]).patch(f"/api/agencies/{agencies['housing'].pk}", {"region": "Elsewhere"})
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_an_agency_administrator_lists_and_reads_only_their_own_people(api, cast):
    adam = api(cast["adam"])
    usernames = {p["username"] for p in adam.get("/api/practitioners").json()}
    assert usernames == {"petra", "nora", "adam", "dora"}
    assert adam.get(f"/api/practitioners/{cast['nora'].pk}").json()["agency_name"] == "Westmark Probation Service"
    assert adam.get(f"/api/practitioners/{cast['xavier'].pk}").status_code == 404


def test_an_administrator_creates_an_account_with_a_checked_password(api, cast, agencies):
    adam = api(cast["adam"])
    weak = adam.post(f"/api/agencies/{agencies['probation'].pk}/practitioners",
                     {"username": "paula", "password": "short", "first_name": "Paula", "last_name": "Pauwels"})
    assert weak.status_code == 400 and error_of(weak)["field"] == "password"
    made = adam.post(f"/api/agencies/{agencies['probation'].pk}/practitioners",
                     {"username": "paula", "password": "a long enough passphrase 7", "first_name": "Paula",
                      "last_name": "Pauwels", "role": "practitioner", "clearance": 1})
    assert made.status_code == 201, made.content
    assert "password" not in made.json()
    assert Practitioner.objects.get(username="paula").check_password("a long enough passphrase 7")


def test_deactivating_a_person_through_the_api_cuts_off_their_tokens(api, cast):
    nora = api(cast["nora"])
    assert nora.get("/api/me").status_code == 200
    changed = api(cast["adam"]).patch(f"/api/practitioners/{cast['nora'].pk}", {"is_active": False})
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    assert nora.get("/api/me").status_code == 401


def test_an_administrator_cannot_promote_themselves(api, cast):
    response = api(cast["adam"]).patch(f"/api/practitioners/{cast['adam'].pk}", {"role": "system_admin"})
    assert response.status_code == 403 and error_of(response)["field"] == "role"


def test_resetting_a_second_factor_removes_the_authenticator(api, cast):
    response = api(cast["adam"]).post(f"/api/practitioners/{cast['nora'].pk}/reset-second-factor")
    assert response.status_code == 204
    assert not TOTPDevice.objects.filter(user=cast["nora"]).exists()


def test_a_data_protection_officer_reads_the_audit_trail_and_the_reading_is_recorded(api, cast, case):
    api(cast["petra"]).get(f"/api/cases/{case.pk}")  # Petra works at Dora's agency
    dora = api(cast["dora"])
    page = dora.get(f"/api/audit/events?case_id={case.pk}&operation=read&actor=petra")
    assert page.status_code == 200, page.content
    body = page.json()
    assert body["total"] == 1 and body["items"][0]["actor_username"] == "petra"
    assert body["items"][0]["purpose"] == "case_management"
    last = AuditEvent.objects.order_by("-seq").first()
    assert (last.operation, last.actor_username, last.case_id) == ("audit_read", "dora", case.pk)


def test_audit_filters_are_validated(api, cast):
    response = api(cast["dora"]).get("/api/audit/events?operation=shred")
    assert response.status_code == 422 and error_of(response)["field"] == "operation"


def test_the_audit_chain_verifies_and_the_verification_is_recorded(api, cast, case):
    response = api(cast["dora"]).post("/api/audit/verify")
    assert response.status_code == 200
    assert response.json()["ok"] is True and response.json()["checked"] > 0
    assert AuditEvent.objects.order_by("-seq").first().operation == "audit_verify"


def test_me_reports_the_role_permissions_and_declared_purpose(api, cast):
    body = api(cast["dora"]).get("/api/me", HTTP_X_CASEBRIDGE_PURPOSE="data_protection").json()
    assert body["role"] == "dpo" and "audit:read" in body["permissions"]
    assert body["purpose"] == "data_protection"
