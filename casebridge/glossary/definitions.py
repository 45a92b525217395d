"""What the enumerations mean, in a practitioner's words: the definitions of the built-in glossary terms.

Keys are glossary keys (`kind:code`). Classification levels are a deployment's own labels: the default
four have a definition here by label; any other level gets a generic one from its rank (`builtin.py`).
"""

from django.utils.translation import gettext_lazy as _

PHASES = {
    "remand": _("The client is held or charged but not yet tried. The police and the prosecution lead; "
                "the presumption of innocence governs what may be shared and used."),
    "trial": _("From the trial to the sentence. The court decides; pre-sentence reports by probation and "
               "assessments may be asked for."),
    "custody": _("The client serves a prison sentence. The prison holds the day-to-day picture: regime, "
                 "behaviour on the wing, programmes, visits."),
    "release_preparation": _("The months before the earliest release date: prison, probation and the support "
                             "services prepare housing, income, conditions and support. Release planning "
                             "conferences happen here."),
    "supervised_release": _("The client is out of prison under conditions (probation or parole). Probation "
                            "supervises and reports breaches."),
    "aftercare": _("The sentence and supervision are over; voluntary support continues, often from an exit "
                   "programme, the municipality or social services."),
    "closed": _("The case is closed: nothing new is recorded, what was recorded is kept for its retention period."),
}

CLASSIFICATIONS = {
    "OPEN": _("May be read by every practitioner on the case team whose agency may receive it under the "
              "sharing rule; no clearance needed."),
    "RESTRICTED": _("Harm would follow if it were read outside the case team: readable by practitioners cleared "
                    "for RESTRICTED or higher."),
    "CONFIDENTIAL": _("Serious harm would follow from its disclosure (to the client, a source or an "
                      "investigation): readable by practitioners cleared for CONFIDENTIAL or higher."),
    "SECRET": _("Disclosure could endanger lives or national security: readable only by practitioners cleared "
                "for SECRET."),
}

MARKINGS = {
    "ORCON": _("Originator controlled. The agency that wrote the item decides on every onward disclosure: no "
               "sharing agreement passes it on, only a disclosure by its originator."),
    "NO-DECISION": _("May inform the team's work, but is never the basis of a formal decision or of judicial use "
                     "without the originator's agreement."),
    "NO-CROSS-BORDER": _("Never read outside the originating agency's country, whatever an agreement says."),
    "intelligence": _("The item is intelligence, not established fact: graded, never the basis of a decision "
                      "and never included in a subject access answer."),
}

GRADING = _("A two-character grading of intelligence, as police and Europol use it: a letter for how reliable "
            "the source is and a digit for how accurate the information is. \"B2\" means a mostly reliable "
            "source reporting what it knows personally.")

RELIABILITY = {
    "A": _("Reliable: no doubt about the source's authenticity, trustworthiness and competence, or a history "
           "of complete reliability."),
    "B": _("Mostly reliable: the source has in most instances proved reliable."),
    "C": _("Not reliable: the source has in most instances proved unreliable."),
    "X": _("Cannot be judged: the source's reliability cannot be assessed (a new or unknown source)."),
}

ACCURACY = {
    "1": _("Known to be true without reservation."),
    "2": _("Known personally to the source but not to the official passing it on."),
    "3": _("Not known personally to the source, but corroborated by information already recorded."),
    "4": _("Not known personally to the source and cannot be corroborated."),
}

NATURES = {
    "fact": _("Something established: observed, documented or decided. The law asks that facts be kept apart "
              "from assessments and opinions (Directive 2016/680, Art. 7)."),
    "assessment": _("A professional judgement reached with a method, such as a structured risk assessment: it "
                    "may change as the picture changes."),
    "opinion": _("A practitioner's personal view or impression: to be weighed as such, never read as a fact."),
}

RETRACTED = _("Withdrawn by the agency that recorded it, with a reason: other agencies no longer see it or its "
              "derivatives, and everyone who had read it is told. Only the agency that recorded it still sees it.")

CATEGORIES = {
    "identity_and_status": _("Who the client is: identity, aliases, date of birth, nationality, languages, "
                             "the case summary."),
    "offence_and_sentence": _("The offence, the judgement and the sentence, and what follows from them: "
                              "release dates, conditions, handover notes."),
    "risk_and_needs_assessment": _("Structured assessments of risk and needs and their formulations, and "
                                   "observations that bear on risk."),
    "custody_behaviour_and_security": _("Behaviour in prison, regime and placement, incidents and security "
                                        "measures."),
    "intelligence": _("Information from police or security services about networks, intentions and contacts; "
                      "usually graded and ORCON."),
    "health_and_mental_health": _("Physical and mental health, treatment and medication: special-category data "
                                  "that most agreements share only with consent."),
    "family_and_social_network": _("Family, friends, partners and the wider network, and the names of people "
                                   "who take part in conferences."),
    "programme_and_intervention": _("Programmes, mentoring, exit work and interventions: what is offered, "
                                    "taken up and achieved; members' responsibilities."),
    "online_activity": _("Online behaviour, accounts and contacts, as far as lawfully known."),
    "housing_employment_education": _("Where the client lives or will live, work, income, education and training."),
    "legal_and_residency": _("Legal representation and residency status, including deportation procedures."),
    "conference_record": _("Agendas, actions and notes of case conferences."),
}

PURPOSES = {
    "case_management": _("Running the case day to day: keeping the record, planning, coordinating the team."),
    "risk_assessment": _("Assessing risk and needs, or reading assessments to do so."),
    "release_planning": _("Preparing the release: date, conditions, housing, income and support."),
    "supervision": _("Supervising the client after release under conditions."),
    "case_conference": _("Preparing, holding and following up a case conference."),
    "reintegration_support": _("Supporting the client's return to society and exit, often voluntarily."),
    "administration": _("Administering agencies, people and agreements, not reading case content."),
    "data_protection": _("Oversight by a data protection officer: audit, subject access, withholding."),
}
