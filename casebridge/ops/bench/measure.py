"""The measurements: what need-to-know costs on the pages people use, and what a decision costs in
Python and in Cedar (how fast the audit chain verifies: casebridge.ops.bench.trail).

A page is measured as the product serves it, twice: through its service function (the timeline,
search) in a transaction of its own, and as the API's HTTP request through Django's whole stack.
Each is timed against its unfiltered twin, the same call with the item rule lifted
(`need_to_know_off`), alternately on the same random (practitioner, case) pairs, so that caches
favour neither. Everything else a page does (the case's rule, counting, loading, the audit write)
is in both timings.
"""

import random
import statistics
import time
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from casebridge import policy
from casebridge.accounts import services as accounts
from casebridge.agencies.models import Practitioner
from casebridge.cases.models import Case, TeamAssignment
from casebridge.cases.facts import facts_of_cases
from casebridge.cases.services import case_facts
from casebridge.items.facts import item_facts, items_with_case, sharing_facts
from casebridge.items.models import InformationItem
from casebridge.ops.bench.ingest import WORDS
from casebridge.policy import Perm
from casebridge.policy.cedar import CedarWorld
from casebridge.items import services as item_services
from casebridge.search import services as search_services

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
    """Random (practitioner, case they work on) pairs, with the practitioner's agency loaded: people
    whose account is active, on cases the policy lets them open (their agency a member covering the
    case's phase), as only those pages answer with a timeline rather than a 404."""
    live = TeamAssignment.objects.filter(released_at__isnull=True, practitioner__is_active=True).order_by("pk")
    assignments = list(live.values_list("practitioner_id", "case_id"))
    rng.shuffle(assignments)
    people = {}
    chosen = []
    for first in range(0, len(assignments), 4 * count):
        batch = assignments[first:first + 4 * count]
        people.update(Practitioner.objects.select_related("agency").in_bulk({p for p, _ in batch}))
        facts = facts_of_cases({case_id for _, case_id in batch})
        chosen += [(people[p], case_id) for p, case_id in batch
                   if policy.decide_case(people[p], Perm.CASE_VIEW, facts[case_id], timezone.localdate())]
        if len(chosen) >= count:
            break
    return chosen[:count]


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


def _pages(pairs, page, warm: int = 5) -> dict:
    """`page(actor, key)` timed on every pair with the need-to-know rule in force and with it off
    (`need_to_know_off`), alternately, so caches favour neither; `page` returns the rows shown."""
    def twin(actor, key):
        with need_to_know_off():
            return page(actor, key)

    return _compare(pairs, page, twin, warm)


def _summary_with_ratio(prefix: str, times: dict) -> dict[str, float]:
    found = _summary(prefix, times)
    found[f"{prefix}_p95_ratio"] = found[f"{prefix}_p95_ms"] / max(found[f"{prefix}_unfiltered_p95_ms"], 1e-9)
    return found


def timeline(*, pairs, purpose: str) -> dict[str, float]:
    """One timeline page as the product serves it: `items.services.timeline` (the case decided, the
    reader's facts, a decision per item, the 50 newest loaded and decided again, the listing audited
    in the request's transaction), against its unfiltered twin."""
    def page(actor, case_id):
        with transaction.atomic():
            shown, _ = item_services.timeline(actor=actor, case_id=case_id, purpose=purpose, limit=PAGE)
        return shown

    return _summary_with_ratio("timeline", _pages(pairs, page))


def search(*, rng: random.Random, pairs, purpose: str) -> dict[str, float]:
    """One page of search results as the product serves it: `search.services.search_items` (the
    count, the page, each result decided with its snippet, the search audited) for a word drawn
    from the items' vocabulary, against its unfiltered twin."""
    asks = [(actor, rng.choice(WORDS)) for actor, _ in pairs]

    def page(actor, word):
        with transaction.atomic():
            results, _ = search_services.search_items(actor=actor, query=word, purpose=purpose, limit=PAGE)
        return results

    return _summary_with_ratio("search", _pages(asks, page))


def http(*, rng: random.Random, pairs, purpose: str) -> dict[str, float]:
    """The same two pages as HTTP requests to the API, through Django's whole stack in this process
    (middleware, the bearer token, the purpose header, the view, JSON), each against its unfiltered
    twin: `GET /api/cases/{id}/items` and `GET /api/search?q=word`."""
    client = Client(HTTP_HOST=_host(), HTTP_X_CASEBRIDGE_PURPOSE=purpose)
    tokens = _tokens({actor for actor, _ in pairs}, purpose)

    def get(actor, path):
        answer = client.get(path, HTTP_AUTHORIZATION=f"Bearer {tokens[actor.pk]}")
        if answer.status_code != 200:
            raise CommandError(f"GET {path} answered {answer.status_code}: {answer.content[:200]!r}")
        body = answer.json()
        return body.get("items", body.get("results", []))

    timeline_times = _pages(pairs, lambda actor, case_id: get(actor, f"/api/cases/{case_id}/items?limit={PAGE}"))
    asks = [(actor, rng.choice(WORDS)) for actor, _ in pairs]
    search_times = _pages(asks, lambda actor, word: get(actor, f"/api/search?q={word}&limit={PAGE}"))
    return {**_summary_with_ratio("http_timeline", timeline_times), **_summary_with_ratio("http_search", search_times)}


def _host() -> str:
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "") and not h.startswith(".")]
    return hosts[0] if hosts else "127.0.0.1"


def _tokens(actors, purpose: str) -> dict[int, str]:
    """An API token for each actor, issued as the product issues one: by its owner after the second factor."""
    tokens = {}
    with transaction.atomic():
        for actor in actors:
            _, tokens[actor.pk] = accounts.issue_token(actor=actor, owner_id=actor.pk, name="benchmark",
                                                       second_factor=True, purpose=purpose,
                                                       valid_until=timezone.localdate() + timedelta(days=1))
    return tokens


@contextmanager
def need_to_know_off():
    """The unfiltered twin: while the block lasts, the policy's item rule allows every item: its
    decision (`decide_item`, `require_item`) answers yes and its filter (`visible_items`) selects all.
    Everything else a page does (the case's own rule, loading, the audit write) is unchanged.
    For the benchmark's process only: nothing in the product calls it."""
    allowed = policy.Decision(True, "benchmark twin: need-to-know off")
    saved = policy.decide_item, policy.require_item, policy.visible_items
    policy.decide_item = lambda *args, **kwargs: allowed
    policy.require_item = lambda *args, **kwargs: allowed
    policy.visible_items = lambda *args, **kwargs: Q()
    try:
        yield
    finally:
        policy.decide_item, policy.require_item, policy.visible_items = saved


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
