"""Case conferences: convening, replies, the agenda, attendance and the conference's phases.

Every service decides through the policy: `policy.decide_case` for the case, `policy.decide_conference`
for the conference (a confidential one is a 404 to anyone not taking part), the sharing rule for every
text. Texts (agenda items, non-user attendees' names) are items of the writer's agency
(`items.record_carried_text`), audited like any item. Invitations go out by e-mail once the
transaction has committed (`invitations`).
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.agencies.models import Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.conferences import invitations, kinds
from casebridge.conferences.models import (AgendaEntry, Conference, Participant, Proposal,
                                           ProposalStatus, Relation, Reply, Status, Trigger)
from casebridge.errors import Conflict, Forbidden, InvalidInput, NotVisible, StaleVersion
from casebridge.items import services as items
from casebridge.items.models import CONFERENCE_CARRIERS, Carrier
from casebridge.locking import compare_and_set, lock_rows
from casebridge.policy import Perm
from casebridge.vocabulary import Purpose

MAX_PARTICIPANTS = 60
MAX_ATTENDEES = 20
MAX_LINKED = 50
LONGEST = timedelta(hours=12)
AUDIENCE_LEVEL = {kinds.Audience.EVERYONE: 0, kinds.Audience.PROFESSIONALS: 1, kinds.Audience.CLEARED: 2}


def conference_facts(conference: Conference) -> policy.ConferenceFacts:
    invited = frozenset(p.practitioner_id for p in conference.participants.all() if p.practitioner_id)
    return policy.ConferenceFacts(conference.pk, conference.case_id, conference.confidential,
                                  conference.convened_by_id, conference.chair_id, invited)


def _load(conference_id, *, lock: bool = False) -> Conference:
    try:
        conference_id = int(conference_id)
    except (TypeError, ValueError):
        raise NotVisible("no such conference") from None
    if lock and not lock_rows(Conference.objects.filter(pk=conference_id)):
        raise NotVisible("no such conference")
    found = (Conference.objects.filter(pk=conference_id)
             .select_related("chair__agency", "convened_by__agency", "convening_agency")
             .prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related(
                 "practitioner__agency", "agency", "name_item"))).first())
    if found is None:
        raise NotVisible("no such conference")
    return found


def get_conference(*, actor, conference_id, perm: Perm = Perm.CONFERENCE_VIEW, lock: bool = False):
    """The conference, its case (loaded for display) and the decision; 404 for a conference the actor
    may not know of, 403 for one they may know of but not `perm`. Changes lock the case first, then
    the conference (casebridge.locking: a conference stands with its case)."""
    conference = _load(conference_id)
    case = cases.load_case(conference.case_id, lock=lock)
    if lock:
        conference = _load(conference_id, lock=True)
    decision = policy.require_conference(actor, perm, conference_facts(conference), cases.case_facts(case),
                                         cases.today())
    conference.case = case
    return conference, decision


def eligible(person, case, spec: kinds.ConferenceKind) -> str:
    """Why `person` cannot take part in a conference of kind `spec` on `case` ("" if they can): they
    must be able to see the case (on its team, their agency an active member covering the phase) and
    be cleared as the kind asks."""
    if not person.is_active:
        return _("%(name)s's account is not active.") % {"name": person.display_name}
    if not policy.decide_case(person, Perm.CASE_VIEW, cases.case_facts(case), cases.today()):
        return _("%(name)s is not on this case's team (or their agency does not cover its phase).") % {
            "name": person.display_name}
    if not spec.invites(person.agency_kind, coordinator=person.pk == case.coordinator_id,
                        lead=person.agency_id == case.lead_agency_id):
        return _("A %(kind)s does not take part in a %(conference)s.") % {
            "kind": person.agency.get_kind_display(), "conference": spec.label}
    if person.clearance < spec.min_clearance:
        return _("%(name)s is not cleared for a %(kind)s.") % {"name": person.display_name, "kind": spec.label}
    return ""


def candidates(case, spec: kinds.ConferenceKind, actor) -> list[Practitioner]:
    """The people who can be invited: the active team, as listed to the actor (a discreet member's
    people only to those the listing rule allows), eligible for the kind."""
    from casebridge.cases import membership

    listed = [a.practitioner for a in membership.listed_team_members(actor=actor, case=case) if a.active]
    return [p for p in listed if not eligible(p, case, spec)]


def _core(case, spec: kinds.ConferenceKind) -> set[int]:
    """The people the kind always invites: each core agency's point of contact on the case, the
    coordinator for `coordinator`, and the lead agency's point of contact for `lead`."""
    today = cases.today()
    chosen = set()
    if spec.core & kinds.PLACES:
        chosen.add(case.coordinator_id)
    for m in case.memberships.all():
        if not m.is_active(today):
            continue
        if m.agency.kind in spec.core or ("lead" in spec.core and m.agency_id == case.lead_agency_id):
            chosen.add(m.point_of_contact_id)
    return chosen


