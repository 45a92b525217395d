"""Search and hit / no-hit lookup on the REST API, through the same services as the pages."""

from datetime import date

from ninja import Field, Query, Router, Schema

from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.audit import services as audit
from casebridge.cases.models import Phase
from casebridge.items.models import Nature
from casebridge.policy import Perm
from casebridge.accounts import throttle
from casebridge.search import lookup as lookups, services
from casebridge.vocabulary import Category

router = Router(tags=["search"])


class SearchHit(Schema):
    item_id: int
    case_id: int
    case_reference: str
    client_name: str = Field(..., description="The client of the item's case.")
    title: str
    category: Category
    nature: Nature
    fact_date: date
    originating_agency: str
    classification: int
    classification_label: str
    handling_codes: list[str]
    intelligence: bool
    derivative: bool
    snippet: str = Field(..., description="Words around the first match, from the item's title and text only.")
    basis: str = Field(..., description="Why the caller may read this item.")


class CaseHitOut(Schema):
    case_id: int
    case_reference: str
    phase: Phase
    lead_agency: str
    client_name: str
    client_aliases: list[str]
    client_date_of_birth: date
    matched: list[str] = Field(..., description="What found the case, best first: name, alias, reference.")


class SearchOut(Schema):
    total: int = Field(..., description="All matching items the caller may read, not only this page.")
    offset: int
    limit: int
    results: list[SearchHit]
    case_total: int | None = Field(..., description="All cases the caller may see whose client's name or alias "
                                                   "or whose reference matches; null when searching one case.")
    cases: list[CaseHitOut] = Field(..., description=f"The best {services.MAX_CASE_HITS} of those cases.")


def _hit(result) -> dict:
    item = result.item
    return {"item_id": item.pk, "case_id": item.case_id, "case_reference": item.case.reference,
            "client_name": item.case.client.full_name, "title": item.title,
            "category": item.category, "nature": item.nature, "fact_date": item.fact_date,
            "originating_agency": item.originating_agency.name, "classification": item.classification,
            "classification_label": item.classification_label, "handling_codes": item.handling_codes,
            "intelligence": item.intelligence, "derivative": item.is_derivative, "snippet": result.snippet,
            "basis": result.basis}


@router.get("/search", response=responses(SearchOut), auth=token(Perm.ITEM_SEARCH))
def search(request, q: str = Query(..., max_length=services.MAX_QUERY), case_id: int | None = None,
           offset: int = Query(0, ge=0), limit: int = Query(20, ge=1, le=services.MAX_LIMIT)):
    """Search over what the caller may see for the declared purpose: the cases whose client's name or
    alias (without regard to case or accents, by the start of a word, with a typo) or whose reference
    matches, best first; and the items whose title and text contain every word (as itself, as the
    start of a word, or by its stem in English, Dutch, French or German), newest first. With
    `case_id`, only that case's items; a case the caller may not see is a 404."""
    with audit.consultation(actor=request.user, purpose=request.purpose):  # one event for the search
        hits, case_total = ([], None) if case_id is not None else services.search_cases(
            actor=request.user, query=q, purpose=request.purpose)
        results, total = services.search_items(actor=request.user, query=q, purpose=request.purpose,
                                               case_id=case_id, offset=offset, limit=limit)
    return {"total": total, "offset": offset, "limit": limit, "results": [_hit(r) for r in results],
            "case_total": case_total, "cases": [_case_hit(hit) for hit in hits]}


def _case_hit(hit) -> dict:
    case, client = hit.case, hit.case.client
    return {"case_id": case.pk, "case_reference": case.reference, "phase": case.phase,
            "lead_agency": case.lead_agency.name, "client_name": client.full_name,
            "client_aliases": list(client.aliases or []), "client_date_of_birth": client.date_of_birth,
            "matched": list(hit.matched)}


class LookupIn(Schema):
    given_name: str = Field(..., min_length=1, max_length=120)
    family_name: str = Field(..., min_length=1, max_length=120)
    date_of_birth: date


class ContactOut(Schema):
    agency: str
    name: str
    email: str
    phone: str


class LookupOut(Schema):
    hit: bool
    contacts: list[ContactOut] = Field(..., description="On a hit, whom to call for each active case; else empty.")


@router.post("/lookup", response=responses(LookupOut), auth=token(Perm.PERSON_LOOKUP))
def lookup(request, payload: LookupIn):
    """Is this person (names or aliases, ignoring case and accents; exact date of birth) the client of an
    active case? Yes or no and, on yes, only the coordinating agency and its point of contact."""
    throttle.count(request, throttle.Scope.LOOKUP, request.user.pk)
    answer = lookups.lookup_person(actor=request.user, purpose=request.purpose, **payload.dict())
    return {"hit": answer.hit, "contacts": [vars(c) for c in answer.contacts]}
