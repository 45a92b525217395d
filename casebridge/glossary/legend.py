"""The legend of the badges an item wears: the glossary's classification levels, handling markings,
gradings (the 4x4: source reliability by information accuracy, each of the sixteen gradings), the
nature of information and the sanitised and retracted marks, arranged to be read as a key. Nothing is
defined here: every word comes from the glossary (`terms.py`), so a deployment's own labels and
definitions show on the legend too."""

from dataclasses import dataclass

from casebridge.glossary import terms
from casebridge.glossary.builtin import Kind
from casebridge.items.models import InformationAccuracy, SourceReliability


@dataclass(frozen=True)
class Badge:
    """A term with the code its badge is drawn from (the classification rank, the marking's code ...)."""

    term: terms.Term
    code: str


@dataclass(frozen=True)
class Legend:
    classifications: list[Badge]
    markings: list[Badge]
    grading: terms.Term | None
    reliabilities: list[Badge]
    accuracies: list[Badge]
    matrix: list[tuple[Badge, list[Badge]]]  # a row per source reliability, a cell per information accuracy
    combinations: list[Badge]
    natures: list[Badge]
    others: list[Badge]


def _badges(every: dict, prefix: str) -> list[Badge]:
    return [Badge(term, key.split(":", 1)[1]) for key, term in every.items() if key.startswith(f"{prefix}:")]


def legend() -> Legend:
    every = terms.glossary()

    def badge(key: str) -> Badge | None:
        return Badge(every[key], key.split(":", 1)[1]) if key in every else None

    reliabilities = [b for b in (badge(f"reliability:{v}") for v in SourceReliability.values) if b]
    accuracies = [b for b in (badge(f"accuracy:{v}") for v in InformationAccuracy.values) if b]
    matrix = [(row, [b for b in (badge(f"grading:{row.code}{column.code}") for column in accuracies) if b])
              for row in reliabilities]
    return Legend(
        classifications=_badges(every, "classification"),
        markings=[Badge(t, t.key.split(":", 1)[1]) for t in every.values() if t.kind == Kind.MARKING],
        grading=every.get("grading:code"), reliabilities=reliabilities, accuracies=accuracies, matrix=matrix,
        combinations=[cell for _row, cells in matrix for cell in cells],
        natures=_badges(every, "nature"),
        others=[b for b in (badge(key) for key in sorted(terms.BADGE_FIELDS, reverse=True)) if b])
