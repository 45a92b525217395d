"""The withholding form: it parses the reason; `services.withhold_item` checks it."""

from django.utils.translation import gettext_lazy as _

from casebridge.cases.forms import long_text
from casebridge.forms import Form


class WithholdForm(Form):
    names = {"legal_reason": _("the legal reason")}

    legal_reason = long_text("Legal reason", required=True,
                             help_text=_("The provision that allows withholding and why it applies. Seen by data "
                                       "protection officers, never by the client."))

    @classmethod
    def for_item(cls, item_id, data=None) -> "WithholdForm":
        # One form per item on the page: the prefix keeps their field ids apart.
        return cls(data, prefix=f"withhold-{item_id}")
