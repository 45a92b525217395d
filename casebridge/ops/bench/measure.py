"""The measurements: what need-to-know costs on the pages people use, and what a decision costs in
Python and in Cedar (how fast the audit chain verifies: casebridge.ops.bench.trail).

Filtered and unfiltered queries are the same page query with and without the policy filter,
timed alternately on the same random (practitioner, case) pairs, so caches favour neither. The
filtered timing includes building the filter, which every request does.
"""

import random
import statistics
import time
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection

from casebridge import policy
from casebridge.agencies.models import Practitioner
from casebridge.cases.models import Case, TeamAssignment
from casebridge.cases.services import case_facts
from casebridge.items.facts import item_facts, items_with_case, sharing_facts
from casebridge.items.models import InformationItem
from casebridge.ops.bench.ingest import WORDS
from casebridge.policy import Perm
from casebridge.policy.cedar import CedarWorld
from casebridge.search.services import matching_items

PAGE = 50
ORDER = ("-fact_date", "-id")


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (1-99) of `values`."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _timed(run, *args) -> tuple[float, int]:
    """Milliseconds `run(*args)` took, and how many rows it returned."""
    started = time.perf_counter()
    rows = run(*args)
    return (time.perf_counter() - started) * 1000, len(rows)


def sample_pairs(rng: random.Random, count: int) -> list[tuple[Practitioner, int]]:
    """Random (practitioner, case they work on) pairs, with the practitioner's agency loaded."""
    live = TeamAssignment.objects.filter(released_at__isnull=True).order_by("pk")
    assignments = list(live.values_list("practitioner_id", "case_id"))
    chosen = rng.sample(assignments, k=min(count, len(assignments)))
    people = Practitioner.objects.select_related("agency").in_bulk({p for p, _ in chosen})
    return [(people[p], case_id) for p, case_id in chosen]


def _compare(pairs, filtered, unfiltered, warm: int = 5) -> dict[str, list]:
    for actor, key in pairs[:warm]:
        filtered(actor, key), unfiltered(actor, key)
    times, rows = {"filtered": [], "unfiltered": []}, {"filtered": 0, "unfiltered": 0}
    for n, (actor, key) in enumerate(pairs):
        runs = [("filtered", filtered), ("unfiltered", unfiltered)]
        for name, run in (runs if n % 2 == 0 else runs[::-1]):
            ms, found = _timed(run, actor, key)
            times[name].append(ms)
            rows[name] += found
    return {**times, "rows": {name: count / max(len(pairs), 1) for name, count in rows.items()}}


def _summary(prefix: str, times: dict) -> dict[str, float]:
    return {f"{prefix}_p50_ms": percentile(times["filtered"], 50),
            f"{prefix}_p95_ms": percentile(times["filtered"], 95),
            f"{prefix}_unfiltered_p50_ms": percentile(times["unfiltered"], 50),
            f"{prefix}_unfiltered_p95_ms": percentile(times["unfiltered"], 95),
            f"{prefix}_rows_per_page": times["rows"]["filtered"],
            f"{prefix}_unfiltered_rows_per_page": times["rows"]["unfiltered"]}


def timeline(*, pairs, purpose: str, today: date) -> dict[str, float]:
    """One timeline page: a case's items, newest first, 50 of them, with and without need-to-know.
    Also the database's share alone: the same two SQL statements, compiled beforehand."""
    def page(actor, case_id, filtered: bool):
        items = InformationItem.objects.filter(policy.visible_items(actor, purpose, today)) if filtered \
            else InformationItem.objects.all()
        return items.filter(case_id=case_id).order_by(*ORDER)[:PAGE]

    results = _summary("timeline", _compare(pairs, lambda a, c: list(page(a, c, True)),
                                            lambda a, c: list(page(a, c, False))))
    compiled = []
    for actor, case_id in pairs:
        try:
            compiled.append((actor, {f: page(actor, case_id, f).query.sql_with_params() for f in (True, False)}))
        except EmptyResultSet:  # an inactive account: Django answers without asking the database
            continue
    sql = _summary("timeline_sql", _compare(compiled, lambda a, q: _execute(*q[True]),
                                            lambda a, q: _execute(*q[False])))
    return {**results, **{k: v for k, v in sql.items() if k.endswith("_ms")}}


def _execute(sql: str, params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def search(*, rng: random.Random, pairs, purpose: str, today: date) -> dict[str, float]:
    """One page of full-text search results (casebridge.search), newest first, with and without
    need-to-know, for a word drawn from the items' vocabulary."""
    asks = [(actor, rng.choice(WORDS)) for actor, _ in pairs]

    def filtered(actor, word):
        visible = InformationItem.objects.filter(policy.visible_items(actor, purpose, today))
        return list(matching_items(visible, word).order_by(*ORDER)[:PAGE])

    def unfiltered(actor, word):
        return list(matching_items(InformationItem.objects.all(), word).order_by(*ORDER)[:PAGE])

    return _summary("search", _compare(asks, filtered, unfiltered))


def _decision_facts(pairs):
    """The decisions a timeline page takes: each pair's practitioner on the case's newest items."""
    case_ids = {case_id for _, case_id in pairs}
    cases = {c.pk: case_facts(c) for c in Case.objects.filter(pk__in=case_ids).select_related("coordinator")
             .prefetch_related("memberships__coverage", "team")}
    pages = {case_id: list(InformationItem.objects.filter(case_id=case_id).order_by(*ORDER)
                           .values_list("pk", flat=True)[:PAGE]) for case_id in case_ids}
    loaded = items_with_case(InformationItem.objects.filter(pk__in=[i for ids in pages.values() for i in ids]))
    items = {i.pk: item_facts(i) for i in loaded}
    world = sharing_facts(recipient_ids={actor.agency_id for actor, _ in pairs},
                          client_ids={i.client_id for i in items.values()}, item_ids=list(items))
    asks = [(actor, items[i], cases[case_id]) for actor, case_id in pairs for i in pages[case_id]]
    return asks, cases, items, world


def decisions(*, pairs, purpose: str, today: date, cedar_decisions: int, seconds: float = 1.0) -> dict:
    """Single-item read decisions per second, in Python on prebuilt facts and through Cedar's
    batch call with parsed policies and entities reused; and whether the two agree."""
    asks, cases, items, world = _decision_facts(pairs)
    answers, done, started = [], 0, time.perf_counter()
    while not done or time.perf_counter() - started < seconds:
        answers = [policy.decide_item(actor, Perm.ITEM_READ, item, case, world, purpose, today).allowed
                   for actor, item, case in asks]
        done += len(asks)
    python_rate = done / (time.perf_counter() - started)

    subset = asks[:cedar_decisions]
    cedar = CedarWorld(actors={actor.pk: actor for actor, _, _ in subset}.values(), cases=cases.values(),
                       items=items.values(), world=world)
    requests = [(actor, item, purpose) for actor, item, _ in subset]
    started = time.perf_counter()
    cedar_answers = cedar.decide_many(requests, today)
    cedar_rate = len(subset) / (time.perf_counter() - started)
    asked = sum(len(cedar.requests(actor, item, purpose, today)) for actor, item, _ in subset)
    return {"decide_per_s": python_rate, "cedar_decide_per_s": cedar_rate,
            "cedar_requests_per_decision": asked / max(len(subset), 1),
            "decisions_allowed_share": sum(answers) / max(len(answers), 1),
            "cedar_disagreements": sum(a != b for a, b in zip(cedar_answers, answers))}
