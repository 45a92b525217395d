"""The case record through the API: the same operations as the web, with the same rules."""

from casebridge.agencies.models import Practitioner
from casebridge.api.tests.conftest import error_of
from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Case


def _transition(case, version, **overrides):
    return {"to_phase": "release_preparation", "effective_on": "2025-06-01",
            "handover_note": "Release planning starts.", "expected_version": version, **overrides}


def test_a_coordinator_opens_a_case_and_is_its_first_team_member(api, cast):
    response = api(cast["petra"]).post("/api/cases", {
        "client": {"given_name": "Second", "family_name": "Client", "date_of_birth": "1990-02-03",
                   "nationalities": ["nl"], "residency_status": "deportation_order"},
        "phase": "remand", "phase_date": "2025-01-15", "key_dates": {"sentence_start": None}})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"] == f"CB-2025-{body['id']:05d}"
    assert body["client"]["nationalities"] == ["NL"] and body["client"]["residency_status"] == "deportation_order"
    assert [m["practitioner"]["username"] for m in body["team"]] == ["petra"]
    assert body["coordinator"]["username"] == "petra" and body["may_manage"] is True


def test_a_practitioner_whose_role_does_not_open_cases_cannot_open_one(api, cast):
    response = api(cast["ivo"]).post("/api/cases", {
        "client": {"given_name": "A", "family_name": "B", "date_of_birth": "1990-02-03"},
        "phase": "remand", "phase_date": "2025-01-15"})
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_a_coordinator_from_another_agency_is_refused(api, cast):
    response = api(cast["petra"]).post("/api/cases", {
        "client": {"given_name": "A", "family_name": "B", "date_of_birth": "1990-02-03"},
        "phase": "remand", "phase_date": "2025-01-15", "coordinator": cast["ivo"].pk})
    assert response.status_code == 400 and error_of(response)["field"] == "coordinator"


def test_a_transition_made_through_the_api_appears_in_the_phase_history(api, cast, case):
    petra = api(cast["petra"])
    made = petra.post(f"/api/cases/{case.pk}/transitions", _transition(case, 1))
    assert made.status_code == 201, made.content
    assert made.json()["case_version"] == 2
    history = api(cast["clara"]).get(f"/api/cases/{case.pk}/transitions").json()
    steps = [(h["from_phase"], h["to_phase"]) for h in history]
    assert steps == [(None, "custody"), ("custody", "release_preparation")]
    assert history[-1]["recorded_by"]["username"] == "petra"
    # The note is probation's offence-and-sentence item: the exit worker sees the step, not the note.
    assert history[-1]["handover_note"] is None
    note = made.json()["handover_note"]
    assert note["text"] == "Release planning starts." and note["category"] == "offence_and_sentence"
    own = petra.get(f"/api/cases/{case.pk}/transitions").json()
    assert own[-1]["handover_note"] == note
    assert petra.get(f"/api/cases/{case.pk}").json()["phase"] == "release_preparation"


def test_the_case_list_filters_by_phase(api, cast, case):
    petra = api(cast["petra"])
    assert [c["id"] for c in petra.get("/api/cases?phase=custody").json()] == [case.pk]
    assert petra.get("/api/cases?phase=aftercare").json() == []
    assert error_of(petra.get("/api/cases?phase=limbo"))["code"] == "validation_error"


def test_a_client_patch_changes_only_the_fields_sent(api, cast, case):
    response = api(cast["petra"]).patch(f"/api/cases/{case.pk}/client", {
        "expected_version": 1, "residency_status": "deportation_order", "residency_note": "Order served."})
    assert response.status_code == 200, response.content
    client = response.json()["client"]
    assert client["residency_status"] == "deportation_order"
    assert client["languages"] == ["nl", "fr"] and client["given_name"] == "Test"
    assert response.json()["version"] == 2


def test_key_dates_out_of_order_are_refused_naming_the_later_date(api, cast, case):
    response = api(cast["petra"]).put(f"/api/cases/{case.pk}/key-dates", {
        "expected_version": 1, "sentence_start": "2025-03-01", "sentence_end": "2024-01-01"})
    assert response.status_code == 400
    assert error_of(response)["field"] == "sentence_end"
    assert Case.objects.get(pk=case.pk).sentence_end.year == 2028


