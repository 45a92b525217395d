"""Full-text search across the items a practitioner may read.

The need-to-know filter and the text match run in one query, so counts, pages and snippets only
ever see items the policy lets the actor read. Snippets come from the visible item's title and
body, the only fields indexed; source and method text are neither indexed nor quoted.
"""

import unicodedata
from dataclasses import dataclass

from django.db import connection

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.errors import Forbidden, InvalidInput
from casebridge.items import services as items
from casebridge.items.facts import facts_for, item_facts, records_by_id
from casebridge.items.models import CONFERENCE_CARRIERS, InformationItem
from casebridge.policy import Perm
from casebridge.search import fts

MAX_QUERY = 200
MAX_LIMIT = 100
SNIPPET_WORDS = 30


@dataclass(frozen=True)
class SearchResult:
    item: InformationItem
    basis: str
    snippet_parts: tuple[tuple[str, bool], ...]  # (text, is a matched word), for highlighting

    @property
    def snippet(self) -> str:
        return "".join(text for text, _ in self.snippet_parts)


def matching_items(queryset, query: str):
    """`queryset` narrowed to the items whose title or body contains every word of `query`."""
    return queryset.filter(fts.match_q(connection.vendor, fts.terms(query)))


def printable(text) -> str:
    """`text` without control characters, which no name or search needs and PostgreSQL refuses (NUL)."""
    return "".join(c for c in str(text or "") if unicodedata.category(c) != "Cc" or c.isspace())


def _checked_query(query) -> str:
    query = " ".join(printable(query).split())
    if len(query) > MAX_QUERY:
        raise InvalidInput(f"Search for at most {MAX_QUERY} characters.", field="q")
    if not fts.terms(query):
        raise InvalidInput("Type at least one word to search for.", field="q")
    return query


def _page_bounds(offset, limit) -> tuple[int, int]:
    try:
        offset, limit = int(offset), int(limit)
    except (TypeError, ValueError):
        raise InvalidInput("Offset and limit are whole numbers.") from None
    if offset < 0 or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"Offset is 0 or more; limit is between 1 and {MAX_LIMIT}.")
    return offset, limit


def search_items(*, actor, query: str, purpose: str, case_id=None, offset: int = 0, limit: int = 20):
    """One page of the items the actor may read for `purpose` that contain every word of `query`,
    newest first, each with its snippet and basis, and the count of all such items. A case the
    actor may not see is a 404. Audited as one search naming the query and every item shown."""
    if not policy.role_allows(actor, Perm.ITEM_SEARCH):
        raise Forbidden("your role does not search items")
    query, (offset, limit) = _checked_query(query), _page_bounds(offset, limit)
    # A conference's texts are found on its page, not by search (see items.services.get_item).
    qs = matching_items(items.visible_items(actor, purpose).exclude(carrier__in=CONFERENCE_CARRIERS), query)
    case = None
    if case_id not in (None, ""):
        case, _ = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
        qs = qs.filter(case_id=case.pk)
    total = qs.count()
    # The page's ids first, then those items as records: joined to everything a record shows, the
    # whole filtered match is joined before it is ordered (PostgreSQL planned a common word 7 times slower).
    ids = list(qs.order_by("-fact_date", "-id").values_list("pk", flat=True)[offset:offset + limit])
    page = _records(ids)
    results = _decided(actor, page, purpose, fts.terms(query))
    record(actor=actor, operation=Operation.SEARCH, object_type=items.ITEM, case_id=case.pk if case else None,
           purpose=purpose, recipients=_recipients(actor, page),
           detail={"query": fingerprint(query), "total": total, "offset": offset,
                   "items": {str(r.item.pk): r.basis for r in results}},
           concerning=[r.item for r in results])
    return results, total


def _records(ids: list[int]) -> list[InformationItem]:
    """The items of `ids` as records, in the order of `ids` (each is decided again: `_decided`)."""
    found = records_by_id(ids)
    return [found[pk] for pk in ids if pk in found]


def _decided(actor, page, purpose: str, words: list[str]) -> list[SearchResult]:
    world, today = facts_for(actor, page), items.today()
    loaded = cases.facts_of_cases(item.case_id for item in page)
    results = []
    for item in page:
        decision = policy.decide_item(actor, Perm.ITEM_READ, item_facts(item), loaded[item.case_id], world,
                                      purpose, today)
        if decision:  # the filter and the decision agree (property-tested); refuse rather than trust
            results.append(SearchResult(item, decision.reason, snippet(item.body, words)))
    return results


def _recipients(actor, page) -> list[str]:
    # Reading another agency's item is a transfer to the reader's agency (Directive 2016/680 Art. 25).
    return [actor.agency.name] if any(i.originating_agency_id != actor.agency_id for i in page) else []


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a word, as the SQLite index compares them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def snippet(body: str, words: list[str]) -> tuple[tuple[str, bool], ...]:
    """A short window of the body around the first matched word (the body's opening when only the
    title matched), as (text, matched) parts."""
    wanted = {fold(w) for w in words}
    tokens = (body or "").split()
    hits = [i for i, token in enumerate(tokens) if _matches(token, wanted)]
    start = max((hits[0] if hits else 0) - SNIPPET_WORDS // 3, 0)
    window = tokens[start:start + SNIPPET_WORDS]
    parts: list[tuple[str, bool]] = [("… ", False)] if start > 0 else []
    for i, token in enumerate(window):
        parts.append((token, _matches(token, wanted)))
        if i < len(window) - 1:
            parts.append((" ", False))
    if start + SNIPPET_WORDS < len(tokens):
        parts.append((" …", False))
    return tuple(parts)


def _matches(token: str, wanted: set[str]) -> bool:
    return any(fold(word) in wanted for word in fts.terms(token))
