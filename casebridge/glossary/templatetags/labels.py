"""Human labels for machine values on pages (casebridge/labels.py says where they come from).

    {% load labels %}
    {{ membership.phase|label:"phase" }}       Release preparation   (a value that arrives as a string)
    {{ rule.max_classification|label:"classification" }}             CONFIDENTIAL
    {{ decision.reason|basis }}                sharing agreement 3, version 1 (A → B): Programme and …

A field of a model object needs no filter: `{{ case.get_phase_display }}`.
"""

from django import template

from casebridge import labels

register = template.Library()


@register.filter
def label(value, kind: str) -> str:
    """`value` in words, as the enumeration `kind` names it; a list gives its labels joined by commas."""
    if isinstance(value, (list, tuple)):
        return ", ".join(labels.label(kind, v) for v in value)
    return labels.label(kind, value)


@register.filter
def basis(text) -> str:
    """The policy's basis for a visible item, in words."""
    return labels.basis(text)
