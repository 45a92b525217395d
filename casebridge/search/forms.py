"""Forms of the search pages: they parse and bound the input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.forms import Form
from casebridge.search.services import MAX_QUERY


class SearchForm(Form):
    q = forms.CharField(label=_("Search for"), max_length=MAX_QUERY, required=False,
                        help_text=_("A client's name or alias, a case reference, or words in an item's title or "
                                    "text (every word must appear; the start of a word is enough)."))
    case = forms.TypedChoiceField(label="Case", required=False, coerce=int, empty_value=None)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only cases the actor may see are offered; the service checks a forged one anyway.
        self.fields["case"].choices = [("", "All my cases")] + [
            (case.pk, f"{case.reference} · {case.client.full_name}") for case in cases]


class LookupForm(Form):
    given_name = forms.CharField(label="Given name", max_length=120)
    family_name = forms.CharField(label="Family name", max_length=120)
    date_of_birth = forms.DateField(label="Date of birth", widget=forms.DateInput(attrs={"type": "date"}),
                                    help_text="The exact date: a lookup never matches on a near date.")
