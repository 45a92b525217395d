"""The information exchange of the demo world, played through the real services so every step is
audited: items recorded while each case walks its phases, the client's consents, and afterwards
the tearlines, disclosures, formal decisions, one retraction, consent withdrawals and the data
protection officer's withholdings.

What happens after the walk is chosen from the database (deterministically, by id), and only with
people who may act on the case today, exactly as the services would demand of a real user.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from casebridge.cases import services as cases
from casebridge.cases.models import Phase as P
from casebridge.dataprotection import services as dataprotection
from casebridge.demo import controllers
from casebridge.decisions import services as decisions
from casebridge.demo.consent_forms import signed_form
from casebridge.demo.stories import AGENCY_NAME
from casebridge.items import readership
from casebridge.items import services as items
from casebridge.items.models import InformationItem
from casebridge.policy import Perm
from casebridge.sharing import services as sharing
from casebridge.vocabulary import Category, Purpose

WORK = Purpose.CASE_MANAGEMENT


@dataclass
class Ledger:
    """What the walk recorded, for the steps that follow it."""

    tearlines: list = field(default_factory=list)  # (item, author, (title, body))
    withdrawals: list = field(default_factory=list)  # (consent, note)
    later_consents: list = field(default_factory=list)  # (story, case id, planned consent)


def record_phase_items(story, case, position: int, people: dict, ledger: Ledger) -> None:
    """The items written while the case is in `story.phases[position]`."""
    for planned in (p for p in story.items if p.position == position):
        author = people[planned.author]
        data = {**planned.data, "classification": min(planned.data["classification"], author.clearance)}
        item = items.record_item(actor=author, case_id=case.pk, data=data, purpose=WORK)
        if planned.note.tearline and item.classification > 0:
            ledger.tearlines.append((item, author, planned.note.tearline))


def give_consents(story, case, people: dict, agency_ids: dict, ledger: Ledger) -> None:
    """The consents the coordinator records when the case opens; those another agency records wait
    until that agency works the case (`give_later_consents`)."""
    for planned in story.consents:
        if planned.recorder:
            ledger.later_consents.append((story, case.pk, planned))
        else:
            _give(people[story.coordinator], story, case.pk, planned, agency_ids, ledger)


def give_later_consents(people: dict, agency_ids: dict, ledger: Ledger) -> None:
    """Consents the lead agency itself receives under (health information for probation), recorded
    by the agency that shares under them, on the cases it now works."""
    for story, case_id, planned in ledger.later_consents:
        recorder = people[planned.recorder]
        if _sees(recorder, case_id):
            _give(recorder, story, case_id, planned, agency_ids, ledger)


def _give(person, story, case_id, planned, agency_ids: dict, ledger: Ledger) -> None:
    recipient = AGENCY_NAME[planned.recipient_agency] if planned.recipient_agency else f"any {planned.recipient_kind}"
    form = signed_form(client=f"{story.client.given} {story.client.family}", recipient=recipient,
                       categories=planned.categories, given_on=planned.given_on, number=planned.form_number,
                       agency=person.agency.name) \
        if planned.form_number else None
    consent = sharing.give_consent(actor=person, case_id=case_id, purpose=WORK, form=form, data={
        "recipient_agency": agency_ids[planned.recipient_agency] if planned.recipient_agency else None,
        "recipient_kind": planned.recipient_kind, "categories": list(planned.categories),
        "purpose": planned.purpose, "evidence": planned.evidence, "given_on": planned.given_on})
    if planned.withdrawal:
        ledger.withdrawals.append((consent, planned.withdrawal))


def _sees(person, case_id) -> bool:
    return cases.visible_cases(person).filter(pk=case_id).exists()


def derive_tearlines(ledger: Ledger) -> int:
    """Sanitised derivatives of intelligence items, one level lower at most RESTRICTED, written by
    the author of the original: the substance without source, method or operational detail."""
    made = 0
    for original, author, (title, body) in ledger.tearlines:
        if not _sees(author, original.case_id):
            continue
        words = {"name": original.case.client.given_name}
        items.derive_item(actor=author, item_id=original.pk, purpose=WORK, data={
            "nature": original.nature, "title": title.format(**words), "body": body.format(**words),
            "fact_date": original.fact_date, "classification": min(1, original.classification - 1),
            "intelligence": True, "no_cross_border": original.no_cross_border,
            "source_reliability": original.source_reliability,
            "information_accuracy": original.information_accuracy})
        made += 1
    return made


@dataclass(frozen=True)
class PlannedDisclosure:
    title: str
    recipients: tuple[str, ...]  # AgencySpec keys; the first that is a member of the case
    justification: str
    allow_decision_use: bool = False
    revoke: bool = False
    times: int = 2


DISCLOSURES = [
    PlannedDisclosure("Earlier travel attempt", ("probation",), "Needed for the risk assessment before release. May "
                      "inform the supervision plan; not to be its basis."),
    PlannedDisclosure("Police view of the risk", ("probation", "nl_probation"), "Police agree that this "
                      "assessment may be cited in the release recommendation and the supervision conditions.",
                      allow_decision_use=True),
    PlannedDisclosure("Therapist's note", ("probation",), "Passed on with the client's agreement, for the risk "
                      "assessment only.", times=1),
    PlannedDisclosure("Contacts on the wing", ("police", "nl_police"), "For the police risk view before release."),
    PlannedDisclosure("Threat assessment (abstract)", ("probation",), "Shared once while the threat-assessment "
                      "agreement is suspended: the sentence implementation court hearing needs it.", times=1),
    PlannedDisclosure("Seen by the prison doctor", ("probation",), "For the release plan.", revoke=True, times=1),
]


def disclose(agency_ids: dict) -> int:
    """The originators' one-off disclosures, each to the first planned recipient on the case."""
    made = 0
    for plan in DISCLOSURES:
        done = 0
        for item in InformationItem.objects.filter(title=plan.title, retracted_at__isnull=True) \
                .select_related("author").order_by("pk"):
            if done == plan.times:
                break
            members = set(item.case.memberships.values_list("agency_id", flat=True))
            recipient = next((agency_ids[k] for k in plan.recipients if agency_ids[k] in members), None)
            if recipient is None or not _sees(item.author, item.case_id):
                continue
            disclosure = sharing.disclose_item(actor=item.author, item_id=item.pk, recipient_id=recipient,
                                               justification=plan.justification, purpose=WORK,
                                               allow_decision_use=plan.allow_decision_use)
            if plan.revoke:
                sharing.revoke_disclosure(actor=item.author, disclosure_id=disclosure.pk, purpose=WORK)
            done += 1
        made += done
    return made


