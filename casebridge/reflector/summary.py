"""The non-personal summary of a CaseReflector, and sharing it.

The summary states only the state of the distancing process, built from the reflector's structure and
never from its texts: how many sessions, per group of factors how many are resources, challenges and
still unknown, which factors are a high priority, how many goals were agreed and reached (by factor), and
what moved since the summary shared last. No note, no goal's wording, no name, date of birth, alias or
place can reach it, because nothing it is built from holds one.

Shared, it becomes an ordinary item of the case (category programme and intervention, not ORCON) that
the sharing rule carries to the agencies an agreement lets read it, and, if the author chooses, a
contribution to the agenda of a coming case conference.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.errors import Conflict
from casebridge.items import services as items
from casebridge.reflector import services
from casebridge.reflector.factors import GROUPS, GoalStatus, Knowledge, Priority, Valence, factor_name
from casebridge.reflector.models import SharedSummary
from casebridge.vocabulary import Category


def state_of(view: services.ReflectorView) -> dict:
    """The counts a summary states (JSON-ready), from the sessions and goals the reader may read."""
    current = view.current()
    groups = {}
    for group in GROUPS:
        rated = [current[code] for code, _name in group.factors if code in current]
        groups[group.code] = {
            "resources": sum(r.valence == Valence.RESOURCE for r in rated),
            "challenges": sum(r.valence == Valence.CHALLENGE for r in rated),
            "unknown": len(group.factors) - sum(r.knowledge != Knowledge.UNKNOWN for r in rated)}
    goals = [goal for goal, _item in view.goals]
    return {"sessions": len(view.sessions), "groups": groups,
            "priorities": sorted(code for code, r in current.items() if r.priority == Priority.HIGH),
            "goals": {status: sum(g.status == status for g in goals) for status in GoalStatus.values},
            "reached": sorted({g.factor for g in goals if g.status == GoalStatus.REACHED and g.factor})}


def _movement(now: dict, before: dict | None) -> list[str]:
    if before is None:
        return [_("This is the first summary shared.")]
    lines = []
    for group in GROUPS:
        was, is_ = before["groups"].get(group.code, {}), now["groups"][group.code]
        for key, label in (("resources", _("resources")), ("challenges", _("challenges"))):
            change = is_[key] - was.get(key, 0)
            if change:
                lines.append(_("%(group)s: %(sign)s%(n)d %(what)s.") % {
                    "group": group.name, "sign": "+" if change > 0 else "−", "n": abs(change), "what": label})
    newly = now["goals"][GoalStatus.REACHED] - before["goals"].get(GoalStatus.REACHED, 0)
    if newly > 0:
        lines.append(_("Goals reached since: %(n)d.") % {"n": newly})
    return lines or [_("No movement since the last summary.")]


def summary_lines(view: services.ReflectorView, before: dict | None = None) -> list[str]:
    """The summary, line by line, in the reader's language."""
    now = state_of(view)
    lines = [_("State of the distancing process after %(n)d sessions (non-personal summary).") % {
        "n": now["sessions"]}]
    for group in GROUPS:
        counts = now["groups"][group.code]
        lines.append(_("%(group)s: %(resources)d resources, %(challenges)d challenges, %(unknown)d of %(all)d "
                       "factors still unknown.") % {"group": group.name, "all": len(group.factors), **counts})
    priorities = ", ".join(factor_name(code) for code in now["priorities"]) or _("none")
    lines.append(_("High priorities now: %(factors)s.") % {"factors": priorities})
    goals = now["goals"]
    lines.append(_("Goals agreed with the client: %(all)d; reached %(reached)d, in progress %(progress)d, "
                   "not started %(open)d, set aside %(dropped)d.") % {
        "all": sum(goals.values()), "reached": goals[GoalStatus.REACHED], "progress": goals[GoalStatus.IN_PROGRESS],
        "open": goals[GoalStatus.OPEN], "dropped": goals[GoalStatus.DROPPED]})
    if now["reached"]:
        lines.append(_("Goals reached concern: %(factors)s.") % {
            "factors": ", ".join(factor_name(code) for code in now["reached"])})
    lines.append(_("Since the last summary:"))
    lines.extend(_movement(now, before))
    return lines


def last_shared(reflector) -> SharedSummary | None:
    return reflector.summaries.order_by("-shared_at", "-id").first()


def share_summary(*, actor, reflector_id, purpose: str, classification=0, conference_id=None) -> SharedSummary:
    """Share the summary as it stands (the reflector's agency): an item of the case under the rule, and,
    with `conference_id`, a contribution to that coming conference's agenda."""
    from casebridge.conferences.services import contribute  # conferences sit above; imported at use

    reflector = services.own_reflector(actor, reflector_id, purpose, lock=True)
    view = services.read_reflector(actor=actor, reflector_id=reflector.pk, purpose=purpose)
    if not view.sessions:
        raise Conflict(_("Record a session before sharing a summary."))
    previous = last_shared(reflector)
    lines = summary_lines(view, previous.state if previous else None)
    item = items.record_item(actor=actor, case_id=reflector.case_id, purpose=purpose, data={
        "category": Category.PROGRAMME_AND_INTERVENTION, "nature": "assessment",
        "title": _("Distancing process: non-personal summary"), "body": "\n".join(lines),
        "fact_date": cases.today(), "classification": classification if classification not in (None, "") else 0})
    shared = SharedSummary.objects.create(reflector=reflector, item=item, state=state_of(view), shared_by=actor,
                                          through_session=view.sessions[-1].session.number, shared_at=timezone.now())
    record(actor=actor, operation=Operation.CREATE, obj=shared, case_id=reflector.case_id, purpose=purpose,
           detail={"reflector": reflector.pk, "item": item.pk, "conference": conference_id,
                   "from_items": [s.note.pk for s in view.sessions] + [text.pk for _goal, text in view.goals]})
    if conference_id not in (None, ""):
        contribute(actor=actor, conference_id=conference_id, item=item,
                   heading=_("Distancing work: summary from %(agency)s") % {"agency": actor.agency.name},
                   purpose=purpose)
    return shared
