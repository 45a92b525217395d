"""A real Casebridge server for browser tests: `casebridge migrate`, `demo`, `serve`, in a
throwaway data directory (SQLite) or a throwaway PostgreSQL database when DATABASE_URL is set."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from casebridge.ops.scratch import free_port, scratch_database

CLI = [sys.executable, "-c", "import sys; from casebridge.cli import main; sys.exit(main())"]


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
        port = free_port()
        env = {**os.environ, "CASEBRIDGE_MODE": "demo", "CASEBRIDGE_DATA_DIR": data}
        env.pop("DATABASE_URL", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        if db:
            env["DATABASE_URL"] = db
        for step in (["migrate"], ["demo"]):
            subprocess.run(CLI + step, env=env, check=True, capture_output=True, timeout=600)
        log = open(Path(data) / "server.log", "w")
        server = subprocess.Popen(CLI + ["serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{url}/api/health", server)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=20)
            log.close()


def _wait_for(url: str, server, seconds: int = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"casebridge serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"casebridge serve did not answer at {url}")
