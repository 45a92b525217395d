"""The audit pages read by people: operations and objects in words, a case named by its reference only
for a reader who may see it, filters by case reference, practitioner, agency and dates, the detail as
a list; the API keeps the stored codes."""

import html
import re

import pytest
from django.db import transaction

from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.services import record
from casebridge.cases import membership
from casebridge.conftest import PURPOSE, bearer, sign_in

TAGS = re.compile(r"<[^>]+>")


def visible(response) -> str:
    """The text a person reads on the page: no tags, attributes or addresses."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(TAGS.sub(" ", body)).split())


def _write(actor, object_type, object_id="", case_id=None, detail=None, operation=Operation.UPDATE):
    with transaction.atomic():
        record(actor=actor, operation=operation, object_type=object_type, object_id=object_id, case_id=case_id,
               purpose=PURPOSE, detail=detail or {})


def test_events_name_their_operation_and_object_in_words_and_never_show_a_model_code(client, cast, agencies,
                                                                                      exchange):
    petra, version = cast["petra"], exchange["version"]
    objects = {
        ("sharing.agreementversion", version.pk): "Sharing agreement “Westmark exit continuum”, version 1",
        ("agencies.agency", agencies["police"].pk): "Agency Westmark Police",
        ("agencies.practitioner", petra.pk): "Account of Petra Peeters (petra), Westmark Probation Service",
        ("items.informationitem", exchange["programme"].pk): f"Information item {exchange['programme'].pk}",
        ("cases.membership", 12): "Agency's membership of a case 12",
        ("accounts.login", ""): "Sign-in attempt",
        ("reflector.goal", 3): "CaseReflector goal 3",
        ("widgets.gizmo", 4): "Gizmo 4",  # a type no version of this page knew: still no code
    }
    for object_type, object_id in objects:
        _write(petra, object_type, object_id)
    sign_in(client, cast["dora"])
    text = visible(client.get("/audit/"))
    assert [words for words in objects.values() if words not in text] == []
    assert [code for code, _ in objects if code in text] == []
    assert "Update" in text and "Case management" in text
    event = AuditEvent.objects.get(object_type="sharing.agreementversion")
    page = client.get(f"/audit/events/{event.seq}/").content.decode()
    link = f'<a href="/sharing/agreements/versions/{version.pk}/">'
    assert f"{link}Sharing agreement “Westmark exit continuum”, version 1</a>" in html.unescape(page)


def test_a_case_is_named_by_its_reference_and_linked_only_for_a_reader_on_its_team(client, cast, case, exchange):
    item = exchange["programme"]  # probation's own item: Dora may read it once she is on the team
    _write(cast["petra"], "items.informationitem", item.pk, case_id=case.pk)
    page = f"/audit/events/{AuditEvent.objects.last().seq}/"
    sign_in(client, cast["dora"])
    outside = client.get(page).content.decode()
    assert f">Case {case.pk}<" in outside and case.reference not in outside
    assert f'href="/cases/{case.pk}/"' not in outside and f'href="/items/{item.pk}/"' not in outside
    with transaction.atomic():
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["dora"].pk,
                                  purpose=PURPOSE)
    inside = client.get(page).content.decode()
    assert f">Case {case.reference}<" in inside and f'href="/cases/{case.pk}/"' in inside
    assert f'href="/items/{item.pk}/"' in inside
    report = client.get(f"/audit/cases/{case.pk}/").content.decode()
    assert f"Audit report: Case {case.reference}" in report


@pytest.fixture
def trail(cast, case):
    """Events by three agencies on the case and on another case, all within Dora's scope."""
    probation = cast["dora"].agency_id
    with transaction.atomic():
        for actor, case_id in (("petra", case.pk), ("ivo", case.pk), ("omar", case.pk + 1000), ("nora", None)):
            record(actor=cast[actor], operation=Operation.READ, object_type="cases.case", object_id=str(case_id or ""),
                   case_id=case_id, purpose=PURPOSE, detail={},
                   concerning=[type("Item", (), {"pk": 7, "originating_agency_id": probation})()])
    return case


def _actors(client, query):
    response = client.get("/audit/", query)
    assert response.status_code == 200, response.context["form"].errors
    return sorted(e.actor_username for e in response.context["events"] if e.operation == Operation.READ)


@pytest.mark.parametrize("typed", ["{ref}", "{lower}", "{unpadded}", "{spaced}", "{pk}", "#{pk}", " {ref} "])
def test_the_case_filter_takes_the_reference_as_people_type_it_or_the_number(client, cast, trail, typed):
    prefix, year, number = trail.reference.split("-")
    sign_in(client, cast["dora"])
    query = typed.format(ref=trail.reference, lower=trail.reference.lower(), pk=trail.pk,
                         unpadded=f"{prefix}-{year}-{int(number)}", spaced=f"{prefix} {year} {number}")
    assert _actors(client, {"case": query}) == ["ivo", "petra"]
    recorded = AuditEvent.objects.filter(operation=Operation.AUDIT_READ).last()
    assert recorded.case_id == trail.pk and recorded.detail["filters"] == {"case_id": trail.pk}


