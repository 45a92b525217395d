"""`casebridge bench --http`: the load benchmark. Build the benchmark world in a database of its
own, start `casebridge serve --workers N` on it as separate processes, drive it with concurrent
signed-in clients, and report throughput, latency percentiles and errors per endpoint; then check
that the audit chain verifies, that every read request left exactly one consultation event and
that every write was kept.

    setup.py   the practitioners the clients act as: an API token, a web session with second factor
    server.py  the server processes
    drive.py   the clients and the mix of requests
    report.py  figures, the audit check, the targets and the table
"""

import os
import random
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from casebridge.audit.appending import logged_holds
from casebridge.audit.models import AuditEvent
from casebridge.audit.verification import verify
from casebridge.items.models import InformationItem
from casebridge.ops.bench.database import fresh_database
from casebridge.ops.bench.ingest import load_items
from casebridge.ops.bench.report import machine
from casebridge.ops.bench.world import build_world
from casebridge.ops.load import report
from casebridge.ops.load.drive import drive
from casebridge.ops.load.server import serving
from casebridge.ops.load.setup import search_words, subjects


@dataclass(frozen=True)
class LoadScale:
    cases: int = 500
    items: int = 50_000
    practitioners: int = 400
    agreements: int = 40
    seed: int = 2026
    clients: int = 16
    seconds: float = 30.0
    workers: tuple[int, ...] = (1, 2)
    threads: int = 1
    # The people-at-work run (latency): each client pauses this many seconds (least, most) after every
    # answer, on the largest number of workers, for `user_seconds`; None skips it.
    think: tuple[float, float] | None = (1.0, 5.0)
    user_seconds: float = 180.0


def run(*, scale: LoadScale, database_url: str | None = None, keep: bool = False) -> dict:
    """The whole benchmark; returns its results with the targets and whether each is met."""
    directory = Path(tempfile.mkdtemp(prefix="casebridge-load-"))
    url = database_url or f"sqlite:///{directory / 'load.sqlite3'}"
    results = {}
    try:
        with fresh_database(url) as description:
            results = {**asdict(scale), "database": description, "engine": connection.vendor, "machine": machine()}
            people = prepare(scale)
            results["runs"] = [_one_run(scale, url, directory, workers, people) for workers in scale.workers]
            if scale.think:
                results["users"] = _one_run(scale, url, directory, max(scale.workers), people, think=scale.think)
            checked = verify()
            results.update(audit_chain_ok=checked.ok, audit_events_checked=checked.checked)
    finally:
        if keep and database_url is None:
            results["kept"] = str(directory)
        else:
            shutil.rmtree(directory, ignore_errors=True)
    rates = {run["workers"]: run["per_s"] for run in results["runs"]}
    if 1 in rates and 2 in rates and rates[1]:
        results["speedup_2_over_1"] = round(rates[2] / rates[1], 2)
    results["targets"] = report.targets(results)
    return results


def prepare(scale: LoadScale) -> list:
    """Build the world in the current default database and give the clients' identities."""
    rng = random.Random(scale.seed)
    with transaction.atomic():
        world = build_world(rng=rng, cases=scale.cases, practitioners=scale.practitioners,
                            agreements=scale.agreements, today=timezone.localdate())
    load_items(rng=rng, world=world, total=scale.items)
    return subjects(rng=rng, count=scale.clients)


def _one_run(scale: LoadScale, url: str, directory: Path, workers: int, people: list,
             think: tuple[float, float] | None = None) -> dict:
    """One run: the servers started, the clients driven (at once, or pausing `think` seconds), the
    figures and the trail check."""
    last_seq = AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0
    items_before = InformationItem.objects.filter(title__startswith=report.WRITE_TITLE).count()
    connection.close()  # the servers are the only clients while the load runs
    holds = directory / f"holds-{workers}{'-people' if think else ''}"  # the servers write their lock holds here
    with serving(database_url=url, data_dir=directory, workers=workers, threads=scale.threads,
                 settings={"CASEBRIDGE_LOCK_TIMES": str(holds)}) as base_url:
        seconds = scale.user_seconds if think else scale.seconds
        tally = drive(base_url=base_url, subjects=people, clients=scale.clients, seconds=seconds,
                      words=search_words(), seed=scale.seed + workers, warmup=min(3.0, seconds), think=think)
    figures = report.endpoints(tally)
    answered, errors = sum(f["requests"] for f in figures.values()), sum(tally.errors.values())
    return {"workers": workers, "think": list(think) if think else None, "seconds": round(tally.seconds, 2), "per_s": round(answered / tally.seconds, 1),
            "errors": errors, "error_samples": tally.error_samples, "endpoints": figures,
            "server_log": _log_tail(directory) if errors else [],
            "trail": report.trail(last_seq, tally, items_before), "lock": report.lock_holds(logged_holds(holds)),
            "load_average_end": os.getloadavg()[0]}


def _log_tail(directory: Path, lines: int = 40) -> list[str]:
    """The end of the newest server's log, to say why requests failed."""
    logs = sorted(directory.glob("server-*.log"), key=lambda path: path.stat().st_mtime)
    return logs[-1].read_text(errors="replace").splitlines()[-lines:] if logs else []
