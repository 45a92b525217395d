"""Loading the bulk of the world, information items, through the product's bulk import
(casebridge.imports, docs/import.md): each member agency's administrator imports the agency's items
on its cases as JSON Lines, in batches, each batch one transaction holding the items, their mapping
rows, their full-text index and their audit events, chained like any other event.

The rate (items per second, audit events included) is one of the benchmark's results: only the
import is timed, parsing and validating every line included, not the drawing of random content.
Tearlines, retractions and disclosures, which an import does not make, are added afterwards
(untimed) so that the world still holds them.
"""

import json
import random
import time
from bisect import bisect
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

from django.db import connection, transaction
from django.db.models.functions import Mod

from casebridge import policy
from casebridge.agencies.models import Practitioner
from casebridge.cases.facts import facts_of_cases
from casebridge.imports.services import import_records
from casebridge.items.models import InformationItem
from casebridge.ops.bench.world import NOW, World, writes
from casebridge.policy import Perm
from casebridge.policy.roles import decide_agency_kind
from casebridge.sharing.models import Disclosure
from casebridge.vocabulary import Purpose, Role

SOURCE = "bench"
BATCH = 5000
PER_CALL = 4 * BATCH  # lines drawn, then imported in one run (its batches timed, not the drawing)
# Words of item titles and bodies, most frequent first (a Zipf-like spread), so that searches range
# from rare to common terms.
WORDS = """contact visit family meeting programme risk review plan release housing employment school mentor
probation officer prison wing behaviour assessment network online support session course training father
mother brother sister friend imam counsellor psychologist doctor medication sleep anxiety anger conflict
debt benefit application appointment court hearing appeal lawyer interpreter travel passport phone
message forum video channel group extremist ideology distance doubt remorse motivation goal progress
setback relapse incident warning sanction reward transfer cell search letter parcel money workshop
certificate diploma apprenticeship job interview landlord tenancy shelter hostel curfew tag reporting
condition licence breach recall liaison handover conference referral consent disclosure agreement
municipality volunteer sport football boxing music art theatre library reading writing language dutch
french arabic turkish somali chechen bosnian kurdish pashto urdu garage bakery warehouse cleaning
kitchen cooking driving bicycle bus train station market mosque church community centre youth club
""".split()
CUMULATIVE = list(accumulate(1 / (rank + 1) for rank in range(len(WORDS))))
LEVELS, LEVEL_WEIGHTS = [0, 1, 2, 3], [50, 30, 15, 5]
WRITES_ANY = ["identity_and_status", "family_and_social_network", "programme_and_intervention", "conference_record"]


def words(rng: random.Random, count: int) -> str:
    return " ".join(WORDS[bisect(CUMULATIVE, rng.random() * CUMULATIVE[-1])] for _ in range(count))


