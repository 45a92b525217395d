"""Keeping a CaseReflector: starting one, recording sessions and goals, and reading one under the rule.

Only an agency whose kind runs distancing work keeps a reflector (`Perm.REFLECTOR_KEEP`, configurable by
agency kind), and only its own practitioners write in it. Reading goes through the sharing rule: a
session or goal is shown to whoever may read its item, and a reflector of which a reader may read
nothing does not exist for them (404).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.errors import InvalidInput, NotVisible, StaleVersion
from casebridge.items import services as items
from casebridge.items.models import Carrier
from casebridge.items.reading import CaseReading, confirmed_records
from casebridge.locking import compare_and_set, locked
from casebridge.policy import Perm
from casebridge.policy.roles import decide_agency_kind, require_agency_kind
from casebridge.reflector.factors import FACTORS, GoalStatus, Knowledge, Priority, Valence
from casebridge.reflector.models import Goal, Rating, Reflector, Session

EARLIEST = timedelta(days=5 * 366)


def keeps_reflectors(actor) -> bool:
    """Whether the actor's agency runs distancing work (the pages offer a reflector only then)."""
    return bool(decide_agency_kind(actor, Perm.REFLECTOR_KEEP))


def start_reflector(*, actor, case_id, purpose: str) -> Reflector:
    """The actor's agency's reflector on the case, started now unless it has one already."""
    require_agency_kind(actor, Perm.REFLECTOR_KEEP)
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False, lock=True)
    found = Reflector.objects.filter(case=case, agency_id=actor.agency_id).first()
    if found is not None:
        return found
    reflector = Reflector.objects.create(case=case, agency_id=actor.agency_id, started_by=actor,
                                         started_at=timezone.now())
    record(actor=actor, operation=Operation.CREATE, obj=reflector, case_id=case.pk, purpose=purpose)
    return reflector


def own_reflector(actor, reflector_id, purpose: str, *, lock: bool = False) -> Reflector:
    """A reflector of the actor's agency on a case the actor may see (locked for a change), or 404."""
    found = Reflector.objects.filter(pk=reflector_id, agency_id=actor.agency_id) if str(reflector_id).isdigit() \
        else Reflector.objects.none()
    reflector = (locked(found) if lock else found).first()
    if reflector is None or not keeps_reflectors(actor):
        raise NotVisible()
    cases.get_case(actor=actor, case_id=reflector.case_id, purpose=purpose, audit=False)
    return reflector


def _day(value, field_name: str) -> date:
    today = cases.today()
    if not isinstance(value, date) or not today - EARLIEST <= value <= today:
        raise InvalidInput(_("A date in the last five years, not in the future."), field=field_name)
    return value


def _rating(code: str, given) -> dict:
    if code not in FACTORS:
        raise InvalidInput(_("%(code)s is not a factor of the CaseReflector.") % {"code": str(code)[:40]},
                           field="ratings")
    if not isinstance(given, dict):
        raise InvalidInput(_("Each factor is rated with what is known, resource or challenge, and priority."),
                           field="ratings")
    knowledge = given.get("knowledge") or Knowledge.UNKNOWN
    valence = given.get("valence") or Valence.NEUTRAL
    priority = given.get("priority") if given.get("priority") not in (None, "") else Priority.NONE
    if knowledge not in Knowledge.values or valence not in Valence.values \
            or str(priority) not in map(str, Priority.values):
        raise InvalidInput(_("%(factor)s: choose known, suspected or unknown; resource, neither or challenge; "
                             "and a priority from 0 to 3.") % {"factor": FACTORS[code][1]}, field="ratings")
    note = cases.text(given.get("note"), "ratings")
    return {"factor": code, "knowledge": knowledge, "valence": valence, "priority": int(priority), "note": note}


