"""The bounds every input is held to at the edge, before any service or database sees it.

Python's integers and dates are wider than what the databases store (SQLite and PostgreSQL keep
64-bit integers; date arithmetic near 9999-12-31 overflows), and PostgreSQL refuses text holding a
NUL character. Rather than every schema and form repeating the same limits, one walker checks every
value the API has validated (`casebridge.api.edge.bounded`) and the middleware
(`casebridge.edge.EdgeMiddleware`) checks every path, query and form value of the pages:

- integers within 64 bits (ids, versions, offsets, levels);
- dates between EARLIEST_DAY and LATEST_DAY, far enough from Python's limits that a date plus a
  century still exists, and wide enough for every birth date and key date a case can hold;
- no NUL character in any text.
"""

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime

from django.utils.translation import gettext as _

MAX_INT = 2**63 - 1
MIN_INT = -(2**63)
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)
# The longest run of digits a 64-bit integer can have; a longer one cannot be an id.
MAX_DIGITS = len(str(MAX_INT))
# Paging: no list is read that far, and OFFSET arithmetic stays far from any limit.
MAX_OFFSET = 10**6
MAX_PAGE = 10**5
PAGING = {"offset": (0, MAX_OFFSET), "page": (1, MAX_PAGE)}
# A day typed into a form: ISO (what date inputs send) or day/month/year, with any year length.
_TYPED_DAY = re.compile(r"^\s*(?:(?P<iso>[0-9]+)-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/(?P<dmy>[0-9]+))\s*$")


def problem(value) -> str | None:
    """Why one scalar value is out of bounds, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not MIN_INT <= value <= MAX_INT:
            return _("number out of range (at most %(max)d)") % {"max": MAX_INT}
        return None
    if isinstance(value, date):  # datetime too
        day = value.date() if isinstance(value, datetime) else value
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            return _day_out_of_range()
        return None
    if isinstance(value, str) and "\x00" in value:
        return _("text must not contain NUL characters")
    return None


def _day_out_of_range() -> str:
    return _("date out of range (from %(first)s to %(last)s)") % {
        "first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()}


def problems(value, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every (path, reason) of an out-of-bounds value inside `value`: scalars, lists, dicts and
    validated schemas (pydantic models), walked recursively. Files and other objects are left to
    the code that reads them."""
    if not isinstance(value, type) and hasattr(type(value), "model_fields"):
        for name in type(value).model_fields:
            yield from _named(name, getattr(value, name, None), path)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _named(str(key), item, path)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            yield from problems(item, (*path, index))
    else:
        reason = problem(value)
        if reason:
            yield path, reason


def paging_problem(name: str, value) -> str | None:
    """Why a paging parameter (`offset`, `page`) is beyond what any list is read to, or None."""
    if name not in PAGING or isinstance(value, bool) or not isinstance(value, int):
        return None
    low, high = PAGING[name]
    if not low <= value <= high:
        return _("%(name)s must be between %(low)d and %(high)d") % {"name": name, "low": low, "high": high}
    return None


def _named(name: str, value, path: tuple) -> Iterator[tuple[tuple, str]]:
    reason = paging_problem(name, value)
    if reason:
        yield (*path, name), reason
    else:
        yield from problems(value, (*path, name))


def raw_problem(text: str, name: str = "") -> str | None:
    """Why a raw value of a URL, query string or form is out of bounds, or None: a NUL character,
    a whole number too long for 64 bits (which no id, version or page can be), a typed day whose
    year is out of range, or a page or offset beyond the last any list is read to."""
    if "\x00" in text:
        return _("text must not contain NUL characters")
    digits = text.strip().lstrip("+-")
    if digits.isascii() and digits.isdigit():
        if len(digits) >= MAX_DIGITS and problem(int(digits)):
            return _("number out of range (at most %(max)d)") % {"max": MAX_INT}
        if name in PAGING and len(digits) < MAX_DIGITS and int(text.strip()) > PAGING[name][1]:
            return paging_problem(name, int(text.strip()))
        return None  # a page below the first is the view's to answer, with the list it can show
    typed = _TYPED_DAY.match(text)
    if typed:
        year = int(typed.group("iso") or typed.group("dmy"))
        if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
            return _day_out_of_range()
    return None
