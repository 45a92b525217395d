"""Search across what a practitioner may see: clients and cases by name or reference, and the
text of the items they may read.

The need-to-know filter and the match run in one query, so counts, pages and snippets only ever
see cases and items the policy lets the actor see. A client's name is shown on their case's page
to everyone who may see the case, so a client is found only through a case the actor may see.
Snippets come from the visible item's title and body, the only fields indexed; source and method
text are neither indexed nor quoted.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, Window, prefetch_related_objects

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.services import record
from casebridge.cases import names, services as cases
from casebridge.cases.facts import facts_of_cases
from casebridge.cases.models import Case
from casebridge.errors import Forbidden, InvalidInput
from casebridge.items import services as items
from casebridge.items.facts import facts_for, item_facts, records_by_id
from casebridge.items.models import CONFERENCE_CARRIERS, InformationItem
from casebridge.policy import Perm
from casebridge.search import fts, stems

MAX_QUERY = 200
MAX_LIMIT = 100
SNIPPET_WORDS = 30
MAX_CASE_HITS = 20
# A searcher on more cases than this is matched across all items (then filtered in the same query).
MAX_SEARCHED_CASES = 500


class Matched:
    """What a case was found by."""

    NAME, ALIAS, REFERENCE = "name", "alias", "reference"


@dataclass(frozen=True)
class CaseHit:
    case: Case
    matched: tuple[str, ...]  # Matched values, best first
    score: float


@dataclass(frozen=True)
class SearchResult:
    item: InformationItem
    basis: str
    snippet_parts: tuple[tuple[str, bool], ...]  # (text, is a matched word), for highlighting

    @property
    def snippet(self) -> str:
        return "".join(text for text, _ in self.snippet_parts)


def matching_items(queryset, query: str, cases: list[int] | None = None):
    """`queryset` narrowed to the items whose title or body contains every word of `query` (as
    itself, as the start of a word, or by its stem in an interface language: casebridge.search.fts),
    and with `cases` to the items of those cases."""
    return queryset.filter(fts.match_q(connection.vendor, fts.terms(query), cases))


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
    case = None
    if case_id not in (None, ""):
        case, _ = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    # A conference's texts are found on its page, not by search (see items.services.get_item).
    visible = items.visible_items(actor, purpose).exclude(carrier__in=CONFERENCE_CARRIERS)
    qs = matching_items(visible, query, [case.pk] if case else _searched_cases(actor))
    # The page's ids first, then those items as records: joined to everything a record shows, the
    # whole filtered match is joined before it is ordered (PostgreSQL planned a common word 7 times slower).
    # The count comes with the page (a window over the same rows): the filter runs once, not twice.
    rows = list(qs.annotate(total=Window(Count("pk"))).order_by("-fact_date", "-id")
                .values_list("pk", "total")[offset:offset + limit])
    ids = [pk for pk, _ in rows]
    total = rows[0][1] if rows else (qs.count() if offset else 0)
    page = _records(ids)
    prefetch_related_objects(page, "case__client")  # each result names its case's client
    results = _decided(actor, page, purpose, fts.terms(query))
    record(actor=actor, operation=Operation.SEARCH, object_type=items.ITEM, case_id=case.pk if case else None,
           purpose=purpose, recipients=_recipients(actor, page),
           detail={"query": fingerprint(query), "total": total, "offset": offset,
                   "items": {str(r.item.pk): r.basis for r in results}},
           concerning=[r.item for r in results])
    return results, total


def _searched_cases(actor) -> list[int] | None:
    """The cases the actor may see, in which the search looks (None: too many to name, look in all).
    Only where to start: the policy's filter still decides every item in the same query, and this
    is read afresh on every search, like the filter."""
    found = list(cases.visible_cases(actor).order_by("pk").values_list("pk", flat=True)[:MAX_SEARCHED_CASES + 1])
    return found if len(found) <= MAX_SEARCHED_CASES else None


def search_cases(*, actor, query: str, purpose: str, limit: int = MAX_CASE_HITS):
    """The cases the actor may see whose client `query` names (given and family names and aliases,
    without regard to case or accents, by the start of a word or with a typo) or whose reference it
    gives (whole, or a part of it), best first, and the count of all such cases. Audited as one
    search naming every case shown."""
    if not policy.role_allows(actor, Perm.CASE_LIST):
        raise Forbidden("your role does not list cases")
    query = _checked_query(query)
    asked = names.words(query)
    # One query: the cases the policy lets the actor see, narrowed by the name index or the reference.
    candidates = (cases.visible_cases(actor)
                  .filter(Q(client_id__in=fts.clients_raw(connection.vendor, asked)) | reference_q(query))
                  .select_related("client", "lead_agency").order_by("reference"))
    hits = sorted(filter(None, (_case_hit(case, asked, query) for case in candidates)),
                  key=lambda hit: (-hit.score, hit.case.reference))
    shown = hits[:limit]
    record(actor=actor, operation=Operation.SEARCH, object_type="cases.case", purpose=purpose,
           detail={"query": fingerprint(query), "total": len(hits), "cases": [hit.case.pk for hit in shown]})
    return shown, len(hits)


def _case_hit(case: Case, asked: list[str], query: str) -> CaseHit | None:
    """How the query finds this case, if it does (the index only narrowed the candidates)."""
    client = case.client
    by_name = names.name_score(asked, names.name_words(client.given_name, client.family_name))
    by_alias = max((names.name_score(asked, names.words(alias)) for alias in names.aliases_of(client.aliases)),
                   default=0.0)
    by_reference = 100.0 if reference_matches(query, case.reference) else 0.0
    found = sorted(((score, kind) for score, kind in [(by_reference, Matched.REFERENCE), (by_name, Matched.NAME),
                                                        (by_alias, Matched.ALIAS)] if score), reverse=True)
    if not found:
        return None
    return CaseHit(case, tuple(kind for _, kind in found), found[0][0])


# A reference as Casebridge writes it, "CB-2026-00012", or as people type it: "cb 2026 12", "2026-0012".
_FULL_REFERENCE = re.compile(r"(?:CB)?[\s/-]*(\d{4})[\s/-]+0*(\d{1,7})", re.IGNORECASE)
_PART_OF_REFERENCE = re.compile(r"[A-Z0-9-]*\d[A-Z0-9-]*")


def _reference_forms(query: str) -> tuple[str | None, str | None]:
    """(the whole reference the query gives, the part of one it may be): either may be None."""
    text = query.strip().upper()
    full = _FULL_REFERENCE.fullmatch(text)
    whole = f"CB-{full.group(1)}-{int(full.group(2)):05d}" if full else None
    part = text if len(text) >= 2 and _PART_OF_REFERENCE.fullmatch(text) else None
    return whole, part


def reference_q(query: str) -> Q:
    """Cases whose reference the query gives, whole or in part (`reference_matches` as a filter)."""
    whole, part = _reference_forms(query)
    found = Q(pk__in=[])
    if whole:
        found |= Q(reference=whole)
    if part:
        found |= Q(reference__icontains=part)
    return found


def reference_matches(query: str, reference: str) -> bool:
    """Whether the query gives this reference, whole or in part (`reference_q` for one case)."""
    whole, part = _reference_forms(query)
    return reference == whole or (part is not None and part in reference.upper())


def _records(ids: list[int]) -> list[InformationItem]:
    """The items of `ids` as records, in the order of `ids` (each is decided again: `_decided`)."""
    found = records_by_id(ids, author=False)  # a result names its agency, not its author
    return [found[pk] for pk in ids if pk in found]


def _decided(actor, page, purpose: str, words: list[str]) -> list[SearchResult]:
    world, today = facts_for(actor, page), items.today()
    loaded = facts_of_cases(item.case_id for item in page)
    results, matched = [], {}  # the page's bodies share their words: each is compared with the query once
    for item in page:
        decision = policy.decide_item(actor, Perm.ITEM_READ, item_facts(item), loaded[item.case_id], world,
                                      purpose, today)
        if decision:  # the filter and the decision agree (property-tested); refuse rather than trust
            results.append(SearchResult(item, decision.reason, snippet(item.body, words, matched)))
    return results


def _recipients(actor, page) -> list[str]:
    # Reading another agency's item is a transfer to the reader's agency (Directive 2016/680 Art. 25).
    return [actor.agency.name] if any(i.originating_agency_id != actor.agency_id for i in page) else []


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a word, as the indexes compare them (casebridge.cases.names)."""
    return names.fold(text)


def snippet(body: str, words: list[str], matched: dict[str, bool] | None = None) -> tuple[tuple[str, bool], ...]:
    """A short window of the body around the first matched word (the body's opening when only the
    title matched), as (text, matched) parts. A word matches as the search matched it: itself, a
    word it begins, or a word with one of its stems. `matched` remembers, for snippets of the same
    `words`, which tokens matched."""
    wanted = [stems.alternatives(w) for w in words]
    tokens = (body or "").split()
    matched = {} if matched is None else matched  # a body repeats its words: each is compared once

    def matches(token: str) -> bool:
        if token not in matched:
            matched[token] = stems.matches(token, wanted)
        return matched[token]

    first = next((i for i, token in enumerate(tokens) if matches(token)), 0)
    start = max(first - SNIPPET_WORDS // 3, 0)
    window = tokens[start:start + SNIPPET_WORDS]
    parts: list[tuple[str, bool]] = [("… ", False)] if start > 0 else []
    for i, token in enumerate(window):
        parts.append((token, matches(token)))
        if i < len(window) - 1:
            parts.append((" ", False))
    if start + SNIPPET_WORDS < len(tokens):
        parts.append((" …", False))
    return tuple(parts)
