"""What each kind of agency writes about a client, the way practitioners write it: short, factual,
dated, with facts kept apart from assessments and opinions. All of it is invented.

Placeholders: {name} (the client's given name), {prison}, {offence}, and pronouns {he} {He} {his}
{His} {him}. Intelligence notes carry their grading, source and method (which only the originating
agency ever sees) and a tearline: the sanitised text of a derivative, without source or method.
"""

from dataclasses import dataclass

from casebridge.cases.models import Phase as P
from casebridge.vocabulary import Category as C

FACT, ASSESSMENT, OPINION = "fact", "assessment", "opinion"
DETENTION = (P.REMAND, P.TRIAL, P.CUSTODY, P.RELEASE_PREPARATION)
CUSTODY = (P.CUSTODY, P.RELEASE_PREPARATION)
OUTSIDE = (P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE, P.AFTERCARE)
BEFORE_JUDGMENT = (P.REMAND, P.TRIAL)


@dataclass(frozen=True)
class Note:
    category: str
    nature: str
    title: str
    body: str
    level: int = 0
    phases: tuple = ()  # the phases in which it is written; () for any the agency covers
    orcon: bool = False
    no_decision: bool = False
    no_cross_border: bool = False
    intelligence: bool = False
    grading: str = ""  # source reliability and information accuracy, e.g. "B2"
    source: str = ""
    method: str = ""
    tearline: tuple[str, str] | None = None  # (title, body) of the sanitised derivative


N = Note

PRISON = [
    N(C.IDENTITY_AND_STATUS, FACT, "Intake at {prison}", "Admitted to the extremism wing on the restricted regime. "
      "Identity checked against the warrant and fingerprints. Searched on arrival: nothing found. House rules "
      "explained; no questions.", phases=(P.REMAND, P.CUSTODY)),
    N(C.CUSTODY_BEHAVIOUR_AND_SECURITY, FACT, "Wing report: a calm month", "No incidents. Works in the kitchen four "
      "mornings a week. Polite with staff, keeps to {him}self in the yard. Attends Friday prayer led by the "
      "imam the prison appointed.", 1),
    N(C.CUSTODY_BEHAVIOUR_AND_SECURITY, FACT, "Cell search", "Routine search of {his} cell: no phone, no prohibited "
      "material. Some printed religious texts, all from the prison library. Letters from family kept in the file.", 1),
    N(C.CUSTODY_BEHAVIOUR_AND_SECURITY, ASSESSMENT, "Contacts on the wing", "Seen several times in the yard with "
      "another detainee convicted of terrorism. Staff could not hear what was said. Yard times separated as a "
      "precaution; on the agenda of the next security meeting.", 2, no_decision=True),
    N(C.CUSTODY_BEHAVIOUR_AND_SECURITY, FACT, "Disciplinary report", "Refused to go back to {his} cell after visiting "
      "hours and insulted an officer. Sanction: three days without canteen. Calm again the next day and "
      "apologised to the officer.", 1),
    N(C.RISK_AND_NEEDS_ASSESSMENT, ASSESSMENT, "Risk and needs screening", "Structured assessment by the "
      "psychosocial service (VERA-2R). Commitment to the ideology lower than at intake. Protective factors: "
      "family contact, interest in training. Needs: work, housing, debts. Level: moderate; review in six months.",
      2, phases=CUSTODY),
    N(C.PROGRAMME_AND_INTERVENTION, FACT, "Vocational training started", "Started the welding course, three "
      "afternoons a week. The teacher says {he} is on time and asks good questions. Exam in four months.",
      phases=CUSTODY),
    N(C.HEALTH_AND_MENTAL_HEALTH, FACT, "Seen by the prison doctor", "Complains of poor sleep and headaches since "
      "the transfer. Referred to the psychiatrist; no medication for now.", 1),
    N(C.FAMILY_AND_SOCIAL_NETWORK, FACT, "Visits this month", "Visited twice by {his} mother and younger sister. "
      "Visits went well. No visitors from outside the family."),
    N(C.CUSTODY_BEHAVIOUR_AND_SECURITY, OPINION, "Wing officer's impression", "My impression: {he} is tired of the "
      "wing and focused on getting out. Less talk about politics than last year. Not sure how much of it is "
      "for show.", 1),
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "Dutch course passed", "Passed the A2 Dutch course. Wants to go on "
      "with a welding certificate after release and asked about apprenticeships.", phases=CUSTODY),
    N(C.CUSTODY_BEHAVIOUR_AND_SECURITY, FACT, "First day leave", "First supervised day leave (8 hours) to {his} "
      "mother's address. Back on time. Breath and urine tests negative. No contact outside the plan.", 1,
      phases=(P.RELEASE_PREPARATION,)),
    N(C.PROGRAMME_AND_INTERVENTION, ASSESSMENT, "Detention plan: end report", "Training certificate obtained, "
      "talks with the exit worker every two weeks, no incidents for eight months. The prison supports release "
      "under conditions.", phases=(P.RELEASE_PREPARATION,)),
]

