"""A synthetic world at scale: agencies by region, practitioners, cases along the continuum with
their members and teams, agreements with rules between agencies, and clients' consents.

The distributions follow how the work is organised: every region has one agency of each kind;
a case is led by probation or the prison service and joined by three to five other agencies of its
region; core members cover every phase, on-request members some; each practitioner works 5-20
cases of their agency; agreements bind two to four agencies of a region with per-direction rules.
Items (the bulk) are loaded by casebridge.ops.bench.ingest. Rows are written in bulk, not through
the services: the benchmark measures reading and ingest, not building.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone as tz

from casebridge.agencies.models import Agency, Practitioner
from casebridge.cases.models import Case, Client, Membership, MembershipPhase, Phase, TeamAssignment
from casebridge.sharing.models import (Agreement, AgreementParty, AgreementPurpose, AgreementRule, AgreementVersion,
                                       Consent, ConsentCategory)
from casebridge.vocabulary import AgencyKind, Category, Purpose, Role

# Kinds in the order a region fills them: the continuum's core agencies first.
KINDS = ["probation", "prison", "police", "cso", "municipality", "social_services", "health", "housing",
         "prosecution", "court", "employment", "education", "intelligence", "faith_or_cultural_mediator", "other"]
assert set(KINDS) == set(AgencyKind.values)
CORE_KINDS = {"probation", "prison", "police"}
PEOPLE_PER_AGENCY = 25
PHASES = [p for p in Phase.values if p != Phase.CLOSED]
PHASE_WEIGHTS = [8, 8, 35, 15, 20, 10]
# Categories each kind mostly writes about (items) and shares (agreement rules).
WRITES = {
    "police": ["intelligence", "risk_and_needs_assessment", "online_activity", "family_and_social_network"],
    "intelligence": ["intelligence", "online_activity", "family_and_social_network"],
    "prison": ["custody_behaviour_and_security", "risk_and_needs_assessment", "programme_and_intervention",
               "health_and_mental_health"],
    "probation": ["risk_and_needs_assessment", "programme_and_intervention", "offence_and_sentence",
                  "conference_record"],
    "prosecution": ["offence_and_sentence", "legal_and_residency"], "court": ["offence_and_sentence"],
    "health": ["health_and_mental_health"], "housing": ["housing_employment_education"],
    "employment": ["housing_employment_education"], "education": ["housing_employment_education"],
}
SENSITIVE = {"health_and_mental_health", "family_and_social_network", "housing_employment_education"}
CLEARANCE = {"police": 3, "intelligence": 3, "prison": 2, "probation": 2, "prosecution": 2, "court": 2}
NOW = datetime.now(tz.utc)


def writes(kind: str) -> list[str]:
    return WRITES.get(kind, ["programme_and_intervention", "family_and_social_network",
                             "housing_employment_education", "identity_and_status"])


@dataclass
class World:
    """What the item loader and the measurements need to know about the world built."""

    today: date
    agencies: list[Agency] = field(default_factory=list)
    people: list[Practitioner] = field(default_factory=list)
    staff: dict[int, list[Practitioner]] = field(default_factory=dict)   # agency id → practitioners
    cases: list[Case] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)           # case id → member agency ids


def build_world(*, rng: random.Random, cases: int, practitioners: int, agreements: int, today: date) -> World:
    """Agencies, people, clients, cases, memberships, teams, agreements and consents (no items)."""
    world = World(today=today)
    _agencies(world, max(6, round(practitioners / PEOPLE_PER_AGENCY)))
    _people(world, rng, practitioners)
    _cases(world, rng, cases)
    _teams(world, rng)
    _agreements(world, rng, agreements)
    _consents(world, rng)
    return world


def _agencies(world: World, count: int) -> None:
    rows = [Agency(name=f"Bench {KINDS[n % len(KINDS)].replace('_', ' ')} {n // len(KINDS) + 1}",
                   kind=KINDS[n % len(KINDS)], country="BE", region=f"Region {n // len(KINDS) + 1}")
            for n in range(count)]
    world.agencies = Agency.objects.bulk_create(rows)


def _people(world: World, rng: random.Random, count: int) -> None:
    roles = rng.choices([Role.PRACTITIONER, Role.COORDINATOR, Role.AGENCY_ADMIN, Role.DPO, Role.SYSTEM_ADMIN],
                        weights=[75, 15, 4, 3, 3], k=count)
    rows = []
    for n in range(count):
        agency = world.agencies[n % len(world.agencies)]
        rows.append(Practitioner(
            username=f"bench{n:06d}", password="!", first_name="Bench", last_name=f"Person {n}", agency=agency,
            role=roles[n], clearance=rng.randint(0, CLEARANCE.get(agency.kind, 1)), is_active=rng.random() > 0.03))
    world.people = Practitioner.objects.bulk_create(rows, batch_size=500)
    for person in world.people:
        world.staff.setdefault(person.agency_id, []).append(person)


def _region(world: World, agency: Agency) -> list[Agency]:
    return [a for a in world.agencies if a.region == agency.region]


def _cases(world: World, rng: random.Random, count: int) -> None:
    leads = [a for a in world.agencies if a.kind in ("probation", "prison")]
    born = date(1960, 1, 1)
    clients = Client.objects.bulk_create(
        [Client(given_name="Bench", family_name=f"Client {n}", date_of_birth=born + timedelta(days=n % 12000))
         for n in range(count)], batch_size=1000)
    plans = []
    for n, client in enumerate(clients):
        lead = rng.choice(leads)
        opened = world.today - timedelta(days=rng.randint(30, 5 * 365))
        coordinator = rng.choice(world.staff[lead.pk])
        plans.append(Case(reference=f"BENCH-{n:06d}", client=client, lead_agency=lead, coordinator=coordinator,
                          phase=rng.choices(PHASES, PHASE_WEIGHTS)[0], opened_on=opened))
    world.cases = Case.objects.bulk_create(plans, batch_size=1000)
    _memberships(world, rng)


def _memberships(world: World, rng: random.Random) -> None:
    rows, coverage = [], []
    for case in world.cases:
        others = [a for a in _region(world, case.lead_agency) if a.pk != case.lead_agency_id]
        joined = [case.lead_agency, *rng.sample(others, k=min(len(others), rng.randint(3, 5)))]
        world.members[case.pk] = [a.pk for a in joined]
        for agency in joined:
            core = agency.pk == case.lead_agency_id or agency.kind in CORE_KINDS
            ends = None if rng.random() < 0.92 else world.today + timedelta(days=rng.choice([-200, -20, 40, 300]))
            rows.append(Membership(case=case, agency=agency, point_of_contact=rng.choice(world.staff[agency.pk]),
                                   participation="core" if core else "on_request", starts_on=case.opened_on,
                                   ends_on=ends))
            coverage.append(_phases_covered(rng, case.phase, core))
    created = Membership.objects.bulk_create(rows, batch_size=1000)
    MembershipPhase.objects.bulk_create(
        (MembershipPhase(membership=m, phase=p) for m, phases in zip(created, coverage) for p in phases),
        batch_size=2000)


def _phases_covered(rng: random.Random, current: str, core: bool) -> list[str]:
    if core:
        return list(Phase.values)
    # On request: a window of the continuum, which covers the case's present phase most of the time.
    start = rng.randint(0, len(PHASES) - 2)
    window = PHASES[start:start + rng.randint(2, 4)]
    if current not in window and rng.random() < 0.85:
        window.append(current)
    return window


def _teams(world: World, rng: random.Random) -> None:
    cases_of: dict[int, list[Case]] = {}
    for case in world.cases:
        for agency_id in world.members[case.pk]:
            cases_of.setdefault(agency_id, []).append(case)
    chosen = {(c.pk, c.coordinator_id): c for c in world.cases}
    for person in world.people:
        pool = cases_of.get(person.agency_id, [])
        for case in rng.sample(pool, k=min(len(pool), rng.randint(5, 20))):
            chosen[(case.pk, person.pk)] = case
    rows = [TeamAssignment(case_id=case_id, practitioner_id=person_id, assigned_at=NOW,
                           assigned_by_id=case.coordinator_id, released_at=NOW if rng.random() < 0.05 else None)
            for (case_id, person_id), case in chosen.items()]
    TeamAssignment.objects.bulk_create(rows, batch_size=2000)


def _agreements(world: World, rng: random.Random, count: int) -> None:
    signer = world.people[0]
    made = Agreement.objects.bulk_create([Agreement(title=f"Bench agreement {n}", created_at=NOW, created_by=signer)
                                          for n in range(count)], batch_size=1000)
    parties, versions = {}, []
    for agreement in made:
        region = _region(world, rng.choice(world.agencies))
        parties[agreement.pk] = rng.sample(region, k=min(len(region), rng.randint(2, 4)))
        versions += _versions(rng, agreement, signer, world.today)
    versions = AgreementVersion.objects.bulk_create(versions, batch_size=1000)
    AgreementParty.objects.bulk_create([AgreementParty(version=v, agency=a, signed_by=signer, signed_at=NOW)
                                        for v in versions for a in parties[v.agreement_id]], batch_size=2000)
    purposes, rules = [], []
    for version in versions:
        purposes += [AgreementPurpose(version=version, purpose=p) for p in _purposes(rng)]
        rules += _rules(rng, version, parties[version.agreement_id])
    AgreementPurpose.objects.bulk_create(purposes, batch_size=2000)
    AgreementRule.objects.bulk_create(rules, batch_size=2000)


def _purposes(rng: random.Random) -> set[str]:
    chosen = {Purpose.CASE_MANAGEMENT} if rng.random() < 0.9 else set()
    return chosen | set(rng.sample([p for p in Purpose.values if p != Purpose.DATA_PROTECTION], k=rng.randint(1, 3)))


def _versions(rng: random.Random, agreement: Agreement, signer, today: date) -> list[AgreementVersion]:
    start = today - timedelta(days=rng.randint(30, 3 * 365))
    current = rng.choices(["active", "suspended", "draft", "expired"], weights=[85, 5, 5, 5])[0]
    valid_to = today - timedelta(days=rng.randint(1, 20)) if current == "expired" else None
    version = dict(agreement=agreement, legal_basis="Regional protocol (benchmark)", created_at=NOW,
                   created_by=signer)
    if rng.random() < 0.1:  # amended once: the first terms were superseded
        return [AgreementVersion(number=1, valid_from=start, status="superseded", **version),
                AgreementVersion(number=2, valid_from=start + timedelta(days=20), valid_to=valid_to, status=current,
                                 **version)]
    return [AgreementVersion(number=1, valid_from=start, valid_to=valid_to, status=current, **version)]


def _rules(rng: random.Random, version: AgreementVersion, parties: list[Agency]) -> list[AgreementRule]:
    rules = []
    for origin in parties:
        for recipient in parties:
            if origin.pk == recipient.pk:
                continue
            shared = set(rng.sample(writes(origin.kind), k=min(2, len(writes(origin.kind)))))
            shared |= set(rng.sample(Category.values, k=rng.randint(1, 4)))
            rules += [AgreementRule(version=version, originator=origin, recipient=recipient, category=c,
                                    max_classification=rng.choices([0, 1, 2], weights=[30, 50, 20])[0],
                                    consent_required=c in SENSITIVE or rng.random() < 0.2) for c in shared]
    return rules


def _consents(world: World, rng: random.Random) -> None:
    recorder = world.people[0]
    rows, categories = [], []
    for case in world.cases:
        for _ in range(rng.choices([0, 1, 2, 3], weights=[25, 40, 25, 10])[0]):
            agency = rng.choice(world.members[case.pk]) if rng.random() < 0.6 else None
            kind = "" if agency else rng.choice(KINDS[:8])
            given = case.opened_on + timedelta(days=rng.randint(0, 30))
            rows.append(Consent(client_id=case.client_id, recipient_agency_id=agency, recipient_kind=kind,
                                purpose=Purpose.CASE_MANAGEMENT if rng.random() < 0.7 else rng.choice(Purpose.values),
                                evidence="Signed form (benchmark)", given_on=given, recorded_by=recorder,
                                recorded_at=NOW, withdrawn_at=NOW if rng.random() < 0.1 else None))
            categories.append(rng.sample(Category.values, k=rng.randint(1, 4)))
    made = Consent.objects.bulk_create(rows, batch_size=1000)
    ConsentCategory.objects.bulk_create(
        (ConsentCategory(consent=c, category=cat) for c, cats in zip(made, categories) for cat in cats),
        batch_size=2000)