def _when(starts_at, ends_at) -> tuple[datetime, datetime]:
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        raise InvalidInput(_("Give the date and time the conference starts."), field="starts_at")
    if not isinstance(ends_at, datetime) or timezone.is_naive(ends_at):
        raise InvalidInput(_("Give the time the conference ends."), field="ends_at")
    if starts_at < timezone.now() - timedelta(minutes=5):
        raise InvalidInput(_("A conference is convened for a time still to come."), field="starts_at")
    if starts_at > timezone.now() + timedelta(days=730):
        raise InvalidInput(_("A conference is convened at most two years ahead."), field="starts_at")
    if not starts_at < ends_at <= starts_at + LONGEST:
        raise InvalidInput(_("The conference ends after it starts, within twelve hours."), field="ends_at")
    return starts_at, ends_at


def _where(place: str, online_link: str) -> tuple[str, str]:
    place = cases.text(place, "place", max_length=200)
    online_link = (online_link or "").strip()
    if online_link:
        try:
            URLValidator(schemes=["https"])(online_link)
        except ValidationError:
            raise InvalidInput(_("The online link must be an https:// address."), field="online_link") from None
        if len(online_link) > 500:
            raise InvalidInput(_("The online link is longer than 500 characters."), field="online_link")
    if not place and not online_link:
        raise InvalidInput(_("Give a place or an online link."), field="place")
    return place, online_link


def _consent_on_record(case) -> bool:
    from casebridge.sharing.models import Consent

    return Consent.objects.filter(client_id=case.client_id, purpose=Purpose.CASE_CONFERENCE,
                                  withdrawn_at__isnull=True, given_on__lte=cases.today()).exists()


def _people(ids, field: str) -> list[Practitioner]:
    ids = list(dict.fromkeys(ids or []))
    if len(ids) > MAX_PARTICIPANTS:
        raise InvalidInput(_("At most %(n)d participants.") % {"n": MAX_PARTICIPANTS}, field=field)
    if any(not str(pk).isdigit() for pk in ids):
        raise InvalidInput(_("Choose participants from the list."), field=field)
    found = {p.pk: p for p in Practitioner.objects.select_related("agency").filter(pk__in=[int(i) for i in ids])}
    missing = [pk for pk in ids if int(pk) not in found]
    if missing:
        raise InvalidInput(_("Choose participants from the list."), field=field)
    return [found[int(pk)] for pk in ids]


