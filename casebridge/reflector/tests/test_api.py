"""The CaseReflector through the REST API: the same services, the same rule, the API's errors."""

import pytest

from casebridge.api.tests.conftest import error_of

from casebridge.reflector.models import Goal, Reflector
from casebridge.reflector.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_an_exit_worker_keeps_a_reflector_through_the_api(api, exchange, cast, case):
    groups = api(cast["clara"]).get("/api/reflector-factors").json()
    assert [len(g["factors"]) for g in groups] == [5, 10, 6, 8]
    made = api(cast["clara"]).post(f"/api/cases/{case.pk}/reflectors")
    assert made.status_code == 201, made.content
    rid = made.json()["id"]
    answer = api(cast["clara"]).post(f"/api/reflectors/{rid}/sessions", {
        "held_on": TODAY.isoformat(), "note": "First meeting.",
        "ratings": {"motivation_to_leave": {"knowledge": "known", "valence": "resource", "priority": 3}}})
    assert answer.status_code == 201, answer.content
    assert answer.json()["current"]["motivation_to_leave"]["valence"] == "resource"
    assert answer.json()["progress"][0]["groups"]["development"] == {"resources": 1, "challenges": 0}
    api(cast["clara"]).post(f"/api/reflectors/{rid}/goals", {
        "text": "Finish the course.", "factor": "education_training", "agreed_on": TODAY.isoformat()})
    goal = Goal.objects.get()
    assert api(cast["clara"]).patch(f"/api/reflector-goals/{goal.pk}", {"status": "reached", "version": 1}
                                    ).status_code == 200
    stale = api(cast["clara"]).patch(f"/api/reflector-goals/{goal.pk}", {"status": "dropped", "version": 1})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_version"
    lines = api(cast["clara"]).get(f"/api/reflectors/{rid}/summary").json()["lines"]
    assert any("reached 1" in line for line in lines)
    shared = api(cast["clara"]).post(f"/api/reflectors/{rid}/summary/share", {"classification": 0})
    assert shared.status_code == 201 and shared.json()["through_session"] == 1


def test_the_api_refuses_what_the_pages_refuse(api, exchange, cast, case):
    assert api(cast["omar"]).post(f"/api/cases/{case.pk}/reflectors").status_code == 403  # police: no distancing work
    rid = api(cast["clara"]).post(f"/api/cases/{case.pk}/reflectors").json()["id"]
    api(cast["clara"]).post(f"/api/reflectors/{rid}/sessions", {"held_on": TODAY.isoformat(), "note": "Met."})
    assert api(cast["petra"]).get(f"/api/reflectors/{rid}").status_code == 404  # ORCON: stays at the CSO
    assert api(cast["petra"]).get(f"/api/cases/{case.pk}/reflectors").json() == []
    assert api(cast["xavier"]).get(f"/api/cases/{case.pk}/reflectors").status_code == 404  # not on the case
    bad = api(cast["clara"]).post(f"/api/reflectors/{rid}/sessions", {
        "held_on": TODAY.isoformat(), "note": "Met.", "ratings": {"horoscope": {"knowledge": "known"}}})
    assert bad.status_code == 400 and error_of(bad)["field"] == "ratings"
    assert Reflector.objects.get().sessions.count() == 1


def test_listing_a_cases_reflectors_is_one_audit_event_naming_what_it_showed(api, exchange, cast, case):
    from casebridge.audit.models import AuditEvent

    rid = api(cast["clara"]).post(f"/api/cases/{case.pk}/reflectors").json()["id"]
    api(cast["clara"]).post(f"/api/reflectors/{rid}/sessions", {"held_on": TODAY.isoformat(), "note": "Met."})
    before = AuditEvent.objects.count()
    listed = api(cast["clara"]).get(f"/api/cases/{case.pk}/reflectors")
    assert listed.status_code == 200 and len(listed.json()) == 1
    [event] = AuditEvent.objects.order_by("pk")[before:]
    assert event.operation == "list" and event.detail["reflectors"] == [rid]


def test_a_ratings_note_reaches_only_those_who_may_read_its_session(api, exchange, cast, case, agencies):
    from casebridge.sharing.models import AgreementRule

    AgreementRule.objects.create(version=exchange["version"], originator=agencies["cso"],
                                 recipient=agencies["probation"], category="programme_and_intervention",
                                 max_classification=0, consent_required=False)
    rid = api(cast["clara"]).post(f"/api/cases/{case.pk}/reflectors").json()["id"]
    api(cast["clara"]).post(f"/api/reflectors/{rid}/sessions", {  # ORCON: stays at the exit programme
        "held_on": TODAY.isoformat(), "note": "Kept.", "ratings": {"friends": {"note": "Sees his cousin Ilias."}}})
    api(cast["clara"]).post(f"/api/reflectors/{rid}/sessions", {
        "held_on": TODAY.isoformat(), "note": "Shared.", "keep_in_agency": False,
        "ratings": {"wellbeing": {"valence": "resource", "note": "Sleeps better."}}})
    for person, sees in (("clara", True), ("petra", False), ("ivo", False), ("xavier", False)):
        answer = api(cast[person]).get(f"/api/reflectors/{rid}").content.decode()
        assert ("Sees his cousin Ilias." in answer) is sees, person
    assert "Sleeps better." in api(cast["petra"]).get(f"/api/reflectors/{rid}").content.decode()
