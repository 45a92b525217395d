"""The sharing agreements of the demo world, drafted and signed through the real services.

Five agreements, one in each state a practitioner meets: in force (the Westmark protocol, whose
second version superseded the first when every party had signed it; the reintegration services;
the Noordhaven covenant), suspended (threat assessments, pending a legal review) and expired (a
family-support pilot that ran its course). The directions follow the practitioners' practice:
custody and risk flow to probation; police share risk and sanitised intelligence up to RESTRICTED;
programme and housing information reaches the exit workers and local services only with the
client's consent.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from casebridge.sharing import agreements
from casebridge.vocabulary import Category as C, Purpose as U

CUSTODY, RISK, PROGRAMME = C.CUSTODY_BEHAVIOUR_AND_SECURITY, C.RISK_AND_NEEDS_ASSESSMENT, C.PROGRAMME_AND_INTERVENTION
HEE, FAMILY, HEALTH = C.HOUSING_EMPLOYMENT_EDUCATION, C.FAMILY_AND_SOCIAL_NETWORK, C.HEALTH_AND_MENTAL_HEALTH
OPEN, RESTRICTED, CONFIDENTIAL = 0, 1, 2
CASEWORK = [U.CASE_MANAGEMENT, U.RISK_ASSESSMENT, U.RELEASE_PLANNING, U.SUPERVISION, U.CASE_CONFERENCE]


@dataclass(frozen=True)
class Rule:
    originator: str  # AgencySpec.key
    recipients: tuple[str, ...]
    categories: tuple[str, ...]
    level: int
    consent: bool = False


@dataclass(frozen=True)
class Terms:
    parties: tuple[str, ...]
    legal_basis: str
    purposes: list
    rules: tuple[Rule, ...]
    starts_days_ago: int
    lasts_days: int | None = None  # None: open-ended


@dataclass(frozen=True)
class AgreementSpec:
    title: str
    drafter: str  # username of the administrator who drafts every version
    versions: tuple[Terms, ...]
    suspension: tuple[str, str] | None = None  # (who, reason)


def R(originator, recipients, categories, level, consent=False) -> Rule:
    return Rule(originator, tuple(recipients), tuple(categories), level, consent)


_PROTOCOL_PARTIES = ("police", "prison", "prison2", "probation", "cso", "cso2")
_PROTOCOL_CORE = (
    R("prison", ["probation"], [CUSTODY, RISK, PROGRAMME], CONFIDENTIAL),
    R("prison2", ["probation"], [CUSTODY, RISK, PROGRAMME], CONFIDENTIAL),
    R("police", ["probation"], [RISK], RESTRICTED),
    R("police", ["prison", "prison2"], [RISK], RESTRICTED),
    R("probation", ["prison", "prison2"], [RISK, C.OFFENCE_AND_SENTENCE], RESTRICTED),
    R("probation", ["police"], [RISK], RESTRICTED),
)
_PROTOCOL_BASIS = ("Westmark regional protocol on the multi-agency follow-up of terrorist and extremist offenders; "
                   "Prison Act art. 12; Probation Decree art. 8; Police Act art. 44/1.")

SPECS = [
    AgreementSpec(
        "Westmark exit continuum protocol", "adam",
        versions=(
            Terms(_PROTOCOL_PARTIES, _PROTOCOL_BASIS, CASEWORK, _PROTOCOL_CORE, starts_days_ago=900),
            # Version 2 brings in the exit programmes (with the client's consent) and police tearlines.
            Terms(_PROTOCOL_PARTIES, _PROTOCOL_BASIS + " Amended after the 2025 evaluation: exit programmes "
                  "receive programme and housing information with the client's consent.", CASEWORK, (
                      *_PROTOCOL_CORE,
                      R("police", ["probation"], [C.INTELLIGENCE], RESTRICTED),
                      R("probation", ["cso", "cso2"], [PROGRAMME, HEE], OPEN, consent=True),
                      R("prison", ["cso", "cso2"], [PROGRAMME, HEE], OPEN, consent=True),
                      R("prison2", ["cso", "cso2"], [PROGRAMME, HEE], OPEN, consent=True),
                      R("cso", ["probation"], [PROGRAMME], OPEN),
                      # Conferences: agendas, actions and notes reach the other parties, the exit
                      # programmes up to OPEN; the exit programmes' conference texts and attendees reach
                      # probation; security conference records stay among the cleared.
                      R("probation", ["prison", "prison2", "police"], [C.CONFERENCE_RECORD], RESTRICTED),
                      R("probation", ["cso", "cso2"], [C.CONFERENCE_RECORD], OPEN),
                      R("police", ["probation", "prison", "prison2"], [C.CONFERENCE_RECORD], CONFIDENTIAL),
                      R("prison", ["probation"], [C.CONFERENCE_RECORD], RESTRICTED),
                      R("cso", ["probation", "prison"], [C.CONFERENCE_RECORD], OPEN),
                      R("cso", ["probation"], [FAMILY], OPEN, consent=True),
                  ), starts_days_ago=300),
        )),
    AgreementSpec(
        "Release and reintegration services", "wim.coppens",
        versions=(Terms(
            ("probation", "municipality", "housing", "employment", "health"),
            "GDPR art. 6(1)(e) and 9(2)(h); Flemish decree on the local integrated security cells (2018); "
            "the client's consent where this agreement requires it.",
            [U.CASE_MANAGEMENT, U.RELEASE_PLANNING, U.SUPERVISION, U.REINTEGRATION_SUPPORT], (
                R("probation", ["municipality"], [HEE, FAMILY], OPEN, consent=True),
                R("probation", ["housing", "employment"], [HEE], OPEN, consent=True),
                R("housing", ["probation"], [HEE], OPEN),
                R("employment", ["probation"], [HEE], OPEN),
                R("municipality", ["probation"], [C.CONFERENCE_RECORD, HEE], RESTRICTED),
                R("health", ["probation"], [HEALTH], RESTRICTED, consent=True),
            ), starts_days_ago=400),)),
    AgreementSpec(
        "Threat assessments for supervision", "vincent.leroy",
        versions=(Terms(
            ("security", "police", "probation"),
            "Intelligence and Security Services Act art. 19; protocol with the Justice department (2022).",
            [U.RISK_ASSESSMENT, U.CASE_MANAGEMENT, U.SUPERVISION], (
                R("security", ["probation"], [C.INTELLIGENCE], RESTRICTED),
                R("security", ["police"], [C.INTELLIGENCE, C.ONLINE_ACTIVITY], CONFIDENTIAL),
            ), starts_days_ago=500),),
        suspension=("vincent.leroy", "Suspended by the State Security Liaison Unit pending a review of the legal basis "
                                     "after the Council of State ruling; nothing is shared until it is resumed.")),
    AgreementSpec(
        "Family support pilot", "greet.vandamme",
        versions=(Terms(
            ("cso2", "probation"), "Pilot agreement under the Flemish family support programme; client consent.",
            [U.CASE_MANAGEMENT, U.REINTEGRATION_SUPPORT],
            (R("cso2", ["probation"], [FAMILY], OPEN, consent=True),),
            starts_days_ago=800, lasts_days=600),)),
    AgreementSpec(
        "Noordhaven safety house covenant", "ilse.bos",
        versions=(Terms(
            ("nl_prison", "nl_police", "nl_probation", "nl_cso", "nl_municipality"),
            "Safety house covenant Noordhaven (2024); Dutch Police Data Act art. 20; Penitentiary Principles Act.",
            CASEWORK + [U.REINTEGRATION_SUPPORT], (
                R("nl_prison", ["nl_probation"], [CUSTODY, RISK, PROGRAMME], CONFIDENTIAL),
                R("nl_police", ["nl_probation"], [RISK], RESTRICTED),
                R("nl_probation", ["nl_cso"], [PROGRAMME, HEE], OPEN, consent=True),
                R("nl_probation", ["nl_municipality"], [HEE], OPEN, consent=True),
                R("nl_municipality", ["nl_probation"], [C.CONFERENCE_RECORD, HEE], RESTRICTED),
            ), starts_days_ago=600),)),
]

def _data(spec: AgreementSpec, terms: Terms, agency_ids: dict, today: date) -> dict:
    starts = today - timedelta(days=terms.starts_days_ago)
    rules = [{"originator": agency_ids[rule.originator], "recipient": agency_ids[recipient],
              "categories": list(rule.categories), "max_classification": rule.level,
              "consent_required": rule.consent}
             for rule in terms.rules for recipient in rule.recipients]
    return {"title": spec.title, "parties": [agency_ids[p] for p in terms.parties],
            "legal_basis": terms.legal_basis, "purposes": [str(p) for p in terms.purposes], "valid_from": starts,
            "valid_to": starts + timedelta(days=terms.lasts_days) if terms.lasts_days else None, "rules": rules}


def build_agreements(*, people: dict, agency_ids: dict, signatories: dict, today: date, purpose: str,
                     progress=lambda steps: None) -> list:
    """Draft every version, have every party's administrator sign it, then suspend where planned."""
    built = []
    for spec in SPECS:
        drafter = people[spec.drafter]
        version = None
        for terms in spec.versions:
            data = _data(spec, terms, agency_ids, today)
            version = (agreements.draft_agreement(actor=drafter, data=data, purpose=purpose) if version is None
                       else agreements.amend_agreement(actor=drafter, agreement_id=version.agreement_id, data=data,
                                                       purpose=purpose))
            for party in terms.parties:
                agreements.sign_agreement(actor=people[signatories[party]], version_id=version.pk, purpose=purpose)
        if spec.suspension:
            who, reason = spec.suspension
            agreements.set_suspended(actor=people[who], version_id=version.pk, suspended=True, reason=reason,
                                     purpose=purpose)
        built.append(version)
        progress(1)
    return built