def convene(*, actor, case_id, kind: str, starts_at, ends_at, chair_id, participant_ids, purpose: str,
            place: str = "", online_link: str = "", attendees=(), proposal_id=None, follows_id=None) -> Conference:
    """Convene a conference of `kind` on a case: its time and place, its chair, the practitioners
    invited (the kind's core invitees always among them) and the non-user attendees the kind admits,
    by name and relation. Its agenda starts from the kind's default (a follow-up's first item reviews
    the open actions). Invitations are e-mailed once the transaction commits."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False, lock=True)
    spec = kinds.kind(kind)
    if spec is None:
        raise InvalidInput(_("Choose the kind of conference."), field="kind")
    if not spec.may_convene(actor.agency_kind):
        raise Forbidden(_("A %(kind)s is convened by another kind of agency.") % {"kind": spec.label})
    if eligible(actor, case, spec):
        raise Forbidden(eligible(actor, case, spec))
    if spec.requires_consent and not _consent_on_record(case):
        raise Conflict(_("A %(kind)s needs the client's consent to case conferences on record. Record it on "
                         "the case first.") % {"kind": spec.label}, field="kind")
    starts_at, ends_at = _when(starts_at, ends_at)
    place, online_link = _where(place, online_link)
    people = _people([*participant_ids, actor.pk], "participants")
    chair = next(iter(_people([chair_id], "chair"))) if str(chair_id or "").isdigit() else None
    if chair is None:
        raise InvalidInput(_("Choose who chairs the conference."), field="chair")
    if not spec.may_chair(chair.agency_kind):
        raise InvalidInput(_("A %(kind)s is chaired by someone of another kind of agency.") % {"kind": spec.label},
                           field="chair")
    core = _core(case, spec)
    by_id = {p.pk: p for p in [*people, chair]}
    for pk in core - by_id.keys():
        person = Practitioner.objects.select_related("agency").get(pk=pk)
        if not eligible(person, case, spec):
            by_id[pk] = person
    for person in by_id.values():
        refusal = eligible(person, case, spec)
        if refusal:
            raise InvalidInput(refusal, field="chair" if person == chair else "participants")
    if spec.confidential and proposal_id not in (None, ""):
        # Proposals are the coordinator's; answering one with a conference they may not know of would tell them.
        raise InvalidInput(_("A confidential conference is not convened from a proposal."), field="proposal")
    proposal = _take_proposal(case, proposal_id, actor)
    follows = _previous(case, follows_id, actor)
    if not spec.confidential:  # any conference the team knows of is the periodic review the case was due for
        for answered in Proposal.objects.filter(case=case, trigger=Trigger.PERIODIC_REVIEW,
                                                status=ProposalStatus.OPEN).exclude(pk=getattr(proposal, "pk", None)):
            Proposal.objects.filter(pk=answered.pk).update(status=ProposalStatus.CONVENED, decided_by=actor,
                                                           decided_at=timezone.now())
            record(actor=actor, operation=Operation.UPDATE, obj=answered, case_id=case.pk, purpose=purpose,
                   detail={"status": ProposalStatus.CONVENED, "answered_by_a_conference": True})
    now = timezone.now()
    conference = Conference.objects.create(
        case=case, kind=spec.code, confidential=spec.confidential, starts_at=starts_at, ends_at=ends_at, place=place,
        online_link=online_link, convened_by=actor, convening_agency_id=actor.agency_id, convened_at=now,
        chair=chair, proposal=proposal, follows=follows)
    invited = Participant.objects.bulk_create([
        Participant(conference=conference, practitioner=person, agency_id=person.agency_id, core=person.pk in core,
                    reply=Reply.ACCEPTED if person.pk == actor.pk else Reply.PENDING,
                    replied_at=now if person.pk == actor.pk else None)
        for person in by_id.values()])
    guests = _attendees(actor, case, conference, spec, attendees, purpose)
    _default_agenda(actor, conference, spec, purpose)
    record(actor=actor, operation=Operation.CREATE, obj=conference, case_id=case.pk, purpose=purpose,
           recipients=[f"agency:{a}" for a in sorted({p.agency_id for p in invited})],
           detail={"kind": spec.code, "participants": sorted(p.practitioner_id for p in invited),
                   "attendees": [p.name_item_id for p in guests], "proposal": proposal.pk if proposal else None,
                   "follows": follows.pk if follows else None})
    invitations.send_on_commit(conference, [p for p in invited if p.practitioner_id != actor.pk])
    return conference


def _take_proposal(case, proposal_id, actor) -> Proposal | None:
    """The proposal the conference answers, marked convened once (two coordinators at once: one wins)."""
    if proposal_id in (None, ""):
        return None
    proposal = Proposal.objects.filter(pk=int(proposal_id), case=case).first() if str(proposal_id).isdigit() else None
    if proposal is None:
        raise InvalidInput(_("No such proposal on this case."), field="proposal")
    taken = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.OPEN).update(
        status=ProposalStatus.CONVENED, decided_by=actor, decided_at=timezone.now())
    if taken != 1:
        raise Conflict(_("This proposal was convened or dismissed already."), field="proposal")
    return proposal


def _previous(case, follows_id, actor) -> Conference | None:
    if follows_id in (None, ""):
        return None
    found = Conference.objects.filter(pk=int(follows_id), case=case).prefetch_related("participants").first() \
        if str(follows_id).isdigit() else None
    if found is not None and not policy.decide_conference(actor, Perm.CONFERENCE_VIEW, conference_facts(found),
                                                          cases.case_facts(case), cases.today()):
        found = None  # one the actor may not know of answers as one that does not exist
    if found is None:
        raise InvalidInput(_("The conference this one follows is not a conference of this case."), field="follows")
    return found


def _attendees(actor, case, conference, spec, attendees, purpose: str) -> list[Participant]:
    """Non-user attendees: their names are items of the convener's agency (family and social network)."""
    attendees = list(attendees or [])
    if len(attendees) > MAX_ATTENDEES:
        raise InvalidInput(_("At most %(n)d attendees who are not users.") % {"n": MAX_ATTENDEES}, field="attendees")
    made = []
    for guest in attendees:
        relation = str(guest.get("relation", ""))
        if relation not in spec.attendee_relations:
            raise InvalidInput(_("A %(kind)s does not admit this attendee.") % {"kind": spec.label},
                               field="attendees")
        name = cases.text(guest.get("name"), "attendees", required=True, max_length=120)
        item = items.record_carried_text(
            actor=actor, case=case, carrier=Carrier.CONFERENCE_ATTENDEE, text=name, purpose=purpose,
            title=_("Conference attendee: %(relation)s") % {"relation": Relation(relation).label},
            fact_date=cases.today(), field="attendees")
        made.append(Participant(conference=conference, relation=relation, name_item=item))
    return Participant.objects.bulk_create(made)


