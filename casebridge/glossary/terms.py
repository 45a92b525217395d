"""The glossary: every term of the field with its definition and the words agencies and countries use
for it, by a stable key (`phase:release_preparation`, `marking:ORCON`, `domain:vera-2r:BA`).

Built-in terms come from where each is defined (`builtin.py`), the terms of the categorisation
vocabularies from `categorisations.py`, and the data files (`terms.json`, a deployment's own) add
terms of the field and synonyms to any term, or replace a term's label or definition.
"""

import re
from dataclasses import dataclass, replace
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from casebridge.glossary import builtin, categorisations, files
from casebridge.glossary.builtin import Kind
from casebridge.vocabulary import AgencyKind

KEY = re.compile(r"^[a-z_]+:[A-Za-z0-9_.:-]+$")
# Terms that name a badge an item wears: they link to the legend, where the badges are shown as they look.
ON_THE_LEGEND = frozenset({Kind.CLASSIFICATION, Kind.MARKING, Kind.GRADING, Kind.NATURE})
BADGE_FIELDS = frozenset({"field:tearline", "field:retracted"})
COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Synonym:
    """A word used for a term by an agency kind, in a country, or by an agency kind in a country."""

    word: str
    agency_kind: str = ""
    country: str = ""

    def applies(self, agency_kind: str = "", country: str = "") -> bool:
        """Whether someone of this agency kind in this country meets the word; a synonym without an
        agency kind (or a country) applies to every agency kind (or country)."""
        return (not agency_kind or self.agency_kind in ("", agency_kind)) and \
            (not country or self.country in ("", country))

    @property
    def agency_kind_label(self) -> str:
        return AgencyKind(self.agency_kind).label if self.agency_kind else ""


@dataclass(frozen=True)
class Term:
    key: str
    kind: Kind
    label: str
    definition: str
    synonyms: tuple[Synonym, ...] = ()

    @property
    def anchor(self) -> str:
        return self.key.replace(":", "-")

    @property
    def on_the_legend(self) -> bool:
        return self.kind in ON_THE_LEGEND or self.key in BADGE_FIELDS

    @property
    def url(self) -> str:
        page = ("glossary:categorisations" if self.kind == Kind.CATEGORISATION
                else "glossary:legend" if self.on_the_legend else "glossary:index")
        return f"{reverse(page)}#{self.anchor}"


def _synonym(raw) -> Synonym:
    if not isinstance(raw, dict) or not isinstance(raw.get("word"), str) or not raw["word"].strip():
        raise ValueError("a synonym needs a word")
    found = Synonym(raw["word"].strip(), str(raw.get("agency_kind") or ""), str(raw.get("country") or ""))
    if not (found.agency_kind or found.country):
        raise ValueError(f"synonym {found.word!r} needs an agency_kind, a country or both")
    if found.agency_kind and found.agency_kind not in AgencyKind.values:
        raise ValueError(f"synonym {found.word!r}: unknown agency kind {found.agency_kind!r}")
    if found.country and not COUNTRY.match(found.country):
        raise ValueError(f"synonym {found.word!r}: country {found.country!r} is not a two-letter code like NL")
    return found


def _entry(entry: dict, known: dict) -> Term:
    key = entry.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise ValueError(f"key {key!r} is not prefix:code, e.g. field:tearline")
    synonyms = tuple(_synonym(raw) for raw in entry.get("synonyms", ()))
    base = known.get(key)
    if base is None:
        if entry.get("kind") not in Kind.values:
            raise ValueError(f"a new term needs a kind, one of {', '.join(Kind.values)}")
        if not all(isinstance(entry.get(name), str) and entry[name].strip() for name in ("label", "definition")):
            raise ValueError("a new term needs a label and a definition")
        base = Term(key, Kind(entry["kind"]), entry["label"].strip(), entry["definition"].strip())
    changes = {name: entry[name].strip() for name in ("label", "definition") if isinstance(entry.get(name), str)}
    return replace(base, **changes, synonyms=tuple(dict.fromkeys(base.synonyms + synonyms)))


def _vocabulary_terms():
    for vocabulary in categorisations.vocabularies().values():
        for term in vocabulary.terms:
            yield Term(f"categorisation:{vocabulary.code}:{term.code}", Kind.CATEGORISATION,
                       f"{term.name} ({vocabulary.name})", term.definition)


@cache
def _glossary(*_settings_in_force) -> dict[str, Term]:
    known = {key: Term(key, kind, label, definition) for kind, key, label, definition in builtin.terms()}
    known.update((term.key, term) for term in _vocabulary_terms())
    for path, number, entry in files.entries("terms"):
        if files.shipped(path) and "kind" not in entry and entry.get("key") not in known:
            continue  # synonyms for a term this deployment does not have (a fourth classification level of three)
        try:
            term = _entry(entry, known)
        except (AttributeError, TypeError, ValueError) as exc:
            raise ImproperlyConfigured(f"{path}: terms entry {number}: {exc}") from None
        known[term.key] = term
    order = list(Kind)
    return dict(sorted(known.items(), key=lambda pair: order.index(pair[1].kind)))


def glossary() -> dict[str, Term]:
    """Every term in force, by key, grouped by kind in the order of `Kind`."""
    # The built-in terms follow these settings; keyed on them, a changed setting is never served stale.
    return _glossary(files.own_dir(), tuple(settings.CASEBRIDGE_CLASSIFICATION_LABELS),
                     str(settings.CASEBRIDGE_INSTRUMENTS_DIR or ""), str(settings.CASEBRIDGE_CONFERENCE_KINDS or ""))


def get(key: str) -> Term | None:
    return glossary().get(key)


def select(*, kind: str = "", agency_kind: str = "", country: str = "") -> list[Term]:
    """The terms of one kind (or all); with an agency kind or a country, only the terms that have a word
    used there, each with just those words."""
    chosen = []
    for term in glossary().values():
        if kind and term.kind != kind:
            continue
        if agency_kind or country:
            synonyms = tuple(s for s in term.synonyms if s.applies(agency_kind, country))
            if not synonyms:
                continue
            term = replace(term, synonyms=synonyms)
        chosen.append(term)
    return chosen


def grouped(chosen: list[Term]) -> list[tuple[Kind, list[Term]]]:
    """Terms under their kind, in the order of `Kind`, kinds without a term left out."""
    return [(kind, [t for t in chosen if t.kind == kind]) for kind in Kind if any(t.kind == kind for t in chosen)]


def countries() -> list[str]:
    """The countries some synonym names, for the page's filter."""
    return sorted({s.country for term in glossary().values() for s in term.synonyms if s.country})


def clear() -> None:
    """Forget every file read (tests that write a deployment's files)."""
    files.clear()
    categorisations.clear()
    _glossary.cache_clear()
