"""The audit trail's filter form: it parses the query and resolves a case reference within the
reader's scope (`reading.case_named`); `reading.list_events` checks every filter again."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casebridge.audit.models import Operation
from casebridge.audit.reading import case_named
from casebridge.errors import InvalidInput
from casebridge.forms import Form

DATE_ERRORS = {"invalid": _("Enter a real date, for example 2025-03-31.")}


def _agencies() -> list[tuple[str, str]]:
    # Through the practitioner's agency, so the trail's pages need not import the agencies app.
    agency = get_user_model()._meta.get_field("agency").related_model
    return [("", _("Any agency")), *((str(pk), name) for pk, name in agency.objects.order_by("name")
                                     .values_list("pk", "name"))]


class EventFilterForm(Form):
    case = forms.CharField(required=False, max_length=40, label=_("Case"),
                           help_text=_("Its reference, such as CB-2025-00004, or its number."))
    actor = forms.CharField(required=False, max_length=150, label=_("Practitioner"),
                            help_text=_("Username or full name of whoever acted."))
    agency_id = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Agency"),
                                       help_text=_("The agency of whoever acted."),
                                       error_messages={"invalid_choice": _("Choose an agency from the list.")})
    operation = forms.ChoiceField(required=False, label=_("Operation"),
                                  choices=[("", _("Any operation")), *Operation.choices])
    date_from = forms.DateField(required=False, label=_("From"), error_messages=DATE_ERRORS,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("To"), error_messages=DATE_ERRORS,
                              widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Dates are inclusive."))

    def __init__(self, *args, actor=None, case_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["agency_id"].choices = _agencies()
        # A case report is about one case: its number comes from the address, not the form.
        if case_id is not None:
            del self.fields["case"]

    def clean_case(self):
        """The case's number, resolved here too so that its error shows with every other one."""
        text = self.cleaned_data.get("case", "").strip()
        if not text or self.actor is None:
            return text
        try:
            return case_named(text, actor=self.actor)
        except InvalidInput as exc:
            raise ValidationError(exc.message) from None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

