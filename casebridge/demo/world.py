"""Building the demo world through the real services, so every row is audited like real work.

The caller owns the transaction (the `demo` command): the world appears whole or not at all.
Only the very first administrator and the shared demo authenticator are created outside the web
services, because no administrator exists yet to act and no person is there to scan a QR code;
both are audited as command-line operations.
"""

from base64 import b32decode
from dataclasses import dataclass

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.agencies import services as agencies
from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.services import record
from casebridge.cases import membership, services as cases
from casebridge.cases.models import Case, Phase, TeamAssignment
from casebridge.demo import conferences, exchange
from casebridge.demo.agreements import SPECS as AGREEMENTS, build_agreements
from casebridge.demo.clients import CLIENTS, ClientSpec
from casebridge.demo.membership_plan import responsibilities
from casebridge.demo import notes
from casebridge.demo.notes import HANDOVER_NOTES
from casebridge.demo.people import (AGENCIES, DEMO_PASSWORD, DEMO_TOTP_BASE32, HOME, PEOPLE, SERVICE_ACCOUNTS,
                                    SIGNATORIES, data_protection)
from casebridge.demo.plan import plan_stories
from casebridge.demo.stories import Story
from casebridge.errors import InvalidInput
from casebridge.items.models import InformationItem
from casebridge.ops.bootstrap import create_system_admin
from casebridge.ops.operator import cli_detail
from casebridge.sharing.models import Agreement
from casebridge.vocabulary import Purpose

SEED = 2026
DEMO_TOTP_HEX = b32decode(DEMO_TOTP_BASE32).hex()
ADMIN = Purpose.ADMINISTRATION
# The purpose a coordinator declares when moving a case into each phase.
PHASE_PURPOSE = {Phase.RELEASE_PREPARATION: Purpose.RELEASE_PLANNING, Phase.SUPERVISED_RELEASE: Purpose.SUPERVISION,
                 Phase.AFTERCARE: Purpose.REINTEGRATION_SUPPORT}


@dataclass(frozen=True)
class Built:
    agencies: int
    countries: int
    practitioners: int
    cases: int
    items: int
    agreements: int
    audit_events: int


AFTER_THE_WALK = 4  # tearlines, disclosures, decisions, and the retraction, withdrawals and withholdings


def total_steps() -> int:
    """Units of work `build` reports to its progress callback."""
    return 1 + len(AGENCIES) + len(PEOPLE) + len(AGREEMENTS) + len(CLIENTS) + AFTER_THE_WALK


def is_present() -> bool:
    """Whether the demo world is already in the database; refuses a database holding only part of it."""
    names = [HOME.name, *(spec.name for spec in AGENCIES)]
    found = Agency.objects.filter(name__in=names).count()
    people = Practitioner.objects.filter(username__in=[p.username for p in PEOPLE]).count()
    if found == 0 and people == 0:
        return False
    if found == len(names) and people == len(PEOPLE):
        return True
    raise InvalidInput("this database holds part of the demo world (some of its agencies or accounts) but not "
                       "all of it: build the demo in a fresh database")


def build(*, seed: int = SEED, progress=lambda steps: None) -> Built:
    """Create the demo agencies, people, agreements, cases and their information exchange. Runs
    inside the caller's transaction."""
    today = cases.today()
    stories = plan_stories(seed=seed, today=today)
    sam = _first_admin()
    progress(1)
    agency_ids = {HOME.key: sam.agency_id}
    for number, spec in enumerate(AGENCIES):
        agency = agencies.create_agency(actor=sam, purpose=ADMIN, data={
            "name": spec.name, "kind": spec.kind, "country": spec.country, "region": spec.region,
            "clearance_ceiling": _level(spec.ceiling), **data_protection(spec, number)})
        agency_ids[spec.key] = agency.pk
        progress(1)
    people = {"sam": sam}
    for spec in PEOPLE:
        if spec.username != "sam":
            people[spec.username] = _practitioner(sam, spec, agency_ids[spec.agency])
        _enrol(people[spec.username])
        progress(1)
    _service_accounts(people, agency_ids)
    build_agreements(people=people, agency_ids=agency_ids, signatories=SIGNATORIES, today=today, purpose=ADMIN,
                     progress=progress)
    ledger = exchange.Ledger()
    for story in stories:
        _play(story, people, agency_ids, ledger)
        progress(1)
    _after_the_walk(people, agency_ids, ledger, today, progress)
    return Built(Agency.objects.count(), Agency.objects.values("country").distinct().count(),
                 Practitioner.objects.count(), Case.objects.count(), InformationItem.objects.count(),
                 Agreement.objects.count(), AuditEvent.objects.count())


def _after_the_walk(people, agency_ids, ledger, today, progress) -> None:
    exchange.give_later_consents(people, agency_ids, ledger)
    exchange.derive_tearlines(ledger)
    progress(1)
    exchange.disclose(agency_ids)
    progress(1)
    exchange.decide(people, today)
    progress(1)
    exchange.close_the_walk(people=people, agency_ids=agency_ids, ledger=ledger)
    conferences.build(people)
    progress(1)


