"""Helpers for the sharing tests: the API client of casebridge/api/tests, agency administrators of
the cast's agencies, and the terms of a small agreement to draft."""

import datetime as dt

import pytest

from casebridge.api.tests.conftest import api  # noqa: F401  (a fixture, used by name)
from casebridge.conftest import _person


@pytest.fixture
def admins(cast, agencies):
    """An administrator for each agency of the cast: Adam (probation) and four more."""
    made = {"probation": cast["adam"]}
    for key, name in [("prison", "marc"), ("police", "bart"), ("cso", "leen"), ("housing", "hal")]:
        made[key] = _person(name, agencies[key], "agency_admin")
    return made


def terms(agencies, *, parties=("prison", "probation"), rules=None, **overrides) -> dict:
    """The service's input for a prison → probation agreement on custody behaviour up to RESTRICTED."""
    rules = rules if rules is not None else [("prison", "probation", ["custody_behaviour_and_security"], 1, False)]
    return {"title": "Custody information for release planning", "parties": [agencies[p].pk for p in parties],
            "legal_basis": "Prison Act art. 12; regional protocol 2025/7", "purposes": ["case_management"],
            "valid_from": dt.date(2025, 1, 1), "valid_to": None,
            "rules": [{"originator": agencies[o].pk, "recipient": agencies[r].pk, "categories": c,
                       "max_classification": level, "consent_required": consent} for o, r, c, level, consent in rules],
            **overrides}
