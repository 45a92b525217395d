"""Counting with the policy's query filter, for the demo world's tests."""

from casebridge import policy
from casebridge.items import services as items
from casebridge.items.models import CONFERENCE_CARRIERS, InformationItem


def hidden_by_filter(actor, case, purpose):
    """What `hidden_by_purpose` answers, counted with the policy's query filter, one query a purpose."""
    def visible(chosen):  # a conference's texts are read with their conference, never counted here
        return InformationItem.objects.filter(policy.visible_items(actor, chosen, items.today()), case=case) \
            .exclude(carrier__in=CONFERENCE_CARRIERS)
    counts = [(other, visible(other).exclude(pk__in=visible(purpose).values("pk")).count())
              for other, _ in policy.purposes_for(actor) if other != purpose]
    return [(other, count) for other, count in counts if count]