def _first_admin() -> Practitioner:
    spec = next(p for p in PEOPLE if p.username == "sam")
    admin, _, _ = create_system_admin(
        username=spec.username, email=f"{spec.username}@{HOME.domain}", password=DEMO_PASSWORD,
        agency_name=HOME.name, agency_kind=HOME.kind, country=HOME.country, region=HOME.region,
        first_name=spec.first, last_name=spec.last)
    return admin


def _level(level: int | None) -> int | None:
    # A deployment may configure fewer classification levels than the demo assumes.
    return None if level is None else min(level, len(settings.CASEBRIDGE_CLASSIFICATION_LABELS) - 1)


def _service_accounts(people, agency_ids) -> None:
    """Each created by an administrator of its agency, as the administration page does; no TOTP."""
    for spec in SERVICE_ACCOUNTS:
        domain = next(a.domain for a in AGENCIES if a.key == spec.agency)
        agencies.create_practitioner(
            actor=people[spec.created_by], agency_id=agency_ids[spec.agency], username=spec.username, password="",
            purpose=ADMIN, service_account=True,
            data={"first_name": spec.system, "email": f"integrations@{domain}"})


def _practitioner(sam, spec, agency_id) -> Practitioner:
    domain = next(a.domain for a in AGENCIES if a.key == spec.agency)
    clearance = _level(spec.clearance)
    return agencies.create_practitioner(
        actor=sam, agency_id=agency_id, username=spec.username, password=DEMO_PASSWORD, purpose=ADMIN,
        data={"first_name": spec.first, "last_name": spec.last, "email": f"{spec.username}@{domain}",
              "job_title": spec.job_title, "role": spec.role, "clearance": clearance})


def _enrol(person: Practitioner) -> None:
    """A confirmed authenticator with the shared demo key (published in the README)."""
    TOTPDevice.objects.create(user=person, name="Authenticator app (shared demo key)", confirmed=True,
                              key=DEMO_TOTP_HEX)
    record(actor=None, operation=Operation.MFA_ENROLLED, obj=person, purpose=ADMIN,
           detail=cli_detail(account=person.username, device="shared demo key"))


def _client_data(spec: ClientSpec) -> dict:
    return {"given_name": spec.given, "family_name": spec.family, "aliases": list(spec.aliases),
            "date_of_birth": spec.born, "nationalities": list(spec.nationalities),
            "languages": list(spec.languages), "residency_status": spec.residency,
            "residency_note": spec.residency_note}


def _play(story: Story, people: dict, agency_ids: dict, ledger: exchange.Ledger) -> None:
    """Open the case on its first day, bring in members and team, then walk it to today; each agency
    records what it learns in each phase while it works the case."""
    coordinator, purpose = people[story.coordinator], Purpose.CASE_MANAGEMENT
    first_phase, opened_on, _ = story.phases[0]
    case = cases.open_case(actor=coordinator, client=_client_data(story.client), phase=first_phase,
                           phase_date=opened_on, summary=story.summary, purpose=purpose)
    for member in sorted(story.members, key=lambda m: m.starts_on):
        membership.add_membership(
            actor=coordinator, case_id=case.pk, agency_id=agency_ids[member.agency], purpose=purpose,
            point_of_contact_id=people[member.contact].pk,
            deputy_id=people[member.deputy].pk if member.deputy else None, phases=list(member.phases),
            participation=member.participation, starts_on=member.starts_on,
            responsibilities=responsibilities(member.agency))
    for username, role in story.team:
        membership.assign_to_team(actor=coordinator, case_id=case.pk, practitioner_id=people[username].pk,
                                  role_on_case=role, purpose=purpose)
    exchange.give_consents(story, case, people, agency_ids, ledger)
    exchange.record_phase_items(story, case, 0, people, ledger)
    for position, (phase, when, note) in enumerate(story.phases[1:], start=1):
        category, level = notes.marking(note)
        cases.transition_phase(actor=coordinator, case_id=case.pk, to_phase=phase, effective_on=when,
                               handover_note=note, category=category, purpose=PHASE_PURPOSE.get(phase, purpose),
                               classification=min(level, coordinator.clearance))
        if position == story.sentenced_at:
            cases.set_key_dates(actor=coordinator, case_id=case.pk, dates=story.key_dates, purpose=purpose)
        exchange.record_phase_items(story, case, position, people, ledger)
    if story.liaison:
        membership.set_continuity_liaison(actor=coordinator, case_id=case.pk,
                                          practitioner_id=people[story.liaison].pk, purpose=purpose)
    if story.handover:
        _hand_over(story, case, people)


def _hand_over(story: Story, case: Case, people: dict) -> None:
    """A colleague left the case earlier, with a note for the successor."""
    kind, leaving, successor = story.handover
    assignment = TeamAssignment.objects.get(case=case, practitioner=people[leaving], released_at__isnull=True)
    # A coordinator hands over their own place; other colleagues are released by the coordinator.
    actor = people[leaving] if kind == "coordinator" else people[story.coordinator]
    note = HANDOVER_NOTES[kind].format(successor=people[successor].first_name, name=story.client.given)
    membership.release_from_team(actor=actor, case_id=case.pk, assignment_id=assignment.pk, handover_note=note,
                                 successor_id=people[successor].pk, purpose=Purpose.CASE_MANAGEMENT)
