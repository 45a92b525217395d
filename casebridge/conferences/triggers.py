"""The moments of a case that call for a conference: pure, from facts the caller reads.

Each `Moment` names its trigger, a key (so the same moment is proposed once), the date of what
happened and the date by which the conference should be held. What the moments are read from is
structure the case team shares (phase changes, key dates, conferences) or content the case's
coordinator may read (risk assessments, decisions): a proposal never tells a coordinator of an item
they may not read (`proposals.refresh`).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from casebridge.conferences import kinds
from casebridge.conferences.models import Trigger

# Which kind each trigger proposes; the coordinator may convene another kind from the proposal.
TRIGGER_KINDS = {
    Trigger.SENTENCING: kinds.REVIEW,  # sentence planning with the team that will work the custody
    Trigger.RISK_ASSESSMENT: kinds.REVIEW,
    Trigger.TEMPORARY_RELEASE: kinds.REVIEW,  # the team prepares the leave; the security services convene their own
    Trigger.RELEASE_APPROACHING: kinds.RELEASE_PLANNING,
    Trigger.AFTER_RELEASE: kinds.REVIEW,
    Trigger.PERIODIC_REVIEW: kinds.REVIEW,
}
RECENT = timedelta(days=90)  # a moment older than this (and not yet discussed) is history, not a proposal
PREPARE = timedelta(days=28)  # the conference within four weeks of what happened
AHEAD = timedelta(days=14)  # a dated moment is proposed two weeks before it
AFTER_RELEASE = timedelta(days=91)


@dataclass(frozen=True)
class Moment:
    trigger: str
    key: str
    moment: date
    due_on: date

    @property
    def kind(self) -> str:
        return TRIGGER_KINDS[self.trigger]


@dataclass(frozen=True)
class CaseMoments:
    """What the triggers read about one case."""

    phase: str
    opened_on: date
    earliest_release: date | None
    phase_changes: tuple[tuple[int, str, str, date], ...]  # (id, from, to, effective on)
    assessments: tuple[tuple[int, date], ...]  # risk assessments the coordinator may read: (item id, fact date)
    leave_decisions: tuple[tuple[int, date], ...]  # temporary release and regime decisions they may read
    last_conference: date | None  # the latest conference held or scheduled (not cancelled)


def moments(case: CaseMoments, today: date, *, release_weeks: int, review_days: int) -> list[Moment]:
    """Every moment of the case that calls for a conference today."""
    if case.phase == "closed":
        return []
    found = []
    discussed = case.last_conference or date.min

    def recent(day: date) -> bool:
        return today - RECENT <= day <= today and day > discussed

    for pk, old, new, day in case.phase_changes:
        if old == "trial" and new == "custody" and recent(day):
            found.append(Moment(Trigger.SENTENCING, f"phase-change-{pk}", day, day + PREPARE))
        if new == "supervised_release":
            review = day + AFTER_RELEASE
            if review - AHEAD <= today <= review + RECENT:
                found.append(Moment(Trigger.AFTER_RELEASE, f"phase-change-{pk}", review, review))
    found += [Moment(Trigger.RISK_ASSESSMENT, f"item-{pk}", day, day + PREPARE)
              for pk, day in case.assessments if recent(day)]
    found += [Moment(Trigger.TEMPORARY_RELEASE, f"decision-{pk}", day, day + AHEAD)
              for pk, day in case.leave_decisions if recent(day)]
    release = case.earliest_release
    if release and case.phase in ("custody", "release_preparation") \
            and release - timedelta(weeks=release_weeks) <= today <= release:
        found.append(Moment(Trigger.RELEASE_APPROACHING, f"release-{release.isoformat()}", release,
                            max(today, release - AHEAD)))
    review = (case.last_conference or case.opened_on) + timedelta(days=review_days)
    if today >= review - AHEAD:
        found.append(Moment(Trigger.PERIODIC_REVIEW, f"review-{review.isoformat()}", review, max(today, review)))
    return found
