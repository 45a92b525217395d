"""Casebridge servers started as separate operating-system processes, exactly as an operator would
start them (`casebridge serve`), on the benchmark's database."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from casebridge.ops.scratch import free_port

STARTUP_SECONDS = 60


def _environment(database_url: str, data_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CASEBRIDGE_", "DJANGO_"))}
    env.update({"DATABASE_URL": database_url, "CASEBRIDGE_MODE": "development", "CASEBRIDGE_DATA_DIR": str(data_dir),
                "CASEBRIDGE_ALLOWED_HOSTS": "127.0.0.1", "PYTHONUNBUFFERED": "1"})
    return env


def _wait_until_up(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start: {log.read_text()[-500:].strip()}")
        try:
            if httpx.get(f"{url}api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {STARTUP_SECONDS} s")


@contextmanager
def serving(*, database_url: str, data_dir: Path, workers: int | None, threads: int = 8,
            settings: dict[str, str] | None = None):
    """Start `casebridge serve` (with `--workers N`, or waitress alone if None) and yield its URL;
    stop it (SIGTERM, then SIGKILL after 30 s) when the block ends. `settings`: more CASEBRIDGE_*
    environment variables for the server."""
    port = free_port()
    command = [sys.executable, "-m", "casebridge.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--threads", str(threads)] + (["--workers", str(workers)] if workers else [])
    log = data_dir / f"server-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, env={**_environment(database_url, data_dir), **(settings or {})},
                                   stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(process, url, log)
        yield url
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
