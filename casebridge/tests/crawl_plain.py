"""Plain language, as the crawl checks it: the text a person reads (tags, attributes and addresses left
out; PDFs by their text) holds no code of any enumeration casebridge.labels knows that has an underscore
in it (`release_preparation`, `programme_and_intervention`): codes without one (`custody`, `fact`) are
English words too, and their labels are the same word. Nor does it hold an ISO date (2025-03-01): pages
give dates in the language's format; downloads in a machine format (JSON, CSV) keep ISO dates.

The need-to-know crawl (test_crawl_need_to_know.py) applies `machine_text` to every web page each
persona reaches, so one crawl checks both what a page shows and how it says it.
"""

import html
import re
from functools import cache

from casebridge import labels

TAGS = re.compile(r"<[^>]+>")
HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>", re.S)
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
# Downloads in a machine format, for programs: they keep ISO dates.
MACHINE_FORMATS = {"dataprotection:export_json"}


def readable(page: str) -> str:
    """What a person reads of a page: its text without the markup."""
    return " ".join(html.unescape(TAGS.sub(" ", HIDDEN.sub(" ", page))).split())


@cache
def code_pattern():
    """Every enumeration code with an underscore in it, as a word (longest first)."""
    codes = sorted(labels.machine_values(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, codes)) + r")(?![\w-])")


def codes_in(text: str) -> set[str]:
    return set(code_pattern().findall(text))


def machine_text(route: str, page: str) -> set[str]:
    """The codes and ISO dates a person would read on `page` of web route `route`."""
    text = readable(page)
    return codes_in(text) | (set(ISO_DATE.findall(text)) if route not in MACHINE_FORMATS else set())
