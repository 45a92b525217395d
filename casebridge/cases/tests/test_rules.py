import datetime as dt
import itertools

import pytest

from casebridge.cases.models import Phase
from casebridge.cases.rules import check_key_dates, is_allowed_transition, next_phases
from casebridge.errors import InvalidInput

P = Phase
ALLOWED = {
    (P.REMAND, P.TRIAL), (P.REMAND, P.CLOSED),
    (P.TRIAL, P.CUSTODY), (P.TRIAL, P.SUPERVISED_RELEASE), (P.TRIAL, P.CLOSED),
    (P.CUSTODY, P.RELEASE_PREPARATION), (P.CUSTODY, P.TRIAL),
    (P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE), (P.RELEASE_PREPARATION, P.AFTERCARE),
    (P.RELEASE_PREPARATION, P.CUSTODY),
    (P.SUPERVISED_RELEASE, P.AFTERCARE), (P.SUPERVISED_RELEASE, P.CUSTODY),
    (P.AFTERCARE, P.CLOSED),
}


@pytest.mark.parametrize("old,new", list(itertools.product(Phase.values, repeat=2)))
def test_only_the_paths_of_the_continuum_are_allowed(old, new):
    assert is_allowed_transition(old, new) == ((old, new) in ALLOWED)


def test_a_closed_case_goes_nowhere_and_custody_can_return_to_trial_on_appeal():
    assert next_phases(Phase.CLOSED) == []
    assert Phase.TRIAL in next_phases(Phase.CUSTODY)


D = dt.date
KEY_DATE_CASES = [
    ({"sentence_start": D(2025, 1, 1), "earliest_release": D(2026, 1, 1), "conditional_release": D(2026, 6, 1),
      "sentence_end": D(2027, 1, 1), "supervision_end": D(2028, 1, 1)}, None),
    ({"sentence_start": D(2025, 1, 1), "earliest_release": D(2024, 1, 1)}, "earliest_release"),
    ({"earliest_release": D(2026, 6, 1), "conditional_release": D(2026, 1, 1)}, "conditional_release"),
    ({"conditional_release": D(2027, 6, 1), "sentence_end": D(2027, 1, 1)}, "sentence_end"),
    ({"sentence_start": D(2025, 1, 1), "supervision_end": D(2024, 12, 31)}, "supervision_end"),
    ({"sentence_end": D(2027, 1, 1)}, None),
    ({}, None),
]


@pytest.mark.parametrize("dates,bad_field", KEY_DATE_CASES)
def test_key_dates_must_fall_in_sentence_order(dates, bad_field):
    if bad_field is None:
        check_key_dates(dates)
    else:
        with pytest.raises(InvalidInput) as refused:
            check_key_dates(dates)
        assert refused.value.field == bad_field
