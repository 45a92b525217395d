"""A conference as one reader may see it: for its page, the API, the case page and the dashboard.

What it shows of case content (agenda texts, attendee names, actions, minutes) is decided by the
sharing rule on the request's reading of the case and recorded as one listing; a participant of an
agency not listed to the reader (a discreet member) is not shown.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.conferences.models import Conference, Participant, Status
from casebridge.conferences.services import conference_facts, get_conference
from casebridge.policy import Perm


def case_conferences(*, actor, case) -> list[Conference]:
    """The conferences of a case the actor may know of, oldest first."""
    facts, today = cases.case_facts(case), cases.today()
    found = (Conference.objects.filter(case=case).select_related("chair__agency", "convening_agency")
             .prefetch_related("participants"))
    return [c for c in found
            if policy.decide_conference(actor, Perm.CONFERENCE_VIEW, conference_facts(c), facts, today)]


def upcoming_for(actor, *, days: int = 60) -> list[tuple[Conference, Participant]]:
    """The scheduled conferences the actor is invited to, from today, with their invitation."""
    now = timezone.now()
    found = (Participant.objects.filter(practitioner=actor, conference__status=Status.SCHEDULED,
                                        conference__starts_at__gte=now - timedelta(hours=12),
                                        conference__starts_at__lte=now + timedelta(days=days))
             .filter(conference__in=Conference.objects.filter(policy.visible_conferences(actor, cases.today())))
             .select_related("conference__case").order_by("conference__starts_at"))
    return [(p.conference, p) for p in found]



@dataclass
class ConferenceView:
    """A conference as one reader may see it: the participants listed to them, the attendees and agenda
    items whose texts they may read (an agenda item only for its audience), the actions they may read."""

    conference: Conference
    decision: policy.Decision
    runs: bool
    mine: Participant | None
    people: list
    guests: list
    agenda: list
    actions: list = field(default_factory=list)
    minutes: list = field(default_factory=list)

    @property
    def levels(self) -> list[int]:
        return ([text.classification for _p, text in self.guests]
                + [i.classification for _e, text, linked in self.agenda for i in (text, *linked)]
                + [a.text.classification for a in self.actions]
                + [i.classification for m in self.minutes for i in m.items])


def read_conference(*, actor, conference_id, purpose: str) -> ConferenceView:
    """The conference for its page or the API, its texts decided by the sharing rule on this request's
    reading of the case and recorded as one listing."""
    from casebridge.cases import membership
    from casebridge.conferences import actions
    from casebridge.conferences.minutes import readable_minutes
    from casebridge.items.reading import CaseReading, confirmed_records

    conference, decision = get_conference(actor=actor, conference_id=conference_id)
    case = conference.case
    reading = CaseReading(actor, case, purpose)
    entries = [e for e in conference.agenda.prefetch_related("linked").order_by("position", "pk")
               if policy.agenda_for(e.audience, professional=True, clearance=actor.clearance)]
    participants = list(conference.participants.all())
    wanted = [e.text_item_id for e in entries] + [p.name_item_id for p in participants if p.name_item_id]
    wanted += [i.pk for e in entries for i in e.linked.all()]
    shown = {pk: item for pk, (item, _d) in confirmed_records(reading, list(dict.fromkeys(wanted))).items()}
    minutes = readable_minutes(conference, reading)
    shown.update({item.pk: item for m in minutes for item in m.items})
    if shown:
        record(actor=actor, operation=Operation.LIST, object_type="items.informationitem", case_id=case.pk,
               purpose=purpose, detail={"conference": conference.pk, "items": {
                   str(pk): reason for pk, reason in _reasons(reading, shown).items()}},
               concerning=list(shown.values()))
    listed = membership.listed_agency_ids(actor=actor, case=case)
    facts = (conference_facts(conference), cases.case_facts(case), cases.today())
    return ConferenceView(
        conference, decision, bool(policy.decide_conference(actor, Perm.CONFERENCE_RUN, *facts)),
        next((p for p in participants if p.practitioner_id == actor.pk), None),
        [p for p in participants if p.practitioner_id and p.agency_id in listed],
        [(p, shown[p.name_item_id]) for p in participants if not p.practitioner_id and p.name_item_id in shown],
        [(e, shown[e.text_item_id], [i for i in e.linked.all() if i.pk in shown])
         for e in entries if e.text_item_id in shown],
        actions.readable_actions(actor, purpose, conference.actions.select_related("owner__agency"), reading),
        minutes)


def _reasons(reading, shown) -> dict[int, str]:
    readable = reading.readable()
    return {pk: readable[pk].reason for pk in shown if pk in readable}
