"""The administration pages, as Adam (probation agency admin), Sam (system admin) and others see them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.accounts.models import ApiToken, hash_secret
from casebridge.accounts.services import authenticate_token
from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PASSWORD, bearer, sign_in

NEW_PERSON = {"username": "nadia", "first_name": "Nadia", "last_name": "Nowak", "email": "nadia@example.test",
              "job_title": "Probation officer", "phone": "", "role": "practitioner", "clearance": "1",
              "password": "a long and unusual passphrase 7"}
NEW_AGENCY = {"name": "Eastmark Municipality", "kind": "municipality", "country": "be", "region": "Eastmark",
              "active": "on"}


def _url(kind, cast, agencies):
    return {
        "home": "/admin/",
        "probation": f"/admin/agencies/{agencies['probation'].pk}/",
        "police": f"/admin/agencies/{agencies['police'].pk}/",
        "nora": f"/admin/practitioners/{cast['nora'].pk}/",
        "omar": f"/admin/practitioners/{cast['omar'].pk}/",
    }[kind]


@pytest.mark.parametrize("viewer, page, status", [
    ("adam", "home", 302),
    ("adam", "probation", 200),
    ("adam", "nora", 200),
    ("adam", "police", 404),
    ("adam", "omar", 404),
    ("sam", "home", 200),
    ("sam", "probation", 200),
    ("sam", "police", 200),
    ("sam", "omar", 200),
    ("petra", "home", 404),
    ("petra", "probation", 404),
    ("petra", "nora", 404),
    ("dora", "home", 404),
    ("nora", "nora", 404),
])
def test_who_reaches_which_administration_page(client, cast, agencies, viewer, page, status):
    sign_in(client, cast[viewer])
    assert client.get(_url(page, cast, agencies)).status_code == status


def test_agency_admin_is_sent_from_the_home_page_to_their_own_agency(client, cast, agencies):
    sign_in(client, cast["adam"])
    response = client.get("/admin/")
    assert response.url == f"/admin/agencies/{agencies['probation'].pk}/"


def test_system_admin_sees_every_agency_with_its_number_of_practitioners(client, cast, agencies):
    sign_in(client, cast["sam"])
    response = client.get("/admin/")
    rows = {agency.name: agency.practitioner_count for agency in response.context["agencies"]}
    assert rows == {"Westmark Probation Service": 4, "Westmark Prison": 1, "Westmark Police": 2,
                    "Open Door Exit Programme": 1, "Westmark Housing Office": 1}


def test_system_admin_creates_an_agency_and_it_is_audited(client, cast):
    sign_in(client, cast["sam"])
    response = client.post("/admin/", NEW_AGENCY)
    agency = Agency.objects.get(name="Eastmark Municipality")
    assert response.status_code == 302 and response.url == f"/admin/agencies/{agency.pk}/"
    assert agency.country == "BE" and agency.kind == "municipality"
    assert AuditEvent.objects.filter(operation=Operation.CREATE, object_type="agencies.agency",
                                     object_id=str(agency.pk), actor_username="sam").exists()


def test_agency_admin_cannot_create_an_agency(client, cast):
    sign_in(client, cast["adam"])
    client.post("/admin/", NEW_AGENCY)
    assert not Agency.objects.filter(name="Eastmark Municipality").exists()


@pytest.mark.parametrize("change, field, message", [
    ({"country": "B1"}, "country", "two-letter ISO code"),
    ({"country": ""}, "country", "Enter the country code"),
    ({"name": "Westmark Police"}, "name", "already exists"),
    ({"kind": "secret_society"}, "kind", "Select the kind of agency from the list"),
])
def test_bad_agency_input_shows_a_form_error_and_creates_nothing(client, cast, change, field, message):
    sign_in(client, cast["sam"])
    before = Agency.objects.count()
    response = client.post("/admin/", {**NEW_AGENCY, **change})
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert Agency.objects.count() == before


def test_agency_admin_edits_their_agency_but_cannot_switch_it_off(client, cast, agencies):
    probation = agencies["probation"]
    sign_in(client, cast["adam"])
    response = client.post(f"/admin/agencies/{probation.pk}/",
                           {"name": probation.name, "kind": "probation", "country": "BE", "region": "Westmark North"})
    probation.refresh_from_db()
    assert response.status_code == 302
    assert probation.region == "Westmark North" and probation.active


def test_system_admin_switches_an_agency_off(client, cast, agencies):
    housing = agencies["housing"]
    sign_in(client, cast["sam"])
    client.post(f"/admin/agencies/{housing.pk}/",
                {"name": housing.name, "kind": "housing", "country": "BE", "region": "Westmark"})
    housing.refresh_from_db()
    assert not housing.active


def test_agency_page_lists_its_practitioners_with_their_second_factor(client, cast, agencies):
    TOTPDevice.objects.filter(user=cast["nora"]).delete()
    sign_in(client, cast["adam"])
    response = client.get(f"/admin/agencies/{agencies['probation'].pk}/")
    enrolled = {p.username: p.has_second_factor for p in response.context["people"]}
    assert enrolled == {"adam": True, "dora": True, "nora": False, "petra": True}
    assert b"Not yet enrolled" in response.content


def test_agency_admin_creates_a_practitioner_who_enrols_at_first_sign_in(client, cast, agencies):
    sign_in(client, cast["adam"])
    response = client.post(f"/admin/agencies/{agencies['probation'].pk}/practitioners/", NEW_PERSON)
    nadia = Practitioner.objects.get(username="nadia")
    assert response.status_code == 302 and response.url == f"/admin/practitioners/{nadia.pk}/"
    assert nadia.agency == agencies["probation"] and nadia.clearance == 1
    assert nadia.check_password(NEW_PERSON["password"])
    assert not TOTPDevice.objects.filter(user=nadia).exists()
    assert AuditEvent.objects.filter(operation=Operation.CREATE, object_id=str(nadia.pk)).exists()


@pytest.mark.parametrize("change, field, message", [
    ({"username": "nora"}, "username", "taken"),
    ({"password": "short"}, "password", "too short"),
    ({"password": "nadia@example.test"}, "password", "too similar"),
    ({"role": "overlord"}, "role", "Select a role from the list"),
    ({"role": "system_admin"}, "role", "Select a role from the list"),
    ({"clearance": "9"}, "clearance", "Select a clearance from the list"),
    ({"email": "not an address"}, "email", "Enter an e-mail address in the correct format"),
    ({"username": "nadia nowak"}, "username", "letters, digits"),
])
def test_bad_practitioner_input_shows_a_form_error_and_creates_nothing(client, cast, agencies, change, field,
                                                                        message):
    sign_in(client, cast["adam"])
    before = Practitioner.objects.count()
    response = client.post(f"/admin/agencies/{agencies['probation'].pk}/practitioners/", {**NEW_PERSON, **change})
    assert response.status_code == 400
    assert any(message in error for error in response.context["person_form"].errors[field])
    assert Practitioner.objects.count() == before


def test_agency_admin_cannot_touch_another_agency_or_its_people(client, cast, agencies):
    omar, police = cast["omar"], agencies["police"]
    token = ApiToken.objects.create(name="police system", practitioner=omar, agency=police, key_id="0011223344556677",
                                    secret_hash=hash_secret("x"), created_by=omar,
                                    expires_at=timezone.now() + timedelta(days=30))
    sign_in(client, cast["adam"])
    posts = [
        (f"/admin/agencies/{police.pk}/", {"name": "Renamed", "kind": "police", "country": "BE"}),
        (f"/admin/agencies/{police.pk}/practitioners/", NEW_PERSON),
        (f"/admin/practitioners/{omar.pk}/", {"first_name": "O", "last_name": "O", "email": "o@example.test",
                                              "role": "practitioner", "clearance": "0"}),
        (f"/admin/practitioners/{omar.pk}/second-factor/reset/", {}),
        (f"/admin/practitioners/{omar.pk}/service-tokens/", {"name": "mine now", "valid_until": "2030-01-01"}),
        (f"/admin/tokens/{token.pk}/revoke/", {}),
    ]
    assert [client.post(url, data).status_code for url, data in posts] == [404] * len(posts)
    police.refresh_from_db(), omar.refresh_from_db(), token.refresh_from_db()
    assert police.name == "Westmark Police" and omar.first_name == "Omar" and omar.clearance == 3
    assert TOTPDevice.objects.filter(user=omar).exists() and token.revoked_at is None
    assert not Practitioner.objects.filter(username="nadia").exists()
    assert ApiToken.objects.filter(practitioner=omar).count() == 1


def test_system_admin_manages_people_of_any_agency(client, cast):
    omar = cast["omar"]
    sign_in(client, cast["sam"])
    response = client.post(f"/admin/practitioners/{omar.pk}/", {
        "first_name": "Omar", "last_name": "Osei", "email": "omar@example.test", "job_title": "Liaison officer",
        "phone": "+32 2 555 01 01", "role": "coordinator", "clearance": "2", "is_active": "on"})
    omar.refresh_from_db()
    assert response.status_code == 302
    assert (omar.role, omar.clearance, omar.job_title) == ("coordinator", 2, "Liaison officer")


def test_deactivating_a_practitioner_revokes_their_tokens(client, cast):
    nora = cast["nora"]
    raw = bearer(nora)["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    sign_in(client, cast["adam"])
    client.post(f"/admin/practitioners/{nora.pk}/", {
        "first_name": "Nora", "last_name": "Nijs", "email": "nora@example.test", "role": "practitioner",
        "clearance": "1"})
    nora.refresh_from_db()
    assert not nora.is_active and authenticate_token(raw) is None


def test_administrator_cannot_deactivate_themselves(client, cast):
    adam = cast["adam"]
    sign_in(client, adam)
    response = client.post(f"/admin/practitioners/{adam.pk}/", {
        "first_name": "Adam", "last_name": "Aerts", "email": "adam@example.test", "role": "agency_admin",
        "clearance": "1"})
    adam.refresh_from_db()
    assert response.status_code == 400 and adam.is_active
    assert b"cannot deactivate yourself" in response.content


def test_resetting_the_second_factor_makes_the_person_enrol_again(client, cast):
    nora = cast["nora"]
    sign_in(client, cast["adam"])
    response = client.post(f"/admin/practitioners/{nora.pk}/second-factor/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=nora).exists()
    assert AuditEvent.objects.filter(object_id=str(nora.pk), detail__second_factor="reset").exists()
    client.force_login(nora)
    assert client.get("/accounts/second-factor/").url == "/accounts/enrol/"


def test_new_practitioner_password_is_never_echoed_back(client, cast, agencies):
    sign_in(client, cast["adam"])
    response = client.post(f"/admin/agencies/{agencies['probation'].pk}/practitioners/",
                           {**NEW_PERSON, "username": "nora"})
    assert response.status_code == 400 and PASSWORD not in response.content.decode()
    assert NEW_PERSON["password"] not in response.content.decode()
