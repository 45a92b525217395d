"""The glossary and the categorisations on the API, in its error format when a filter is wrong."""

from casebridge.conftest import bearer


def test_the_api_answers_the_glossary_with_definitions_and_synonyms(client, cast):
    response = client.get("/api/glossary?kind=phase", **bearer(cast["clara"]))
    assert response.status_code == 200
    phases = {t["key"]: t for t in response.json()}
    assert list(phases)[0] == "phase:remand" and all(t["kind"] == "phase" for t in phases.values())
    assert {"word": "voorlopige hechtenis", "agency_kind": "", "country": "NL"} in phases["phase:remand"]["synonyms"]
    assert phases["phase:custody"]["definition"].startswith("The client serves a prison sentence")


def test_the_api_filters_the_glossary_by_agency_kind_and_country(client, cast):
    response = client.get("/api/glossary?agency_kind=probation&country=nl", **bearer(cast["petra"]))
    words = {s["word"] for t in response.json() for s in t["synonyms"]}
    assert "voorwaardelijke invrijheidstelling (v.i.)" in words and "toezicht" in words
    assert "on licence" not in words and "detention" not in words


def test_the_api_refuses_an_unknown_filter_in_its_error_format(client, cast):
    response = client.get("/api/glossary?agency_kind=jail", **bearer(cast["petra"]))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input" and response.json()["error"]["field"] == "agency_kind"


def test_the_api_answers_the_categorisations_with_the_mapping_and_needs_a_token(client, cast):
    assert client.get("/api/categorisations").status_code == 401
    answer = client.get("/api/categorisations", **bearer(cast["ivo"])).json()
    assert [v["code"] for v in answer["vocabularies"]][:2] == ["vught", "se_prison"]
    assert {"vocabulary": "vught", "term": "criminal_opportunist", "other_vocabulary": "se_prison", "other_term": "",
            "relation": "no_counterpart"}.items() <= next(
        m for m in answer["mappings"] if m["term"] == "criminal_opportunist").items()
