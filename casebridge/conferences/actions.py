"""Actions a conference sets: what an agency (and one of its people) does by when, and its progress.

What is to be done is an item of the writer's agency (`Carrier.CONFERENCE_ACTION`); an action whose
text a reader may not read is not shown to them, not counted. An action is set only for someone who
can read it, so its owner always sees their own work. Its status is open, done or cancelled;
overdue is an open action past its date. Progress notes are items too.
"""

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.agencies.models import Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.cases.facts import facts_of_cases
from casebridge.conferences import services as conferences
from casebridge.conferences.models import Action, ActionStatus, ActionUpdate, Status
from casebridge.errors import Conflict, Forbidden, InvalidInput, NotVisible, StaleVersion
from casebridge.items import services as items
from casebridge.items.models import Carrier, InformationItem
from casebridge.items.reading import confirmed_records
from casebridge.locking import compare_and_set, lock_rows
from casebridge.policy import Perm
from casebridge.vocabulary import Purpose

LATEST = timedelta(days=3 * 366)


def set_action(*, actor, conference_id, text: str, owner_id, due_on: date, purpose: str,
               classification=None) -> Action:
    """Set an action at a conference (its chair or convener): owner, due date and what is to be done."""
    conference, _decision = conferences.get_conference(actor=actor, conference_id=conference_id,
                                                       perm=Perm.CONFERENCE_RUN, lock=True)
    if conference.status == Status.CANCELLED:
        raise Conflict(_("This conference was cancelled."))
    case = conference.case
    owner = Practitioner.objects.select_related("agency").filter(pk=int(owner_id)).first() \
        if str(owner_id or "").isdigit() else None
    if owner is None or not owner.is_active or not policy.decide_case(owner, Perm.CASE_VIEW, cases.case_facts(case),
                                                                      cases.today()):
        raise InvalidInput(_("Choose an owner on this case's team."), field="owner")
    if not policy.decide_conference(owner, Perm.CONFERENCE_VIEW, conferences.conference_facts(conference),
                                    cases.case_facts(case), cases.today()):
        raise InvalidInput(_("%(name)s does not take part in this conference.") % {"name": owner.display_name},
                           field="owner")
    if not isinstance(due_on, date) or not cases.today() <= due_on <= cases.today() + LATEST:
        raise InvalidInput(_("The due date is from today and within three years."), field="due_on")
    item = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.CONFERENCE_ACTION, text=cases.text(text, "text", required=True),
        title=_("Action for %(agency)s") % {"agency": owner.agency.name}, fact_date=cases.today(), purpose=purpose,
        field="text", classification=classification)
    readable = items.decide(owner, Perm.ITEM_READ, item, Purpose.CASE_CONFERENCE, case=case)
    if not readable:
        raise InvalidInput(_("%(name)s could not read this action (%(reason)s): choose a classification their "
                             "agency receives.") % {"name": owner.display_name, "reason": readable.reason},
                           field="owner")
    action = Action.objects.create(case=case, conference=conference, text_item=item, owner=owner,
                                   owner_agency_id=owner.agency_id, due_on=due_on, set_by=actor,
                                   created_at=timezone.now())
    record(actor=actor, operation=Operation.CREATE, obj=action, case_id=case.pk, purpose=purpose,
           detail={"conference": conference.pk, "owner": owner.pk, "due_on": due_on.isoformat(),
                   "text_item": item.pk})
    return action


def _readable_action(actor, action_id, purpose: str, *, lock: bool = False) -> Action:
    """The action, if the actor may see its case and read its text (404 otherwise)."""
    found = Action.objects.filter(pk=int(action_id)).first() if str(action_id or "").isdigit() else None
    if found is None:
        raise NotVisible("no such action")
    case = cases.load_case(found.case_id, lock=lock)
    if lock:
        lock_rows(Action.objects.filter(pk=found.pk))
        found = Action.objects.select_related("owner__agency", "conference").get(pk=found.pk)
    policy.require_case(actor, Perm.CASE_VIEW, cases.case_facts(case), cases.today())
    if found.conference_id and not known(actor, Action.objects.filter(pk=found.pk)).exists():
        raise NotVisible("an action of a conference the actor may not know of")
    text = InformationItem.objects.get(pk=found.text_item_id)
    if not items.decide(actor, Perm.ITEM_READ, text, purpose, case=case):
        raise NotVisible("action text not readable")
    found.case, found.text = case, text
    return found


