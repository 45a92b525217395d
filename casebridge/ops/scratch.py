"""Throwaway resources for commands and tests that start real servers: a free loopback port, and a
PostgreSQL database of their own (created empty, dropped at the end) beside the one a URL names."""

import os
import socket
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse


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
