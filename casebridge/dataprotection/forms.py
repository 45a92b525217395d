"""The withholding form: it parses the reason; `services.withhold_item` checks it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.cases.forms import long_text


class WithholdForm(forms.Form):
    legal_reason = long_text("Legal reason", required=True,
                             help_text=_("The provision that allows withholding and why it applies. Seen by data "
                                       "protection officers, never by the client."))

    @classmethod
    def for_item(cls, item_id, data=None) -> "WithholdForm":
        # One form per item on the page: the prefix keeps their field ids apart.
        return cls(data, prefix=f"withhold-{item_id}")