POLICE = [
    N(C.INTELLIGENCE, ASSESSMENT, "Wish to renew contact with a former co-defendant", "According to a source, "
      "{name} asked a visitor to pass on greetings to a former co-defendant and to ask whether 'the brothers' "
      "still meet on Fridays. Single source, not corroborated.", 3, orcon=True, no_cross_border=True,
      intelligence=True, grading="B2", source="Human source WM-0417, handled by the CT unit",
      method="Source debrief after a prison visit",
      tearline=("Possible renewed contact with a former co-defendant", "Police hold uncorroborated information "
                "that {name} may try to renew contact with a former co-defendant. Relevant when setting "
                "visiting and contact conditions.")),
    N(C.ONLINE_ACTIVITY, FACT, "Old posts shared again", "Posts {name} wrote before the arrest are being reshared "
      "on a Telegram channel with about 300 members. Not known whether {he} is involved; nothing new from {his} "
      "own accounts.", 2, intelligence=True, grading="C3", source="CT unit open-source monitoring desk",
      method="Monitoring of public and semi-closed channels"),
    N(C.RISK_AND_NEEDS_ASSESSMENT, ASSESSMENT, "Police view of the risk", "No known active contacts with the "
      "network. The old peer group still meets around the Station district. Police advise a ban on that area "
      "and weekly reporting in the first months.", 1, phases=(*CUSTODY, P.SUPERVISED_RELEASE), no_decision=True),
    N(C.RISK_AND_NEEDS_ASSESSMENT, FACT, "Release address checked", "Visited the proposed address ({his} mother's "
      "flat). Mother cooperative, no other adults living there, no extremist material seen. No police objection "
      "to this address.", 1, phases=(P.RELEASE_PREPARATION,)),
    N(C.OFFENCE_AND_SENTENCE, FACT, "Arrest and seizure", "Arrested at home at 06:00 on a warrant of the "
      "investigating judge. Two phones, a laptop and a USB stick seized; analysis ongoing.", 1,
      phases=(P.REMAND,)),
    N(C.INTELLIGENCE, FACT, "Earlier travel attempt", "Flight to Istanbul booked in 2021, not boarded; confirmed "
      "by the airline's passenger record. The partner service has no further information.", 2, orcon=True,
      intelligence=True, grading="A1", source="Liaison report from a partner service, reference in the police file",
      method="International police liaison channel", phases=(*BEFORE_JUDGMENT, P.CUSTODY),
      tearline=("Earlier travel attempt on record", "A travel attempt towards a conflict zone is on record "
                "(2021, not completed).")),
    N(C.FAMILY_AND_SOCIAL_NETWORK, ASSESSMENT, "People around {name}", "A brother-in-law is known to the police "
      "for extremist sympathies; no sign that he influences {name} now. Two school friends are a positive "
      "influence.", 1, no_decision=True),
    N(C.RISK_AND_NEEDS_ASSESSMENT, FACT, "Checked in the Station district", "Checked by a patrol at 21:40 in the "
      "Station district, an area {he} was advised to avoid. Calm; said {he} was visiting a cousin. Reported to "
      "probation the same evening.", 1, phases=(P.SUPERVISED_RELEASE,)),
    N(C.IDENTITY_AND_STATUS, FACT, "Identity confirmed", "Fingerprints taken at the arrest match the national "
      "record. No other identities known to the police.", phases=BEFORE_JUDGMENT),
    N(C.INTELLIGENCE, ASSESSMENT, "Tip about plans after release", "An anonymous caller said {name} talks about "
      "'settling scores' after release. The caller could not say with whom. Not corroborated; low "
      "reliability.", 3, orcon=True, no_cross_border=True, intelligence=True, grading="X4",
      source="Anonymous caller on the police tip line", method="Tip line, call recorded",
      phases=(*CUSTODY, P.SUPERVISED_RELEASE),
      tearline=("Unverified report about intentions after release", "An unverified report suggests hostile "
                "intentions after release. Police assess it as of low reliability.")),
]

SECURITY = [
    N(C.INTELLIGENCE, ASSESSMENT, "Threat assessment update", "The service assesses that {name} remains attached "
      "to the ideology but shows no intent or capability to act. Contacts abroad appear to have stopped in the "
      "last year.", 3, orcon=True, no_cross_border=True, intelligence=True, grading="B2",
      source="Service sources, reference withheld", method="Human and technical collection",
      tearline=("Threat assessment (abstract)", "Current assessment: attachment to the ideology remains; no "
                "indication of intent or capability to use violence.")),
    N(C.ONLINE_ACTIVITY, ASSESSMENT, "Contacts in foreign online groups", "Accounts linked to {name} were members "
      "of two foreign chat groups until the arrest. No activity since.", 2, no_cross_border=True,
      intelligence=True, grading="C3", source="Partner service abroad", method="Online monitoring by the partner"),
]

