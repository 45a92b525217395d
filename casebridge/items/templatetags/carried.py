"""`content|carried:item_id`: a carried text (handover note, summary ...) for a template, only if it
is among the items the page's reader may read (`items.services.readable_carried`); else None, and
the template shows nothing of it."""

from django import template

register = template.Library()


@register.filter
def carried(content, item_id):
    if not content or item_id is None:
        return None
    return content.get(item_id)
