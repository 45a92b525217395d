"""How long the audit chain's lock is held under concurrent requests (`casebridge audit lock-time`).

Each simulated request is what a case page does under ATOMIC_REQUESTS: one transaction that records
its events early (a read of the case, a listing of the items shown with their bases) and then goes
on for a while (loading and rendering the page) before it commits. Clients are processes (as
server workers are: no shared interpreter lock stretching a hold), each with its own connection to
a new database made for the run (never the installation's). For each
transaction the hold is measured from the moment the chain lock is granted (in
casebridge.audit.appending.flush) to the end of the commit that releases it; the transaction's own
duration is what the lock was held for when the first audit write took it.
"""

import random
import statistics
import multiprocessing
import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import load_backend

from casebridge.audit import appending
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.services import record
from casebridge.audit.verification import verify
from casebridge.vocabulary import Purpose


@dataclass(frozen=True)
class LockTimes:
    requests: int
    seconds: float
    holds_ms: list[float]  # chain lock granted -> commit done, one per request
    server_ms: list[float]  # PostgreSQL: granted -> events inserted, in the server (empty on SQLite)
    transactions_ms: list[float]  # first audit write -> commit done, one per request
    events: int
    verified: bool

    @staticmethod
    def percentile(values: list[float], share: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def summary(self, values: list[float]) -> str:
        return (f"p50 {self.percentile(values, .50):.2f} ms, p95 {self.percentile(values, .95):.2f} ms, "
                f"p99 {self.percentile(values, .99):.2f} ms, max {max(values, default=0):.2f} ms, "
                f"mean {statistics.fmean(values) if values else 0:.2f} ms")


def _request(number: int, rng: random.Random, render_ms: float, shown: int) -> float:
    started = time.perf_counter()
    with transaction.atomic():
        record(actor=None, operation=Operation.READ, object_type="cases.case", object_id=number % 500 + 1,
               case_id=number % 500 + 1, purpose=Purpose.CASE_MANAGEMENT, detail={"basis": "team member"})
        items = {str(number * shown + n): "originator" for n in range(shown)}
        record(actor=None, operation=Operation.LIST, object_type="items.informationitem", case_id=number % 500 + 1,
               purpose=Purpose.CASE_MANAGEMENT, detail={"items": items, "total": shown, "offset": 0})
        time.sleep(render_ms * rng.uniform(0.5, 1.5) / 1000)  # the rest of the request, events already recorded
    return (time.perf_counter() - started) * 1000


def _client(settings: dict, numbers: list[int], seed: int, render_ms: float, shown: int):
    """One client process: its requests; returns (lock holds, transaction durations), in ms."""
    own = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = own  # this process's connection, to the benchmark database
    rng = random.Random(seed)
    try:
        with appending.lock_holds() as holds, appending.server_holds() as inside:
            transactions = [_request(number, rng, render_ms, shown) for number in numbers]
        return [h * 1000 for h in holds], transactions, [h * 1000 for h in inside]
    finally:
        own.close()


def machine_jitter(*, samples: int = 2000, work_ms: float = 0.5) -> list[float]:
    """How long this machine takes, in ms, to run the same `work_ms` of pure computation in one
    process, `samples` times with short pauses between: the floor under any hold's percentiles here
    (a virtual machine's scheduling shows in the tail, whatever the work)."""
    def spin(rounds: int) -> None:
        total = 0
        for n in range(rounds):
            total += n

    rounds, started = 10_000, time.perf_counter()
    spin(rounds)
    rounds = max(1, int(rounds * work_ms / 1000 / max(time.perf_counter() - started, 1e-6)))
    found = []
    for _ in range(samples):
        started = time.perf_counter()
        spin(rounds)
        found.append((time.perf_counter() - started) * 1000)
        time.sleep(0.002)
    return found


def measure(*, clients: int, requests: int, render_ms: float = 40.0, shown: int = 20, seed: int = 2026) -> LockTimes:
    """Run `requests` simulated requests over `clients` processes against the current default
    database (a fresh one: see casebridge.ops.bench.database.fresh_database)."""
    settings = connections[DEFAULT_DB_ALIAS].settings_dict
    connections[DEFAULT_DB_ALIAS].close()  # never share a connection with a forked child
    jobs = [(settings, list(range(c, requests, clients)), seed + c, render_ms, shown) for c in range(clients)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.starmap(_client, jobs)
    seconds = time.perf_counter() - started
    holds = [ms for found, _, _ in results for ms in found]
    transactions = [ms for _, found, _ in results for ms in found]
    inside = [ms for _, _, found in results for ms in found]
    return LockTimes(requests=len(transactions), seconds=seconds, holds_ms=holds, server_ms=inside,
                     transactions_ms=transactions,
                     events=AuditEvent.objects.count(), verified=verify().ok)
