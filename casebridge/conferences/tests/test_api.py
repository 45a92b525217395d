"""Conferences through the API: the same services, the same rule, errors in the API's format."""

import datetime as dt

import pytest
from django.core import mail

from casebridge.api.tests.conftest import error_of
from casebridge.conferences.tests.conftest import committed, convene, soon

pytestmark = pytest.mark.django_db


def _convening(cast, **extra):
    start, end = soon()
    return {"kind": "review", "starts_at": start.isoformat(), "ends_at": end.isoformat(), "place": "Room 2",
            "chair": cast["petra"].pk, "participants": [cast["ivo"].pk, cast["clara"].pk], **extra}


def test_a_coordinator_convenes_through_the_api_and_the_invitees_are_mailed(api, conferencing, cast, case):
    with committed():
        made = api(cast["petra"]).post(f"/api/cases/{case.pk}/conferences", _convening(cast))
    assert made.status_code == 201, made.content
    assert made.json()["kind"] == "review" and made.json()["status"] == "scheduled"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast["ivo"].email, cast["clara"].email])
    listed = api(cast["ivo"]).get(f"/api/cases/{case.pk}/conferences").json()
    assert [c["id"] for c in listed] == [made.json()["id"]]


@pytest.mark.parametrize("change, field", [
    ({"kind": "tea_party"}, "kind"),
    ({"starts_at": "2026-12-01T10:00:00"}, "starts_at"),  # no time zone
    ({"place": "", "online_link": ""}, "place"),
    ({"participants": [999999]}, "participants"),
])
def test_bad_convening_is_a_400_in_the_error_format(api, conferencing, cast, case, change, field):
    answer = api(cast["petra"]).post(f"/api/cases/{case.pk}/conferences", _convening(cast, **change))
    assert answer.status_code == 400 and error_of(answer)["field"] == field


def test_a_confidential_conference_is_a_404_to_those_not_taking_part(api, conferencing, cast, case):
    security = convene(cast["omar"], case, kind="security")
    answer = api(cast["clara"]).get(f"/api/conferences/{security.pk}")
    assert answer.status_code == 404 and error_of(answer)["code"] == "not_found"
    assert api(cast["clara"]).get(f"/api/cases/{case.pk}/conferences").json() == []
    assert api(cast["omar"]).get(f"/api/conferences/{security.pk}").status_code == 200


def test_the_conference_shows_each_caller_only_the_agenda_texts_they_may_read(api, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["clara"], cast["ivo"]])
    added = api(cast["petra"]).post(f"/api/conferences/{conference.pk}/agenda",
                                    {"heading": "Risk review", "audience": "professionals", "classification": 1})
    assert added.status_code == 201, added.content
    petra = {a["text"]["title"] for a in api(cast["petra"]).get(f"/api/conferences/{conference.pk}").json()["agenda"]}
    clara = {a["text"]["title"] for a in api(cast["clara"]).get(f"/api/conferences/{conference.pk}").json()["agenda"]}
    assert "Risk review" in petra and "Risk review" not in clara  # RESTRICTED: the CSO receives OPEN


def test_packs_through_the_api_differ_per_participant(api, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["clara"], cast["omar"]])
    for person in ("clara", "omar"):
        body = api(cast[person]).get(f"/api/conferences/{conference.pk}/pack").json()
        assert body["prepared_for"].startswith(cast[person].display_name)
        assert all(entry["text"]["basis"] for entry in body["agenda"])
    assert api(cast["ivo"]).get(f"/api/conferences/{conference.pk}/pack").status_code == 403


def test_actions_are_set_followed_up_and_listed_for_their_owner(api, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    made = api(cast["petra"]).post(f"/api/conferences/{conference.pk}/actions",
                                   {"text": "Book the family visit", "owner": cast["ivo"].pk, "due_on": due})
    assert made.status_code == 201, made.content
    mine = api(cast["ivo"]).get("/api/me/actions").json()
    assert [a["text"]["text"] for a in mine] == ["Book the family visit"] and not mine[0]["overdue"]
    done = api(cast["ivo"]).post(f"/api/actions/{mine[0]['id']}", {"status": "done", "note": "Booked",
                                                                    "expected_version": 1})
    assert done.status_code == 200 and done.json()["status"] == "done"
    stale = api(cast["ivo"]).post(f"/api/actions/{mine[0]['id']}", {"status": "open", "expected_version": 1})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_version"


def test_replies_through_the_api(api, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    answer = api(cast["ivo"]).post(f"/api/conferences/{conference.pk}/reply", {"answer": "declined"})
    assert answer.status_code == 200 and answer.json()["reply"] == "declined"
    bad = api(cast["ivo"]).post(f"/api/conferences/{conference.pk}/reply", {"answer": "maybe"})
    assert bad.status_code == 422 and error_of(bad)["code"] == "validation_error"


def test_the_kinds_in_force_are_listed_with_who_convenes_and_their_phases(api, conferencing, cast):
    kinds = {k["code"]: k for k in api(cast["clara"]).get("/api/conference-kinds").json()}
    assert kinds["security"]["label"] == "Security conference" and kinds["security"]["confidential"]
    assert kinds["social_network"]["requires_consent"] and "cso" in kinds["social_network"]["conveners"]
    assert kinds["review"]["phases"] == ["Preparation", "Review", "Decision"]


def test_the_pack_pdf_through_the_api_is_the_callers_own(api, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["omar"]])
    answer = api(cast["omar"]).get(f"/api/conferences/{conference.pk}/pack.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    refused = api(cast["ivo"]).get(f"/api/conferences/{conference.pk}/pack.pdf")
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"


def test_the_conference_moves_through_its_phases_and_a_stale_step_is_a_409(api, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    moved = api(cast["petra"]).post(f"/api/conferences/{conference.pk}/advance", {"expected_step": 0})
    assert moved.status_code == 200 and moved.json()["step"] == 1
    stale = api(cast["petra"]).post(f"/api/conferences/{conference.pk}/advance", {"expected_step": 0})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_version"
    assert api(cast["ivo"]).post(f"/api/conferences/{conference.pk}/advance", {}).status_code == 403


def test_the_attendees_pack_prints_through_the_api_for_the_convener_only(api, conferencing, cast, case):
    conference = convene(cast["petra"], case, kind="social_network", participants=[cast["clara"]],
                         attendees=[{"name": "Test Client-One", "relation": "client"}])
    guest = conference.participants.get(relation="client")
    answer = api(cast["petra"]).get(f"/api/conferences/{conference.pk}/attendees/{guest.pk}/pack.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert api(cast["clara"]).get(f"/api/conferences/{conference.pk}/attendees/{guest.pk}/pack.pdf").status_code == 403