def _default_agenda(actor, conference, spec, purpose: str) -> None:
    headings = list(spec.agenda)
    if conference.follows_id:
        headings.insert(0, kinds.AgendaTemplate(str(kinds.FOLLOW_UP_HEADING), kinds.Audience.EVERYONE))
    for position, template in enumerate(headings, 1):
        _agenda_entry(actor, conference, str(template.heading), "", template.audience, [], purpose, position,
                      reviews_actions=conference.follows_id is not None and position == 1)


def _agenda_entry(actor, conference, heading: str, notes: str, audience: str, linked, purpose: str,
                  position: int, classification=None, reviews_actions: bool = False, category=None) -> AgendaEntry:
    if audience not in kinds.Audience.VALUES:
        raise InvalidInput(_("Choose who the agenda item is for."), field="audience")
    heading = cases.text(heading, "heading", required=True, max_length=200)
    level = classification if classification not in (None, "") else min(AUDIENCE_LEVEL[audience], actor.clearance)
    item = items.record_carried_text(
        actor=actor, case=conference.case, carrier=Carrier.CONFERENCE_AGENDA, text=notes or heading, title=heading,
        fact_date=cases.today(), purpose=purpose, field="notes", classification=level, category=category)
    entry = AgendaEntry.objects.create(conference=conference, position=position, audience=audience, text_item=item,
                                       reviews_actions=reviews_actions)
    entry.linked.set(linked)
    return entry


