from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.forms import Form


class LoginForm(Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(max_length=256, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(Form):
    code = forms.CharField(label=_("Six-digit code"), min_length=6, max_length=8, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}))

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return code


class TokenForm(Form):
    """Name and last day of an API token; the service checks the day against the 90-day limit."""

    names = {"name": _("a name for the token"), "valid_until": _("the last day of the token")}

    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("Which system will use this token."))
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required. The token stops working at the end of this day, at most 90 days from today."),
        error_messages={"required": _("Choose the last day the token may be used (at most 90 days from today).")})

