"""The dashboard as a work list: what is overdue, what comes up, what is new, on the reader's cases.

Everything is read through the rule that governs it, inside the queries: the cases the reader may
see (`services.list_cases`), the actions whose text they may read and the conferences they may know
of (`conferences.views.dashboard_section`), and the information new since their last visit counted
with the policy's item filter (`items.services.visible_items`), so a count never includes what
they could not open. Every list is one query however many cases there are.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.cases import visits
from casebridge.cases.models import CaseVisit, Phase, PhaseChange
from casebridge.cases.overview import Due
from casebridge.items import services as items
from casebridge.items.models import Carrier

ACTION, KEY_DATE, CONFERENCE = "action", "key_date", "conference"


@dataclass(frozen=True)
class Work:
    """One line of the work list: an action, a key date or a conference, on one case."""

    kind: str
    due: Due
    label: str
    case: object
    mine: bool
    action: object = None
    conference: object = None
    invitation: object = None

    @property
    def overdue(self) -> bool:
        return self.kind == ACTION and self.due.overdue


@dataclass
class CaseRow:
    """A case in the dashboard's list: what is most urgent on it and what is new to the reader."""

    case: object
    next_key_date: tuple | None
    next: Work | None = None  # the most urgent line of the work list on this case
    overdue: int = 0
    news: dict = field(default_factory=dict)  # information, phase_changes, conferences: counts since the last visit
    opened: bool = False  # the reader has opened its page before

    @property
    def news_total(self) -> int:
        return sum(self.news.values())


def work_list(today: date, cases: dict, work: dict) -> list[Work]:
    """Overdue actions first (the reader's own before those on the cases they coordinate), then
    what comes up, soonest first: actions, key dates still ahead, conferences the reader is invited
    to. `cases` are the visible cases by id, `work` the conferences' dashboard section."""
    found = [Work(ACTION, Due(_("Action"), a.due_on, today), a.text.body, cases.get(a.case_id, a.case), True,
                  action=a) for a in work["my_actions"]]
    found += [Work(ACTION, Due(_("Action"), a.due_on, today), a.text.body, cases.get(a.case_id, a.case), False,
                   action=a) for a in work["overdue_elsewhere"]]
    horizon = today + timedelta(days=settings.CASEBRIDGE_REMINDER_DAYS)
    for case in cases.values():
        if case.phase != Phase.CLOSED:
            found += [Work(KEY_DATE, Due(label, when, today, case), label, case, True)
                      for _key, label, when in case.upcoming_key_dates(today) if when <= horizon]
    found += [Work(CONFERENCE, Due(c.kind_label, c.starts_at.date(), today), c.kind_label,
                   cases.get(c.case_id, c.case), True, conference=c, invitation=invitation)
              for c, invitation in work["my_conferences"]]
    return sorted(found, key=lambda w: (not w.overdue, not w.mine if w.overdue else False, w.due.when,
                                        not w.mine, w.kind, w.case.reference))


def case_rows(actor, purpose: str, today: date, cases: list, work: list[Work]) -> list[CaseRow]:
    """The reader's cases, the most urgent first: in the order of their first line in the (sorted)
    work list, then the others by their next key date, then by reference; each with what is new
    since the reader's last visit."""
    rows = {case.pk: CaseRow(case, case.next_key_date(today)) for case in cases}
    rank = {}
    for position, entry in enumerate(work):
        row = rows.get(entry.case.pk)
        if row is not None:
            row.overdue += entry.overdue
            if row.next is None:
                row.next, rank[row.case.pk] = entry, position
    seen = visits.last_seen(actor, list(rows))
    for case_id, news in news_by_case(actor, purpose, today, seen).items():
        rows[case_id].news = news
    for case_id in seen:
        rows[case_id].opened = True
    return sorted(rows.values(), key=lambda r: (rank.get(r.case.pk, len(work)), r.next_key_date is None,
                                                r.next_key_date[1] if r.next_key_date else today, r.case.reference))


def news_by_case(actor, purpose: str, today: date, seen: dict) -> dict[int, dict[str, int]]:
    """{case id: {what: how many}} added by others since the reader last opened each case of `seen`:
    information items they may read (the policy's filter, in the query), phase changes, and
    conferences they may know of. Three queries, whatever the number of cases."""
    from casebridge.conferences.models import Conference

    if not seen:
        return {}
    last = Subquery(CaseVisit.objects.filter(practitioner=actor, case_id=OuterRef("case_id")).values("seen_at")[:1])
    counted = {
        "information": items.visible_items(actor, purpose).filter(carrier=Carrier.RECORD).exclude(author=actor)
        .filter(case_id__in=list(seen), created_at__gt=last),
        "phase_changes": PhaseChange.objects.filter(case_id__in=list(seen), recorded_at__gt=last)
        .exclude(recorded_by=actor),
        "conferences": Conference.objects.filter(policy.visible_conferences(actor, today))
        .filter(case_id__in=list(seen), convened_at__gt=last).exclude(convened_by=actor),
    }
    found: dict[int, dict[str, int]] = {}
    for what, queryset in counted.items():
        for case_id, n in queryset.order_by().values_list("case_id").annotate(n=Count("pk")):
            found.setdefault(case_id, {})[what] = n
    return found
