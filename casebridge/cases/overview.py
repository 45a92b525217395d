"""What the case page opens on: the case at a glance and what changed since the reader's last visit.

Composed from what the page has read already, each through its own rule: the items through the
request's `CaseReading` (the policy's decision on each), the conferences the reader may know of
(`viewing.case_conferences`, a confidential one only for its participants), the actions whose text
they may read (`actions.case_actions`). Nothing here reads case content of its own, so nothing is
counted that the reader could not open. Phase changes are the case's structure, which the whole
team sees.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext, ngettext

from casebridge.conferences.models import ActionStatus

SOON_DAYS = 14  # key dates this close stand out: two weeks is the time to prepare a release


@dataclass(frozen=True)
class Due:
    """A date seen from today (a key date, an action's due date)."""

    label: str
    when: date | None
    today: date
    case: object = None
    ahead: bool = True  # False: the case has moved past the moment it marks (`Case.key_date_ahead`)

    @property
    def days(self) -> int | None:
        return None if self.when is None else (self.when - self.today).days

    @property
    def soon(self) -> bool:
        return self.ahead and self.days is not None and 0 <= self.days <= SOON_DAYS

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def phrase(self) -> str:
        """How far the date is from today, in words."""
        if self.days is None:
            return gettext("not set")
        if self.days == 0:
            return gettext("today")
        if self.days > 0:
            return ngettext("in %(n)d day", "in %(n)d days", self.days) % {"n": self.days}
        return ngettext("%(n)d day ago", "%(n)d days ago", -self.days) % {"n": -self.days}


def key_dates(case, today: date) -> list[Due]:
    """Every key date of the case, each marked still ahead or not."""
    return [Due(label, when, today, ahead=case.key_date_ahead(key, today)) for key, label, when in case.key_dates()]


@dataclass
class News:
    """What others did on the case since the reader's last visit (`since`; None on a first visit)."""

    since: datetime | None
    items: int = 0
    phase_changes: list = field(default_factory=list)
    conferences: list = field(default_factory=list)
    actions: list = field(default_factory=list)

    @property
    def first_visit(self) -> bool:
        return self.since is None

    @property
    def anything(self) -> bool:
        return bool(self.items or self.phase_changes or self.conferences or self.actions)


@dataclass
class Overview:
    phase_since: date | None
    next_key_date: Due | None
    next_conference: object
    open_actions: list  # overdue first, then the reader's own, then soonest due
    overdue_actions: int
    news: News


def build(*, actor, case, today: date, since: datetime | None, new_ids, changes, conferences: dict) -> Overview:
    """The case at a glance for `actor`. `since` is their last visit before this sitting, `new_ids`
    the readable records new since then, `changes` the case's phase changes and `conferences` the
    page's conference section (the conferences and actions the reader may know of and read)."""
    upcoming = case.upcoming_key_dates(today)
    open_actions = sorted((a for a in conferences["case_actions"] if a.status == ActionStatus.OPEN),
                          key=lambda a: (a.due_on >= today, a.owner_id != actor.pk, a.due_on, a.pk))
    into_now = [c for c in changes if c.to_phase == case.phase]
    return Overview(
        phase_since=max((c.effective_on for c in into_now), default=None),
        next_key_date=Due(upcoming[0][1], upcoming[0][2], today) if upcoming else None,
        next_conference=conferences["next_conference"],
        open_actions=open_actions,
        overdue_actions=sum(1 for a in open_actions if a.due_on < today),
        news=_news(actor, since, new_ids, changes, conferences))


def _news(actor, since, new_ids, changes, conferences) -> News:
    if since is None:
        return News(None)
    return News(
        since, len(new_ids or ()),
        [c for c in changes if c.recorded_at > since and c.recorded_by_id != actor.pk],
        [c for c in conferences["conferences"] if c.convened_at > since and c.convened_by_id != actor.pk],
        [a for a in conferences["case_actions"] if a.created_at > since and a.set_by_id != actor.pk])
