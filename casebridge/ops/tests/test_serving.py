"""Serving at scale: pooled PostgreSQL connections and `casebridge serve --workers N`.

That several server processes on one database stay correct is shown end to end in test_load.py."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casebridge import settings
from casebridge.ops.prefork import Prefork


def test_postgresql_connections_come_from_a_pool_that_checks_a_connection_before_lending_it():
    database = settings._database("postgres://casebridge:secret@127.0.0.1:5432/casebridge")
    assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 16, "timeout": 10, "max_idle": 300}
    assert database["CONN_HEALTH_CHECKS"] is True
    # A pool is incompatible with Django's own persistent connections: each request gives its back.
    assert database["CONN_MAX_AGE"] == 0
    assert database["ATOMIC_REQUESTS"] is True


def test_sqlite_keeps_a_connection_per_thread_with_no_pool(tmp_path):
    database = settings._database(f"sqlite:///{tmp_path / 'casebridge.sqlite3'}")
    assert "pool" not in database["OPTIONS"]
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["CONN_MAX_AGE"] == settings.SQLITE_CONN_MAX_AGE > 0 and database["CONN_HEALTH_CHECKS"]
    assert settings._database("sqlite:///:memory:")["CONN_MAX_AGE"] == 0


def test_serve_with_workers_runs_single_request_processes_by_default(monkeypatch):
    started = {}

    def run(self):
        started.update(workers=self.cfg.workers, threads=self.cfg.threads, kind=self.cfg.worker_class_str)

    monkeypatch.setattr(Prefork, "run", run)
    monkeypatch.setattr("casebridge.ops.management.commands.serve.require_migrated", lambda: None)
    call_command("serve", "--workers", "2", stdout=io.StringIO())
    assert started == {"workers": 2, "threads": 1, "kind": "sync"}


def test_serve_with_workers_runs_that_many_threaded_processes_trusting_only_the_named_proxy():
    server = Prefork(host="127.0.0.1", port=8123, workers=3, threads=4, trusted_proxy="10.0.0.5")
    assert (server.cfg.workers, server.cfg.threads, server.cfg.worker_class_str) == (3, 4, "gthread")
    assert server.cfg.bind == ["127.0.0.1:8123"]
    assert server.cfg.forwarded_allow_ips == ["10.0.0.5"]
    assert server.cfg.preload_app is False  # each worker opens its own connections after the fork


def test_serve_without_a_trusted_proxy_trusts_no_forwarded_header():
    server = Prefork(host="::1", port=8123, workers=2, threads=8, trusted_proxy=None)
    assert server.cfg.forwarded_allow_ips == []
    assert server.cfg.bind == ["[::1]:8123"]


@pytest.mark.parametrize("workers", ["0", "65", "-2"])
def test_serve_refuses_a_worker_count_out_of_range(workers):
    with pytest.raises(CommandError, match="--workers must be between 1 and 64"):
        call_command("serve", "--workers", workers)
