"""`casebridge bench` builds its world in a database of its own and reports every measurement.

Numbers are not asserted: performance is judged from a run at scale (docs/benchmarks.md), never by
timed tests."""

import io
import json
import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from casebridge.agencies.models import Agency
from casebridge.audit.models import AuditEvent
from casebridge.errors import NotVisible
from casebridge.ops.tests.test_load import empty_database_url  # noqa: F401 - a fixture
from casebridge.vocabulary import Purpose

PURPOSE = Purpose.CASE_MANAGEMENT

TINY = ["--cases", "20", "--items", "500", "--practitioners", "30", "--agreements", "5", "--timeline-samples", "20",
        "--search-samples", "10", "--cedar-decisions", "40", "--audit-days", "1"]
PAGES = ["timeline", "search", "http_timeline", "http_search"]
MEASURED = ["cases", "items", "decide_per_s", "cedar_decide_per_s", "ingest_items_per_s", "audit_verify_events_per_s",
            "audit_verify_chain_events_per_s", "audit_verify_incremental_day_s", *[f"{page}_{key}" for page in PAGES for key in ("p50_ms", "p95_ms", "unfiltered_p95_ms", "p95_ratio")]]


def test_the_benchmark_measures_everything_in_a_database_of_its_own(db, tmp_path):
    Agency.objects.create(name="Our own agency", kind="probation", country="BE")
    out, report = tmp_path / "bench.json", io.StringIO()
    call_command("bench", *TINY, "--json", str(out), stdout=report)
    results = json.loads(out.read_text())
    assert {key: results[key] > 0 for key in MEASURED} == {key: True for key in MEASURED}
    assert (results["cases"], results["items"]) == (20, 500)
    # Every item has its audit event; each agency's import run adds its start and its end. Then a day
    # of 30 practitioners at work (100 events each), then every page measured, the product's own and
    # audited: at least one event per page served (20 timelines and 10 searches, each filtered and
    # twin, in service and over HTTP).
    runs = results["import_runs"]
    assert runs > 0 and results["audit_day_events"] == 3000
    assert results["audit_work_events"] == results["audit_events"] - (500 + 2 * runs)
    assert results["audit_work_events"] >= 3000 + 2 * (2 * 20 + 2 * 10)
    # The pages found something: the world shares, and the loader kept the full-text index current;
    # the twin, need-to-know off, shows at least as much on every page and more somewhere.
    for page in PAGES:
        assert 0 < results[f"{page}_rows_per_page"] <= results[f"{page}_unfiltered_rows_per_page"], page
    assert any(results[f"{page}_rows_per_page"] < results[f"{page}_unfiltered_rows_per_page"] for page in PAGES)
    assert results["cedar_disagreements"] == 0
    assert "timeline page (HTTP), filtered, p95" in report.getvalue()
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


def test_the_unfiltered_twin_lifts_the_item_rule_only_while_it_lasts(exchange, cast, case):
    from casebridge.items import services as items
    from casebridge.ops.bench.measure import need_to_know_off

    def titles():
        with transaction.atomic():
            shown, _ = items.timeline(actor=cast["clara"], case_id=case.pk, purpose=PURPOSE, limit=50)
        return {item.title for item, _ in shown}

    seen = titles()
    assert "Travel plans" not in seen and "Handler concerns" not in seen
    with need_to_know_off():
        assert {"Travel plans", "Handler concerns", "Calm on the wing"} <= titles()
    assert titles() == seen
    with pytest.raises(RuntimeError), need_to_know_off():
        raise RuntimeError("a page failed")
    assert titles() == seen
    # The case's own rule stays: a practitioner of an agency that is no member sees no timeline.
    with need_to_know_off(), pytest.raises(NotVisible):
        items.timeline(actor=cast["xavier"], case_id=case.pk, purpose=PURPOSE, limit=50)


@pytest.mark.parametrize("url", ["sqlite:////tmp/casebridge-bench-settings.sqlite3",
                                 "postgres://bench@127.0.0.1:5432/casebridge_bench"])
def test_the_benchmark_connects_as_the_product_does(url):
    """What the benchmark times runs on connections set up as the product's: on PostgreSQL,
    parameters bound and statements prepared in the server; on SQLite, the write lock taken at the
    start of a transaction and the production pragmas (plus a larger cache)."""
    from casebridge import settings as product
    from casebridge.ops.bench.database import _settings

    bench, deployed = _settings(url), product._database(url)
    if url.startswith("postgres"):
        for option in ("server_side_binding", "prepare_threshold"):
            assert bench["OPTIONS"][option] == deployed["OPTIONS"][option], option
    else:
        assert bench["OPTIONS"]["transaction_mode"] == deployed["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert deployed["OPTIONS"]["init_command"].replace(" ", "") in bench["OPTIONS"]["init_command"].replace(" ", "")
    assert bench["ENGINE"] == deployed["ENGINE"]


def test_the_loaded_world_is_settled_before_it_is_measured(empty_database_url):  # noqa: F811
    """On PostgreSQL the benchmark vacuums and analyzes the loaded tables (untimed) before timing
    anything, so that autovacuum's first pass does not run beside the measurements."""
    from django.db import connection as bench

    from casebridge.ops.bench.database import fresh_database, settle

    with fresh_database(empty_database_url):
        settle()
        if bench.vendor == "postgresql":
            with bench.cursor() as cursor:
                cursor.execute("SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                               "WHERE relname = 'items_informationitem'")
                assert cursor.fetchone() == (True, True)
        bench.close()