def record_session(*, actor, reflector_id, held_on, note: str, ratings: dict, purpose: str, classification=None,
                   keep_in_agency: bool = True) -> Session:
    """A session of the reflector: its note (an item; ORCON unless `keep_in_agency` is false) and the factors
    it looked at. Factors not rated stay as the last session left them when the reflector is read."""
    reflector = own_reflector(actor, reflector_id, purpose, lock=True)
    held_on = _day(held_on, "held_on")
    if not isinstance(ratings, dict):
        raise InvalidInput(_("Ratings are given per factor."), field="ratings")
    rows = [_rating(code, given) for code, given in ratings.items()]
    number = (reflector.sessions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    text_item = items.record_carried_text(
        actor=actor, case=reflector.case, carrier=Carrier.REFLECTOR_SESSION,
        text=cases.text(note, "note", required=True), title=_("CaseReflector session"),
        fact_date=held_on, purpose=purpose, field="note", classification=classification, orcon=bool(keep_in_agency))
    session = Session.objects.create(reflector=reflector, number=number, held_on=held_on, recorded_by=actor,
                                     recorded_at=timezone.now(), text_item=text_item)
    Rating.objects.bulk_create([Rating(session=session, **row) for row in rows])
    record(actor=actor, operation=Operation.CREATE, obj=session, case_id=reflector.case_id, purpose=purpose,
           detail={"reflector": reflector.pk, "number": number, "text_item": text_item.pk,
                   "factors": sorted(r["factor"] for r in rows)})
    return session


def set_goal(*, actor, reflector_id, text: str, agreed_on, purpose: str, factor: str = "", classification=None,
             keep_in_agency: bool = True) -> Goal:
    """A goal agreed with the client, in their words (an item), optionally tied to one factor."""
    reflector = own_reflector(actor, reflector_id, purpose, lock=True)
    if factor and factor not in FACTORS:
        raise InvalidInput(_("Choose one of the factors, or none."), field="factor")
    agreed_on = _day(agreed_on, "agreed_on")
    text_item = items.record_carried_text(
        actor=actor, case=reflector.case, carrier=Carrier.REFLECTOR_GOAL,
        text=cases.text(text, "text", required=True, max_length=500), title=_("CaseReflector goal"),
        fact_date=agreed_on, purpose=purpose, field="text", classification=classification,
        orcon=bool(keep_in_agency))
    goal = Goal.objects.create(reflector=reflector, factor=factor or "", agreed_on=agreed_on, set_by=actor,
                               text_item=text_item)
    record(actor=actor, operation=Operation.CREATE, obj=goal, case_id=reflector.case_id, purpose=purpose,
           detail={"reflector": reflector.pk, "factor": goal.factor, "text_item": text_item.pk})
    return goal


def change_goal(*, actor, goal_id, status: str, purpose: str, expected_version=None) -> Goal:
    """Move a goal on (its agency's practitioners), compared and set: a stale version is refused."""
    goal = Goal.objects.filter(pk=goal_id).first() if str(goal_id).isdigit() else None
    if goal is None:
        raise NotVisible()
    reflector = own_reflector(actor, goal.reflector_id, purpose, lock=True)
    if goal.text_item_id not in CaseReading(actor, reflector.case, purpose).readable():
        raise NotVisible()  # a colleague below the goal's classification does not know of it
    if status not in GoalStatus.values:
        raise InvalidInput(_("Choose the goal's status."), field="status")
    if expected_version is not None and str(expected_version) != str(goal.version):
        raise StaleVersion(_("Someone changed this goal since you opened it; look again."),
                           current_version=goal.version)
    reached_on = cases.today() if status == GoalStatus.REACHED else None
    if not compare_and_set(goal, actor, status=status, reached_on=reached_on):
        raise StaleVersion(_("Someone changed this goal at the same moment; look again."),
                           current_version=Goal.objects.get(pk=goal.pk).version)
    record(actor=actor, operation=Operation.UPDATE, obj=goal, case_id=reflector.case_id, purpose=purpose,
           detail={"status": status, "version": goal.version})
    return goal


@dataclass
class SessionView:
    session: Session
    note: object  # the session's item
    ratings: dict = field(default_factory=dict)  # factor code -> Rating
    position: int = 0  # 1, 2, ... among the sessions this reader may read: the stored number would count the others


@dataclass
class ReflectorView:
    """A reflector as one reader may see it: the sessions and goals whose items they may read."""

    reflector: Reflector
    sessions: list[SessionView]
    goals: list[tuple[Goal, object]]  # (goal, its item)
    keeps: bool  # the reader's agency keeps it: they may record sessions and goals
    bases: dict = field(default_factory=dict)  # item id -> why the reader may read it

    def current(self) -> dict:
        """factor code -> the latest readable rating of it (a factor not rated since keeps its last rating)."""
        latest = {}
        for seen in self.sessions:
            latest.update(seen.ratings)
        return latest


def read_reflector(*, actor, reflector_id, purpose: str, audit: bool = True) -> ReflectorView:
    """The reflector with the sessions and goals the actor may read; 404 when they may read none of it
    and their agency does not keep it. Audited as one listing of the items shown."""
    reflector = Reflector.objects.filter(pk=reflector_id).select_related("agency").first() \
        if str(reflector_id).isdigit() else None
    if reflector is None:
        raise NotVisible()
    case = cases.decided_case(actor=actor, case_id=reflector.case_id, purpose=purpose)
    sessions = list(reflector.sessions.prefetch_related("ratings"))
    goals = list(reflector.goals.all())
    shown = confirmed_records(CaseReading(actor, case, purpose), [s.text_item_id for s in sessions]
                              + [g.text_item_id for g in goals])
    keeps = reflector.agency_id == actor.agency_id and keeps_reflectors(actor)
    if not shown and not keeps:
        raise NotVisible()
    view = ReflectorView(
        reflector, [SessionView(s, shown[s.text_item_id][0], {r.factor: r for r in s.ratings.all()}, position)
                    for position, s in enumerate((s for s in sessions if s.text_item_id in shown), 1)],
        [(g, shown[g.text_item_id][0]) for g in goals if g.text_item_id in shown], keeps,
        {pk: decision.reason for pk, (_item, decision) in shown.items()})
    if audit:
        _record_listing(actor, case.pk, [view], purpose)
    return view


def _record_listing(actor, case_id, views: list[ReflectorView], purpose: str) -> None:
    """One audit event for the reflectors' items shown on one page or answer (none if nothing was)."""
    shown = [(s.note.pk, s.note) for v in views for s in v.sessions] + [(i.pk, i) for v in views for _g, i in v.goals]
    if shown:
        record(actor=actor, operation=Operation.LIST, object_type="items.informationitem", case_id=case_id,
               purpose=purpose, detail={"reflectors": [v.reflector.pk for v in views], "items": {
                   str(pk): reason for v in views for pk, reason in v.bases.items()}},
               concerning=[item for _pk, item in shown])


def case_reflectors(*, actor, case_id, purpose: str) -> list[ReflectorView]:
    """The case's reflectors the actor may see something of (404 for a case they may not see), audited
    as one listing of what they show."""
    case = cases.decided_case(actor=actor, case_id=case_id, purpose=purpose)
    found = []
    for pk in Reflector.objects.filter(case=case).values_list("pk", flat=True):
        try:
            found.append(read_reflector(actor=actor, reflector_id=pk, purpose=purpose, audit=False))
        except NotVisible:
            continue
    _record_listing(actor, case.pk, found, purpose)
    return found
