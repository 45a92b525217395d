"""Who sees a case through the API: the team does, everyone else gets the same 404 as for a case
that does not exist. A table of endpoints × personas, like the policy's own tests."""

import pytest

from casebridge.api.tests.conftest import error_of

CASE_READS = [
    "/api/cases/{id}",
    "/api/cases/{id}/transitions",
]
TEAM = ["petra", "ivo", "omar", "clara"]
OUTSIDERS = ["nora", "xavier"]  # same agency as the coordinator but not on the team; another agency


@pytest.mark.parametrize("path", CASE_READS)
@pytest.mark.parametrize("persona", TEAM)
def test_everyone_on_the_case_team_can_read_the_case(api, cast, case, path, persona):
    response = api(cast[persona]).get(path.format(id=case.pk))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("path", CASE_READS)
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_people_off_the_team_get_a_404_whatever_their_agency(api, cast, case, path, persona):
    response = api(cast[persona]).get(path.format(id=case.pk))
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_a_hidden_case_looks_exactly_like_a_missing_one(api, cast, case, persona):
    hidden = api(cast[persona]).get(f"/api/cases/{case.pk}")
    missing = api(cast[persona]).get(f"/api/cases/{case.pk + 1000}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


MANAGEMENT = [
    ("post", "/api/cases/{id}/transitions",
     {"to_phase": "release_preparation", "effective_on": "2025-06-01", "handover_note": "x", "expected_version": 1}),
    ("put", "/api/cases/{id}/key-dates", {"expected_version": 1}),
    ("patch", "/api/cases/{id}/client", {"expected_version": 1, "given_name": "Changed"}),
    ("put", "/api/cases/{id}/continuity-liaison", {"continuity_liaison": None, "expected_version": 1}),
    ("post", "/api/cases/{id}/team", {"practitioner": 1}),
]


@pytest.mark.parametrize("method,path,body", MANAGEMENT)
def test_a_team_member_who_does_not_manage_the_case_is_forbidden_to_change_it(api, cast, case, method, path, body):
    response = getattr(api(cast["ivo"]), method)(path.format(id=case.pk), body)
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


@pytest.mark.parametrize("method,path,body", MANAGEMENT)
def test_someone_off_the_team_cannot_even_learn_the_case_exists_by_changing_it(api, cast, case, method, path, body):
    response = getattr(api(cast["xavier"]), method)(path.format(id=case.pk), body)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("persona,listed", [
    ("petra", True), ("ivo", True), ("omar", True), ("clara", True), ("nora", False), ("xavier", False),
])
def test_the_case_list_holds_exactly_the_cases_the_detail_would_show(api, cast, case, persona, listed):
    references = [c["reference"] for c in api(cast[persona]).get("/api/cases").json()]
    assert (case.reference in references) is listed


def test_the_detail_says_why_the_caller_may_see_the_case(api, cast, case):
    body = api(cast["clara"]).get(f"/api/cases/{case.pk}").json()
    assert body["visible_because"].startswith("on the case team")
    assert body["may_manage"] is False
    assert api(cast["petra"]).get(f"/api/cases/{case.pk}").json()["may_manage"] is True


def test_a_role_without_the_permission_gets_a_404_for_the_whole_operation(api, cast, agencies):
    response = api(cast["petra"]).get("/api/audit/events")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert api(cast["ivo"]).post("/api/agencies", {"name": "X", "kind": "police", "country": "BE"}).status_code == 404
