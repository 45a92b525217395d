"""Conference proposals: Casebridge noticing a moment that calls for a conference.

`refresh` reads a case's moments (`triggers`) and keeps a proposal for each moment not proposed
before; `casebridge conferences propose` refreshes every open case (run it daily: dates come
closer without anyone touching the case), and the services that create a moment (a phase change,
new key dates, a decision, a risk assessment) ask for a refresh of their case through the
`cases.signals.case_moment` signal. What a proposal is read from is what the case's coordinator may
read, so a proposal never tells them of an item they may not read. Proposals are shown to the
people who manage the case; they convene (`services.convene` with the proposal) or dismiss them
with a reason, an item of their agency.
"""

from datetime import date

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.cases.facts import facts_of_cases
from casebridge.conferences import triggers
from casebridge.conferences.models import Conference, Proposal, ProposalStatus, Status
from casebridge.errors import Conflict, NotVisible
from casebridge.items import services as items
from casebridge.items.models import Carrier
from casebridge.items.reading import CaseReading
from casebridge.policy import Perm
from casebridge.vocabulary import Category, Purpose

LEAVE_DECISIONS = ("temporary_release", "regime")


def case_moments(case) -> triggers.CaseMoments:
    """What the triggers read about `case` (loaded with `cases.load_case`): its structure, and the
    risk assessments and leave decisions its coordinator may read."""
    from casebridge.decisions.models import FormalDecision

    reading = CaseReading(case.coordinator, case, Purpose.CASE_MANAGEMENT)
    readable = reading.readable()
    assessments = tuple((pk, reading.fact_date(pk)) for pk in reading.records(Category.RISK_AND_NEEDS_ASSESSMENT))
    leave = tuple((pk, day) for pk, text, day in FormalDecision.objects.filter(case=case, kind__in=LEAVE_DECISIONS)
                  .values_list("pk", "text_item_id", "decided_on") if text in readable)
    # A confidential conference is unknown to the coordinator: it neither answers nor dates a moment.
    last = (Conference.objects.filter(case=case, confidential=False).exclude(status=Status.CANCELLED)
            .aggregate(last=Max("starts_at")))
    return triggers.CaseMoments(
        phase=case.phase, opened_on=case.opened_on, earliest_release=case.earliest_release,
        phase_changes=tuple(case.phase_changes.values_list("pk", "from_phase", "to_phase", "effective_on")),
        assessments=assessments, leave_decisions=leave,
        last_conference=timezone.localdate(last["last"]) if last["last"] else None)


def refresh(case, today: date | None = None) -> list[Proposal]:
    """Propose a conference for every moment of the case not proposed before; returns the new ones.
    The caller holds the case's lock (two refreshes of one case never race)."""
    today = today or cases.today()
    found = triggers.moments(case_moments(case), today, release_weeks=settings.CASEBRIDGE_CONFERENCE_RELEASE_WEEKS,
                             review_days=settings.CASEBRIDGE_CONFERENCE_REVIEW_DAYS)
    known = set(Proposal.objects.filter(case=case).values_list("trigger", "key"))
    made = []
    for moment in found:
        if (moment.trigger, moment.key) in known:
            continue
        proposal = Proposal.objects.create(case=case, kind=moment.kind, trigger=moment.trigger, key=moment.key,
                                           moment=moment.moment, due_on=moment.due_on, created_at=timezone.now())
        record(actor=None, operation=Operation.CREATE, obj=proposal, case_id=case.pk, purpose=Purpose.CASE_MANAGEMENT,
               detail={"trigger": moment.trigger, "kind": moment.kind, "key": moment.key,
                       "due_on": moment.due_on.isoformat()})
        made.append(proposal)
    return made


def refresh_case(case_id) -> list[Proposal]:
    """`refresh` one case under its lock (from a service that created a moment)."""
    return refresh(cases.load_case(case_id, lock=True, display=False))


def open_proposals(actor) -> list[Proposal]:
    """The open proposals on the cases the actor manages (their coordinator, or a coordinator of the
    lead agency), soonest due first."""
    found = list(Proposal.objects.filter(status=ProposalStatus.OPEN, case__in=cases.visible_cases(actor))
                 .select_related("case").order_by("due_on", "pk"))
    facts = facts_of_cases({p.case_id for p in found})
    today = cases.today()
    return [p for p in found if policy.decide_case(actor, Perm.CASE_MANAGE, facts[p.case_id], today)]


def case_proposals(case) -> list[Proposal]:
    """The open proposals of one case (for those who manage it: the caller decides)."""
    return list(Proposal.objects.filter(case=case, status=ProposalStatus.OPEN).order_by("due_on", "pk"))


def dismiss(*, actor, proposal_id, reason: str, purpose: str) -> Proposal:
    """Dismiss a proposal with a reason (an item of the actor's agency); only those who manage the case."""
    proposal = Proposal.objects.filter(pk=int(proposal_id)).first() if str(proposal_id).isdigit() else None
    if proposal is None:
        raise NotVisible("no such proposal")
    case, _decision = cases.get_case(actor=actor, case_id=proposal.case_id, purpose=purpose, perm=Perm.CASE_MANAGE,
                                     audit=False, lock=True)
    note = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.CONFERENCE_NOTE, text=cases.text(reason, "reason", required=True),
        title=_("Why a proposed conference was not convened"), fact_date=cases.today(), purpose=purpose,
        field="reason")
    taken = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.OPEN).update(
        status=ProposalStatus.DISMISSED, decided_by=actor, decided_at=timezone.now(), reason_item=note)
    if taken != 1:
        raise Conflict(_("This proposal was convened or dismissed already."))
    record(actor=actor, operation=Operation.UPDATE, obj=proposal, case_id=case.pk, purpose=purpose,
           detail={"status": ProposalStatus.DISMISSED, "reason_item": note.pk})
    proposal.refresh_from_db()
    return proposal
