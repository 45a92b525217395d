"""Synthetic audit trails of realistic shape, for the tests and the benchmark (docs/benchmarks.md).

A trail verified for speed must look like the one the product writes, or the figure flatters: most
events are consultations, whose detail names every item a page showed with the basis on which the
reader's agency saw it (1-3 KB of JSON), and every event differs from the others in its reader,
agency, case, items, bases, fingerprints and time. The shapes below are the services' own:

    case page    cases.views (one `audit.consultation`): the case read, its items and what else it listed
    item page    items.services.get_item          timeline   items.services.timeline
    search       search.services.search_items     new item   items.services._create
    disclosure   sharing.services.disclose_item   lookup     search.lookup.lookup_person
    sign-in      accounts.views                   key dates  cases.services.set_key_dates

The mix follows the load benchmark's requests (casebridge.ops.load.drive.MIX) with the rarer
operations added. Events are appended through `casebridge.audit.appending` like any other, each
with its own time, its concerned agencies and its item reads.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from django.db import transaction

from casebridge.audit import appending
from casebridge.audit.appending import ITEM, Entry, reads_of
from casebridge.audit.models import Operation

CATEGORIES = ["identity_and_status", "offence_and_sentence", "risk_and_needs_assessment",
              "custody_behaviour_and_security", "intelligence", "health_and_mental_health",
              "family_and_social_network", "programme_and_intervention", "online_activity",
              "housing_employment_education", "legal_and_residency", "conference_record"]
LEVELS = ["OPEN", "RESTRICTED", "CONFIDENTIAL", "SECRET"]
PURPOSES, PURPOSE_WEIGHTS = (["case_management", "risk_assessment", "release_planning", "supervision",
                              "case_conference", "reintegration_support"], [50, 10, 12, 15, 8, 5])
# Agencies of two countries, with the names people give them (accents, dashes, apostrophes).
NAMES = ["Maison de justice de Liège", "Justitiehuis Antwerpen", "Prison de Lantin", "Gevangenis Brugge",
         "Police fédérale — DJSOC", "Lokale politie Gent", "CAW Oost-Vlaanderen", "OCMW Mechelen",
         "Sûreté de l'État", "Parquet de Bruxelles", "Reclassering Nederland", "Penitentiaire Inrichting Vught",
         "Politie Eenheid Den Haag", "Gemeente Rotterdam — Veiligheid", "Exit-programma Ämne", "Woonbron"]
KINDS = ["probation", "probation", "prison", "prison", "police", "police", "cso", "social_services",
         "intelligence", "prosecution", "probation", "prison", "police", "municipality", "cso", "housing"]
# Items a page names: a case page's first records, a timeline page, a search page (as the load benchmark's).
CASE_PAGE, PAGE, SEARCH_PAGE = 10, 50, 20


@dataclass(frozen=True)
class Agency:
    pk: int
    name: str


@dataclass(frozen=True)
class Actor:
    pk: int
    username: str
    agency: Agency


@dataclass(frozen=True)
class Item:
    pk: int
    agency_id: int
    category: str
    level: int


@dataclass
class Case:
    pk: int
    members: list[int]  # agency ids
    items: list[Item]


@dataclass
class Cast:
    """Who acts on what: agencies, their people, cases with their member agencies and items."""

    agencies: dict[int, Agency]
    staff: dict[int, list[Actor]]  # agency id -> its people
    cases: list[Case]
    next_item: int = 1
    cases_of: dict[int, list[Case]] = field(default_factory=dict)  # agency id -> cases it is a member of

    def __post_init__(self):
        for case in self.cases:
            for agency_id in case.members:
                self.cases_of.setdefault(agency_id, []).append(case)
        self.next_item = 1 + max((item.pk for case in self.cases for item in case.items), default=0)


def make_cast(rng: random.Random, *, agencies: int = 12, people: int = 60, cases: int = 40, items: int = 2000) -> Cast:
    """A cast of its own, without any database row (for tests: the trail holds snapshots, not keys)."""
    offices = {n + 1: Agency(n + 1, NAMES[n % len(NAMES)] + (f" {n // len(NAMES) + 1}" if n >= len(NAMES) else ""))
               for n in range(agencies)}
    staff = {pk: [] for pk in offices}
    for n in range(people):
        agency = offices[n % agencies + 1]
        staff[agency.pk].append(Actor(100 + n, f"{agency.name.split()[0].lower()}{n:04d}", agency))
    drawn = [Case(500 + n, rng.sample(list(offices), k=min(agencies, rng.randint(3, 6))), []) for n in range(cases)]
    for pk in range(1, items + 1):
        case = rng.choice(drawn)
        case.items.append(Item(pk, rng.choice(case.members), rng.choice(CATEGORIES), rng.choice([0, 0, 1, 1, 2, 3])))
    return Cast(offices, staff, drawn)


class Trail:
    """Draws events one after another, `per_day` of them in each working day from `start` on."""

    def __init__(self, rng: random.Random, cast: Cast, *, start: datetime, per_day: int = 200_000):
        self.rng, self.cast, self.start, self.per_day, self.drawn = rng, cast, start, per_day, 0
        self.spacing = timedelta(hours=10) / per_day  # 08:00 to 18:00
        self.kinds = [(self._case_page, 30), (self._item_page, 25), (self._timeline, 20), (self._search, 15),
                      (self._new_item, 10), (self._disclosure, 1), (self._lookup, 1), (self._sign_in, 2),
                      (self._key_dates, 1)]
        self.members = [case for case in cast.cases if case.items]
        self.rules: dict[tuple[int, int, str], str] = {}
        self.staffed = [agency_id for agency_id, people in cast.staff.items() if people]

    def at(self, n: int) -> datetime:
        """The time of the `n`th event (from 0): days apart by `per_day`, within a day evenly spread
        with a random offset, so that no two events share one."""
        day, rank = divmod(n, self.per_day)
        offset = self.spacing * (rank + self.rng.random() * 0.9)
        return self.start + timedelta(days=day, hours=8) + offset

    def entries(self, count: int) -> list[Entry]:
        """The next `count` events, ready for `appending.enqueue`."""
        makers, weights = zip(*self.kinds)
        found = []
        for maker in self.rng.choices(makers, weights, k=count):
            fields, concerns = maker()
            fields = {"at": self.at(self.drawn), **fields}
            self.drawn += 1
            found.append(Entry(fields=fields, concerns=concerns,
                               reads=reads_of(fields["operation"], fields["object_type"], fields["object_id"],
                                              fields["detail"])))
        return found

    # --- the events ------------------------------------------------------------------------------

    def _reader(self, case: Case | None = None) -> Actor:
        staffed = [a for a in case.members if self.cast.staff.get(a)] if case else self.staffed
        return self.rng.choice(self.cast.staff[self.rng.choice(staffed or self.staffed)])

    def _fields(self, actor: Actor, operation: str, object_type: str, object_id="", case_id=None,
                purpose: str | None = None, recipients=(), detail=None) -> dict:
        purpose = purpose if purpose is not None else self.rng.choices(PURPOSES, PURPOSE_WEIGHTS)[0]
        return dict(operation=str(operation), purpose=purpose, actor_id=actor.pk, actor_username=actor.username,
                    agency_id=actor.agency.pk, agency_name=actor.agency.name, object_type=object_type,
                    object_id=str(object_id), case_id=case_id, recipients=list(recipients), detail=detail or {})

    def _basis(self, actor: Actor, item: Item) -> str:
        if item.agency_id == actor.agency.pk:
            return "your agency originated this item"
        rng = self.rng
        if rng.random() < 0.1:
            return f"disclosure {rng.randrange(1, 20_000)} of 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d} " \
                   "by the originator"
        # The agreement rule a recipient reads an originator's category under is one, as in the policy.
        key = (actor.agency.pk, item.agency_id, item.category)
        if key not in self.rules:
            self.rules[key] = (f"agreement {rng.randrange(1, 300)} v{rng.randint(1, 4)}: "
                               f"{self.cast.agencies[item.agency_id].name} \u2192 {actor.agency.name}, "
                               f"{item.category} up to {LEVELS[max(item.level, rng.randint(0, 3))]}"
                               + (f"; consent of 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
                                  if rng.random() < 0.2 else ""))
        return self.rules[key]

    def _shown(self, actor: Actor, items: list[Item]) -> tuple[dict, dict, list]:
        """`items` as an event names them: {id: basis}, {agency: [ids]} and the recipients."""
        bases = {str(item.pk): self._basis(actor, item) for item in items}
        concerns: dict[int, list[int]] = {}
        for item in items:
            concerns.setdefault(item.agency_id, []).append(item.pk)
        foreign = any(item.agency_id != actor.agency.pk for item in items)
        return bases, {agency: sorted(ids) for agency, ids in concerns.items()}, [actor.agency.name] if foreign else []

    def _page_of(self, case: Case, size: int) -> tuple[list[Item], int, int]:
        """A page of the case's items its reader may see (a third to two thirds of them), the count
        of all those, and the page's offset."""
        total = max(1, int(len(case.items) * self.rng.uniform(0.3, 0.65)))
        offset = self.rng.choice([0, 0, 0, size]) if total > size else 0
        return self.rng.sample(case.items, k=min(size, total)), total, offset

    def _case_page(self):
        case = self.rng.choice(self.members)
        actor = self._reader(case)
        page, total, _ = self._page_of(case, CASE_PAGE)
        bases, concerns, recipients = self._shown(actor, page)
        phase = self.rng.choice(["custody", "release_preparation", "supervision", "reintegration"])
        shown = [{"operation": "list", "object_type": ITEM, "total": total, "offset": 0},
                 {"operation": "list", "object_type": "decisions.formaldecision", "count": self.rng.randint(0, 6)}]
        detail = {"basis": f"on the case team; agency is an active {self.rng.choice(['core', 'on-request'])} "
                           f"member covering phase {phase}", "items": bases, "shown": shown}
        return self._fields(actor, Operation.READ, "cases.case", case.pk, case.pk, recipients=recipients,
                            detail=detail), concerns

    def _item_page(self):
        case = self.rng.choice(self.members)
        actor, item = self._reader(case), self.rng.choice(case.items)
        _, concerns, recipients = self._shown(actor, [item])
        detail = {"basis": self._basis(actor, item), "version": self.rng.choice([1, 1, 1, 2, 3])}
        return self._fields(actor, Operation.READ, ITEM, item.pk, case.pk, recipients=recipients,
                            detail=detail), concerns

    def _timeline(self):
        case = self.rng.choice(self.members)
        actor = self._reader(case)
        page, total, offset = self._page_of(case, PAGE)
        bases, concerns, recipients = self._shown(actor, page)
        return self._fields(actor, Operation.LIST, ITEM, "", case.pk, recipients=recipients,
                            detail={"items": bases, "total": total, "offset": offset}), concerns

    def _fingerprint(self) -> str:
        return f"hmac-sha256:{self.rng.getrandbits(256):064x}"

    def _search(self):
        actor = self._reader()
        cases = self.cast.cases_of.get(actor.agency.pk) or self.members
        found = [item for case in self.rng.sample(cases, k=min(3, len(cases))) for item in case.items]
        page = self.rng.sample(found, k=min(SEARCH_PAGE, len(found), self.rng.randint(0, 40)))
        bases, concerns, recipients = self._shown(actor, page)
        query = self._fingerprint()
        detail = {"query": query, "total": len(page) + self.rng.randrange(0, 200) * (len(page) == SEARCH_PAGE),
                  "offset": 0, "items": bases,
                  "shown": [{"operation": "search", "object_type": "cases.case", "query": query, "total": 0,
                             "cases": []}]}
        return self._fields(actor, Operation.SEARCH, ITEM, recipients=recipients, detail=detail), concerns

    def _new_item(self):
        case = self.rng.choice(self.members)
        actor = self._reader(case)
        item = Item(self.cast.next_item, actor.agency.pk, self.rng.choice(CATEGORIES), self.rng.choice([0, 0, 1, 2]))
        self.cast.next_item += 1
        case.items.append(item)
        detail = {"category": item.category, "classification": item.level, "carrier": "record",
                  "handling": ["ORCON"] if self.rng.random() < 0.05 else [],
                  "intelligence": item.category == "intelligence"}
        return self._fields(actor, Operation.CREATE, ITEM, item.pk, case.pk, detail=detail), {}

    def _disclosure(self):
        case = self.rng.choice(self.members)
        item = self.rng.choice(case.items)
        actor = self.rng.choice(self.cast.staff.get(item.agency_id) or [self._reader(case)])
        recipient = self.cast.agencies[self.rng.choice(case.members)]
        detail = {"disclosure": self.rng.randrange(1, 20_000), "justification": self._fingerprint(),
                  "allow_decision_use": self.rng.random() < 0.3}
        return self._fields(actor, Operation.DISCLOSE, ITEM, item.pk, case.pk, recipients=[recipient.name],
                            detail=detail), {item.agency_id: [item.pk]}

    def _lookup(self):
        actor, hit = self._reader(), self.rng.random() < 0.3
        case = self.rng.choice(self.cast.cases)
        contacts = sorted({self.cast.agencies[a].name for a in case.members[:2]}) if hit else []
        detail = {"query": {"given_name": self._fingerprint(), "family_name": self._fingerprint(),
                            "date_of_birth": self._fingerprint()}, "hit": hit, "cases": [case.pk] if hit else []}
        return self._fields(actor, Operation.LOOKUP, "cases.client", case_id=case.pk if hit else None,
                            recipients=contacts, detail=detail), {}

    def _sign_in(self):
        actor = self._reader()
        operation = self.rng.choice([Operation.LOGIN, Operation.LOGIN, Operation.LOGOUT, Operation.MFA_FAILED])
        return self._fields(actor, operation, "agencies.practitioner", actor.pk, purpose="administration"), {}

    def _key_dates(self):
        case = self.rng.choice(self.cast.cases)
        actor = self._reader(case)
        day = datetime(2027, 1, 1) + timedelta(days=self.rng.randrange(900))
        before = (day - timedelta(days=self.rng.randrange(1, 90))).date().isoformat()
        detail = {"key_dates": {self.rng.choice(["earliest_release", "sentence_end", "parole_hearing"]):
                                [before, day.date().isoformat()]}}
        return self._fields(actor, Operation.UPDATE, "cases.case", case.pk, case.pk, detail=detail), {}


def append(trail: Trail, count: int, *, batch: int = 2000, advance=lambda n: None) -> int:
    """Append `count` events of `trail` to the chain, `batch` to a transaction; returns how many."""
    written = 0
    while written < count:
        entries = trail.entries(min(batch, count - written))
        with transaction.atomic():
            appending.enqueue(entries)
        written += len(entries)
        advance(len(entries))
    return written


def start_of(days_back: int) -> datetime:
    """Midnight UTC `days_back` days ago: where a trail of that many days begins."""
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days_back)
