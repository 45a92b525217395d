"""`casebridge bench` builds its world in a database of its own and reports every measurement.

Numbers are not asserted: performance is judged from a run at scale (docs/benchmarks.md), never by
timed tests."""

import io
import json
import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casebridge.agencies.models import Agency
from casebridge.audit.models import AuditEvent

TINY = ["--cases", "20", "--items", "500", "--practitioners", "30", "--agreements", "5", "--timeline-samples", "20",
        "--search-samples", "10", "--cedar-decisions", "40"]
MEASURED = ["cases", "items", "timeline_p50_ms", "timeline_p95_ms", "timeline_unfiltered_p95_ms", "search_p50_ms",
            "search_p95_ms", "search_unfiltered_p95_ms", "decide_per_s", "cedar_decide_per_s", "ingest_items_per_s",
            "audit_verify_events_per_s"]


def test_the_benchmark_measures_everything_in_a_database_of_its_own(db, tmp_path):
    Agency.objects.create(name="Our own agency", kind="probation", country="BE")
    out, report = tmp_path / "bench.json", io.StringIO()
    call_command("bench", *TINY, "--json", str(out), stdout=report)
    results = json.loads(out.read_text())
    assert {key: results[key] > 0 for key in MEASURED} == {key: True for key in MEASURED}
    # Every item has its audit event; each agency's import run adds its start and its end.
    runs = results["import_runs"]
    assert (results["cases"], results["items"], results["audit_events"]) == (20, 500, 500 + 2 * runs) and runs > 0
    # The pages found something: the world shares, and the loader kept the full-text index current.
    assert results["timeline_rows_per_page"] > 0 and results["search_unfiltered_rows_per_page"] > 0
    assert results["cedar_disagreements"] == 0
    assert "timeline page, filtered, p95" in report.getvalue()
    # The installation's own database saw none of it.
    assert list(Agency.objects.values_list("name", flat=True)) == ["Our own agency"]
    assert AuditEvent.objects.count() == 0


def test_the_benchmark_refuses_a_database_that_holds_anything(db, tmp_path):
    target = tmp_path / "precious.sqlite3"
    with sqlite3.connect(target) as existing:
        existing.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(CommandError, match="not empty"):
        call_command("bench", *TINY, "--database-url", f"sqlite:///{target}", stdout=io.StringIO())
    with sqlite3.connect(target) as existing:
        assert [r[0] for r in existing.execute("SELECT name FROM sqlite_master")] == ["notes"]