def update_action(*, actor, action_id, status: str, purpose: str, note: str = "",
                  expected_version=None) -> Action:
    """Mark progress on an action: its owner, or the chair or convener of its conference, or whoever
    manages the case; a note (an item) says what was done."""
    action = _readable_action(actor, action_id, purpose, lock=True)
    runs = action.conference is not None and actor.pk in (action.conference.chair_id, action.conference.convened_by_id)
    if actor.pk != action.owner_id and not runs and not cases.allows(actor, Perm.CASE_MANAGE, action.case):
        raise Forbidden(_("Only the action's owner, the conference's chair or the case's coordinator update it."))
    if status not in ActionStatus.values:
        raise InvalidInput(_("Choose open, done or cancelled."), field="status")
    if expected_version not in (None, "") and int(expected_version) != action.version:
        raise StaleVersion(_("Someone updated this action since you opened it; it is now %(status)s.")
                           % {"status": ActionStatus(action.status).label}, current_version=action.version)
    note_item = items.record_carried_text(
        actor=actor, case=action.case, carrier=Carrier.CONFERENCE_NOTE, text=note, title=_("Progress on an action"),
        fact_date=cases.today(), purpose=purpose, field="note") if (note or "").strip() else None
    if status == action.status and note_item is None:
        raise InvalidInput(_("Change the status or write a note."), field="note")
    if not compare_and_set(action, actor, status=status):
        raise StaleVersion(_("Someone updated this action at the same moment; look again."))
    update = ActionUpdate.objects.create(action=action, status=status, note_item=note_item, by=actor,
                                         at=timezone.now())
    record(actor=actor, operation=Operation.UPDATE, obj=action, case_id=action.case_id, purpose=purpose,
           detail={"status": status, "note_item": note_item.pk if note_item else None, "update": update.pk})
    return action


def known(actor, queryset):
    """Of actions, those of no conference or of a conference the actor may know of (a confidential
    conference's actions are its participants' only)."""
    from casebridge.conferences.models import Conference

    return queryset.filter(Q(conference__isnull=True) | Q(conference__in=Conference.objects.filter(
        policy.visible_conferences(actor, cases.today()))))


def readable_actions(actor, purpose: str, actions, reading=None, *, audit: bool = True) -> list[Action]:
    """Of `actions`, those whose text the actor may read, with `text` set; the others are left out,
    not counted. Within one case a `reading` decides (and confirms the loaded texts); across cases the
    policy's filter does, inside the query. The texts shown are recorded as one listing."""
    actions = list(actions)
    wanted = [a.text_item_id for a in actions]
    reasons = {}
    if reading is not None:
        confirmed = confirmed_records(reading, wanted)
        texts = {pk: item for pk, (item, _d) in confirmed.items()}
        reasons = {pk: decision.reason for pk, (_i, decision) in confirmed.items()}
    else:
        texts = {i.pk: i for i in items.visible_items(actor, purpose).filter(pk__in=wanted)}
    shown = [a for a in actions if a.text_item_id in texts]
    for action in shown:
        action.text = texts[action.text_item_id]
    if shown and audit:
        record(actor=actor, operation=Operation.LIST, object_type="conferences.action", purpose=purpose,
               case_id=reading.case.pk if reading is not None else None,
               detail={"actions": [a.pk for a in shown],
                       "items": {str(a.text_item_id): reasons.get(a.text_item_id, "") for a in shown}},
               concerning=[a.text for a in shown])
    return shown


def case_actions(*, actor, case, purpose: str, reading=None) -> list[Action]:
    """The actions on a case the actor may read, open first and soonest due."""
    found = known(actor, Action.objects.filter(case=case)).select_related("owner__agency", "conference")
    order = {ActionStatus.OPEN: 0, ActionStatus.DONE: 1, ActionStatus.CANCELLED: 2}
    return sorted(readable_actions(actor, purpose, found, reading), key=lambda a: (order[a.status], a.due_on, a.pk))


def my_actions(actor, purpose: str) -> list[Action]:
    """The actor's own open actions, soonest due first."""
    return readable_actions(actor, purpose, known(actor, Action.objects.filter(owner=actor, status=ActionStatus.OPEN))
                            .select_related("case", "conference").order_by("due_on", "pk"))


def overdue_on_managed_cases(actor, purpose: str) -> list[Action]:
    """Open actions past their date on the cases the actor manages (for the coordinator)."""
    found = list(known(actor, Action.objects.filter(status=ActionStatus.OPEN, due_on__lt=cases.today(),
                                                    case__in=cases.visible_cases(actor)))
                 .exclude(owner=actor).select_related("case", "owner__agency").order_by("due_on", "pk"))
    facts = facts_of_cases({a.case_id for a in found})
    managed = [a for a in found if policy.decide_case(actor, Perm.CASE_MANAGE, facts[a.case_id], cases.today())]
    return readable_actions(actor, purpose, managed)
