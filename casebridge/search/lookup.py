"""Hit / no-hit lookup: is this person a client of an active case, and whom to call if so.

Any practitioner may ask, because the person in front of them may be a client they do not know
about. The answer says only yes or no and, on yes, who coordinates each active case: no case
reference, phase, or anything else about the case, so the lookup cannot be used to browse.
"""

from dataclasses import dataclass
from datetime import date

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.cases.models import Case, Phase
from casebridge.errors import Forbidden, InvalidInput
from casebridge.policy import Perm
from casebridge.search import fts
from casebridge.search.services import fold, printable


@dataclass(frozen=True)
class Contact:
    agency: str
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class LookupAnswer:
    hit: bool
    contacts: tuple[Contact, ...] = ()


def name_key(text: str) -> str:
    """A name as compared: words only, without case, accents, hyphens or apostrophes."""
    return " ".join(fold(word) for word in fts.terms(text))


def _names(given: str, family: str) -> set[str]:
    # Both orders: family-name-first conventions differ between the records and the person asking.
    return {name_key(f"{given} {family}"), name_key(f"{family} {given}")}


def _is_named(client, asked: set[str]) -> bool:
    known = {name_key(f"{client.given_name} {client.family_name}")} | {name_key(a) for a in client.aliases or []}
    return bool(asked & known)


def _contact(case: Case) -> Contact:
    lead = next((m for m in case.memberships.all()
                 if m.agency_id == case.lead_agency_id and m.is_active(cases.today())), None)
    person = lead.point_of_contact if lead else case.coordinator
    return Contact(case.lead_agency.name, person.display_name, person.email, person.phone)


def lookup_person(*, actor, given_name: str, family_name: str, date_of_birth: date, purpose: str) -> LookupAnswer:
    """Whether a person (names or aliases, ignoring case and accents, and the exact date of birth) is
    the client of an active case; on yes, each such case's coordinating agency and its point of
    contact. Every lookup is audited, with the coordinating agencies as recipients on a hit."""
    if not policy.role_allows(actor, Perm.PERSON_LOOKUP):
        raise Forbidden("your role does not look people up")
    given = cases.text(printable(given_name), "given_name", required=True, max_length=120)
    family = cases.text(printable(family_name), "family_name", required=True, max_length=120)
    if not isinstance(date_of_birth, date):
        raise InvalidInput("Date of birth is required.", field="date_of_birth")
    asked = _names(given, family)
    found = [case for case in Case.objects.filter(client__date_of_birth=date_of_birth).exclude(phase=Phase.CLOSED)
             .select_related("client", "lead_agency", "coordinator")
             .prefetch_related("memberships__point_of_contact").order_by("pk")
             if _is_named(case.client, asked)]
    contacts = tuple(dict.fromkeys(_contact(case) for case in found))
    record(actor=actor, operation=Operation.LOOKUP, object_type="cases.client", purpose=purpose,
           case_id=found[0].pk if len(found) == 1 else None,
           recipients=sorted({c.agency for c in contacts}),
           detail={"query": {"given_name": fingerprint(given), "family_name": fingerprint(family),
                             "date_of_birth": fingerprint(date_of_birth.isoformat())},
                   "hit": bool(found), "cases": [case.pk for case in found]})
    return LookupAnswer(bool(found), contacts)