def add_agenda_item(*, actor, conference_id, heading: str, audience: str, purpose: str, notes: str = "",
                    linked_item_ids=(), classification=None) -> AgendaEntry:
    """Add an item to the agenda (its convener or chair): a heading, notes, who it is for and items of
    the case linked to it, each one the writer may read."""
    conference, _decision = get_conference(actor=actor, conference_id=conference_id, perm=Perm.CONFERENCE_RUN,
                                           lock=True)
    if conference.status != Status.SCHEDULED:
        raise Conflict(_("The agenda of a conference that took place or was cancelled is closed."))
    ids = list(dict.fromkeys(linked_item_ids or []))
    if len(ids) > MAX_LINKED:
        raise InvalidInput(_("At most %(n)d linked items.") % {"n": MAX_LINKED}, field="linked")
    linked = []
    for pk in ids:
        item = items.visible_items(actor, purpose).exclude(carrier__in=CONFERENCE_CARRIERS).filter(
            pk=pk, case_id=conference.case_id).first() \
            if str(pk).isdigit() else None
        if item is None:
            raise InvalidInput(_("Item %(id)s is not an item of this case you may read.") % {"id": pk}, field="linked")
        linked.append(item)
    position = (conference.agenda.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    entry = _agenda_entry(actor, conference, heading, notes, audience, linked, purpose, position,
                          classification=classification)
    record(actor=actor, operation=Operation.CREATE, obj=entry, case_id=conference.case_id, purpose=purpose,
           detail={"conference": conference.pk, "audience": audience, "text_item": entry.text_item_id,
                   "linked": [i.pk for i in linked]}, concerning=linked)
    return entry


def contribute(*, actor, conference_id, item, heading: str, purpose: str) -> AgendaEntry:
    """A participant brings an item of their own agency to a coming conference: an agenda entry for the
    professionals, linking the item (e.g. a CaseReflector's non-personal summary). The item stays under
    the rule: each pack shows it only to those who may read it; the entry's heading has the item's
    category and classification, so whoever may not read the item does not learn of it from the agenda."""
    conference, _decision = get_conference(actor=actor, conference_id=conference_id, lock=True)
    if conference.status != Status.SCHEDULED:
        raise Conflict(_("The agenda of a conference that took place or was cancelled is closed."))
    taking_part = conference.participants.filter(practitioner=actor).exclude(reply=Reply.DECLINED).exists()
    if not taking_part or item.case_id != conference.case_id or item.originating_agency_id != actor.agency_id:
        raise InvalidInput(_("Only someone taking part brings their own agency's item of this case."),
                           field="conference")
    position = (conference.agenda.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    entry = _agenda_entry(actor, conference, heading, "", kinds.Audience.PROFESSIONALS, [item], purpose, position,
                          classification=item.classification, category=item.category)
    record(actor=actor, operation=Operation.CREATE, obj=entry, case_id=conference.case_id, purpose=purpose,
           detail={"conference": conference.pk, "audience": entry.audience, "text_item": entry.text_item_id,
                   "linked": [item.pk]}, concerning=[item])
    return entry


def reply(*, actor, conference_id, answer: str, purpose: str, delegate_id=None, expected_version=None) -> Participant:
    """The actor's reply to their invitation: accept, decline, or delegate to a colleague of the same
    agency who can take part (they are invited in the actor's place)."""
    conference, _decision = get_conference(actor=actor, conference_id=conference_id, lock=True)
    if conference.status != Status.SCHEDULED:
        raise Conflict(_("This conference took place or was cancelled."))
    mine = next((p for p in conference.participants.all() if p.practitioner_id == actor.pk), None)
    if mine is None:
        raise InvalidInput(_("You are not invited to this conference."))
    if answer not in (Reply.ACCEPTED, Reply.DECLINED, Reply.DELEGATED):
        raise InvalidInput(_("Accept, decline or delegate."), field="answer")
    if expected_version not in (None, "") and int(expected_version) != mine.version:
        raise StaleVersion(_("Your reply was changed since you opened this page; it now reads: %(reply)s.")
                           % {"reply": Reply(mine.reply).label}, current_version=mine.version)
    if answer == Reply.DELEGATED and (mine.reply == Reply.DELEGATED or mine.delegated_from_id):
        raise InvalidInput(_("An invitation is delegated once, and not by the colleague it was delegated to: ask "
                             "the convener to invite someone else."), field="delegate")
    delegate = _delegate(actor, conference, delegate_id) if answer == Reply.DELEGATED else None
    if not compare_and_set(mine, actor, reply=answer, replied_at=timezone.now()):
        raise StaleVersion(_("Your reply was changed at the same moment; look again."), current_version=None)
    record(actor=actor, operation=Operation.UPDATE, obj=mine, case_id=conference.case_id, purpose=purpose,
           detail={"conference": conference.pk, "reply": answer, "delegate": delegate.pk if delegate else None})
    if delegate is not None:
        added = Participant.objects.create(conference=conference, practitioner=delegate, agency_id=delegate.agency_id,
                                           delegated_from=mine)
        invitations.send_on_commit(conference, [added])
    return mine


def _delegate(actor, conference, delegate_id) -> Practitioner:
    person = Practitioner.objects.select_related("agency").filter(pk=int(delegate_id)).first() \
        if str(delegate_id or "").isdigit() else None
    if person is None or person.agency_id != actor.agency_id or person.pk == actor.pk:
        raise InvalidInput(_("Delegate to a colleague of your own agency."), field="delegate")
    if any(p.practitioner_id == person.pk for p in conference.participants.all()):
        raise InvalidInput(_("%(name)s is invited already.") % {"name": person.display_name}, field="delegate")
    spec = kinds.kind(conference.kind)
    if spec is None:
        raise InvalidInput(_("This kind of conference is no longer configured: ask the convener."), field="delegate")
    refusal = eligible(person, conference.case, spec)
    if refusal:
        raise InvalidInput(refusal, field="delegate")
    return person
