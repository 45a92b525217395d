"""Which information items each agency records on a demo case, in which phase, and which consents
the client gives. Pure and deterministic for a seed and day, like the rest of the plan.

Items are recorded while the case walks through its phases, by the person who worked it then (the
coordinator for the lead agency, the member agency's point of contact otherwise), so an agency that
covered custody has custody records even after the client's release.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from casebridge.demo.clients import OFFENCES
from casebridge.demo.item_texts import Note, notes_of
from casebridge.demo.stories import AGENCY_NAME, AGENCY_OF, Story
from casebridge.vocabulary import Category as C

FEMALE = {"Amina", "Yasmine", "Sara", "Khadija"}  # the demo clients who are women (for pronouns)
PRISONS = ("prison", "prison2", "nl_prison")
# How many notes an agency records in one phase of one case, drawn from these with equal chance.
PER_PHASE = {"lead": (1, 1, 1, 2, 2), "member": (0, 0, 1, 1, 2)}
CONSENTING_AGENCIES = ("cso", "cso2", "nl_cso")
CONSENT_CATEGORIES = {"cso": (C.PROGRAMME_AND_INTERVENTION, C.HOUSING_EMPLOYMENT_EDUCATION),
                      "cso2": (C.PROGRAMME_AND_INTERVENTION, C.HOUSING_EMPLOYMENT_EDUCATION,
                               C.FAMILY_AND_SOCIAL_NETWORK),
                      "nl_cso": (C.PROGRAMME_AND_INTERVENTION, C.HOUSING_EMPLOYMENT_EDUCATION)}
EVIDENCE = [
    "Consent form signed at {place} on {date}; explained with the client in {language}. Copy in the file.",
    "Consent given in the meeting of {date} at {place}, witnessed by the exit worker; form CF-{number} signed.",
    "Signed form CF-{number} ({date}). The client was told consent can be withdrawn at any time, by any of us.",
]
LANGUAGES = {"nl": "Dutch", "fr": "French", "ar": "Arabic", "en": "English", "de": "German", "tr": "Turkish"}


@dataclass(frozen=True)
class PlannedItem:
    position: int  # index in story.phases: recorded while the case is in that phase
    agency: str
    author: str
    note: Note
    data: dict  # record_item's input


@dataclass(frozen=True)
class PlannedConsent:
    recipient_agency: str | None  # AgencySpec.key, or None with recipient_kind
    recipient_kind: str
    categories: tuple[str, ...]
    purpose: str
    evidence: str
    given_on: date
    withdrawal: str | None = None  # the note, if the client later withdrew it
    # Who records it: None for the case coordinator; the sharing agency's contact for a consent the
    # lead agency itself receives under (the lead never records a consent it benefits from).
    recorder: str | None = None
    form_number: int | None = None  # a signed form CF-<number> is attached as evidence


def _words(story: Story) -> dict:
    she = story.client.given in FEMALE
    prison = next((m.agency for m in story.members if m.agency in PRISONS), story.lead)
    return {"name": story.client.given, "offence": OFFENCES[story.client.offence][1],
            "prison": AGENCY_NAME.get(prison, "the prison") if prison in PRISONS else "the prison",
            "he": "she" if she else "he", "He": "She" if she else "He", "his": "her" if she else "his",
            "His": "Her" if she else "His", "him": "her" if she else "him"}


def _data(note: Note, words: dict, fact_date: date) -> dict:
    return {"category": note.category, "nature": note.nature, "title": note.title.format(**words),
            "body": note.body.format(**words), "fact_date": fact_date, "classification": note.level,
            "orcon": note.orcon, "no_decision": note.no_decision, "no_cross_border": note.no_cross_border,
            "intelligence": note.intelligence, "source_reliability": note.grading[:1],
            "information_accuracy": int(note.grading[1:]) if note.grading else None,
            "source_text": note.source, "method_text": note.method}


def _window(story: Story, position: int, today: date) -> tuple[date, date]:
    start = story.phases[position][1]
    end = story.phases[position + 1][1] - timedelta(days=1) if position + 1 < len(story.phases) else today
    return start, max(start, min(end, today))


def _writers(story: Story, phase: str) -> list[tuple[str, str, str]]:
    """(agency, author, kind) of everyone who records in this phase: the lead and covering members."""
    writers = [(story.lead, story.coordinator, "lead")]
    writers += [(m.agency, m.contact, "member") for m in story.members if phase in m.phases]
    return writers


def plan_items(story: Story, rng: Random, today: date) -> list[PlannedItem]:
    words, used, planned = _words(story), set(), []
    for position, (phase, _, _) in enumerate(story.phases):
        start, end = _window(story, position, today)
        for agency, author, kind in _writers(story, phase):
            fitting = [n for n in notes_of(agency) if (not n.phases or phase in n.phases)
                       and (agency, n.title) not in used]
            for note in rng.sample(fitting, min(len(fitting), rng.choice(PER_PHASE[kind]))):
                used.add((agency, note.title))
                when = start + timedelta(days=rng.randint(0, (end - start).days))
                planned.append(PlannedItem(position, agency, author, note, _data(note, words, when)))
    return planned


def _evidence(rng: Random, story: Story, when: date) -> str:
    place = AGENCY_NAME[AGENCY_OF[story.coordinator]]
    language = LANGUAGES.get(story.client.languages[0], "the client's language")
    return rng.choice(EVIDENCE).format(place=place, date=f"{when.day} {when:%B %Y}", language=language,
                                       number=rng.randint(100, 999))


def plan_consents(story: Story, rng: Random, today: date) -> list[PlannedConsent]:
    """The client's consents: to the exit programme (unless the client declined), to the local services
    after release, and to probation for health information; a few withdrawn since."""
    consents = []
    for member in story.members:
        when = min(member.starts_on or today, today)
        if member.agency in CONSENTING_AGENCIES and story.index % 7 != 3:
            withdrawn = "Client asked to stop sharing with the programme after a conflict with the exit worker." \
                if story.index % 9 == 5 else None
            form = rng.randint(100, 999) if story.index % 3 == 0 else None  # a scan of the signed form
            consents.append(PlannedConsent(member.agency, "", CONSENT_CATEGORIES[member.agency], "case_management",
                                           _evidence(rng, story, when), when, withdrawn, form_number=form))
        elif member.agency in ("municipality", "nl_municipality"):
            consents.append(PlannedConsent(None, "municipality", (C.HOUSING_EMPLOYMENT_EDUCATION,
                                                                   C.FAMILY_AND_SOCIAL_NETWORK),
                                           "case_management", _evidence(rng, story, when), when))
        elif member.agency in ("housing", "employment"):
            # Consent for release planning only: read for another purpose, nothing is shared.
            consents.append(PlannedConsent(None, member.agency, (C.HOUSING_EMPLOYMENT_EDUCATION,),
                                           "release_planning" if member.agency == "housing" else "case_management",
                                           _evidence(rng, story, when), when))
        elif member.agency == "health":
            withdrawn = "Client no longer wants the probation officer to read treatment information." \
                if story.index % 4 == 2 else None
            consents.append(PlannedConsent("probation", "", (C.HEALTH_AND_MENTAL_HEALTH,), "case_management",
                                           _evidence(rng, story, when), when, withdrawn, recorder=member.contact))
    return consents
