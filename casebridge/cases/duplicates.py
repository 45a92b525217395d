"""Possible duplicates: is the person a case is being opened for already a client?

A second record of one person splits what agencies know about them. Before a case is opened, its
client is compared with the clients born on the same day or on a nearly same one (a typed date
with one digit wrong, or day and month swapped), by their names and aliases, ignoring case,
accents, word order and a typo (casebridge.cases.names).

The warning says only as much as the sharing rule allows: a matching case the coordinator may
see is named and linked; of one they may not see, nothing is said but that a possible match
exists, and only where the hit / no-hit lookup would answer it too (the exact date of birth, an
active case), so the form is never a finer probe than the lookup. They may then ask that lookup
whom to contact. Every warning is audited like a lookup, and a case opened after one records it.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext

from casebridge import policy
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import names
from casebridge.cases.models import Case, Client, Phase
from casebridge.errors import Conflict

NEAR_DATE_SCORE = 90  # on a nearly same birthday the names must agree more than on the same one


@dataclass(frozen=True)
class PossibleDuplicates:
    visible: tuple[Case, ...] = ()  # the matching cases the actor may see, to link to
    hidden: bool = False             # an active case the actor may not see matches too
    case_ids: tuple[int, ...] = ()  # every matching case, for the audit trail only: never shown

    def __bool__(self) -> bool:
        return bool(self.visible) or self.hidden


class PossibleDuplicate(Conflict):
    """The client may already have a case: opening another needs the coordinator's confirmation."""

    code = "possible_duplicate"

    def __init__(self, found: PossibleDuplicates, client: dict):
        super().__init__(gettext("This person may already be a client. Check the possible match, then confirm "
                                 "that you want to open a new case."))
        self.found, self.client = found, client


def near_dates(born: date) -> set[date]:
    """The birthday itself, with day and month swapped, and every valid date one digit away from it."""
    found = {born}
    if born.day <= 12:
        found |= _valid(born.year, born.day, born.month)
    digits = born.strftime("%Y%m%d")
    for i, digit in enumerate(digits):
        for other in "0123456789":
            if other != digit:
                typed = digits[:i] + other + digits[i + 1:]
                found |= _valid(int(typed[:4]), int(typed[4:6]), int(typed[6:]))
    return found


def _valid(year: int, month: int, day: int) -> set[date]:
    try:
        return {date(year, month, day)} if year >= 1900 else set()
    except ValueError:
        return set()


def find(*, actor, client: dict) -> PossibleDuplicates:
    """The existing cases whose client may be the person described by `client` (the validated
    fields of a new client: names, aliases, date of birth), as far as the actor may know of them."""
    born, asked = client["date_of_birth"], names.full_names(client["given_name"], client["family_name"],
                                                            client.get("aliases") or [])
    # The date of birth index narrows the comparison to a handful of people.
    matching = {}
    for other in Client.objects.filter(date_of_birth__in=near_dates(born)).only(
            "given_name", "family_name", "aliases", "date_of_birth"):
        needed = names.SAME_PERSON_SCORE if other.date_of_birth == born else NEAR_DATE_SCORE
        if names.same_person(asked, names.full_names(other.given_name, other.family_name, other.aliases)) >= needed:
            matching[other.pk] = other.date_of_birth == born
    if not matching:
        return PossibleDuplicates()
    today = timezone.localdate()
    visible = tuple(Case.objects.filter(policy.visible_cases(actor, today), client_id__in=matching)
                    .select_related("client", "lead_agency").order_by("reference"))
    seen = {case.pk for case in visible}
    others = Case.objects.filter(client_id__in=matching).exclude(pk__in=seen).values_list("pk", "client_id", "phase")
    hidden = [pk for pk, client_id, phase in others if matching[client_id] and phase != Phase.CLOSED]
    return PossibleDuplicates(visible, bool(hidden), tuple(sorted(seen | set(hidden))))


def record_warning(*, actor, warning: PossibleDuplicate, purpose: str) -> None:
    """Audit a warning as the lookup it amounts to: the question's fingerprints, and the cases found
    (references only) with those the actor was shown. In a transaction of its own, as the refused
    opening rolls back."""
    client, found = warning.client, warning.found
    record(actor=actor, operation=Operation.LOOKUP, object_type="cases.client", purpose=purpose,
           detail={"duplicate_check": True, **question(client), "hit": bool(found), "cases": list(found.case_ids),
                   "shown": [case.pk for case in found.visible], "hidden_match": found.hidden})


def question(client: dict) -> dict:
    """The names and date of birth asked about, as the audit trail keeps them (fingerprints)."""
    return {"query": {"given_name": fingerprint(client["given_name"]),
                      "family_name": fingerprint(client["family_name"]),
                      "date_of_birth": fingerprint(client["date_of_birth"].isoformat())}}
