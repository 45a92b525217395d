"""Stemming of item text in the interface languages (English, Dutch, French, German), for SQLite.

SQLite's FTS5 stems English only (its porter tokenizer, which mangles Dutch: "woning" → "wone").
Items are written in any of the four languages and a practitioner searches in theirs, so the
SQLite index holds, for every word, its folded form and its Snowball stem in each language
(`document_terms`), and a query word matches its own prefix or any of its stems (`alternatives`).
The words are stemmed before they are folded, as the stemmers expect the accents of their language.

PostgreSQL stems with its own Snowball dictionaries instead (casebridge.search.fts): the two
engines agree with themselves, not necessarily stem for stem with each other.
"""

import re
import threading
from functools import lru_cache

import snowballstemmer

from casebridge.cases.names import fold

LANGUAGES = ("english", "dutch", "french", "german")
MIN_PREFIX = 3  # shorter words match whole words only: "in" is not a prefix search for "information"

_WORD = re.compile(r"[^\W_]+")  # as casebridge.cases.names splits words
_local = threading.local()  # a Snowball stemmer keeps the word it is stemming: one set per thread


def _stemmers() -> dict:
    """This thread's stemmers, by language (a server answers requests on several threads)."""
    if not hasattr(_local, "stemmers"):
        _local.stemmers = {language: snowballstemmer.stemmer(language) for language in LANGUAGES}
    return _local.stemmers


@lru_cache(maxsize=200_000)  # the vocabulary of case notes is small next to their number
def stems(word: str) -> tuple[str, ...]:
    """A word's folded Snowball stems in the interface languages, without repeats (uncached:
    `stems.__wrapped__`)."""
    lowered, stemmers = word.casefold(), _stemmers()
    found = ("".join(_WORD.findall(fold(stemmers[language].stemWord(lowered)))) for language in LANGUAGES)
    return tuple(dict.fromkeys(stem for stem in found if stem))


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, ...]:
    """A word's terms in the index: folded, then its stems (cached: folding is per character)."""
    return (fold(word), *stems(word))


def document_terms(*texts: str) -> str:
    """What the SQLite stem index holds for an item's texts: each word folded, then its stems."""
    found: dict[str, None] = {}
    for text in texts:
        for word in _raw_words(text or ""):
            found.update(dict.fromkeys(_word_terms(word)))
    return " ".join(found)


def alternatives(word: str) -> tuple[str, bool, tuple[str, ...]]:
    """How one query word is searched: (its folded form, whether as a prefix, its stems)."""
    folded = "".join(_WORD.findall(fold(word)))  # only letters and digits reach an engine's query syntax
    return folded, len(folded) >= MIN_PREFIX, tuple(s for s in stems(word) if s != folded)


def _raw_words(text: str) -> list[str]:
    """The words of a text as written (before folding), split as `names.words` splits them."""
    return _WORD.findall(text)


def matches(token: str, wanted: list[tuple[str, bool, tuple[str, ...]]]) -> bool:
    """Whether a word of a text answers one of the query words (for highlighting a snippet)."""
    for word in _raw_words(token):
        folded, own = fold(word), set(stems(word))
        for asked, prefix, asked_stems in wanted:
            if folded == asked or (prefix and folded.startswith(asked)) or own & set(asked_stems):
                return True
    return False

