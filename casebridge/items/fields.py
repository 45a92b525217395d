"""Validating the fields of an information item: the same checks for recording, amending, deriving
and the bulk import (casebridge.imports)."""

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from casebridge.cases import services as cases
from casebridge.errors import InvalidInput
from casebridge.items.models import InformationAccuracy, Nature, SourceReliability
from casebridge.policy import Perm
from casebridge.policy.roles import decide_agency_kind, require_agency_kind
from casebridge.vocabulary import Category


def today() -> date:
    return cases.today()


# The enumerations' values, computed once (TextChoices.values builds a new list at every call);
# tuples, so that a value of any type (a list sent by mistake) is refused, not a TypeError.
CATEGORIES, NATURES = tuple(Category.values), tuple(Nature.values)
RELIABILITIES = ("", *SourceReliability.values)
ACCURACIES = tuple(map(str, InformationAccuracy.values))

# Fields that only some kinds of agency fill in (casebridge.policy.roles), with their empty values.
KIND_FIELDS = {
    Perm.ITEM_MARK_INTELLIGENCE: {"intelligence": False, "source_reliability": "", "information_accuracy": None},
    Perm.ITEM_RECORD_SOURCE: {"source_text": "", "method_text": ""},
}



def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("on", "true", "1", 1, "True"):
        return True
    if value in (None, "", "off", "false", "0", 0, "False"):
        return False
    raise InvalidInput(_("Expected true or false."))


def item_fields(actor, data: dict, current=None) -> dict:
    """The fields of an item from `data`, validated (InvalidInput naming the field); `current` is the
    item an amendment changes."""
    fields = {}
    if data.get("category") not in CATEGORIES:
        raise InvalidInput(_("Choose a category."), field="category")
    if data.get("nature") not in NATURES:
        raise InvalidInput(_("Say whether this is a fact, an assessment or an opinion."), field="nature")
    fields["category"], fields["nature"] = data["category"], data["nature"]
    fields["title"] = cases.text(data.get("title"), "title", required=True, max_length=200)
    fields["body"] = cases.text(data.get("body"), "body", required=True)
    fact_date = data.get("fact_date")
    if not isinstance(fact_date, date) or fact_date > today():
        raise InvalidInput(_("The date of the fact is required and cannot be in the future."), field="fact_date")
    fields["fact_date"] = fact_date
    try:
        level = int(data.get("classification", 0))
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose a classification level."), field="classification") from None
    if not 0 <= level < len(settings.CASEBRIDGE_CLASSIFICATION_LABELS):
        raise InvalidInput(_("Unknown classification level."), field="classification")
    if level > actor.clearance:
        raise InvalidInput(_("You cannot mark an item above your own clearance."), field="classification")
    fields["classification"] = level
    for flag in ("orcon", "no_decision", "no_cross_border", "intelligence"):
        fields[flag] = _bool(data.get(flag))
    reliability = data.get("source_reliability") or ""
    if reliability not in RELIABILITIES:
        raise InvalidInput(_("Source reliability is A, B, C or X."), field="source_reliability")
    accuracy = data.get("information_accuracy") or None
    if accuracy is not None and str(accuracy) not in ACCURACIES:
        raise InvalidInput(_("Information accuracy is 1 to 4."), field="information_accuracy")
    fields["source_reliability"], fields["information_accuracy"] = reliability, int(accuracy) if accuracy else None
    fields["source_text"] = cases.text(data.get("source_text"), "source_text")
    fields["method_text"] = cases.text(data.get("method_text"), "method_text")
    _check_kind_fields(actor, fields, current)
    return fields


def new_item_fields(actor, data: dict) -> dict:
    """The fields of a new item of the actor's agency, validated as `record_item` validates them
    (InvalidInput naming the field, or Forbidden for a marking the agency's kind does not make):
    the bulk import (casebridge.imports) checks every line with it."""
    return item_fields(actor, data)


def _check_kind_fields(actor, fields: dict, current) -> None:
    """Intelligence marks, grading, source and method only from agencies whose kind records them:
    a new item leaves them empty, an amendment keeps them as they are (403 otherwise). The policy is
    asked only when one of them is set or changed (most items set none: a bulk import checks
    thousands a second)."""
    for perm, empty in KIND_FIELDS.items():
        changed = any(fields[name] != (getattr(current, name) if current is not None else value)
                      for name, value in empty.items())
        if changed and not decide_agency_kind(actor, perm):
            require_agency_kind(actor, perm)
