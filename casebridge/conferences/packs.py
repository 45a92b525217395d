"""Briefing packs: for each participant, what they may read for the purpose *case conference*.

A pack is assembled when its participant asks for it, on that request's reading of the case
(`items.reading.CaseReading`: the sharing rule's decision on every item, the items shown decided
again as loaded), never cached or kept: a consent withdrawn or a membership ended changes the next
pack. It holds the case's structure (reference, phase, key dates), the case summary, the agenda items
for the participant's audience whose texts they may read, with the items linked to them, and the
items recorded since the previous conference (at most `RECENT`), each with the basis that lets the
participant read it. Producing a pack is one audit event naming every item it contained.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.conferences import kinds, services as conferences
from casebridge.conferences.models import Action, ActionStatus, Conference, Status
from casebridge.errors import Forbidden, NotVisible
from casebridge.items.facts import items_with_case
from casebridge.items.models import SOURCE_FIELDS, InformationItem
from casebridge.items.reading import CaseReading
from casebridge.policy import Perm
from casebridge.vocabulary import Purpose

RECENT = 20  # items recorded since the previous conference, newest first
WITHOUT_PREVIOUS = timedelta(days=90)  # "recent" for a first conference


@dataclass
class AgendaPoint:
    entry: object
    text: InformationItem
    basis: str
    linked: list[tuple[InformationItem, str]] = field(default_factory=list)


@dataclass
class Pack:
    conference: Conference
    kind: kinds.ConferenceKind | None
    person: object
    summary: tuple[InformationItem, str] | None
    agenda: list[AgendaPoint]
    recent: list[tuple[InformationItem, str]]
    since: object
    actions: list = field(default_factory=list)  # the case's open actions the participant may read

    @property
    def levels(self) -> list[int]:
        shown = [item for item, _basis in self.items()]
        return [item.classification for item in shown]

    def items(self) -> list[tuple[InformationItem, str]]:
        """Every item in the pack with its basis, once each."""
        found = {}
        if self.summary:
            found[self.summary[0].pk] = self.summary
        for point in self.agenda:
            found.setdefault(point.text.pk, (point.text, point.basis))
            for item, basis in point.linked:
                found.setdefault(item.pk, (item, basis))
        for item, basis in self.recent:
            found.setdefault(item.pk, (item, basis))
        for action in self.actions:
            found.setdefault(action.text.pk, (action.text, action.basis))
        return list(found.values())


def briefing_pack(*, actor, conference_id, fmt: str = "html") -> Pack:
    """The actor's own briefing pack for a conference they are invited to (403 for anyone else who knows
    of the conference, 404 for anyone who does not), decided for the purpose case conference."""
    conference, _decision = conferences.get_conference(actor=actor, conference_id=conference_id)
    if not any(p.practitioner_id == actor.pk for p in conference.participants.all()):
        raise Forbidden(_("Briefing packs are prepared for the conference's participants, each their own."))
    case = conference.case
    purpose = Purpose.CASE_CONFERENCE
    reading = CaseReading(actor, case, purpose)
    readable = reading.readable()
    entries = [e for e in conference.agenda.prefetch_related("linked").order_by("position", "pk")
               if policy.agenda_for(e.audience, professional=True, clearance=actor.clearance)
               and e.text_item_id in readable]
    since = _since(conference)
    recent = [pk for pk in reading.records() if reading.fact_date(pk) >= since][:RECENT]
    wanted = {e.text_item_id for e in entries} | {i.pk for e in entries for i in e.linked.all() if i.pk in readable}
    wanted |= set(recent)
    if case.summary_item_id in readable:
        wanted.add(case.summary_item_id)
    loaded = list(items_with_case(InformationItem.objects.filter(pk__in=wanted).defer(*SOURCE_FIELDS)))
    shown = {pk: (item, decision.reason) for pk, (item, decision) in reading.confirm(loaded).items()}
    agenda = [AgendaPoint(e, *shown[e.text_item_id], [shown[i.pk] for i in e.linked.all() if i.pk in shown])
              for e in entries if e.text_item_id in shown]
    pack = Pack(conference, kinds.kind(conference.kind), actor, shown.get(case.summary_item_id), agenda,
                [shown[pk] for pk in recent if pk in shown], since, _open_actions(actor, case, reading))
    contained = pack.items()
    record(actor=actor, operation=Operation.READ, obj=conference, case_id=case.pk, purpose=purpose,
           detail={"briefing_pack": True, "format": fmt,
                   "items": {str(item.pk): basis for item, basis in contained}},
           concerning=[item for item, _basis in contained])
    return pack


def _open_actions(actor, case, reading) -> list:
    """The case's open actions whose texts the participant may read, each with its text's basis."""
    from casebridge.conferences import actions

    found = actions.known(actor, Action.objects.filter(case=case, status=ActionStatus.OPEN)).select_related(
        "owner__agency")
    shown = actions.readable_actions(actor, reading.purpose, found, reading, audit=False)
    readable = reading.readable()
    for action in shown:
        action.basis = readable[action.text_item_id].reason
    return sorted(shown, key=lambda a: (a.due_on, a.pk))


def _since(conference):
    """Items are recent from the previous conference of the case (held), or for 90 days."""
    previous = (Conference.objects.filter(case_id=conference.case_id, status=Status.HELD, confidential=False,
                                          starts_at__lt=conference.starts_at)
                .order_by("-starts_at").values_list("starts_at", flat=True).first())
    return previous.date() if previous else cases.today() - WITHOUT_PREVIOUS


@dataclass
class AttendeePack:
    """The plain-language pack for an attendee who is not a user (the client, family): when and where,
    what the conference is for, and only what was released for the client."""

    conference: Conference
    kind: kinds.ConferenceKind | None
    attendee: object
    name: InformationItem | None
    agenda: list[InformationItem]
    summaries: list[InformationItem]

    def items(self) -> list[InformationItem]:
        return [item for item in (self.name, *self.agenda, *self.summaries) if item is not None]


def attendee_pack(*, actor, conference_id, participant_id) -> AttendeePack:
    """The pack the convener or chair prints for an attendee who is not a user: the agenda items for
    everyone and the approved executive summaries of the case's conferences, each only if its originator
    released it for the client (`policy.for_attendees`) and the preparer may read it."""
    from casebridge.conferences.models import MinutesStatus, Minutes

    conference, _decision = conferences.get_conference(actor=actor, conference_id=conference_id,
                                                       perm=Perm.CONFERENCE_RUN)
    attendee = next((p for p in conference.participants.all()
                     if str(p.pk) == str(participant_id) and not p.practitioner_id), None)
    if attendee is None:
        raise NotVisible("no such attendee of this conference")
    case = conference.case
    reading = CaseReading(actor, case, Purpose.CASE_CONFERENCE)
    readable = reading.readable()
    agenda = [e.text_item_id for e in conference.agenda.order_by("position", "pk") if e.audience == "everyone"]
    summaries = list(Minutes.objects.filter(conference__case=case, status=MinutesStatus.APPROVED,
                                            conference__confidential=False)
                     .order_by("conference__starts_at", "number").values_list("summary_item_id", flat=True))
    wanted = [pk for pk in (*agenda, *summaries) if pk in readable and policy.for_attendees(reading.facts(pk))]
    loaded = list(items_with_case(InformationItem.objects.filter(pk__in=wanted).defer(*SOURCE_FIELDS)))
    shown = {pk: item for pk, (item, _d) in reading.confirm(loaded).items()}
    name = None
    if attendee.name_item_id in readable:
        name = {pk: item for pk, (item, _d) in reading.confirm(list(items_with_case(
            InformationItem.objects.filter(pk=attendee.name_item_id)))).items()}.get(attendee.name_item_id)
    pack = AttendeePack(conference, kinds.kind(conference.kind), attendee, name,
                        [shown[pk] for pk in agenda if pk in shown], [shown[pk] for pk in summaries if pk in shown])
    record(actor=actor, operation=Operation.READ, obj=conference, case_id=case.pk, purpose=Purpose.CASE_CONFERENCE,
           detail={"attendee_pack": attendee.pk, "items": {str(i.pk): readable[i.pk].reason for i in pack.items()}},
           concerning=pack.items())
    return pack
