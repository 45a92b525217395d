"""Rules of the case record that are not about who may see what: phase paths and key dates."""

from datetime import date

from django.utils.translation import gettext as _

from casebridge.cases.models import KeyDate, Phase
from casebridge.errors import InvalidInput


def is_allowed_transition(old: str, new: str) -> bool:
    """The paths a case may take along the continuum (DESIGN.md §3)."""
    match (old, new):
        case (Phase.REMAND, Phase.TRIAL | Phase.CLOSED):
            return True  # charges brought to trial, or dropped
        case (Phase.TRIAL, Phase.CUSTODY | Phase.SUPERVISED_RELEASE | Phase.CLOSED):
            return True  # custodial sentence, non-custodial sentence, or acquittal
        case (Phase.CUSTODY, Phase.RELEASE_PREPARATION | Phase.TRIAL):
            return True  # preparing release, or back to trial on appeal
        case (Phase.RELEASE_PREPARATION, Phase.SUPERVISED_RELEASE | Phase.AFTERCARE | Phase.CUSTODY):
            return True  # conditional release, release at sentence end, or release refused
        case (Phase.SUPERVISED_RELEASE, Phase.AFTERCARE | Phase.CUSTODY):
            return True  # supervision ends, or recall to custody
        case (Phase.AFTERCARE, Phase.CLOSED):
            return True
        case _:
            return False


def next_phases(old: str) -> list[str]:
    return [p for p in Phase.values if is_allowed_transition(old, p)]


# Pairs (earlier, later) that must not be reversed when both are set.
_KEY_DATE_ORDER = [
    (KeyDate.SENTENCE_START, KeyDate.EARLIEST_RELEASE),
    (KeyDate.SENTENCE_START, KeyDate.CONDITIONAL_RELEASE),
    (KeyDate.SENTENCE_START, KeyDate.SENTENCE_END),
    (KeyDate.SENTENCE_START, KeyDate.SUPERVISION_END),
    (KeyDate.EARLIEST_RELEASE, KeyDate.CONDITIONAL_RELEASE),
    (KeyDate.EARLIEST_RELEASE, KeyDate.SENTENCE_END),
    (KeyDate.CONDITIONAL_RELEASE, KeyDate.SENTENCE_END),
    (KeyDate.CONDITIONAL_RELEASE, KeyDate.SUPERVISION_END),
]


def check_key_dates(dates: dict[str, date | None]) -> None:
    """Raise InvalidInput naming the first pair of key dates that is out of order."""
    for earlier, later in _KEY_DATE_ORDER:
        first, second = dates.get(earlier.value), dates.get(later.value)
        if first and second and second < first:
            raise InvalidInput(_("%(later)s (%(second)s) cannot be before %(earlier)s (%(first)s).")
                               % {"later": later.label, "second": second, "earlier": str(earlier.label).lower(), "first": first},
                               field=later.value)