def test_a_new_member_agency_person_sees_the_case_once_on_the_team_and_not_after_it_leaves(api, cast, case, agencies):
    petra, xavier = api(cast["petra"]), api(cast["xavier"])
    added = petra.post(f"/api/cases/{case.pk}/memberships", {
        "agency": agencies["housing"].pk, "point_of_contact": cast["xavier"].pk,
        "phases": ["custody", "release_preparation"], "participation": "on_request",
        "responsibilities": "Housing on release.", "starts_on": "2025-03-01"})
    assert added.status_code == 201, added.content
    assert added.json()["phases"] == ["custody", "release_preparation"]
    assert xavier.get(f"/api/cases/{case.pk}").status_code == 404  # the agency alone is not enough
    assert petra.post(f"/api/cases/{case.pk}/team", {"practitioner": cast["xavier"].pk}).status_code == 201
    assert xavier.get(f"/api/cases/{case.pk}").status_code == 200
    ended = petra.post(f"/api/cases/{case.pk}/memberships/{added.json()['id']}/end", {"reason": "Housing found."})
    assert ended.status_code == 200 and ended.json()["active"] is False
    assert xavier.get(f"/api/cases/{case.pk}").status_code == 404


def test_a_team_member_hands_over_their_own_place_and_loses_access(api, cast, case, agencies):
    colleague = Practitioner.objects.create_user("carl", "carl@example.test", agency=agencies["cso"])
    clara = api(cast["clara"])
    own = next(m for m in clara.get(f"/api/cases/{case.pk}").json()["team"] if m["practitioner"]["username"] == "clara")
    released = clara.post(f"/api/cases/{case.pk}/team/{own['id']}/release",
                          {"handover_note": "Leaving the programme; Carl knows the client.", "successor": colleague.pk})
    assert released.status_code == 200, released.content
    assert clara.get(f"/api/cases/{case.pk}").status_code == 404
    contacts = {m["agency"]["kind"]: m["point_of_contact"]["username"]
                for m in api(colleague).get(f"/api/cases/{case.pk}").json()["memberships"]}
    assert contacts["cso"] == "carl"


def test_a_team_member_cannot_release_someone_else(api, cast, case):
    omar = next(m for m in api(cast["petra"]).get(f"/api/cases/{case.pk}").json()["team"]
                if m["practitioner"]["username"] == "omar")
    response = api(cast["clara"]).post(f"/api/cases/{case.pk}/team/{omar['id']}/release", {"handover_note": "No."})
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"


def test_the_coordinator_hands_over_to_a_colleague_who_becomes_coordinator(api, cast, case):
    petra = api(cast["petra"])
    own = next(m for m in petra.get(f"/api/cases/{case.pk}").json()["team"] if m["practitioner"]["username"] == "petra")
    released = petra.post(f"/api/cases/{case.pk}/team/{own['id']}/release", {
        "handover_note": "Parental leave; Nora takes over.", "successor": cast["nora"].pk, "expected_version": 1})
    assert released.status_code == 200, released.content
    assert released.json()["successor"]["username"] == "nora" and released.json()["case_version"] == 2
    detail = api(cast["nora"]).get(f"/api/cases/{case.pk}").json()
    assert detail["coordinator"]["username"] == "nora"
    assert petra.get(f"/api/cases/{case.pk}").status_code == 404


def test_the_continuity_liaison_must_be_on_the_team(api, cast, case):
    petra = api(cast["petra"])
    named = petra.put(f"/api/cases/{case.pk}/continuity-liaison",
                      {"continuity_liaison": cast["clara"].pk, "expected_version": 1})
    assert named.status_code == 200 and named.json()["continuity_liaison"]["username"] == "clara"
    refused = petra.put(f"/api/cases/{case.pk}/continuity-liaison",
                        {"continuity_liaison": cast["nora"].pk, "expected_version": 2})
    assert refused.status_code == 400 and error_of(refused)["field"] == "continuity_liaison"
    stale = petra.put(f"/api/cases/{case.pk}/continuity-liaison", {"continuity_liaison": None, "expected_version": 1})
    assert stale.status_code == 409


def test_reminders_list_upcoming_key_dates_of_visible_cases_only(api, cast, case):
    petra = api(cast["petra"]).get("/api/reminders?within_days=3660").json()
    assert {"case_id": case.pk, "reference": case.reference, "label": "Sentence end", "due_on": "2028-03-01"} in petra
    assert api(cast["xavier"]).get("/api/reminders?within_days=3660").json() == []


def test_reading_a_case_is_audited_with_its_basis(api, cast, case):
    api(cast["ivo"]).get(f"/api/cases/{case.pk}")
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.actor_username, event.case_id) == ("read", "ivo", case.pk)
    assert event.detail["basis"].startswith("on the case team")
