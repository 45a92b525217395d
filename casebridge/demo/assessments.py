"""Assessments of the demo world: three instruments by three agencies on the personas' shared case, so
the side-by-side view has something to compare (recorded through the real service, audited)."""

from datetime import timedelta

from casebridge.assessments import services
from casebridge.cases import services as cases
from casebridge.vocabulary import Purpose

WORK = Purpose.RISK_ASSESSMENT

PLANNED = [  # (who, instrument, days ago, overall, domain ratings, formulation)
    ("ivo", "vera-2r@1", 120, "moderate", {"BA": "moderate", "SCI": "moderate", "HAC": "high", "CM": "moderate",
                                           "P": "low"},
     "Beliefs softened since the course; contacts inside limited; few protective factors yet."),
    ("ivo", "vera-2r@1", 20, "moderate", {"BA": "low", "SCI": "moderate", "HAC": "high", "CM": "low", "P": "moderate"},
     "Further distancing from the ideology; family contact restored, a protective factor."),
    ("omar", "erg22@1", 45, "moderate", {"E": "partly present", "I": "partly present", "C": "not present"},
     "Engagement continues through one online contact; no capability seen."),
    ("petra", "trap-18@1", 30, "monitor", {"PWB": "absent", "DC": "present"},
     "No warning behaviours; distal characteristics from before the offence remain."),
]


def build(people, case) -> int:
    """Record the planned assessments on `case`; returns how many."""
    today = cases.today()
    for who, instrument, days, overall, domains, text in PLANNED:
        services.record_assessment(actor=people[who], case_id=case.pk, instrument=instrument, overall=overall,
                                   assessed_on=today - timedelta(days=days), domain_ratings=domains,
                                   formulation=text, classification=1, purpose=WORK)
    return len(PLANNED)
