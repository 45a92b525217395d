"""The tearline rules of a derivative: what it may say, at which classification, and which of its
original's markings it carries unless the originator lifts them with a reason."""

import re
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.cases import services as cases
from casebridge.errors import InvalidInput
from casebridge.items.models import InformationItem


def _fragments(text: str) -> list[str]:
    parts = re.split(r"[\n;]|(?<=[.!?])\s", text or "")
    return [" ".join(p.split()).casefold() for p in parts if len(p.strip()) >= 5]


def check(original: InformationItem, fields: dict) -> None:
    """A derivative stays below its original, in its category, without its source or method."""
    if fields["category"] != original.category:
        raise InvalidInput(_("A derivative keeps the category of its original."), field="category")
    if fields["source_text"] or fields["method_text"]:
        raise InvalidInput(_("A derivative carries no source or method."), field="source_text")
    if fields["classification"] >= original.classification and original.classification > 0:
        raise InvalidInput(_("A derivative must be classified lower than its original."), field="classification")
    text = " ".join(f"{fields['title']} {fields['body']}".split()).casefold()
    for fragment in _fragments(original.source_text) + _fragments(original.method_text):
        if fragment in text:
            raise InvalidInput(_("The derivative repeats the original's source or method; remove it."), field="body")


def lifts(original: InformationItem, data: dict) -> tuple[list[str], str]:
    """Which inherited markings the originator lifts on a new derivative, and the reason (required
    when any is lifted). Only markings the original carries can be lifted."""
    lift = data.get("lift") or []
    if isinstance(lift, str):
        lift = [lift]
    unknown = [name for name in lift if name not in policy.INHERITED or not getattr(original, name)]
    if unknown:
        raise InvalidInput(_("Only a marking the original carries can be lifted."), field="lift")
    reason = cases.text(data.get("lift_reason"), "lift_reason")
    if lift and not reason:
        raise InvalidInput(_("Say why the derivative may go without the original's marking."), field="lift_reason")
    return sorted(set(lift)), reason if lift else ""


def inherited_markings(original: InformationItem) -> list[str]:
    """The markings a derivative of `original` carries unless lifted."""
    return [name for name in policy.INHERITED if getattr(original, name)]
