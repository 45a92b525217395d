"""People's names as Casebridge compares them: folded, split into words, and matched with tolerance.

Practitioners type names as they hear them: without the accents ("Hodzic" for "Hodžić"), with a
letter missing ("Hodzc"), the first letters only ("hod"), or the family name first. The same
rules serve the search for a client (casebridge.search) and the warning about a possible
duplicate when a case is opened (casebridge.cases.duplicates), so both find the same people.

Pure: no database. The search narrows the candidates with an index first (the names with a word
of the same first letter: casebridge.search.fts) and these functions decide; a duplicate check
compares the few people born on the same or a nearly same day (casebridge.cases.duplicates).
"""

import json
import re
import unicodedata

from rapidfuzz import fuzz

# Letters that carry their mark inside the letter, so Unicode decomposition does not remove it.
_TRANSLITERATED = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ħ": "h",
                                 "ı": "i", "ŧ": "t", "ŀ": "l", "ð": "d"})
_WORD = re.compile(r"[^\W_]+")

MIN_PREFIX = 2      # "ho" finds "Hodžić"; one letter would find half the caseload
MIN_TYPO_LENGTH = 4  # a typo in a shorter word makes another name, not a misspelling
TYPO_SCORE = 80      # rapidfuzz ratio: "hodzc" and "hodzic" score 91, "hodzic" and "horvat" 33
PREFIX_SCORE = 95    # an exact word ranks above its prefix, a prefix above a typo
SAME_PERSON_SCORE = 85  # a whole name against a whole name (duplicates): word order and one typo aside


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text: "Đorđević" and "dordevic" fold the same."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return bare.translate(_TRANSLITERATED)


def words(text: str) -> list[str]:
    """The folded words of a text: letters and digits, with hyphens, apostrophes and spaces between."""
    return _WORD.findall(fold(text))


def aliases_of(value) -> list[str]:
    """A client's aliases, from the model's list or from the JSON text the database holds."""
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except ValueError:
            return []
    return [alias for alias in (value or []) if isinstance(alias, str)]


def name_words(given: str, family: str, aliases=()) -> list[str]:
    """Every word a client may be found by: given and family names, and each alias."""
    found = words(f"{given} {family}")
    for alias in aliases_of(aliases):
        found += words(alias)
    return list(dict.fromkeys(found))


def indexed_text(given: str, family: str, aliases) -> str:
    """What the SQLite name index holds for a client (casebridge.search.fts): its folded words."""
    return " ".join(name_words(given or "", family or "", aliases))


def word_score(asked: str, known: str) -> float:
    """How well one word the user typed matches one word of a name: 100 equal, PREFIX_SCORE for a
    prefix, the rapidfuzz ratio for a likely typo, 0 otherwise."""
    if asked == known:
        return 100.0
    if len(asked) >= MIN_PREFIX and known.startswith(asked):
        return PREFIX_SCORE
    if len(asked) >= MIN_TYPO_LENGTH:
        # Against the whole word and against its start, so "hodzc" also finds "hodzicova" by its first letters.
        score = max(fuzz.ratio(asked, known), fuzz.ratio(asked, known[:len(asked) + 1]) - 5)
        if score >= TYPO_SCORE:
            return min(score, PREFIX_SCORE - 1)
    return 0.0


def name_score(asked: list[str], known: list[str]) -> float:
    """How well a query's words match a name's words: every asked word must match some word of the
    name (0 if one does not), and the score is their mean."""
    if not asked or not known:
        return 0.0
    scores = [max(word_score(word, other) for other in known) for word in asked]
    return 0.0 if min(scores) == 0 else sum(scores) / len(scores)


def full_names(given: str, family: str, aliases=()) -> list[str]:
    """A person's names as whole folded strings: the name and each alias (word order is left to
    the comparison, `same_person`)."""
    names = [" ".join(words(f"{given} {family}"))] + [" ".join(words(alias)) for alias in aliases_of(aliases)]
    return [name for name in dict.fromkeys(names) if name]


def same_person(asked: list[str], known: list[str]) -> float:
    """The best score between any of two people's whole names, ignoring word order: how likely
    two records name the same person (casebridge.cases.duplicates)."""
    return max((fuzz.token_sort_ratio(a, k) for a in asked for k in known), default=0.0)