@dataclass(frozen=True)
class Ingest:
    items: int
    events: int
    seconds: float
    runs: int = 0

    @property
    def items_per_s(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


def spread(rng: random.Random, total: int, buckets: int) -> list[int]:
    """`total` split over `buckets`, unevenly (some cases hold three times as much as others)."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(buckets)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for n in range(total - sum(counts)):
        counts[n % buckets] += 1
    return counts


def _importers(world: World) -> dict[int, Practitioner]:
    """An administrator of each agency, cleared to the top level, who imports the agency's items."""
    made = Practitioner.objects.bulk_create([
        Practitioner(username=f"benchimport{a.pk:04d}", password="!", first_name="Bench", last_name="Importer",
                     agency=a, role=Role.AGENCY_ADMIN, clearance=3) for a in world.agencies])
    for person, agency in zip(made, world.agencies):
        person.agency = agency
    return {person.agency_id: person for person in made}


def _shares(rng: random.Random, world: World, total: int, importers: dict) -> dict[int, Counter]:
    """{agency id: Counter(case → items)}: `total` spread over the cases, each case's items over the
    member agencies the import lets write there today (policy.decide_import: active members covering
    the case's phase), the lead writing three times as much as another member."""
    facts = facts_of_cases([case.pk for case in world.cases])
    writers = {case.pk: [a for a in world.members[case.pk]
                         if policy.decide_import(importers[a], facts[case.pk], world.today)] for case in world.cases}
    open_to = [case for case in world.cases if writers[case.pk]]
    shares: dict[int, Counter] = {}
    for case, count in zip(open_to, spread(rng, total, len(open_to))):
        members = writers[case.pk]
        weights = [3 if agency_id == case.lead_agency_id else 1 for agency_id in members]
        for agency_id in rng.choices(members, weights, k=count):
            shares.setdefault(agency_id, Counter())[case] += 1
    return shares


def _line(rng: random.Random, world: World, case, importer, number: int) -> str:
    kind = importer.agency.kind
    category = rng.choice(writes(kind)) if rng.random() < 0.8 else rng.choice(WRITES_ANY)
    span = max((world.today - case.opened_on).days, 1) + 365
    marks_intelligence = category == "intelligence" and bool(decide_agency_kind(importer, Perm.ITEM_MARK_INTELLIGENCE))
    return json.dumps({
        "type": "item", "ref": f"B{number:08d}", "case_reference": case.reference, "category": category,
        "nature": rng.choice(["fact", "assessment", "opinion"]),
        "title": f"{category.replace('_', ' ').capitalize()}: {words(rng, 4)}", "body": words(rng, rng.randint(20, 40)),
        "fact_date": (world.today - timedelta(days=rng.randrange(span))).isoformat(),
        "classification": rng.choices(LEVELS, LEVEL_WEIGHTS)[0],
        "orcon": rng.random() < (0.15 if kind in ("police", "intelligence") else 0.02),
        "no_decision": rng.random() < 0.03, "intelligence": marks_intelligence})


def load_items(*, rng: random.Random, world: World, total: int, batch: int = BATCH,
               advance=lambda n: None) -> Ingest:
    """Draw `total` items over the world's cases and import them, agency by agency, with one audit
    event each (timed); then mark ~1% as tearlines, 0.5% retracted, and disclose ~1% to another
    member agency (a tenth of those revoked)."""
    importers = _importers(world)
    seconds, number, imported, runs = 0.0, 0, 0, 0
    for agency_id, cases in _shares(rng, world, total, importers).items():
        pending: list[str] = []
        last = list(cases)[-1]
        for case, count in cases.items():
            for _ in range(count):
                number += 1
                pending.append(_line(rng, world, case, importers[agency_id], number))
            if len(pending) >= PER_CALL or case is last:
                took, done = _import(importers[agency_id], pending, batch)
                seconds, imported, runs = seconds + took, imported + done, runs + 1
                advance(len(pending))
                pending = []
    _tearlines_and_retractions()
    _disclose(rng, world, importers)
    return Ingest(items=imported, events=imported, seconds=seconds, runs=runs)


def _import(importer, lines: list[str], batch: int) -> tuple[float, int]:
    started = time.perf_counter()
    summary = import_records(actor=importer, lines=lines, source=SOURCE, purpose=Purpose.CASE_MANAGEMENT,
                             batch_size=min(batch, 5000))
    took = time.perf_counter() - started
    if summary.rejected:
        first = summary.rejections[0]
        raise RuntimeError(f"the benchmark's import rejected {summary.rejected} lines, e.g. {first.code}: {first.reason}")
    return took, summary.imported


def _tearlines_and_retractions() -> None:
    """Untimed: ~1% of items become a tearline of the item before them (same case and agency, one
    level or more above), 0.5% are retracted, as the loader used to draw them."""
    table = InformationItem._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET derived_from_id = id - 1 WHERE id % 100 = 7 AND EXISTS ("
                       f"SELECT 1 FROM {table} p WHERE p.id = {table}.id - 1 AND p.case_id = {table}.case_id "
                       f"AND p.originating_agency_id = {table}.originating_agency_id AND p.category = {table}.category "
                       f"AND p.classification > {table}.classification)")
        cursor.execute(f"UPDATE {table} SET retracted_at = %s, retracted_by_id = author_id WHERE id %% 200 = 3",
                       [NOW])  # %% is the modulo operator, % the parameter's mark, on both engines


def _disclose(rng: random.Random, world: World, importers: dict) -> None:
    """Untimed: ~1% of items disclosed by their originator to another member agency, a tenth revoked."""
    chosen = InformationItem.objects.alias(rest=Mod("id", 100)).filter(rest=42).values_list("pk", "case_id", "originating_agency_id")
    rows = []
    for item_id, case_id, originator in chosen.iterator():
        others = [a for a in world.members[case_id] if a != originator]
        if not others:
            continue
        rows.append(Disclosure(item_id=item_id, recipient_id=rng.choice(others), justification="Needed for the plan "
                               "(benchmark).", disclosed_by=world.staff[originator][0], disclosed_at=NOW,
                               revoked_at=NOW if rng.random() < 0.1 else None))
    with transaction.atomic():
        Disclosure.objects.bulk_create(rows, batch_size=2000)
