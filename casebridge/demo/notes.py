"""Handover notes of the demo world, written the way practitioners write them: short, factual,
what happened, what is open, who does what next."""

from datetime import date
from random import Random

from casebridge.cases.models import Phase as P
from casebridge.vocabulary import Category as C

OPEN, RESTRICTED = 0, 1

TRANSITION_NOTES = {
    (P.REMAND, P.TRIAL): [
        "Investigation closed and the file is with the court; first hearing on {date}. {name} stays in "
        "pre-trial detention at {prison}. Police liaison remains involved until judgment.",
        "Referral to the criminal court confirmed. {name} remains in detention at {prison}, no incidents "
        "reported. Defence asked for a psychiatric report; the court has ordered one.",
    ],
    (P.REMAND, P.CLOSED): [
        "Prosecutor dropped the charges for lack of evidence; {name} released on {date}. No legal basis for "
        "further multi-agency follow-up. The municipality offered voluntary support, which {name} accepted.",
    ],
    (P.TRIAL, P.CUSTODY): [
        "Judgment on {date}: {sentence} for {offence}. Earliest release {earliest}. {name} moved to the "
        "extremism wing at {prison}; intake and risk screening booked for next week.",
        "Sentenced to {sentence}, no appeal lodged. {name} stays at {prison}. Prison starts the detention "
        "plan; probation opens the release file early because the remaining term is short.",
    ],
    (P.TRIAL, P.SUPERVISED_RELEASE): [
        "Suspended sentence of {sentence} with probation conditions: weekly reporting, no contact with the "
        "co-accused, take part in the exit programme, stay out of extremist online groups. Supervision "
        "starts {date}.",
    ],
    (P.TRIAL, P.CLOSED): [
        "Acquitted on {date}; the prosecution will not appeal. Case closed. {name} was told about the "
        "voluntary support the exit programme offers.",
    ],
    (P.CUSTODY, P.TRIAL): [
        "Prosecution appealed the sentence; hearing at the court of appeal to be scheduled. {name} stays at "
        "{prison} meanwhile. Release preparation on hold until the appeal judgment.",
    ],
    (P.CUSTODY, P.RELEASE_PREPARATION): [
        "Earliest release date ({earliest}) is getting close. Release plan to draft: address (housing office "
        "contacted), work or training, exit programme to step up contact. First release case conference "
        "to be planned.",
        "Start of release preparation. {name} completed the individual programme; last risk review stable. "
        "Open: housing, income at release, conditions the sentence implementation court may set.",
    ],
    (P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE): [
        "Conditionally released on {date} by the sentence implementation court. Conditions: report to "
        "probation weekly, fixed address, no contact with the co-accused, keep seeing the exit worker. "
        "Police informed of the release address as agreed.",
        "Released on {date} under conditions. First probation appointment held the same day; {name} "
        "collected the keys of the flat arranged by the housing office. Next review in three months.",
    ],
    (P.RELEASE_PREPARATION, P.AFTERCARE): [
        "Released at the end of the sentence on {date}; no conditional release was granted, so there is no "
        "legal supervision. {name} agreed to voluntary contact with the exit programme; the municipality "
        "keeps the local case table informed.",
    ],
    (P.SUPERVISED_RELEASE, P.AFTERCARE): [
        "Probation period ended on {date} without breaches of conditions. {name} wants to keep voluntary "
        "contact with the exit worker. Work and housing stable; local case table follows up twice a year.",
    ],
    (P.AFTERCARE, P.CLOSED): [
        "Aftercare goals reached: stable housing, a job and a support network outside the former milieu. "
        "Closed by agreement at the last case conference on {date}. Records kept per the retention schedule.",
    ],
}

# How the coordinator marks each handover note, by how the note begins: judgments, sentences and
# conditions are offence-and-sentence items at RESTRICTED (what a practitioner expects by default);
# the psychiatric report is health; release logistics, the programme and aftercare are written at
# OPEN in the categories the exit workers and local services receive (with the client's consent).
NOTE_MARKINGS = {
    "Referral to the criminal court confirmed.": (C.HEALTH_AND_MENTAL_HEALTH, RESTRICTED),
    "Earliest release date": (C.HOUSING_EMPLOYMENT_EDUCATION, OPEN),
    "Start of release preparation.": (C.RISK_AND_NEEDS_ASSESSMENT, RESTRICTED),
    "Released on ": (C.HOUSING_EMPLOYMENT_EDUCATION, OPEN),
    "Released at the end of the sentence": (C.PROGRAMME_AND_INTERVENTION, OPEN),
    "Probation period ended": (C.PROGRAMME_AND_INTERVENTION, OPEN),
    "Aftercare goals reached": (C.PROGRAMME_AND_INTERVENTION, OPEN),
}
DEFAULT_MARKING = (C.OFFENCE_AND_SENTENCE, RESTRICTED)


def marking(note: str) -> tuple[str, int]:
    """(category, classification) of a handover note of the demo world."""
    return next((m for start, m in NOTE_MARKINGS.items() if note.startswith(start)), DEFAULT_MARKING)


DEPORTATION_ADDENDUM = (" Deportation order still pending: the plan covers both release here and return to "
                        "the country of nationality.")

HANDOVER_NOTES = {
    "prison": "Moving to the women's section next month; {successor} takes over as case manager. Open points: "
              "visitor list review (brother's request), next risk review due in six weeks, {name} asked about "
              "distance learning, not answered yet.",
    "coordinator": "Leaving the extremism unit for the juvenile team; {successor} takes over coordination. "
                   "Next key date is in the case file. Good working relationship with {name}, who responds "
                   "best to written appointment reminders. Conference minutes are up to date.",
    "police": "Transferred to the regional investigation unit; {successor} is the police contact from now on. "
              "No open police actions except the periodic check of the release address.",
}


def long_date(when: date) -> str:
    return f"{when.day} {when:%B %Y}"


def duration(start: date, end: date) -> str:
    """A sentence length the way a judgment states it ("4 years", "30 months")."""
    months = round((end - start).days / 30.44)
    return f"{months // 12} years" if months % 12 == 0 and months >= 24 else f"{months} months"


def transition_note(rng: Random, old: str, new: str, **facts) -> str:
    note = rng.choice(TRANSITION_NOTES[(old, new)]).format(**facts)
    if facts.get("deportation") and new in (P.RELEASE_PREPARATION, P.CUSTODY):
        note += DEPORTATION_ADDENDUM
    return note
