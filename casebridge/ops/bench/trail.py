"""The audit trail the verification is measured on: after the import's item creations, days of
people at work in the world built (casebridge.audit.synthetic: case pages, item pages, timelines,
searches, new items, disclosures, lookups, sign-ins), and its verification measured three ways.

A day is `EVENTS_PER_PERSON_DAY` audited events for each practitioner: a page every five minutes
or so through a working day, each page one consultation event (an assumption, documented in
docs/benchmarks.md; the load benchmark's people pause 1-5 s and would write far more, but nobody
works like that all day).
"""

import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import CommandError
from django.test import override_settings

from casebridge.audit import checkpoints, synthetic
from casebridge.audit.models import AuditEvent
from casebridge.audit.verification import verify, verify_trail
from casebridge.items.models import InformationItem
from casebridge.ops.bench.world import World

EVENTS_PER_PERSON_DAY = 100


def day_events(world: World) -> int:
    return max(1, len(world.people) * EVENTS_PER_PERSON_DAY)


def cast_of(world: World) -> synthetic.Cast:
    """The world's agencies, people and cases, with the items loaded, as the generator draws from."""
    items: dict[int, list[synthetic.Item]] = {case.pk: [] for case in world.cases}
    rows = InformationItem.objects.values_list("pk", "case_id", "originating_agency_id", "category", "classification")
    for pk, case_id, agency_id, category, level in rows.order_by("pk").iterator(chunk_size=20_000):
        items[case_id].append(synthetic.Item(pk, agency_id, category, level))
    cases = [synthetic.Case(case.pk, list(world.members[case.pk]), items[case.pk]) for case in world.cases]
    return synthetic.Cast({agency.pk: agency for agency in world.agencies}, world.staff, cases)


def record_days(*, rng: random.Random, world: World, days: int, advance=lambda n: None) -> int:
    """Append `days` days of people at work to the trail, ending today; returns the first event's seq."""
    first = (AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    per_day = day_events(world)
    trail = synthetic.Trail(rng, cast_of(world), start=synthetic.start_of(days), per_day=per_day)
    synthetic.append(trail, per_day * days, batch=5000, advance=advance)
    return first


def _timed(run):
    started, cpu = time.perf_counter(), time.process_time()
    result = run()
    if not result.ok:
        raise CommandError(f"the benchmark's own audit chain does not verify: {result.reason}")
    return result, time.perf_counter() - started, time.process_time() - cpu


def verification(*, first: int, day: int) -> dict:
    """The whole chain; the people at work alone (from `first`, the trail a deployment mostly holds);
    and the last `day` events from the checkpoint before them, as `audit checkpoint` does each day,
    with a key and checkpoints of the benchmark's own."""
    whole, whole_s, whole_cpu = _timed(verify)
    signed = AuditEvent.objects.get(seq=first)
    at_work, work_s, work_cpu = _timed(lambda: verify(since=checkpoints.Checkpoint(first, signed.hash, "", "", "")))
    head = whole.checked
    with tempfile.TemporaryDirectory(prefix="casebridge-bench-checkpoints-") as folder:
        key = checkpoints.create_key(Path(folder) / "key.pem")
        with override_settings(CASEBRIDGE_AUDIT_SIGNING_KEY=key, CASEBRIDGE_AUDIT_CHECKPOINT_DIR=Path(folder) / "cp"):
            since = max(1, head - day + 1)
            checkpoints.sign(since, AuditEvent.objects.get(seq=since).hash)
            incremental, day_s, _ = _timed(lambda: verify_trail(incremental=True))
    return {"audit_events": whole.checked, "audit_verify_chain_events_per_s": whole.checked / whole_s,
            "audit_verify_chain_cpu_events_per_s": whole.checked / whole_cpu,
            "audit_work_events": at_work.checked, "audit_verify_events_per_s": at_work.checked / work_s,
            "audit_verify_cpu_events_per_s": at_work.checked / work_cpu,
            "audit_day_events": incremental.checked, "audit_verify_incremental_day_s": day_s}
