"""Forms of the administration pages. They parse and label input; the services decide what is
allowed, so a rule is never checked in two places that could disagree."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from casebridge.agencies.services import PRACTITIONER_FIELDS
from casebridge.errors import DomainError
from casebridge.vocabulary import AgencyKind, Role, classification_choices


class ServiceForm(forms.Form):
    """A form whose data a service checks: the service's refusal lands on the field it names."""

    def add_domain_error(self, exc: DomainError) -> None:
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class AgencyForm(ServiceForm):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=AgencyKind.choices)
    country = forms.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. BE.")
    region = forms.CharField(max_length=120, required=False)
    active = forms.BooleanField(required=False, initial=True, label="Active",
                                help_text="Inactive agencies stay on record but take part in nothing new.")

    def __init__(self, *args, may_switch_active: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Only system administrators switch agencies on and off; others are not offered the field.
        if not may_switch_active:
            del self.fields["active"]


class PractitionerForm(ServiceForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(max_length=254)
    job_title = forms.CharField(max_length=120, required=False)
    phone = forms.CharField(max_length=40, required=False)
    role = forms.ChoiceField(choices=Role.choices)
    clearance = forms.TypedChoiceField(coerce=int, choices=classification_choices,
                                       help_text="Highest classification this person may read.")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.role != Role.SYSTEM_ADMIN:
            # Not offered what the service would refuse anyway.
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.SYSTEM_ADMIN]

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in PRACTITIONER_FIELDS}


class NewPractitionerForm(PractitionerForm):
    username = forms.CharField(max_length=150, help_text="Letters, digits, dots, dashes and underscores.")
    password = forms.CharField(
        label="Initial password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. Hand it over by a separate channel; the person sets up "
                  "an authenticator app at first sign-in.")

    field_order = ["username", "first_name", "last_name", "email", "job_title", "phone", "role",
                   "clearance", "password"]


class EditPractitionerForm(PractitionerForm):
    is_active = forms.BooleanField(required=False, label="Active",
                                   help_text="Deactivating signs the person out and revokes their API tokens.")


class TokenForm(ServiceForm):
    name = forms.CharField(max_length=120, help_text="Which system will use this token.")
    expires_at = forms.DateField(required=False, label="Valid until",
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="Optional. The token stops working at the end of this day.")

    def clean_expires_at(self):
        day = self.cleaned_data["expires_at"]
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
