"""The building blocks of the demo cases: a story (who leads, who is a member for which phases) and a
dated path along the continuum ending today. Pure planning, no database: `world.py` plays each story
through the real services.

Every path is built forward from an opening date in the past; transitions fall in order and never
after today; key dates match the phase (custody: sentence started, release ahead; release
preparation: release within weeks, so dashboard reminders show).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from casebridge.cases.models import Participation, Phase as P
from casebridge.demo import notes
from casebridge.demo.clients import OFFENCES, ClientSpec
from casebridge.demo.people import AGENCIES, PEOPLE

_TO_CUSTODY = (P.REMAND, P.TRIAL, P.CUSTODY)
_TO_PREP = (*_TO_CUSTODY, P.RELEASE_PREPARATION)
_TO_SUPERVISION = (*_TO_PREP, P.SUPERVISED_RELEASE)
PATHS = {
    "remand": (P.REMAND,),
    "trial": (P.REMAND, P.TRIAL),
    "appeal": (*_TO_CUSTODY, P.TRIAL),
    "custody": _TO_CUSTODY,
    "release_preparation": _TO_PREP,
    "supervised_release": _TO_SUPERVISION,
    "non_custodial": (P.REMAND, P.TRIAL, P.SUPERVISED_RELEASE),
    "aftercare": (*_TO_SUPERVISION, P.AFTERCARE),
    "sentence_end": (*_TO_PREP, P.AFTERCARE),
    "closed": (*_TO_SUPERVISION, P.AFTERCARE, P.CLOSED),
    "dropped": (P.REMAND, P.CLOSED),
    "acquitted": (P.REMAND, P.TRIAL, P.CLOSED),
}

DURATION = {P.REMAND: (60, 210), P.TRIAL: (30, 150), P.CUSTODY: (300, 1100),
            P.RELEASE_PREPARATION: (60, 150), P.SUPERVISED_RELEASE: (180, 540), P.AFTERCARE: (120, 365)}
ELAPSED = {P.REMAND: (10, 150), P.TRIAL: (10, 120), P.CUSTODY: (60, 700), P.RELEASE_PREPARATION: (20, 100),
           P.SUPERVISED_RELEASE: (20, 330), P.AFTERCARE: (20, 250), P.CLOSED: (15, 300)}

AGENCY_OF = {person.username: person.agency for person in PEOPLE}
AGENCY_NAME = {agency.key: agency.name for agency in AGENCIES}


@dataclass
class Member:
    agency: str  # AgencySpec.key
    contact: str
    deputy: str | None
    phases: tuple[str, ...]
    participation: str = Participation.CORE
    starts_on: date | None = None


@dataclass
class Story:
    index: int
    client: ClientSpec
    coordinator: str
    summary: str
    phases: list[tuple[str, date, str]]  # (phase, effective date, handover note into it)
    key_dates: dict = field(default_factory=dict)
    sentenced_at: int | None = None  # after this transition the key dates are known
    members: list[Member] = field(default_factory=list)
    team: list[tuple[str, str]] = field(default_factory=list)  # (username, role on the case)
    liaison: str | None = None
    handover: tuple[str, str, str] | None = None
    items: list = field(default_factory=list)  # casebridge.demo.item_plan.PlannedItem
    consents: list = field(default_factory=list)  # casebridge.demo.item_plan.PlannedConsent

    @property
    def lead(self) -> str:
        return AGENCY_OF[self.coordinator]

    @property
    def opened_on(self) -> date:
        return self.phases[0][1]


def timeline(rng: Random, path: tuple[str, ...], today: date) -> list[date]:
    """Start dates of each phase of `path`, the last one in progress today."""
    starts = [today - timedelta(days=rng.randint(*ELAPSED[path[-1]]))]
    for position in range(len(path) - 2, -1, -1):
        phase = path[position]
        low, high = (30, 150) if phase == P.CUSTODY and path[position + 1] == P.TRIAL else DURATION[phase]
        starts.insert(0, starts[0] - timedelta(days=rng.randint(low, high)))
    return starts


def key_dates(rng: Random, path: tuple[str, ...], starts: list[date], today: date) -> dict:
    """Sentence dates consistent with where the story stands today (empty before any sentence)."""
    at = dict(zip(path, starts))  # first start of each phase
    def days(low: int, high: int) -> timedelta:
        return timedelta(days=rng.randint(low, high))

    if P.CUSTODY not in at:
        if P.SUPERVISED_RELEASE not in at:
            return {}
        start = at[P.SUPERVISED_RELEASE]  # suspended sentence: supervision from judgment
        return {"sentence_start": start, "supervision_end": start + timedelta(days=3 * 365)}
    start, current = at[P.CUSTODY], path[-1]
    if current in (P.CUSTODY, P.TRIAL, P.RELEASE_PREPARATION):
        soon = current == P.RELEASE_PREPARATION or rng.random() < 0.4
        earliest = today + (days(7, 58) if soon else days(90, 600))
        return {"sentence_start": start, "earliest_release": earliest,
                "sentence_end": earliest + days(120, 900)}
    if P.SUPERVISED_RELEASE not in at:  # released at the end of the sentence
        released = at[P.AFTERCARE]
        return {"sentence_start": start, "sentence_end": released,
                "earliest_release": max(start + timedelta(days=30), released - days(90, 300))}
    released = at[P.SUPERVISED_RELEASE]
    dates = {"sentence_start": start, "conditional_release": released,
             "earliest_release": max(start + timedelta(days=30), released - days(0, 60))}
    if current == P.SUPERVISED_RELEASE:
        dates["sentence_end"] = today + (days(20, 58) if rng.random() < 0.3 else days(120, 700))
    else:
        dates["sentence_end"] = at[P.AFTERCARE]
    dates["supervision_end"] = dates["sentence_end"]
    return dates


def summary_of(client: ClientSpec, path_name: str, prison: str) -> str:
    ideology, offence = OFFENCES[client.offence]
    current = PATHS[path_name][-1]
    if path_name == "dropped":
        text = f"Suspected of {offence}; charges dropped."
    elif path_name == "acquitted":
        text = f"Prosecuted for {offence}; acquitted at first instance."
    elif current == P.REMAND:
        text = f"Suspected of {offence}. In pre-trial detention at {AGENCY_NAME[prison]}."
    elif current == P.TRIAL and path_name == "trial":
        text = f"Charged with {offence}; trial pending."
    else:
        text = f"Convicted of {offence}."
    extra = []
    if client.residency == "deportation_order":
        extra.append("Deportation order pending: plans must cover both release here and return.")
    if client.family_focus:
        extra.append("Family support (partner, parents, children) is part of the plan.")
    return " ".join([f"{ideology}.", text, *extra])


def phases_of(rng: Random, client: ClientSpec, path: tuple[str, ...], starts: list[date], prison: str,
            dates: dict) -> list[tuple[str, date, str]]:
    facts = {"name": client.given, "prison": AGENCY_NAME[prison], "offence": OFFENCES[client.offence][1],
             "deportation": client.residency == "deportation_order",
             "earliest": notes.long_date(dates["earliest_release"]) if dates.get("earliest_release") else "",
             "sentence": notes.duration(dates["sentence_start"], dates["sentence_end"])
             if dates.get("sentence_end") else "three years"}
    phases = [(path[0], starts[0], "Case opened.")]
    for old, new, when in zip(path, path[1:], starts[1:]):
        phases.append((new, when, notes.transition_note(rng, old, new, date=notes.long_date(when), **facts)))
    return phases
