"""The bulk import: every line validated, batches of one transaction, resumable without duplicates."""

import json

import pytest

from casebridge.audit.models import AuditEvent
from casebridge.audit.verification import verify
from casebridge.cases.models import Case, Client, Membership, TeamAssignment
from casebridge.conftest import PURPOSE, _person
from casebridge.errors import Forbidden, NotVisible
from casebridge.imports import batches
from casebridge.imports.models import ImportedRecord, ImportRun
from casebridge.imports.tests.conftest import SOURCE, case_line, client_line, item_line, legacy_file
from casebridge.items import services as items
from casebridge.items.models import InformationItem
from casebridge.search import services as search


def _counts():
    return (Client.objects.count(), Case.objects.count(), InformationItem.objects.count(),
            ImportedRecord.objects.count())


def test_a_legacy_export_becomes_the_agencys_clients_cases_and_items(run_import, cast):
    adam = cast["adam"]
    summary, rejected = run_import(legacy_file(10), batch_size=3)
    assert rejected == [] and (summary.lines, summary.imported, summary.skipped) == (14, 14, 0)
    case = Case.objects.get(pk=ImportedRecord.objects.get(kind="case", ref="K-1").object_id)
    assert case.lead_agency_id == adam.agency_id and case.coordinator == adam and case.phase == "custody"
    assert case.reference == f"CB-2024-{case.pk:05d}" and case.client.given_name == "Aziz"
    lead = Membership.objects.get(case=case)
    assert lead.agency_id == adam.agency_id and lead.participation == "core" and lead.coverage.count() == 7
    assert TeamAssignment.objects.filter(case=case, practitioner=adam).exists()
    item = InformationItem.objects.get(pk=ImportedRecord.objects.get(kind="item", ref="I-1").object_id)
    assert (item.case_id, item.originating_agency_id, item.author_id, item.classification) == \
        (case.pk, adam.agency_id, adam.pk, 1)
    # Each record has its audit event, chained like every other, naming the run.
    created = AuditEvent.objects.filter(operation="create", detail__import=summary.run)
    assert created.filter(object_type="items.informationitem").count() == 10
    assert created.filter(object_type="cases.case").count() == 2
    assert created.filter(object_type="cases.client").count() == 2
    assert verify().ok
    run = ImportRun.objects.get(pk=summary.run)
    assert (run.lines, run.imported, run.rejected) == (14, 14, 0) and run.finished_at is not None


def test_imported_items_are_found_by_the_full_text_search(run_import, cast):
    run_import(legacy_file(4), batch_size=2)
    found, total = search.search_items(actor=cast["adam"], query="anger management", purpose=PURPOSE)
    assert total == 4 and len(found) == 4


def test_imported_items_are_read_through_the_policy_like_any_other(run_import, cast):
    run_import(legacy_file(2))
    item_id = ImportedRecord.objects.get(kind="item", ref="I-1").object_id
    item, decision = items.get_item(actor=cast["adam"], item_id=item_id, purpose=PURPOSE)
    assert decision.allowed
    with pytest.raises(NotVisible):  # Nora, of the same agency but on no imported case's team: 404
        items.get_item(actor=cast["nora"], item_id=item_id, purpose=PURPOSE)


MALFORMED = [
    ("bad_json", '{"type": "client", "ref": ', "not_json"),
    ("not_an_object", "[1, 2]", "not_json"),
    ("unknown_type", json.dumps({"type": "person", "ref": "P-1"}), "unknown_type"),
    ("no_ref", json.dumps({"type": "client", "given_name": "A"}), "missing_field"),
    ("missing_field", item_line("I-9", title=None), "missing_field"),
    ("unknown_field", item_line("I-9", colour="red"), "unknown_field"),
    ("bad_category", item_line("I-9", category="gossip"), "invalid_value"),
    ("bad_nature", item_line("I-9", nature="rumour"), "invalid_value"),
    ("wrong_type", item_line("I-9", classification="high"), "invalid_value"),
    ("bad_date", item_line("I-9", fact_date="04/03/2024"), "invalid_value"),
    ("future_fact", item_line("I-9", fact_date="2999-01-01"), "invalid_value"),
    ("above_clearance", item_line("I-9", classification=3), "invalid_value"),
    ("bad_phase", case_line("K-9", phase="closed"), "invalid_value"),
    ("bad_residency", client_line("C-9", residency_status="tourist"), "invalid_value"),
    ("intelligence_from_probation", item_line("I-9", intelligence=True), "not_permitted"),
    ("unknown_case_ref", item_line("I-9", case="K-404"), "unknown_case"),
    ("unknown_client_ref", case_line("K-9", client="C-404"), "unknown_client"),
    ("unknown_coordinator", case_line("K-9", coordinator="nobody"), "invalid_value"),
    ("too_long_title", item_line("I-9", title="x" * 201), "too_long"),
    ("too_long_ref", item_line("r" * 201), "too_long"),
    ("both_case_keys", item_line("I-9", case_reference="CB-2024-00001"), "missing_field"),
]


