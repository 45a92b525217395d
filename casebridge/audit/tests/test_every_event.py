"""Every kind of event the product writes: none holds content, and every reader of the trail (the
CLI report and verification, the web pages, the API) copes with all of them."""

import html
import json

import pytest
from django.core.management import CommandError, call_command

from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.models import AuditEvent, AuditEventAgency, Operation
from casebridge.audit.tests.trail import CONTENT, build, legacy_events
from casebridge.conftest import bearer, sign_in


@pytest.fixture
def trail(exchange, cast, agencies, case):
    return build(exchange=exchange, cast=cast, agencies=agencies, case=case)


def _stored_text() -> str:
    """Everything the trail holds, as text: what an attacker with the database would read."""
    rows = AuditEvent.objects.values_list("operation", "object_type", "object_id", "actor_username", "agency_name",
                                          "recipients", "detail")
    return "\n".join(json.dumps(row, ensure_ascii=False, default=str) for row in rows)


def _report(capsys, case_id) -> str:
    call_command("audit", "report", "--case", str(case_id))
    return capsys.readouterr().out


def test_the_trail_holds_no_text_anyone_typed(trail):
    stored = _stored_text().casefold()
    leaked = [name for name, text in CONTENT.items() if text.casefold() in stored]
    assert leaked == []
    for word in ("Quillfeather", "Foxglovian", "Wendelmoor", "Pemberquist", "Ysoldine", "Cinderhaze"):
        assert word.casefold() not in stored, word  # not even a fragment of the text


def test_checkable_values_are_kept_as_keyed_fingerprints(trail, settings):
    search = AuditEvent.objects.filter(operation=Operation.SEARCH).first()
    lookup = AuditEvent.objects.get(operation=Operation.LOOKUP)
    disclosure = AuditEvent.objects.filter(operation=Operation.DISCLOSE).first()
    assert search.detail["query"] == fingerprint("  pemberQUIST ")  # case and spacing do not matter
    assert lookup.detail["query"]["family_name"] == fingerprint(CONTENT["family"])
    assert lookup.detail["query"]["date_of_birth"] == fingerprint(CONTENT["date_of_birth"])
    assert disclosure.detail["justification"] == fingerprint(CONTENT["justification"])
    settings.SECRET_KEY = "another deployment's key, " * 3
    assert fingerprint(CONTENT["family"]) != lookup.detail["query"]["family_name"]  # keyed: no dictionary attack


def test_every_operation_kind_is_written_and_the_report_and_verification_read_them(trail, capsys):
    legacy_events(None, trail["case"].pk)
    report = _report(capsys, trail["case"].pk)
    call_command("audit", "verify")
    assert "Audit chain intact" in capsys.readouterr().out
    written = set(AuditEvent.objects.values_list("operation", flat=True))
    assert written == set(Operation.values)  # a new kind of event must be added to the trail above
    case_events = AuditEvent.objects.filter(case_id=trail["case"].pk).count() - 1  # minus the report's own read
    assert f"{case_events} events" in report
    assert "items.preview" in report and "saw item" in report and "basis: agreement" in report
    lowered = report.casefold()
    assert [name for name, text in CONTENT.items() if text.casefold() in lowered] == []
    assert "calm on the wing" not in lowered  # item titles are content: the report names items by id


def test_the_case_report_no_longer_crashes_on_a_preview_as_agency(cast, case, capsys):
    legacy_events(cast["omar"], case.pk)
    report = _report(capsys, case.pk)
    assert "items.preview:3" in report and '"items":4' in report


def test_the_web_pages_show_every_event_shape_to_their_readers_without_content(trail, client, cast):
    legacy_events(cast["omar"], trail["case"].pk)
    for reader in ("dora", "sam"):
        sign_in(client, cast[reader])
        pages = [client.get("/audit/"), client.get(f"/audit/cases/{trail['case'].pk}/")]
        shown = [e.seq for e in pages[0].context["events"]]
        pages += [client.get(f"/audit/events/{seq}/") for seq in shown]
        assert shown and all(page.status_code == 200 for page in pages)
        text = html.unescape("".join(page.content.decode() for page in pages)).casefold()
        assert [name for name, value in CONTENT.items() if value.casefold() in text] == []


def test_the_api_lists_and_serves_events_within_the_readers_scope(trail, client, cast):
    headers = bearer(cast["dora"])
    listed = client.get("/api/audit/events", **headers).json()["items"]
    assert listed and all(e["agency_name"] == "Westmark Probation Service" or e["object_type"].startswith(("items", "sharing"))
                          for e in listed)
    one = client.get(f"/api/audit/events/{listed[-1]['seq']}", **headers)
    assert one.status_code == 200 and one.json()["hash"] == listed[-1]["hash"]
    hidden = AuditEvent.objects.filter(agency_id=cast["omar"].agency_id).exclude(
        seq__in=AuditEventAgency.objects.filter(agency_id=cast["dora"].agency_id).values("event_id")).first()
    refused = client.get(f"/api/audit/events/{hidden.seq}", **headers)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"


def test_the_operator_computes_a_fingerprint_to_compare_and_that_is_recorded(db, capsys):
    call_command("audit", "fingerprint", "  PemberQuist ")
    assert capsys.readouterr().out.strip() == fingerprint("pemberquist")
    asked = AuditEvent.objects.get(operation=Operation.AUDIT_READ, object_type="audit.fingerprint")
    assert asked.detail["fingerprint"] == fingerprint("pemberquist") and "pemberquist" not in json.dumps(asked.detail)
    with pytest.raises(CommandError):
        call_command("audit", "fingerprint", "   ")
