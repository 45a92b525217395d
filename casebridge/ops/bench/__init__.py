"""`casebridge bench`: build a world at scale in a new database and measure, in one run, what
need-to-know costs (DESIGN.md §7).

    database.py  the benchmark's own database, never the installation's
    world.py     agencies, people, cases, memberships, teams, agreements, consents
    ingest.py    items and their audit events, loaded through the bulk import (casebridge.imports), timed
    trail.py     days of people at work on the audit trail, and its verification (timed)
    measure.py   timeline and search pages, decisions in Python and Cedar
    report.py    the table, the JSON and the targets
"""

import random
import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from casebridge.ops.bench import measure, trail
from casebridge.ops.bench.database import fresh_database, settle
from casebridge.ops.bench.ingest import load_items
from casebridge.ops.bench.report import machine, with_targets
from casebridge.ops.bench.world import build_world
from casebridge.vocabulary import Purpose

PURPOSE = Purpose.CASE_MANAGEMENT


@dataclass(frozen=True)
class Scale:
    cases: int = 10_000
    items: int = 1_000_000
    practitioners: int = 2_000
    agreements: int = 300
    seed: int = 2026
    timeline_samples: int = 200
    search_samples: int = 100
    cedar_decisions: int = 1_000
    audit_days: int = 2  # days of people at work on the trail (trail.EVENTS_PER_PERSON_DAY each, per person)


class _Silent:
    def update(self, n: int = 1) -> None:
        pass


def _no_progress(description: str, total: int):
    return nullcontext(_Silent())


def run(*, scale: Scale, database_url: str | None = None, keep: bool = False, progress=_no_progress) -> dict:
    """Build the world in a new database, measure, and return the results with their targets.
    `progress(description, total)` gives a context manager with `update(n)` (a tqdm bar)."""
    rng, host = random.Random(scale.seed), machine()
    started, cpu_started = time.perf_counter(), time.process_time()
    with fresh_database(database_url, keep) as database:
        today = timezone.localdate()
        with progress("Building the world", 1) as bar, transaction.atomic():
            world = build_world(rng=rng, cases=scale.cases, practitioners=scale.practitioners,
                                agreements=scale.agreements, today=today)
            bar.update(1)
        with progress("Loading items", scale.items) as bar:
            ingest = load_items(rng=rng, world=world, total=scale.items, advance=bar.update)
        days = trail.day_events(world) * scale.audit_days
        with progress("Recording days of people at work", days) as bar:
            first = trail.record_days(rng=rng, world=world, days=scale.audit_days, advance=bar.update)
        settle()
        results = {**asdict(scale), "database": database, "machine": host,
                   "ingest_items_per_s": ingest.items_per_s, "items": ingest.items, "import_runs": ingest.runs}
        results.update(_measure(rng, scale, today, progress))
        results.update(trail.verification(first=first, day=trail.day_events(world)))
    # Wall-clock rates mean little on a machine shared with other work: say how much of a CPU the
    # benchmark got, and how loaded the machine was at the end.
    results["cpu_share"] = (time.process_time() - cpu_started) / (time.perf_counter() - started)
    results["machine"]["load_average_end"] = machine()["load_average"]
    return with_targets(results)


def _measure(rng: random.Random, scale: Scale, today, progress) -> dict:
    results = {}
    with progress("Measuring", 4) as bar:
        pairs = measure.sample_pairs(rng, max(scale.timeline_samples, scale.search_samples))
        results.update(measure.timeline(pairs=pairs[:scale.timeline_samples], purpose=PURPOSE))
        bar.update(1)
        results.update(measure.search(rng=rng, pairs=pairs[:scale.search_samples], purpose=PURPOSE))
        bar.update(1)
        results.update(measure.http(rng=rng, pairs=pairs[:scale.search_samples], purpose=PURPOSE))
        bar.update(1)
        results.update(measure.decisions(pairs=pairs[:scale.timeline_samples], purpose=PURPOSE, today=today,
                                         cedar_decisions=scale.cedar_decisions))
        bar.update(1)
    return results
