"""The audit trail's filter form: it parses the query; `services.list_events` checks it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.audit.models import Operation
from casebridge.forms import Form


class EventFilterForm(Form):
    case_id = forms.IntegerField(required=False, min_value=1, label=_("Case number"))
    actor = forms.CharField(required=False, max_length=150, label=_("Actor (username)"))
    operation = forms.ChoiceField(required=False, choices=[("", _("Any operation")), *Operation.choices])
    date_from = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=_("Dates are inclusive."))

    def __init__(self, *args, case_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A case report is about one case: its number comes from the address, not the form.
        if case_id is not None:
            del self.fields["case_id"]