PROSECUTION = [
    N(C.OFFENCE_AND_SENTENCE, FACT, "Charges", "Charged with {offence}. The investigating judge extended pre-trial "
      "detention by one month.", 1),
    N(C.LEGAL_AND_RESIDENCY, FACT, "Residence status checked", "Checked {his} residence status for the file (see "
      "the client record). No immigration consequence before judgment."),
    N(C.OFFENCE_AND_SENTENCE, ASSESSMENT, "Position on sentence", "We will ask for five years, two of them "
      "suspended with probation conditions, and a ban on contact with the co-accused.", 2, no_decision=True,
      phases=(P.TRIAL,)),
    N(C.IDENTITY_AND_STATUS, FACT, "Identity for the court file", "Identity confirmed by the investigating judge "
      "at the first hearing. Interpreter booked for the hearings.", phases=(P.REMAND,)),
]

COURT = [
    N(C.OFFENCE_AND_SENTENCE, FACT, "Conditional release granted", "The sentence implementation court granted "
      "conditional release. Conditions: fixed address, weekly reporting to probation, exit programme, no "
      "contact with the co-accused, stay out of the Station district."),
    N(C.CONFERENCE_RECORD, FACT, "Hearing of the sentence implementation court", "Hearing held with {name} and "
      "counsel, probation and the prosecutor. Prison report and release plan discussed; decision in two weeks."),
]

PROBATION = [
    N(C.RISK_AND_NEEDS_ASSESSMENT, ASSESSMENT, "Pre-sentence report", "Social inquiry for the court. Stable family, "
      "unfinished schooling, debts. Radicalised online after a period of isolation. Open to guidance. Recommends "
      "probation conditions with the exit programme.", 1, phases=BEFORE_JUDGMENT),
    N(C.PROGRAMME_AND_INTERVENTION, FACT, "Meeting with {name}", "Monthly meeting held. {He} came on time. Talked "
      "about the job interview next week and about {his} mother's health. No concerns.",
      phases=(P.CUSTODY, *OUTSIDE)),
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "Housing application", "Application for social housing sent to the "
      "Housing Office; the waiting list is about six months. Until then {he} stays at {his} mother's address.",
      phases=(P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE)),
    N(C.RISK_AND_NEEDS_ASSESSMENT, ASSESSMENT, "Risk assessment before release", "Full assessment with input from "
      "prison and police. Commitment to the ideology weakened; contact with the old group broken off. Main "
      "risks: isolation and unemployment after release. Moderate, manageable with conditions.", 2,
      phases=CUSTODY),
    N(C.CONFERENCE_RECORD, FACT, "Case meeting", "Multi-agency meeting with prison, police and the exit programme. "
      "Agreed: release plan draft by the end of the month; police check the address; the exit worker prepares "
      "the first week after release.", 1),
    N(C.LEGAL_AND_RESIDENCY, FACT, "Residence status", "Residence status confirmed with the immigration office (see "
      "the client record). The release plan covers what happens if the status changes."),
    N(C.FAMILY_AND_SOCIAL_NETWORK, ASSESSMENT, "Family situation", "Mother is the main support. No contact with the "
      "father. The sister visits often and offers help with housing.", 1),
    N(C.OFFENCE_AND_SENTENCE, FACT, "Conditions explained", "Went through every release condition with {name} and "
      "counsel. {He} signed the copy. Reporting every Monday at 10:00.", phases=(P.SUPERVISED_RELEASE,)),
    N(C.PROGRAMME_AND_INTERVENTION, OPINION, "Motivation", "My view after three months: {he} engages when we talk "
      "about work or family and closes down about the past. Keep the focus on the job for now.",
      phases=OUTSIDE),
    N(C.RISK_AND_NEEDS_ASSESSMENT, FACT, "Missed appointment", "Did not come on Monday. Called back in the "
      "afternoon: bus strike. Came on Tuesday instead. No further action.", 1, phases=(P.SUPERVISED_RELEASE,)),
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "Started work", "Started at a logistics company (warehouse, fixed "
      "hours). The employer knows about the conviction; the job coach stays involved.",
      phases=(P.SUPERVISED_RELEASE, P.AFTERCARE)),
    N(C.IDENTITY_AND_STATUS, FACT, "New phone number", "New phone number given to probation; address unchanged."),
]

