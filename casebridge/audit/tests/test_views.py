"""The audit trail pages, as Dora (DPO) and Sam (system admin) see them, and as nobody else does."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.reading import EVENTS_PER_PAGE, list_events
from casebridge.audit.services import record
from casebridge.audit.tests.tampering import drop_append_only_triggers, raw
from casebridge.conftest import PURPOSE, sign_in
from casebridge.errors import InvalidInput, NotVisible


def _write(actor, operation=Operation.READ, case_id=None, n=1, concerns=()):
    """`concerns`: the agencies whose item 7 the events read."""
    with transaction.atomic():
        for _ in range(n):
            record(actor=actor, operation=operation, object_type="items.informationitem", object_id="7",
                   case_id=case_id, purpose=PURPOSE, recipients=["Westmark Police"], detail={"version": 1},
                   concerning=[SimpleNamespace(pk=7, originating_agency_id=a) for a in concerns])


@pytest.mark.parametrize("url", ["/audit/", "/audit/cases/1/", "/audit/verify/"])
@pytest.mark.parametrize("viewer, status", [
    ("dora", 200), ("sam", 200), ("petra", 404), ("adam", 404), ("clara", 404),
])
def test_only_dpos_and_system_admins_reach_the_audit_trail(client, cast, viewer, status, url):
    sign_in(client, cast[viewer])
    assert client.get(url).status_code == status


def test_dora_reads_the_trail_and_that_reading_is_recorded(client, cast):
    _write(cast["petra"], n=3)
    sign_in(client, cast["dora"])
    response = client.get("/audit/")
    assert [e.actor_username for e in response.context["events"]] == ["petra"] * 3
    read = AuditEvent.objects.get(operation=Operation.AUDIT_READ)
    assert (read.actor_username, read.agency_name) == ("dora", "Westmark Probation Service")
    assert read.detail == {"filters": {}, "page": 1, "matched": 3}
    content = response.content.decode()
    assert "Westmark Police" in content and read.hash[:12] not in content  # the page predates its own record


def test_petra_is_refused_by_the_service_too(cast):
    with pytest.raises(NotVisible):
        list_events(actor=cast["petra"], purpose=PURPOSE, filters={})
    assert not AuditEvent.objects.filter(operation=Operation.AUDIT_READ).exists()


@pytest.mark.parametrize("query, expected", [
    ({"case": "41"}, ["petra", "petra"]),
    ({"actor": "IVO"}, ["ivo"]),
    ({"operation": "disclose"}, ["omar"]),
    ({"operation": "disclose", "actor": "petra"}, []),
    ({"date_from": "2000-01-01", "date_to": "2999-12-31", "actor": "omar"}, ["omar"]),
    ({"date_to": "2000-01-01"}, []),
])
def test_filters_narrow_the_trail(client, cast, query, expected):
    probation = [cast["dora"].agency_id]  # every event is about probation's items, so Dora may read them
    _write(cast["petra"], case_id=41, n=2)
    _write(cast["ivo"], case_id=42, concerns=probation)
    _write(cast["omar"], operation=Operation.DISCLOSE, concerns=probation)
    sign_in(client, cast["dora"])
    response = client.get("/audit/", query)
    assert response.status_code == 200
    assert [e.actor_username for e in response.context["events"]] == expected
    recorded = AuditEvent.objects.filter(operation=Operation.AUDIT_READ).last().detail["filters"]
    assert set(recorded) == {"case_id" if key == "case" else key for key in query}  # a case by its number


def test_dates_are_whole_days_in_the_deployment_time_zone(cast):
    _write(cast["petra"])
    today = timezone.localdate()

    def found(**filters):
        with transaction.atomic():
            return len(list_events(actor=cast["dora"], purpose=PURPOSE, filters=filters)[0])

    assert found(date_from=today, date_to=today) == 1
    assert found(date_from=today + timedelta(days=1)) == 0
    assert found(date_to=today - timedelta(days=1)) == 0


@pytest.mark.parametrize("query, field", [
    ({"date_from": "2025-03-02", "date_to": "2025-03-01"}, "date_to"),
    ({"date_from": "yesterday"}, "date_from"),
    ({"operation": "shred"}, "operation"),
    ({"case": "-3"}, "case"),
])
def test_bad_filters_show_a_form_error_and_read_nothing(client, cast, query, field):
    sign_in(client, cast["dora"])
    response = client.get("/audit/", query)
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert "events" not in response.context
    assert not AuditEvent.objects.filter(operation=Operation.AUDIT_READ).exists()


@pytest.mark.parametrize("filters, field", [
    ({"date_from": "2025-03-02", "date_to": "2025-03-01"}, "date_to"),
    ({"operation": "shred"}, "operation"),
    ({"case_id": "abc"}, "case_id"),
    ({"colour": "red"}, None),
])
def test_the_service_refuses_bad_filters_from_any_caller(cast, filters, field):
    with transaction.atomic(), pytest.raises(InvalidInput) as refused:
        list_events(actor=cast["dora"], purpose=PURPOSE, filters=filters)
    assert refused.value.field == field


def test_the_trail_is_paged_newest_first(client, cast):
    _write(cast["petra"], n=EVENTS_PER_PAGE + 5)
    sign_in(client, cast["dora"])
    first = client.get("/audit/", {"actor": "petra"})
    second = client.get("/audit/", {"actor": "petra", "page": "2"})
    first_seqs = [e.seq for e in first.context["events"]]
    assert len(first_seqs) == EVENTS_PER_PAGE and first_seqs == sorted(first_seqs, reverse=True)
    assert len(second.context["events"]) == 5 and max(e.seq for e in second.context["events"]) < min(first_seqs)
    assert "page=2" in first.content.decode() and "actor=petra" in first.content.decode()
    assert client.get("/audit/", {"page": "999"}).context["page"].number == 2


def test_case_report_shows_who_did_what_on_one_case_and_records_the_reading(client, cast, case):
    _write(cast["xavier"], case_id=case.pk + 1000)
    sign_in(client, cast["dora"])
    response = client.get(f"/audit/cases/{case.pk}/")
    events = response.context["events"]
    assert events and {e.case_id for e in events} == {case.pk}
    assert {e.actor_username for e in events} == {"petra"}
    assert "case" not in response.context["form"].fields
    read = AuditEvent.objects.filter(operation=Operation.AUDIT_READ).get()
    assert read.case_id == case.pk and read.detail["filters"] == {"case_id": case.pk}


def test_case_report_can_be_narrowed_further(client, cast):
    _write(cast["petra"], case_id=5)
    _write(cast["ivo"], case_id=5, operation=Operation.UPDATE, concerns=[cast["dora"].agency_id])
    sign_in(client, cast["dora"])
    response = client.get("/audit/cases/5/", {"operation": "update", "case": "6"})
    assert [(e.actor_username, e.case_id) for e in response.context["events"]] == [("ivo", 5)]


def test_verifying_an_intact_chain_says_so_and_is_recorded(client, cast):
    _write(cast["petra"], n=4)
    sign_in(client, cast["dora"])
    response = client.post("/audit/verify/")
    assert "Chain intact: 4 events verified" in response.content.decode()
    check = AuditEvent.objects.get(operation=Operation.AUDIT_VERIFY)
    assert check.actor_username == "dora"
    assert check.detail == {"ok": True, "checked": 4, "broken_seq": None, "from": 1, "head": 4}


def test_verifying_a_tampered_chain_reports_the_first_broken_event(client, cast):
    _write(cast["petra"], n=5)
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET actor_username = %s WHERE seq = %s", ["mallory", 3])
    sign_in(client, cast["dora"])
    response = client.post("/audit/verify/")
    assert "Chain broken at event #3: event #3 was altered after it was written" in response.content.decode()
    assert AuditEvent.objects.get(operation=Operation.AUDIT_VERIFY).detail["broken_seq"] == 3


def test_the_verify_page_offers_the_check_without_running_it(client, cast):
    sign_in(client, cast["dora"])
    response = client.get("/audit/verify/")
    assert b"Verify now" in response.content
    assert not AuditEvent.objects.filter(operation=Operation.AUDIT_VERIFY).exists()


def test_events_are_shown_in_the_deployment_time_zone(client, cast):
    _write(cast["petra"])
    sign_in(client, cast["dora"])
    local = timezone.localtime(AuditEvent.objects.get().at)
    page = client.get("/audit/").content.decode()
    assert f'<time datetime="{local.isoformat()}">' in page and local.strftime("%H:%M:%S") in page
