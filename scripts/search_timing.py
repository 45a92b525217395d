"""Time `search.services.search_items` as the product runs it, on a database `casebridge bench` kept.

    CASEBRIDGE_DATA_DIR=/tmp/x .venv/bin/python scripts/search_timing.py sqlite:////tmp/casebridge-bench-…/bench.sqlite3
    CASEBRIDGE_DATA_DIR=/tmp/x .venv/bin/python scripts/search_timing.py postgres://postgres@127.0.0.1:5434/srch_1m

Each sample is one active practitioner on a case team and a word of the bench's vocabulary; one search
(count, page of 50, per-result decisions with snippets, the audit write) is one transaction, as in a
request. Prints p50 / p95 / max in milliseconds (wall clock, and this process's CPU time: on SQLite
all of the work, on PostgreSQL the Python side), the mean rows shown and counted, and the load average.
"""

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import nullcontext

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebridge.settings")

import django  # noqa: E402

django.setup()

from django.db import DEFAULT_DB_ALIAS, connections, transaction  # noqa: E402
from django.db.utils import load_backend  # noqa: E402

from casebridge.agencies.models import Practitioner  # noqa: E402
from casebridge.cases.models import TeamAssignment  # noqa: E402
from casebridge.ops.bench.database import _settings  # noqa: E402
from casebridge.ops.bench.ingest import WORDS  # noqa: E402
from casebridge.ops.bench.measure import need_to_know_off  # noqa: E402
from casebridge.search import services  # noqa: E402
from casebridge.vocabulary import Purpose  # noqa: E402


def use(url: str) -> None:
    settings = _settings(url)
    connections[DEFAULT_DB_ALIAS] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, DEFAULT_DB_ALIAS)


def samples(rng: random.Random, count: int):
    live = TeamAssignment.objects.filter(released_at__isnull=True, practitioner__is_active=True).order_by("pk")
    people = sorted({p for p in live.values_list("practitioner_id", flat=True)})
    chosen = rng.sample(people, k=min(count, len(people)))
    loaded = Practitioner.objects.select_related("agency").in_bulk(chosen)
    return [(loaded[p], rng.choice(WORDS)) for p in chosen]


def search(actor, word, limit):
    with transaction.atomic():
        results, total = services.search_items(actor=actor, query=word, purpose=Purpose.CASE_MANAGEMENT,
                                               limit=limit)
    return results, total


def percentile(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--word", help="search this word for every sample")
    parser.add_argument("--twin", action="store_true", help="time the unfiltered twin (need-to-know off) instead")
    args = parser.parse_args()
    use(args.url)
    rng = random.Random(args.seed)
    asks = samples(rng, args.samples)
    if args.word:
        asks = [(actor, args.word) for actor, _ in asks]
    twin = need_to_know_off if args.twin else nullcontext
    for actor, word in asks[:5]:  # warm the caches
        with twin():
            search(actor, word, args.limit)
    times, cpu, shown, totals, slow = [], [], 0, 0, []
    for actor, word in asks:
        started, cpu_started = time.perf_counter(), time.process_time()
        with twin():
            results, total = search(actor, word, args.limit)
        ms = (time.perf_counter() - started) * 1000
        times.append(ms)
        cpu.append((time.process_time() - cpu_started) * 1000)
        shown += len(results)
        totals += total
        slow.append((ms, actor.pk, word, total))
    load = os.getloadavg()
    print(f"{len(times)} searches: p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
          f"max {max(times):.1f} ms; this process's CPU p50 {percentile(cpu, 50):.1f} ms, p95 {percentile(cpu, 95):.1f} ms; "
          f"{shown / len(times):.1f} shown, {totals / len(times):.0f} total on average; "
          f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for ms, pk, word, total in sorted(slow, reverse=True)[:5]:
        print(f"  {ms:.1f} ms  practitioner {pk}  {word!r}  total {total}", file=sys.stderr)


if __name__ == "__main__":
    main()
