"""Loading the bulk of the world, information items, the way an import would: in batches, each
batch one transaction holding the items and their audit events, chained like any other event.

The loader's rate (items per second, audit events included) is one of the benchmark's results:
only the writing is timed, not the drawing of random content.
"""

import random
import time
from contextlib import contextmanager
from bisect import bisect
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

from django.db import connection, transaction
from django.core.management.color import no_style

from casebridge.audit.models import Operation
from casebridge.audit.services import record_many
from casebridge.items.models import InformationItem
from casebridge.ops.bench.world import NOW, World, writes
from casebridge.search import fts
from casebridge.sharing.models import Disclosure
from casebridge.vocabulary import Purpose

ITEM = "items.informationitem"
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


class _Drafts:
    """Draws the items of one case after another, numbering them (the database is new, so the
    loader knows every id and a tearline can point at an earlier item without a round trip)."""

    def __init__(self, rng: random.Random, world: World):
        self.rng, self.world, self.next_id = rng, world, 1
        self.disclosures: list[tuple[int, int, int, bool]] = []  # (item, originator, recipient, revoked)

    def case_items(self, case, count: int) -> list[dict]:
        rng, members = self.rng, self.world.members[case.pk]
        weights = [3 if agency_id == case.lead_agency_id else 1 for agency_id in members]
        last_of: dict[int, dict] = {}
        span = max((self.world.today - case.opened_on).days, 1) + 365
        drafts = []
        for _ in range(count):
            agency_id = rng.choices(members, weights)[0]
            draft = self._draft(case, agency_id, span, last_of.get(agency_id))
            last_of[agency_id] = draft
            drafts.append(draft)
            if rng.random() < 0.01 and len(members) > 1:
                recipient = rng.choice([a for a in members if a != agency_id])
                self.disclosures.append((draft["id"], agency_id, recipient, rng.random() < 0.1))
        return drafts

    def _draft(self, case, agency_id: int, span: int, earlier: dict | None) -> dict:
        rng = self.rng
        author = rng.choice(self.world.staff[agency_id])
        kind = author.agency.kind
        # A tearline: a sanitised version of the agency's previous item on the case, one level lower.
        derived = earlier if earlier and earlier["classification"] > 0 and rng.random() < 0.01 else None
        if derived:
            category, level = derived["category"], derived["classification"] - 1
        else:
            category = rng.choice(writes(kind)) if rng.random() < 0.8 else rng.choice(WRITES_ANY)
            level = min(rng.choices(LEVELS, LEVEL_WEIGHTS)[0], author.clearance)
        draft = dict(
            id=self.next_id, case_id=case.pk, originating_agency_id=agency_id, author=author, author_id=author.pk,
            category=category,
            nature=rng.choice(["fact", "assessment", "opinion"]),
            title=f"{category.replace('_', ' ').capitalize()}: {words(rng, 4)}", body=words(rng, rng.randint(20, 40)),
            fact_date=self.world.today - timedelta(days=rng.randrange(span)), classification=level,
            orcon=rng.random() < (0.15 if kind in ("police", "intelligence") else 0.02),
            no_decision=rng.random() < 0.03, intelligence=category == "intelligence",
            derived_from_id=derived["id"] if derived else None, created_at=NOW, updated_at=NOW,
            retracted_at=NOW if rng.random() < 0.005 else None)
        self.next_id += 1
        return draft


def _events(drafts: list[dict]) -> list[dict]:
    return [dict(actor=d["author"], operation=Operation.CREATE, object_type=ITEM, object_id=d["id"],
                 case_id=d["case_id"], purpose=Purpose.CASE_MANAGEMENT,
                 detail={"category": d["category"], "classification": d["classification"],
                         "handling": ["ORCON"] if d["orcon"] else [], "intelligence": d["intelligence"]})
            for d in drafts]


