"""A real Casebridge server for browser tests: `casebridge migrate`, `demo`, `serve`, in a
throwaway data directory (SQLite) or a throwaway PostgreSQL database when DATABASE_URL is set."""

import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from casebridge.ops.scratch import CLI, scratch_database, served


@contextmanager
def _database(base_url: str | None):
    """Yield a DATABASE_URL for the server: None (SQLite in its data dir) or a fresh PG database."""
    if not base_url:
        yield None
        return
    with scratch_database(base_url, "casebridge_e2e") as url:
        yield url


@contextmanager
def demo_server():
    with tempfile.TemporaryDirectory(prefix="casebridge-e2e-") as data, _database(os.environ.get("DATABASE_URL")) as db:
        # The browser suite signs the demo's personas in dozens of times within minutes, all from one
        # address: the sign-in limits are raised for it (accounts/tests/test_throttle.py tests them).
        env = {**os.environ, "CASEBRIDGE_MODE": "demo", "CASEBRIDGE_DATA_DIR": data,
               "CASEBRIDGE_RATE_LOGIN": "200/300", "CASEBRIDGE_RATE_SECOND_FACTOR": "200/300"}
        env.pop("DATABASE_URL", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        if db:
            env["DATABASE_URL"] = db
        for step in (["migrate"], ["demo"]):
            subprocess.run(CLI + step, env=env, check=True, capture_output=True, timeout=600)
        with served(env, Path(data) / "server.log") as url:
            yield url
