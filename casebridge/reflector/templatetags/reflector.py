from django import template

from casebridge.reflector.factors import factor_name

register = template.Library()


@register.filter
def get_rating(current: dict, code: str):
    """The current rating of a factor, from the `current` mapping (factor code -> Rating)."""
    return current.get(code)


@register.filter
def factor_label(code: str) -> str:
    return factor_name(code)
