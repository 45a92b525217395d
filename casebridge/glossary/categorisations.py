"""Categorisation vocabularies: the words agencies use to tell radicalised offenders apart, each with
its definitions, and how the terms of one vocabulary relate to another's.

The Dutch terrorist wing speaks of leaders, followers and criminal opportunists; the Swedish prison
service of transmitters and vulnerable recipients. Neither is a score: a categorisation is a
professional judgement in the words of the agency that makes it, and the mapping says where the words
meet and where they do not. Vocabularies and mappings are data (`categorisations.json`, and a
deployment's own files in CASEBRIDGE_GLOSSARY_DIR, `files.py`).

    vocabularies() -> {code: Vocabulary}
    term(vocabulary, code) -> VocabularyTerm | None
    counterparts(vocabulary, code) -> [Counterpart(vocabulary, term, relation, note)]
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.glossary import files

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class Relation(models.TextChoices):
    """How the first term of a mapping relates to the second ("a leader is narrower than a transmitter")."""

    EQUIVALENT = "equivalent", _("equivalent to")
    BROADER = "broader", _("broader than")
    NARROWER = "narrower", _("narrower than")
    OVERLAPS = "overlaps", _("overlaps with")
    NO_COUNTERPART = "no_counterpart", _("has no counterpart in")


INVERSE = {Relation.BROADER: Relation.NARROWER, Relation.NARROWER: Relation.BROADER}


@dataclass(frozen=True)
class VocabularyTerm:
    code: str
    name: str
    definition: str


@dataclass(frozen=True)
class Vocabulary:
    code: str
    name: str
    source: str  # who uses these words
    context: str  # where and for what
    terms: tuple[VocabularyTerm, ...]

    def term(self, code: str) -> VocabularyTerm | None:
        return next((t for t in self.terms if t.code == code), None)


@dataclass(frozen=True)
class Mapping:
    vocabulary: str
    term: str
    other_vocabulary: str
    other_term: str  # empty for no_counterpart
    relation: Relation
    note: str


class Counterpart(NamedTuple):
    vocabulary: Vocabulary
    term: VocabularyTerm | None  # None: no counterpart in that vocabulary
    relation: Relation
    note: str


@dataclass(frozen=True)
class Categorisations:
    vocabularies: dict
    mappings: tuple[Mapping, ...]


def _text(entry: dict, name: str) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} is missing or empty")
    return value.strip()


def _code(entry: dict, name: str = "code") -> str:
    code = _text(entry, name)
    if not CODE.match(code):
        raise ValueError(f"{name} {code!r} must be lower-case letters, digits, - or _")
    return code


def _vocabulary(entry: dict) -> Vocabulary:
    raw_terms = entry.get("terms")
    if not isinstance(raw_terms, list) or not raw_terms:
        raise ValueError("terms must be a non-empty list")
    terms = tuple(VocabularyTerm(_code(t), _text(t, "name"), _text(t, "definition")) for t in raw_terms)
    if len({t.code for t in terms}) != len(terms):
        raise ValueError("its terms need distinct codes")
    return Vocabulary(_code(entry), _text(entry, "name"), _text(entry, "source"), entry.get("context", ""), terms)


def _mapping(entry: dict) -> Mapping:
    vocabulary, _sep, term = _text(entry, "from").partition(":")
    other_vocabulary, _sep, other_term = _text(entry, "to").partition(":")
    relation = entry.get("relation")
    if relation not in Relation.values:
        raise ValueError(f"relation {relation!r} is not one of {', '.join(Relation.values)}")
    if not term or bool(other_term) == (relation == Relation.NO_COUNTERPART):
        raise ValueError("from is vocabulary:term; to is vocabulary:term, or a vocabulary alone for no_counterpart")
    return Mapping(vocabulary, term, other_vocabulary, other_term, Relation(relation), _text(entry, "note"))


def _check(vocabularies: dict, mapping: Mapping, where: str) -> None:
    if mapping.vocabulary == mapping.other_vocabulary:
        raise ImproperlyConfigured(f"{where}: mapping {mapping.vocabulary}:{mapping.term} maps a vocabulary "
                                   "onto itself")
    for vocabulary, code in [(mapping.vocabulary, mapping.term), (mapping.other_vocabulary, mapping.other_term)]:
        known = vocabularies.get(vocabulary)
        if known is None or (code and known.term(code) is None):
            raise ImproperlyConfigured(f"{where}: mapping {mapping.vocabulary}:{mapping.term} refers to "
                                       f"{vocabulary}{':' if code else ''}{code}, which no vocabulary defines")


@cache
def _load(own: str) -> Categorisations:
    vocabularies, mappings = {}, {}
    for part, parse in (("vocabularies", _vocabulary), ("mappings", _mapping)):
        for path, number, entry in files.entries(part):
            try:
                made = parse(entry)
            except (AttributeError, TypeError, ValueError) as exc:
                raise ImproperlyConfigured(f"{path}: {part} entry {number}: {exc}") from None
            if part == "vocabularies":
                vocabularies[made.code] = made  # a deployment's vocabulary replaces one with the same code
            else:
                mappings[(made.vocabulary, made.term, made.other_vocabulary, made.other_term)] = (made, path)
    for mapping, path in mappings.values():  # after every file: a deployment may map onto its own vocabulary
        _check(vocabularies, mapping, path)
    return Categorisations(vocabularies, tuple(mapping for mapping, _path in mappings.values()))


def _loaded() -> Categorisations:
    return _load(files.own_dir())


def vocabularies() -> dict[str, Vocabulary]:
    """Every categorisation vocabulary in force, by code, shipped ones first."""
    return dict(_loaded().vocabularies)


def mappings() -> tuple[Mapping, ...]:
    """Every mapping between terms of different vocabularies, as written."""
    return _loaded().mappings


def term(vocabulary: str, code: str) -> VocabularyTerm | None:
    """One term of a vocabulary, or None if either is unknown."""
    found = _loaded().vocabularies.get(vocabulary)
    return found.term(code) if found else None


def counterparts(vocabulary: str, code: str) -> list[Counterpart]:
    """What a term corresponds to in the other vocabularies, read from either end of each mapping
    (a leader narrower than a transmitter is a transmitter broader than a leader)."""
    loaded = _loaded()
    found = []
    for m in loaded.mappings:
        if (m.vocabulary, m.term) == (vocabulary, code):
            other = loaded.vocabularies[m.other_vocabulary]
            found.append(Counterpart(other, other.term(m.other_term) if m.other_term else None, m.relation, m.note))
        elif (m.other_vocabulary, m.other_term) == (vocabulary, code):
            other = loaded.vocabularies[m.vocabulary]
            found.append(Counterpart(other, other.term(m.term), INVERSE.get(m.relation, m.relation), m.note))
    return found


def clear() -> None:
    _load.cache_clear()