def test_a_reference_outside_the_readers_scope_reads_as_one_that_does_not_exist(client, cast, trail, agencies):
    from casebridge.conftest import _person

    outsider = _person("olga", agencies["housing"], "dpo")  # housing's DPO: no event of this case is hers
    sign_in(client, outsider)
    known = client.get("/audit/", {"case": trail.reference})
    unknown = client.get("/audit/", {"case": "CB-1999-99999"})
    assert known.status_code == unknown.status_code == 400
    assert [str(e) for e in known.context["form"].errors["case"]] == \
        [f"No case with the reference {trail.reference} is in your audit scope."]
    assert "events" not in known.context


@pytest.mark.parametrize("typed, expected", [
    ("IVO", ["ivo"]), ("Ivo Ivanov", ["ivo"]), ("ivanov  ivo", ["ivo"]), ("Peeters", []), ("nobody", []),
])
def test_the_practitioner_filter_takes_a_username_or_a_full_name(client, cast, trail, typed, expected):
    sign_in(client, cast["dora"])
    assert _actors(client, {"actor": typed}) == expected


def test_the_agency_filter_keeps_the_acts_of_one_agency(client, cast, trail, agencies):
    sign_in(client, cast["dora"])
    assert _actors(client, {"agency_id": agencies["probation"].pk}) == ["nora", "petra"]
    assert _actors(client, {"agency_id": agencies["police"].pk, "case": trail.pk + 1000}) == ["omar"]
    page = client.get("/audit/").content.decode()
    assert f'<option value="{agencies["prison"].pk}">Westmark Prison</option>' in page


@pytest.mark.parametrize("query, field", [
    ({"case": "CB-twenty"}, "case"),
    ({"case": "0"}, "case"),
    ({"agency_id": "police"}, "agency_id"),
    ({"agency_id": "999999"}, "agency_id"),
    ({"date_from": "2025-02-30"}, "date_from"),
    ({"date_from": "2025-03-02", "date_to": "2025-03-01"}, "date_to"),
    ({"actor": "x" * 151}, "actor"),
])
def test_bad_filter_input_is_a_form_error_on_its_field_never_a_server_error(client, cast, query, field):
    sign_in(client, cast["dora"])
    response = client.get("/audit/", query)
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert "events" not in response.context


def test_every_bad_filter_is_named_at_once(client, cast):
    sign_in(client, cast["dora"])
    response = client.get("/audit/", {"agency_id": "police", "date_from": "tomorrow", "case": "CB-1999-00001"})
    assert set(response.context["form"].errors) == {"agency_id", "date_from", "case"}


def test_the_event_page_reads_the_detail_as_labelled_lines(client, cast, exchange):
    basis = "agreement 3 v1: Westmark Prison → Open Door Exit Programme, programme_and_intervention up to OPEN"
    _write(cast["petra"], "items.informationitem", 7, detail={
        "category": "programme_and_intervention", "classification": 1, "handling": ["ORCON", "NO-DECISION"],
        "carrier": "membership_responsibilities", "intelligence": False, "phases": ["custody", "release_preparation"],
        "changes": {"phase": ["custody", "release_preparation"]}, "items": {"7": basis},
        "justification": "hmac-sha256:" + "ab" * 32, "role_on_case": "Point of contact",
        "stage_reached": "supervised_release", "effective_on": "2025-05-09"})
    sign_in(client, cast["dora"])
    response = client.get(f"/audit/events/{AuditEvent.objects.last().seq}/")
    page, text = html.unescape(response.content.decode()), visible(response)
    for label, value in [("Category", "Programme and intervention"), ("Classification", "RESTRICTED"),
                         ("Handling markings", "ORCON, NO-DECISION"), ("Intelligence", "no"),
                         ("Carries", "Responsibilities of a member agency"),
                         ("Phases", "Custody, Release preparation"), ("Phase", "Custody → Release preparation"),
                         ("item 7", "sharing agreement 3, version 1 (Westmark Prison → Open Door Exit Programme): "
                                    "Programme and intervention up to OPEN"),
                         ("Justification", "<code>keyed fingerprint abababababababab…</code>"),
                         ("Role on case", "Point of contact"), ("Stage reached", "Supervised release"),
                         ("Effective on", "9 May 2025")]:
        assert f"<dt>{label}</dt><dd>{value}" in page, label
    assert [code for code in ("programme_and_intervention", "release_preparation", "membership_responsibilities",
                              "supervised_release", "role_on_case", "2025-05-09") if code in text] == []


def test_the_api_keeps_the_stored_codes_and_takes_a_case_reference(client, cast, trail):
    headers = bearer(cast["dora"])
    listed = client.get("/api/audit/events", {"case": trail.reference.lower()}, **headers)
    assert listed.status_code == 200
    items = [e for e in listed.json()["items"] if e["operation"] == "read"]
    assert sorted(e["actor_username"] for e in items) == ["ivo", "petra"]
    assert {e["object_type"] for e in items} == {"cases.case"}
    refused = client.get("/api/audit/events", {"case": "CB-1999-99999"}, **headers)
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "case"


@pytest.mark.parametrize("viewer", ["petra", "adam", "clara"])
def test_a_persona_without_an_audit_role_still_finds_no_audit_page(client, cast, trail, viewer):
    seq = AuditEvent.objects.first().seq
    sign_in(client, cast[viewer])
    for url in ("/audit/", f"/audit/events/{seq}/", f"/audit/cases/{trail.pk}/", f"/audit/?case={trail.reference}"):
        assert client.get(url).status_code == 404, url
