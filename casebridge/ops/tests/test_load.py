"""The load benchmark (`casebridge bench --http`) and several server processes on one database.

Both start real `casebridge serve` processes on a database of their own (a SQLite file, or a new
PostgreSQL database next to the test database) and drive them over HTTP. Nothing here asserts a
timing: figures are judged from a run on a quiet machine (docs/benchmarks.md)."""

import io
import json
import threading

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from casebridge.agencies.models import Agency
from casebridge.audit.models import AuditEvent
from casebridge.audit.verification import verify
from casebridge.items.models import InformationItem
from casebridge.ops import load
from casebridge.ops.bench.database import fresh_database
from casebridge.ops.load.drive import MIX, Tally, drive
from casebridge.ops.load.report import WRITE_TITLE, trail
from casebridge.ops.load.server import serving
from casebridge.ops.load.setup import search_words

SMALL = ["--cases", "10", "--items", "300", "--practitioners", "30", "--agreements", "3"]
FIGURES = {"requests", "errors", "per_s", "p50_ms", "p95_ms", "p99_ms"}
WRITE_HEAVY = {"record_item_api": 6, "timeline_api": 2, "item_page": 2}


@pytest.fixture
def empty_database_url(db, tmp_path):
    """A URL of a new, empty database on the engine the suite runs on, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'load.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_load"
    admin = {"host": settings["HOST"] or None, "port": settings["PORT"] or None, "user": settings["USER"],
             "password": settings["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    yield f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"
    with psycopg.connect(**admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_load_benchmark_reports_every_endpoint_with_no_error_and_a_trail_that_matches_the_requests(
        empty_database_url, tmp_path):
    Agency.objects.create(name="Our own agency", kind="probation", country="BE")
    out, printed = tmp_path / "load.json", io.StringIO()
    call_command("bench", "--http", *SMALL, "--database-url", empty_database_url, "--workers", "1,2", "--clients", "4",
                 "--seconds", "2", "--threads", "2", "--think", "0.05,0.1", "--user-seconds", "2", "--json", str(out),
                 stdout=printed)
    results = json.loads(out.read_text())
    assert [run["workers"] for run in results["runs"]] == [1, 2]
    users = results["users"]  # the people-at-work run, on the most workers
    assert (users["workers"], users["think"]) == (2, [0.05, 0.1]) and all(r["think"] is None for r in results["runs"])
    assert "case page p99 <= 300 ms at 4 clients pausing 0.05-0.1 s (2 workers)" not in results["targets"]  # < 16
    for run in [*results["runs"], users]:
        assert set(run["endpoints"]) == set(MIX)
        assert all(set(figures) == FIGURES for figures in run["endpoints"].values())
        assert run["errors"] == 0, "\n".join([*run["error_samples"], *run["server_log"]])
        assert run["per_s"] > 0
        assert run["trail"]["events_match_requests"], run["trail"]
        assert run["trail"]["writes_all_kept"]
        assert run["trail"]["read_requests"] > 0
        # Every request appended to the chain in one commit, and each server process wrote its hold.
        commits = sum(run["trail"]["events"].values())
        assert run["lock"]["hold"]["commits"] == commits
        assert 0 < run["lock"]["hold"]["p50_ms"] <= run["lock"]["hold"]["p99_ms"] <= run["lock"]["hold"]["max_ms"]
        assert set(run["lock"]) == ({"hold", "server"} if connection.vendor == "postgresql" else {"hold"})
        if connection.vendor == "postgresql":
            assert run["lock"]["server"]["commits"] == commits
            assert run["lock"]["server"]["p50_ms"] <= run["lock"]["hold"]["p50_ms"]
    assert results["audit_chain_ok"] and results["audit_events_checked"] > 300
    assert results["speedup_2_over_1"] > 0
    assert {"zero errors", "audit chain verifies", "every write kept"} <= set(results["targets"])
    judged = any(label.startswith("audit chain lock held p99 < 5 ms where people work") for label in results["targets"])
    assert judged == (connection.vendor == "postgresql")
    assert "audit chain lock, held:" in printed.getvalue()
    assert "requests/s" in printed.getvalue() and "case_page" in printed.getvalue()
    assert "clients pausing 0.05-0.1 s between requests" in printed.getvalue()
    # The installation's own database saw none of it.
    assert list(Agency.objects.values_list("name", flat=True)) == ["Our own agency"]
    assert AuditEvent.objects.count() == 0


def test_two_server_processes_on_one_database_keep_every_write_and_one_unbroken_audit_chain(
        empty_database_url, tmp_path):
    with fresh_database(empty_database_url):
        people = load.prepare(load.LoadScale(cases=10, items=300, practitioners=30, agreements=3, clients=4))
        last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
        connection.close()
        tallies = [Tally(), Tally()]
        with serving(database_url=empty_database_url, data_dir=tmp_path, workers=None, threads=2) as first, \
                serving(database_url=empty_database_url, data_dir=tmp_path, workers=None, threads=2) as second:
            def run(index: int, base_url: str) -> None:
                tallies[index] = drive(base_url=base_url, subjects=people[index::2], clients=2, seconds=3,
                                       words=search_words(), seed=index, warmup=0, mix=WRITE_HEAVY)

            clients = [threading.Thread(target=run, args=(n, url)) for n, url in enumerate([first, second])]
            for client in clients:
                client.start()
            for client in clients:
                client.join()
        both = Tally.combined(tallies)
        written = trail(last_seq, both, 0)
        assert sum(both.errors.values()) == 0, both.error_samples
        assert all(tally.answered("record_item_api") > 0 for tally in tallies)  # both servers wrote
        assert written["writes_all_kept"] and written["events_match_requests"], written
        assert InformationItem.objects.filter(title__startswith=WRITE_TITLE).count() == both.answered("record_item_api")
        checked = verify()
        assert checked.ok and checked.checked == AuditEvent.objects.count()


def test_clients_that_pause_send_fewer_requests_than_the_pause_allows(empty_database_url, tmp_path):
    with fresh_database(empty_database_url):
        people = load.prepare(load.LoadScale(cases=10, items=300, practitioners=30, agreements=3, clients=2))
        connection.close()
        with serving(database_url=empty_database_url, data_dir=tmp_path, workers=None, threads=2) as base_url:
            tally = drive(base_url=base_url, subjects=people, clients=2, seconds=1.5, words=search_words(), seed=1,
                          warmup=0, think=(0.5, 0.5))
    sent = sum(tally.answered(name) + tally.errors[name] for name in MIX)
    # Each client: a request, half a second's pause, ... for 1.5 s: at most 4 requests each.
    assert 2 <= sent <= 8, sent
