"""An agency's administrator keeps the data protection contacts the client's transparency notice names."""

from django.db import transaction

from casebridge.agencies.models import Agency
from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PURPOSE, bearer, sign_in
from casebridge.dataprotection.transparency import transparency_notice

CONTACTS = {"controller_name": "", "controller_contact": "5 Court Lane, Westmark\r\ninfo@probation.example",
            "dpo_contact": "Data protection officer\r\n  dpo@probation.example  ",
            "supervisory_authority": "Data Protection Authority\r\ncomplaints@dpa.example"}


def _form(agency, **changes):
    return {"name": agency.name, "kind": agency.kind, "country": agency.country, "region": agency.region,
            "version": agency.version, **CONTACTS, **changes}


def test_the_agency_administrator_records_the_contacts_and_the_notice_names_them(client, exchange, cast, case,
                                                                                 agencies):
    probation = agencies["probation"]
    answer = sign_in(client, cast["adam"]).post(f"/admin/agencies/{probation.pk}/", _form(probation))
    assert answer.status_code == 302
    probation.refresh_from_db()
    # Kept as written, one line each, without the browser's carriage returns or stray spaces.
    assert probation.dpo_contact == "Data protection officer\ndpo@probation.example"
    assert probation.controller == "Westmark Probation Service"  # no other legal body named: the agency itself
    event = AuditEvent.objects.filter(operation=Operation.UPDATE, object_type="agencies.agency").last()
    assert event.actor_username == "adam" and "dpo_contact" in event.detail["changes"]
    page = client.get(f"/admin/agencies/{probation.pk}/").content.decode()
    assert "dpo@probation.example" in page and "complaints@dpa.example" in page
    with transaction.atomic():
        notice = transparency_notice(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE, language="en")
    (named,) = [a for a in notice.agencies if a.name == probation.name]
    assert named.dpo_contact == "Data protection officer\ndpo@probation.example"
    assert named.authority == "Data Protection Authority\ncomplaints@dpa.example"


def test_a_contact_too_long_is_refused_on_its_field_and_nothing_is_saved(client, cast, agencies):
    probation = agencies["probation"]
    answer = sign_in(client, cast["adam"]).post(f"/admin/agencies/{probation.pk}/",
                                                _form(probation, supervisory_authority="x" * 501))
    assert answer.status_code == 400
    assert "Supervisory authority must be 500 characters or fewer" in answer.content.decode()
    assert Agency.objects.get(pk=probation.pk).supervisory_authority == ""


def test_the_page_warns_when_the_notice_cannot_name_the_dpo_or_the_authority(client, cast, agencies):
    page = sign_in(client, cast["adam"]).get(f"/admin/agencies/{agencies['probation'].pk}/").content.decode()
    assert "Not recorded: the client's transparency notice cannot name them." in page
    assert "Not recorded: the client's transparency notice cannot say where to complain." in page


def test_an_administrator_keeps_the_contacts_through_the_api_and_a_patch_keeps_the_others(client, cast, agencies):
    probation = agencies["probation"]
    headers = bearer(cast["adam"])
    answer = client.patch(f"/api/agencies/{probation.pk}", {"dpo_contact": "dpo@probation.example"},
                          content_type="application/json", **headers)
    assert answer.status_code == 200 and answer.json()["dpo_contact"] == "dpo@probation.example"
    answer = client.patch(f"/api/agencies/{probation.pk}", {"controller_name": "Ministry of Justice"},
                          content_type="application/json", **headers)
    assert answer.json()["dpo_contact"] == "dpo@probation.example"
    assert answer.json()["controller_name"] == "Ministry of Justice"
    too_long = client.patch(f"/api/agencies/{probation.pk}", {"dpo_contact": "x" * 501},
                            content_type="application/json", **headers)
    assert too_long.status_code in (400, 422)


def test_another_agencys_administrator_cannot_change_its_contacts(client, cast, agencies):
    police = agencies["police"]
    answer = sign_in(client, cast["adam"]).post(f"/admin/agencies/{police.pk}/", _form(police))
    assert answer.status_code == 404
    assert Agency.objects.get(pk=police.pk).dpo_contact == ""
