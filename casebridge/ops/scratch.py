"""Throwaway resources for commands and tests that start real servers: a free loopback port, a
PostgreSQL database of their own (created empty, dropped at the end) beside the one a URL names, and
`casebridge serve` itself as a separate process (`served`)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

# The CLI as an operator runs it, in this interpreter.
CLI = [sys.executable, "-c", "import sys; from casebridge.cli import main; sys.exit(main())"]
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def scratch_database(base_url: str, prefix: str):
    """Yield the URL of a new, empty database `<prefix>_<pid>` on the server of `base_url`."""
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    admin = urlunparse(urlparse(base_url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(base_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def served(env: dict, log: Path, *options: str):
    """Start `casebridge serve --host 127.0.0.1 --port <free> [options]` with environment `env`, its
    output in `log`; yield its URL (no trailing slash) once /api/health answers. At the end: SIGTERM,
    then SIGKILL to its whole process group (a pre-forking server's workers) after 30 s."""
    port = free_port()
    with log.open("w") as output:
        server = subprocess.Popen(CLI + ["serve", "--host", "127.0.0.1", "--port", str(port), *options], env=env,
                                  stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, f"{url}/api/health", log)
        yield url
    finally:
        _stop(server)


def _wait_until_up(server: subprocess.Popen, health: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"casebridge serve stopped at start ({server.returncode}): "
                               f"{log.read_text()[-500:].strip()}")
        try:
            with urllib.request.urlopen(health, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"casebridge serve did not answer at {health} within {STARTUP_SECONDS} s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
