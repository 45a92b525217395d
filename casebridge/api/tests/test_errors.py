"""Errors are part of the interface: one JSON shape, a stable code per kind of failure, and a
failed operation leaves nothing behind."""

import pytest

from casebridge.api.tests.conftest import error_of
from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Case, Membership, TeamAssignment


def _transition(case, **overrides):
    body = {"to_phase": "release_preparation", "effective_on": "2025-06-01",
            "handover_note": "Release planning starts.", "expected_version": case.version}
    return {**body, **overrides}


def test_a_refused_domain_rule_is_invalid_input_naming_the_field(api, cast, case):
    response = api(cast["petra"]).post(f"/api/cases/{case.pk}/transitions", _transition(case, to_phase="aftercare"))
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_input" and error["field"] == "to_phase"
    assert "cannot move from Custody to Aftercare" in error["message"]


def test_a_value_of_the_wrong_type_is_a_validation_error_with_details_per_field(api, cast, case):
    response = api(cast["petra"]).post(f"/api/cases/{case.pk}/transitions",
                                       _transition(case, effective_on="next tuesday", expected_version="one"))
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"effective_on", "expected_version"}
    assert error["field"] in {"effective_on", "expected_version"}


def test_text_longer_than_its_bound_is_a_validation_error(api, cast, case, settings):
    note = "x" * (settings.CASEBRIDGE_MAX_TEXT + 1)
    response = api(cast["petra"]).post(f"/api/cases/{case.pk}/transitions", _transition(case, handover_note=note))
    assert response.status_code == 422
    assert error_of(response)["field"] == "handover_note"


def test_a_nested_field_is_named_by_its_path(api, cast):
    response = api(cast["petra"]).post("/api/cases", {
        "client": {"given_name": "A" * 121, "family_name": "B", "date_of_birth": "1990-01-01"},
        "phase": "remand", "phase_date": "2025-01-01"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "client.given_name"


def test_a_body_that_is_not_json_is_invalid_input(client, api, cast, case):
    response = client.post(f"/api/cases/{case.pk}/transitions", "{not json", content_type="application/json",
                           **api(cast["petra"]).headers)
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_input"


def test_a_body_over_the_upload_limit_is_invalid_input_not_a_crash(client, api, cast, case, settings):
    huge = '{"handover_note": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    response = client.post(f"/api/cases/{case.pk}/transitions", huge, content_type="application/json",
                           **api(cast["petra"]).headers)
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_input"


def test_an_edit_based_on_a_stale_version_is_a_conflict(api, cast, case):
    petra = api(cast["petra"])
    first = petra.put(f"/api/cases/{case.pk}/key-dates", {"expected_version": 1, "sentence_start": "2025-03-01"})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = petra.patch(f"/api/cases/{case.pk}/client", {"expected_version": 1, "given_name": "Other"})
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "stale_version" and error_of(stale)["current_version"] == 2
    assert "Petra Peeters" in error_of(stale)["message"]  # who changed it: here, the caller herself
    assert Case.objects.get(pk=case.pk).client.given_name == "Test"


@pytest.mark.parametrize("path", ["/api/cases/999999", "/api/no-such-thing", "/api/cases/not-a-number", "/api/"])
def test_unknown_records_and_routes_are_not_found(api, cast, path):
    response = api(cast["petra"]).get(path)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_method_a_route_does_not_take_is_refused_in_json(api, cast, case):
    response = api(cast["petra"]).client.delete(f"/api/cases/{case.pk}", **api(cast["petra"]).headers)
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_no_token_is_unauthenticated_and_says_how_to_authenticate(api, case):
    response = api(None).get(f"/api/cases/{case.pk}")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_unknown_purpose_is_refused_rather_than_relabelled(api, cast, case):
    petra = api(cast["petra"])
    before = AuditEvent.objects.count()
    response = petra.get(f"/api/cases/{case.pk}", HTTP_X_CASEBRIDGE_PURPOSE="curiosity")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_purpose" and error["field"] == "X-Casebridge-Purpose"
    assert AuditEvent.objects.count() == before


def test_the_declared_purpose_is_recorded_on_the_audit_event(api, cast, case):
    api(cast["omar"]).get(f"/api/cases/{case.pk}", HTTP_X_CASEBRIDGE_PURPOSE="risk_assessment")
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.actor_username, event.purpose) == ("read", "omar", "risk_assessment")


def test_an_unexpected_failure_is_a_generic_internal_error(api, cast, case, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("casebridge.cases.services.list_cases", broken)
    response = api(cast["petra"]).get("/api/cases")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error" and "hunter2" not in response.content.decode()


def test_a_failed_handover_leaves_the_team_and_the_case_as_they_were(api, cast, case):
    """Releasing Ivo without a successor fails only after the case version was already raised
    (he is his agency's point of contact and has no deputy): the whole request must roll back."""
    ivo, petra = TeamAssignment.objects.get(case=case, practitioner=cast["ivo"]), api(cast["petra"])
    events = AuditEvent.objects.count()
    response = petra.post(f"/api/cases/{case.pk}/team/{ivo.pk}/release",
                                       {"handover_note": "Moves to another prison."})
    assert response.status_code == 400
    assert error_of(response)["field"] == "successor"
    ivo.refresh_from_db()
    assert ivo.released_at is None
    assert Case.objects.get(pk=case.pk).version == case.version
    assert AuditEvent.objects.count() == events


def test_releasing_the_coordinator_without_a_successor_changes_nothing(api, cast, case):
    own, petra = TeamAssignment.objects.get(case=case, practitioner=cast["petra"]), api(cast["petra"])
    events = AuditEvent.objects.count()
    response = petra.post(f"/api/cases/{case.pk}/team/{own.pk}/release",
                                       {"handover_note": "Leaving the service."})
    assert response.status_code == 400 and error_of(response)["field"] == "successor"
    assert TeamAssignment.objects.filter(case=case, released_at__isnull=True).count() == 4
    assert Case.objects.get(pk=case.pk).coordinator_id == cast["petra"].pk
    assert AuditEvent.objects.count() == events


def test_an_operation_whose_audit_event_cannot_be_written_is_not_stored(api, cast, case, agencies, monkeypatch):
    def audit_down(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("casebridge.cases.membership.record", audit_down)
    response = api(cast["petra"]).post(f"/api/cases/{case.pk}/memberships", {
        "agency": agencies["housing"].pk, "point_of_contact": cast["xavier"].pk, "phases": ["custody"]})
    assert response.status_code == 500
    assert not Membership.objects.filter(case=case, agency=agencies["housing"]).exists()
