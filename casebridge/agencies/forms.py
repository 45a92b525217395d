"""Forms of the administration pages. They parse and label input; the services decide what is
allowed, so a rule is never checked in two places that could disagree."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from casebridge import policy
from casebridge.agencies.services import PRACTITIONER_FIELDS
from casebridge.forms import Form
from casebridge.vocabulary import AgencyKind, Role, classification_choices


class ServiceForm(Form):
    """A form whose data a service checks: the service's refusal lands on the field it names."""

    def with_notice(self, message: str):
        """This unbound form (filled from the record as it now stands) with `message` above it: what a
        refused stale edit shows instead of the values that were not saved."""
        self._errors = ErrorDict({NON_FIELD_ERRORS: self.error_class([message], error_class="nonfield")})
        return self


def version_field() -> forms.IntegerField:
    """The record's version the form was filled from: an edit from an older one is refused (stale)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)


class AgencyForm(ServiceForm):
    names = {"name": _("the agency's name"), "kind": _("the kind of agency"), "country": _("the country code"),
             "region": _("the region")}
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=AgencyKind.choices)
    country = forms.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. BE."))
    region = forms.CharField(max_length=120, required=False)
    active = forms.BooleanField(required=False, initial=True, label=_("Active"),
                                help_text=_("Inactive agencies stay on record but take part in nothing new."))

    clearance_ceiling = forms.TypedChoiceField(
        label=_("Clearance ceiling"), required=False, coerce=int, empty_value=None,
        help_text=_("Nobody in this agency may hold a higher clearance. Lowering it lowers everyone above it at once."))

    # What the client's transparency notice names (docs/documents.md).
    controller_name = forms.CharField(
        label=_("Controller"), max_length=200, required=False,
        help_text=_("The legal body responsible for the information this agency records, where it is not the agency "
                    "itself (for example the ministry a prison belongs to). Empty: the agency."))
    controller_contact = forms.CharField(
        label=_("Controller's contact details"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Postal address, e-mail and telephone, one per line."))
    dpo_contact = forms.CharField(
        label=_("Data protection officer's contact details"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Name or function, e-mail, telephone and address, one per line."))
    supervisory_authority = forms.CharField(
        label=_("Supervisory authority"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The authority a client complains to about this agency, with its address or website, one per "
                    "line."))

    def __init__(self, *args, may_switch_active: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clearance_ceiling"].choices = [("", _("Highest level"))] + classification_choices()
        # Only system administrators switch agencies on and off and set the ceiling; others are
        # not offered the fields.
        if not may_switch_active:
            del self.fields["active"]
            del self.fields["clearance_ceiling"]
        self.fields["version"] = version_field()


class PractitionerForm(ServiceForm):
    service_account = False
    names = {"username": _("a username"), "first_name": _("the first name"), "last_name": _("the last name"),
             "email": _("an e-mail address"), "role": _("a role"), "clearance": _("a clearance"),
             "password": _("an initial password")}
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(max_length=254)
    job_title = forms.CharField(max_length=120, required=False)
    phone = forms.CharField(max_length=40, required=False)
    role = forms.ChoiceField(choices=Role.choices)
    clearance = forms.TypedChoiceField(coerce=int, choices=classification_choices,
                                       help_text=_("Highest classification this person may read."))

    def __init__(self, *args, actor, agency, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered only what the policy would allow; the service checks again.
        service = bool(person and person.is_service_account) or self.service_account
        roles = policy.assignable_roles(actor, service_account=service)
        if person is not None and (person.pk == actor.pk or person.role not in roles):
            roles = [person.role]  # one's own role, or a role only a system administrator changes
        self.fields["role"].choices = [c for c in Role.choices if c[0] in roles]
        levels = policy.assignable_clearances(agency.clearance_ceiling, len(settings.CASEBRIDGE_CLASSIFICATION_LABELS))
        if person is not None and person.pk == actor.pk:
            levels = [person.clearance]
        self.fields["clearance"].choices = [c for c in classification_choices() if c[0] in levels]

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in PRACTITIONER_FIELDS}


class NewPractitionerForm(PractitionerForm):
    username = forms.CharField(max_length=150, help_text=_("Letters, digits, dots, dashes and underscores."))
    password = forms.CharField(
        label=_("Initial password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Hand it over by a separate channel; the person sets up "
                  "an authenticator app at first sign-in."))

    field_order = ["username", "first_name", "last_name", "email", "job_title", "phone", "role",
                   "clearance", "password"]


class EditPractitionerForm(PractitionerForm):
    is_active = forms.BooleanField(required=False, label=_("Active"),
                                   help_text=_("Deactivating signs the person out and revokes their API tokens."))
    version = version_field()


class NewServiceAccountForm(PractitionerForm):
    """A system integration's account: no password, no person; tokens issued by an administrator."""

    service_account = True
    username = forms.CharField(max_length=150, help_text=_("Letters, digits, dots, dashes and underscores."))
    first_name = forms.CharField(label=_("System name"), max_length=150,
                                 help_text=_("The system this account stands for, e.g. the case register sync."))
    last_name = None
    job_title = None
    phone = None
    email = forms.EmailField(label=_("Contact email"), max_length=254,
                             help_text=_("Who answers for this integration."))

    field_order = ["username", "first_name", "email", "role", "clearance"]