class _ItemWriter:
    """Items with one prepared INSERT a batch. bulk_create compiles SQL for every few dozen rows and
    prepares every value through its field, which costs more than SQLite's own work; here dates
    and times are adapted by the connection as the fields would, and defaults come from the fields."""

    def __init__(self):
        ops = connection.ops
        self.fields = InformationItem._meta.concrete_fields
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            ops.quote_name(InformationItem._meta.db_table), ", ".join(ops.quote_name(f.column) for f in self.fields),
            ", ".join(["%s"] * len(self.fields)))
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        kinds = {f.attname: f.get_internal_type() for f in self.fields}
        self.dates = [n for n, f in enumerate(self.fields) if kinds[f.attname] == "DateField"]
        self.times = [n for n, f in enumerate(self.fields) if kinds[f.attname] == "DateTimeField"]
        self.adapted: dict = {None: None}

    def _time(self, value):
        if value not in self.adapted:
            self.adapted[value] = connection.ops.adapt_datetimefield_value(value)
        return self.adapted[value]

    def write(self, drafts: list[dict]) -> None:
        names, defaults, rows = [f.attname for f in self.fields], self.defaults, []
        for draft in drafts:
            row = [draft.get(name, defaults[name]) for name in names]
            for n in self.dates:
                row[n] = connection.ops.adapt_datefield_value(row[n])
            for n in self.times:
                row[n] = self._time(row[n])
            rows.append(row)
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)


@contextmanager
def _indexed_per_batch(first: int, last: int):
    """Full-text index a batch with one statement instead of row by row.

    The items table keeps its SQLite FTS5 index current with a row trigger, and FTS5 flushes its
    in-memory buffer at the end of every trigger statement: measured here at 35-40 µs of CPU per
    item, more than the item and its audit event together. Like any bulk import, the loader
    lifts the insert trigger inside the batch's transaction and indexes the batch's rows in one
    INSERT ... SELECT (about 6 µs an item before the index held stems: each item's words are now
    also stemmed in Python, casebridge.search.stems, cached per word). DDL is transactional in SQLite, so other connections
    see either the old state with its trigger or the new rows indexed with the trigger back."""
    if connection.vendor != "sqlite":  # PostgreSQL's GIN index is maintained by the insert itself
        yield
        return
    # If the batch fails, its transaction rolls back the DROP with everything else.
    name = "search_item_fts_insert"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}")
        yield
        cursor.execute(fts.SQLITE_INDEX_RANGE, [first, last])
        cursor.execute(fts.SQLITE_TRIGGERS[name])


def _write(writer: _ItemWriter, drafts: list[dict]) -> float:
    """One batch, items and audit events, in one transaction; returns the seconds it took."""
    started = time.perf_counter()
    with transaction.atomic(), _indexed_per_batch(drafts[0]["id"], drafts[-1]["id"]):
        writer.write(drafts)
        record_many(_events(drafts))
    return time.perf_counter() - started


def load_items(*, rng: random.Random, world: World, total: int, batch: int = 5000,
               advance=lambda n: None) -> Ingest:
    """Draw and load `total` items over the world's cases, with one audit event each; then ~1% of
    them disclosed to another member agency (a tenth of those revoked)."""
    drafts, writer, pending, seconds = _Drafts(rng, world), _ItemWriter(), [], 0.0
    for case, count in zip(world.cases, spread(rng, total, len(world.cases))):
        pending += drafts.case_items(case, count)
        if len(pending) >= batch:
            seconds += _write(writer, pending)
            advance(len(pending))
            pending = []
    if pending:
        seconds += _write(writer, pending)
        advance(len(pending))
    _reset_sequences()
    _disclose(world, drafts.disclosures)
    return Ingest(items=drafts.next_id - 1, events=drafts.next_id - 1, seconds=seconds)


def _reset_sequences() -> None:
    # Ids were given explicitly; PostgreSQL's sequence must learn where they stopped.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [InformationItem]):
            cursor.execute(statement)


def _disclose(world: World, disclosures: list[tuple[int, int, int, bool]]) -> None:
    with transaction.atomic():
        Disclosure.objects.bulk_create(
            [Disclosure(item_id=item_id, recipient_id=recipient, justification="Needed for the plan (benchmark).",
                        disclosed_by=world.staff[originator][0], disclosed_at=NOW, revoked_at=NOW if revoked else None)
             for item_id, originator, recipient, revoked in disclosures], batch_size=2000)