DECISIONS = [
    ("petra", (P.SUPERVISED_RELEASE,), "supervision_condition", "Stay out of the Station district and report every "
     "Monday for the first six months; review at the three-month meeting."),
    ("petra", (P.RELEASE_PREPARATION,), "release_recommendation", "Recommend conditional release to the mother's "
     "address, with the exit programme and weekly reporting to probation."),
    ("ivo", (P.CUSTODY,), "regime", "Move to the standard regime of the extremism wing; yard times stay separate "
     "from the detainee discussed at the security meeting."),
    ("jonas.mertens", (P.RELEASE_PREPARATION, P.CUSTODY), "temporary_release", "First supervised day leave granted "
     "to the mother's address, 8 hours, breath and urine test on return."),
    ("lucas.wouters", (P.SUPERVISED_RELEASE, P.AFTERCARE), "risk_level", "Risk level lowered to low-moderate after "
     "a year without breaches; reporting every two weeks from now on."),
    ("lotte", (P.SUPERVISED_RELEASE, P.RELEASE_PREPARATION, P.CUSTODY), "risk_level", "Risk level set at moderate "
     "for the supervision plan; review in six months."),
]


# What a decision rests on first: risk, then behaviour in custody, the programme, the sentence, work.
RELEVANCE = [Category.RISK_AND_NEEDS_ASSESSMENT, Category.CUSTODY_BEHAVIOUR_AND_SECURITY,
             Category.PROGRAMME_AND_INTERVENTION, Category.OFFENCE_AND_SENTENCE, Category.HOUSING_EMPLOYMENT_EDUCATION]


def _basis(person, case) -> list[int]:
    """Up to three relevant facts and assessments the person may cite: an item whose originator lifted
    NO-DECISION first, then by relevance, other agencies' before their own, newest first."""
    usable = []
    for item in items.visible_items(person, WORK).filter(case=case, retracted_at__isnull=True,
                                                         category__in=RELEVANCE).exclude(nature="opinion"):
        if items.decide(person, Perm.ITEM_USE_IN_DECISION, item, WORK, case=case):
            lifted = item.disclosures.filter(allow_decision_use=True, revoked_at__isnull=True).exists()
            usable.append((not lifted, RELEVANCE.index(item.category), item.originating_agency_id == person.agency_id,
                           -item.fact_date.toordinal(), item.pk))
    return [pk for *_, pk in sorted(usable)[:3]]


def decide(people: dict, today) -> int:
    made, used = 0, set()
    for username, phases, kind, text in DECISIONS:
        person = people[username]
        for case in cases.visible_cases(person).filter(phase__in=phases).exclude(pk__in=used).order_by("pk"):
            basis = _basis(person, cases.load_case(case.pk))
            if len(basis) >= 2:
                decisions.record_decision(actor=person, case_id=case.pk, kind=kind, text=text, basis_item_ids=basis,
                                          decided_on=today - timedelta(days=3), purpose=WORK)
                used.add(case.pk)
                made += 1
                break
    return made


WITHHELD = [
    ("Family situation", "GDPR art. 23(1)(i) and Directive 2016/680 art. 15(1)(e): protects the sister, who "
     "spoke to probation in confidence."),
    ("Case meeting", "Directive 2016/680 art. 15(1)(a): the record names the police check of the address, still "
     "under way; withheld until it is completed."),
]


def close_the_walk(*, people: dict, agency_ids: dict, ledger: Ledger) -> None:
    """One retraction, the withdrawals of consent, and the DPO's withholdings."""
    visits = InformationItem.objects.filter(title="Visits this month").select_related("author").order_by("pk")
    wrong = next(i for i in visits if _sees(i.author, i.case_id))
    readership.retract_item(actor=wrong.author, item_id=wrong.pk, purpose=WORK,
                       reason="Recorded on the wrong client's file: the visits were to another detainee.")
    for consent, note in ledger.withdrawals:
        case = consent.client.cases.select_related("coordinator").get()  # one case per demo client
        sharing.withdraw_consent(actor=case.coordinator, case_id=case.pk, consent_id=consent.pk, note=note,
                                 purpose=WORK)
    dora = people["dora"]
    for title, reason in WITHHELD:
        # Only the originating agency withholds: Dora answers for probation's own items.
        item = InformationItem.objects.filter(title=title, originating_agency_id=agency_ids["probation"]) \
            .order_by("pk").first()
        dataprotection.withhold_item(actor=dora, client_id=item.case.client_id, item_id=item.pk, legal_reason=reason,
                                     purpose=Purpose.DATA_PROTECTION)
    controllers.show_controllers_and_borders(people=people, agency_ids=agency_ids, today=cases.today())
