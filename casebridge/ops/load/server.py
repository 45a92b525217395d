"""Casebridge servers started as separate operating-system processes, exactly as an operator would
start them (`casebridge serve`), on the benchmark's database."""

import itertools
import os
from contextlib import contextmanager
from pathlib import Path

from casebridge.ops.scratch import served

_started = itertools.count(1)


def _environment(database_url: str, data_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CASEBRIDGE_", "DJANGO_"))}
    env.update({"DATABASE_URL": database_url, "CASEBRIDGE_MODE": "development", "CASEBRIDGE_DATA_DIR": str(data_dir),
                "CASEBRIDGE_ALLOWED_HOSTS": "127.0.0.1", "PYTHONUNBUFFERED": "1"})
    return env


@contextmanager
def serving(*, database_url: str, data_dir: Path, workers: int | None, threads: int = 8,
            settings: dict[str, str] | None = None):
    """Start `casebridge serve` (with `--workers N`, or waitress alone if None) and yield its URL;
    stop it when the block ends (`scratch.served`). `settings`: more CASEBRIDGE_* environment
    variables for the server."""
    options = ["--threads", str(threads)] + (["--workers", str(workers)] if workers else [])
    log = data_dir / f"server-{next(_started)}.log"  # several may serve from one directory
    with served({**_environment(database_url, data_dir), **(settings or {})}, log, *options) as url:
        yield f"{url}/"
