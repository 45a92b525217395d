"""Markings a derivative inherits, and the border an item marked NO-CROSS-BORDER never crosses.

A derivative (tearline) carries the intelligence flag, NO-DECISION and NO-CROSS-BORDER of its
original unless the originator lifted them explicitly, with a reason, when deriving it (DESIGN.md
§4.4). The policy reads the original's markings at every decision, so amending either record can
never drop an inherited marking silently. Each predicate is written as a single-record test and,
next to it, the query filter selecting the items for which it holds.
"""

from django.db.models import Q

# The markings a derivative inherits from its original.
INHERITED = ("intelligence", "no_decision", "no_cross_border")


def marked(item, marking: str) -> bool:
    """The item carries `marking` itself, or inherits it from its original and it was not lifted."""
    return bool(getattr(item, marking)) or (marking in item.inherited and marking not in item.lifted)


def unmarked_q(marking: str) -> Q:
    """The filter of `not marked(item, marking)`, written out positively (no negated outer join)."""
    return Q(**{marking: False}) & (Q(derived_from__isnull=True) | Q(**{f"derived_from__{marking}": False})
                                    | Q(**{f"lifted_{marking}": True}))


def within_borders(actor, item) -> bool:
    """A NO-CROSS-BORDER item is never read by an agency of another country than its originator's."""
    return not marked(item, "no_cross_border") or item.originator_country == actor.agency_country


def within_borders_q(actor) -> Q:
    return unmarked_q("no_cross_border") | Q(originating_agency__country=actor.agency_country)
