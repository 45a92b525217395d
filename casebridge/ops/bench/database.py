"""The benchmark's own database: created, migrated and used for one run, never the user's.

Django's `default` connection is swapped for one to the benchmark database while the run lasts,
so every service, policy filter and audit function the benchmark calls runs unchanged against it.
The connection in use before (the installation's database, or a test database) is kept as it was,
never opened by the benchmark, and put back afterwards.
"""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.utils import load_backend

from casebridge.audit.backends.engines import engine_for

# Read-heavy pages over a large file: a 256 MiB page cache and 2 GiB of memory-mapped I/O keep
# the hot indexes in memory, as a production SQLite deployment would be tuned. Writes keep the
# durability settings Casebridge runs with (WAL, synchronous=NORMAL).
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                  "PRAGMA cache_size=-262144; PRAGMA mmap_size=2147483648; PRAGMA temp_store=MEMORY;")


def _settings(url: str) -> dict:
    db = dj_database_url.parse(url, conn_max_age=0)
    db["ENGINE"] = engine_for(db["ENGINE"])  # appends audit events before commit, as in casebridge.settings
    if db["ENGINE"] == "casebridge.audit.backends.sqlite3":
        # IMMEDIATE, as in casebridge.settings: the audit chain's read-last-then-append relies on it.
        db["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": SQLITE_PRAGMAS}
    else:  # statements bound and prepared in the server, as the product's connections have them
        db.setdefault("OPTIONS", {}).update(django_settings.POSTGRES_STATEMENTS)
    return connections.configure_settings({DEFAULT_DB_ALIAS: db})[DEFAULT_DB_ALIAS]


def describe(settings: dict) -> str:
    """The database, without its password."""
    if settings["ENGINE"].endswith("sqlite3"):
        return f"SQLite {settings['NAME']}"
    host, port = settings.get("HOST") or "local socket", f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"{settings['ENGINE'].rsplit('.', 1)[-1]} {host}{port}/{settings['NAME']}"


def _refuse_if_not_empty() -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise CommandError(f"the benchmark database is not empty ({len(tables)} tables): "
                           "point --database-url at a new, empty database")


@contextmanager
def fresh_database(url: str | None = None, keep: bool = False):
    """Make a new database (a SQLite file in a temporary directory unless `url` names an empty
    one), migrate it, and make it Django's default connection until the block ends. Yields its
    description. The temporary directory is removed afterwards unless `keep` is true."""
    directory = None
    if url is None:
        directory = Path(tempfile.mkdtemp(prefix="casebridge-bench-"))
        url = f"sqlite:///{directory / 'bench.sqlite3'}"
    settings = _settings(url)
    saved = connections[DEFAULT_DB_ALIAS]
    bench = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = bench
    try:
        _refuse_if_not_empty()
        call_command("migrate", verbosity=0, interactive=False)
        yield describe(settings)
    finally:
        bench.close()
        connections[DEFAULT_DB_ALIAS] = saved
        if directory is not None and not keep:
            shutil.rmtree(directory, ignore_errors=True)


def settle() -> None:
    """After the bulk load, untimed. On PostgreSQL, VACUUM ANALYZE, as an operator runs it after a
    migration's import: the planner's statistics then describe the loaded tables, and autovacuum's
    own first pass over a million fresh rows does not run beside the measurements (in one run it
    vacuumed the audit tables while the timeline was being timed). SQLite has nothing to settle: the
    product never runs ANALYZE there, so the benchmark does not either."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