EXIT_PROGRAMME = [
    N(C.PROGRAMME_AND_INTERVENTION, FACT, "First exit conversation", "Met {name} at {prison}. {He} agreed to meet "
      "every two weeks. Topics {he} chose: work, family, questions about religion.", phases=CUSTODY),
    N(C.PROGRAMME_AND_INTERVENTION, OPINION, "Exit worker's impression", "Trust is growing. {He} talks more openly "
      "about how {he} got involved. I think it is working, but it is early days. Please do not base decisions "
      "on this note.", no_decision=True),
    N(C.FAMILY_AND_SOCIAL_NETWORK, FACT, "Visit to the family", "Met the mother at home. She is worried but "
      "supportive and wants to take part in the plan after release."),
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "CV and applications", "Worked on a CV together. Two applications "
      "sent, a warehouse and a bakery. Practised the interview.", phases=OUTSIDE),
    N(C.PROGRAMME_AND_INTERVENTION, ASSESSMENT, "Progress review", "Six months in the programme: comes to every "
      "session, keeps away from the old group, new routine with work and sport. Next goal: volunteering.",
      phases=(P.SUPERVISED_RELEASE, P.AFTERCARE)),
]

FAMILY_SUPPORT = [
    N(C.FAMILY_AND_SOCIAL_NETWORK, FACT, "Family session", "Session with {name}'s partner and the two children. The "
      "children want more contact; the partner asks for clear agreements first."),
    N(C.FAMILY_AND_SOCIAL_NETWORK, ASSESSMENT, "Family support plan", "Agreed with the family: a joint session "
      "every month, help with school for the eldest, a parenting course for the partner."),
    N(C.PROGRAMME_AND_INTERVENTION, FACT, "Contact with the exit programme", "Introduced {name} to the exit worker; "
      "first joint meeting planned."),
]

MUNICIPALITY = [
    N(C.CONFERENCE_RECORD, FACT, "Local case table", "Discussed at the local integrated security cell. Actions: "
      "housing (Housing Office), income (Welfare Centre), daily structure (job coach).", 1),
    N(C.IDENTITY_AND_STATUS, FACT, "Registered at the new address", "The population register confirms {his} "
      "registration at the new address."),
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "Sports club", "Arranged a place at the boxing club near {his} address, "
      "with a trainer who knows the programme."),
]

HEALTH = [
    N(C.HEALTH_AND_MENTAL_HEALTH, ASSESSMENT, "Psychiatric assessment", "Signs of post-traumatic stress and low "
      "mood; no psychosis. Advice: weekly trauma-focused therapy.", 1),
    N(C.HEALTH_AND_MENTAL_HEALTH, FACT, "Treatment attendance", "Came to five of six sessions this quarter. "
      "Medication taken as prescribed.", 1),
    N(C.HEALTH_AND_MENTAL_HEALTH, OPINION, "Therapist's note", "Not to be passed on without my agreement: {he} "
      "spoke about anger at the officers who arrested {him}. No concrete plans; we work on it in therapy.", 1,
      orcon=True),
]

HOUSING = [
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "Flat found", "A studio flat in the north of town is free from next "
      "month. Rent covered by income support; the contract is in {his} name."),
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "Home visit", "Home visit: flat in order, no complaints from the "
      "neighbours.", phases=(P.SUPERVISED_RELEASE,)),
]

EMPLOYMENT = [
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "Job coaching started", "Intake at the Employment Service. Interested "
      "in logistics and welding. Registered for a forklift course."),
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "Temporary contract", "Temporary contract at a warehouse, 30 hours a "
      "week. The employer was informed with {his} consent."),
]

SOCIAL = [
    N(C.HOUSING_EMPLOYMENT_EDUCATION, FACT, "Income support", "Income support granted from the day of release. Debt "
      "mediation started for about 4,000 euros of fines and phone bills."),
    N(C.FAMILY_AND_SOCIAL_NETWORK, FACT, "Childcare arranged", "Place at the day-care centre for the youngest child "
      "from next month, so the partner can start work."),
]

MEDIATION = [
    N(C.FAMILY_AND_SOCIAL_NETWORK, FACT, "Mediation with the family", "Talked with {name} and {his} parents, in "
      "Arabic and Dutch. Tension about {his} marriage plans; we meet again in a month."),
]

# What each agency writes, by AgencySpec.key (the Dutch agencies and the second prison like their peers).
NOTES = {"prison": PRISON, "police": POLICE, "security": SECURITY, "prosecution": PROSECUTION, "court": COURT,
         "probation": PROBATION, "cso": EXIT_PROGRAMME, "cso2": FAMILY_SUPPORT, "municipality": MUNICIPALITY,
         "health": HEALTH, "housing": HOUSING, "employment": EMPLOYMENT, "social": SOCIAL, "mediation": MEDIATION}


def notes_of(agency_key: str) -> list[Note]:
    key = agency_key.removeprefix("nl_")
    return NOTES.get(key) or NOTES[key.rstrip("2")]