@pytest.mark.parametrize("name, bad, code", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_line_is_rejected_with_its_code_and_the_others_imported(run_import, name, bad, code):
    lines = legacy_file(2)
    lines.insert(3, bad)  # line 4
    summary, rejected = run_import(lines)
    assert [(r.line, r.code) for r in rejected] == [(4, code)], rejected
    assert rejected[0].reason and "\n" not in rejected[0].reason
    assert (summary.imported, summary.rejected) == (6, 1)
    assert ImportedRecord.objects.count() == 6


def test_blank_lines_are_not_records(run_import):
    summary, rejected = run_import(["", *legacy_file(1), "   "])
    assert (summary.lines, summary.imported, rejected) == (5, 5, [])


def test_a_line_repeated_in_the_file_is_imported_once(run_import):
    lines = legacy_file(2)
    summary, rejected = run_import(lines + [lines[-1], lines[0]], batch_size=4)
    assert (summary.imported, summary.skipped, rejected) == (6, 2, [])
    assert _counts() == (2, 2, 2, 6)


def test_a_ref_repeated_with_other_content_is_rejected_not_overwritten(run_import):
    lines = legacy_file(2) + [item_line("I-1", title="Another title")]
    summary, rejected = run_import(lines)
    assert [(r.line, r.ref, r.code) for r in rejected] == [(7, "I-1", "ref_conflict")]
    item_id = ImportedRecord.objects.get(kind="item", ref="I-1").object_id
    assert InformationItem.objects.get(pk=item_id).title == "Programme session I-1"


def test_running_the_same_file_again_writes_nothing_twice(run_import):
    run_import(legacy_file(5), batch_size=2)
    before, events = _counts(), AuditEvent.objects.count()
    summary, rejected = run_import(legacy_file(5), batch_size=3)
    assert (summary.imported, summary.skipped, rejected) == (0, 9, [])
    assert _counts() == before
    assert AuditEvent.objects.count() == events + 2  # the second run's start and end, nothing else


def test_a_changed_line_in_a_later_run_is_a_conflict(run_import):
    run_import(legacy_file(2))
    summary, rejected = run_import([client_line("C-1", family_name="Changed")])
    assert [r.code for r in rejected] == ["ref_conflict"] and Client.objects.filter(family_name="Changed").count() == 0


def test_refs_are_the_agencys_own_another_source_starts_afresh(run_import):
    run_import(legacy_file(1))
    summary, rejected = run_import(legacy_file(1), source="OtherCMS")
    assert (summary.imported, rejected) == (5, [])


def test_only_an_agency_administrator_imports(run_import, cast):
    for who in ("petra", "nora", "dora", "sam"):
        with pytest.raises(Forbidden):
            run_import(legacy_file(1), actor=cast[who])
    assert _counts() == (0, 0, 0, 0) and not ImportRun.objects.exists()


def test_items_go_into_an_existing_case_only_where_the_agency_is_a_member(run_import, cast, case, agencies):
    # Adam (probation) may import into Petra's probation-led case by its Casebridge reference ...
    summary, rejected = run_import([item_line("I-1", case=None, case_reference=case.reference)])
    assert (summary.imported, rejected) == (1, [])
    # ... the housing office's administrator, not a member, may not, and learns nothing of the case.
    hana = _person("hana", agencies["housing"], "agency_admin")
    summary, rejected = run_import([item_line("I-1", case=None, case_reference=case.reference),
                                    item_line("I-2", case=None, case_reference="CB-1999-99999")], actor=hana)
    assert [(r.code, r.reason) for r in rejected] == [("unknown_case", rejected[1].reason)] * 2
    assert InformationItem.objects.filter(originating_agency=agencies["housing"]).count() == 0


def test_a_case_of_another_agencys_import_cannot_be_named_by_its_ref(run_import, agencies):
    run_import(legacy_file(0))
    hana = _person("hana", agencies["housing"], "agency_admin")
    summary, rejected = run_import([item_line("I-1", case="K-1")], actor=hana)
    assert [r.code for r in rejected] == ["unknown_case"]


@pytest.mark.usefixtures("committing")
def test_a_crash_mid_import_loses_only_its_batch_and_a_second_run_resumes(run_import, cast, monkeypatch):
    lines = legacy_file(16)  # 20 lines, batches of 5: the crash hits the third
    calls, write = [], batches.Importer._write

    def crash_on_third(self, accepted):
        calls.append(1)
        write(self, accepted)
        if len(calls) == 3:
            raise RuntimeError("the machine lost power")

    monkeypatch.setattr(batches.Importer, "_write", crash_on_third)
    with pytest.raises(RuntimeError):
        run_import(lines, batch_size=5)
    assert _counts() == (2, 2, 6, 10)  # two batches committed, the third rolled back whole
    interrupted = ImportRun.objects.get()
    assert (interrupted.imported, interrupted.finished_at) == (10, None)
    assert not AuditEvent.objects.filter(object_type="items.informationitem").exclude(
        object_id__in=[str(pk) for pk in InformationItem.objects.values_list("pk", flat=True)]).exists()
    monkeypatch.setattr(batches.Importer, "_write", write)
    summary, rejected = run_import(lines, batch_size=5)
    assert (summary.imported, summary.skipped, rejected) == (10, 10, [])
    assert _counts() == (2, 2, 16, 20)
    refs = list(ImportedRecord.objects.values_list("kind", "ref"))
    assert len(refs) == len(set(refs)) == 20
    assert AuditEvent.objects.filter(object_type="items.informationitem", operation="create").count() == 16
    assert verify().ok
