"""The GOV.UK error pattern, for every form of Casebridge (docs/forms.md).

Every form derives from `Form` (a guard test walks them all), which gives it:

- **a specific message for every field**, derived from its label (or from `names`, a noun phrase
  with its article, for the forms people use most): "Enter the title", "Select a category", "The
  date of the fact must be a real date", never Django's "This field is required.";
- **each invalid value of a multi-value field its own message, naming the value**: Django stops
  at the first value it does not know, so the second was never named;
- **the error summary's entries** (`error_summary`): every error of the form in the order of its
  fields, non-field errors first, each linking to the input people correct;
- **a service's refusal** (`add_domain_error`) on the field it names, translated through
  `refusal_fields` when the service names a field the form calls otherwise, else above the form;
- `unchecked()`: a bound form shown again without its errors (a preview that does not save).

`_form_errors.html` renders the summary, `_field.html` each field with its message;
`ErrorTitleMiddleware` puts "Error: " before the title of a page that shows a summary, and
`static/casebridge/forms.js` moves the focus to it. Forms carry `novalidate`: the browser never
checks them on its own, so the messages people read are the server's.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.text import capfirst
from django.utils.translation import gettext

VALUE_SHOWN = 40  # characters of a refused value repeated in its message

# Django's messages this module replaces, by the error code they are raised with: only a field's
# messages still at Django's default are replaced, so a message a form chose itself stays.
_PARAMETERS = {"value": "%(value)s", "limit_value": "%(limit_value)s", "show_value": "%(show_value)s",
               "max": "%(max)s"}


@dataclass(frozen=True)
class SummaryEntry:
    """One line of the error summary: the message, and the input it links to (None: none to link)."""

    message: str
    href: str | None


def _defaults(field) -> dict:
    found = {}
    for cls in reversed(type(field).__mro__):
        found.update(getattr(cls, "default_error_messages", {}))
    return found


def _is_choice(field) -> bool:
    return isinstance(field.widget, (forms.widgets.ChoiceWidget, forms.CheckboxInput, forms.FileInput))


def _phrase(label) -> str:
    """A label as it reads inside a sentence: "Date of birth" → "date of birth", "ORCON" stays."""
    text = str(label or "").strip().rstrip(":").strip()
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def field_messages(field, name: str) -> dict[str, str]:
    """The messages of `field`, called `name` in sentences ("the title", "a category")."""
    the = {"name": name, "Name": capfirst(name)}
    later = {**the, **_PARAMETERS}  # Django fills in the value or the limit when it raises
    chosen = _is_choice(field)
    messages = {"required": (gettext("Select %(name)s") if chosen else gettext("Enter %(name)s")) % the,
                **_kind_messages(field, the, chosen)}
    if isinstance(field, forms.MultipleChoiceField):
        messages["invalid_choice"] = gettext("%(Name)s: “%(value)s” is not one of the choices") % later
        messages["invalid_list"] = gettext("Select %(name)s") % the
    elif isinstance(field, forms.ChoiceField):
        messages["invalid_choice"] = gettext("Select %(name)s from the list") % the
    if not isinstance(field, forms.FileField):
        messages["max_length"] = gettext("%(Name)s must be %(limit_value)s characters or fewer") % later
        messages["min_length"] = gettext("%(Name)s must be %(limit_value)s characters or more") % later
    return messages


def _kind_messages(field, the: dict, chosen: bool) -> dict[str, str]:
    """What a value of the wrong kind is told, by the field's kind."""
    if isinstance(field, forms.DateField):
        return {"invalid": gettext("%(Name)s must be a real date") % the}
    if isinstance(field, forms.TimeField):
        return {"invalid": gettext("%(Name)s must be a real time, like 14:30") % the}
    if isinstance(field, forms.DateTimeField):
        return {"invalid": gettext("%(Name)s must be a real date and time") % the}
    if isinstance(field, forms.IntegerField) and chosen:
        # An id picked from a list (`cases.forms.pick`): whatever came instead, the list is the answer.
        return dict.fromkeys(("invalid", "min_value", "max_value"), gettext("Select %(name)s from the list") % the)
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        whole = isinstance(field, forms.IntegerField)
        return {"invalid": (gettext("%(Name)s must be a whole number") if whole
                            else gettext("%(Name)s must be a number")) % the,
                "min_value": gettext("%(Name)s must be %(limit_value)s or more") % {**the, **_PARAMETERS},
                "max_value": gettext("%(Name)s must be %(limit_value)s or less") % {**the, **_PARAMETERS}}
    if isinstance(field, forms.URLField):
        return {"invalid": gettext("Enter %(name)s in the correct format, like https://example.org") % the}
    if isinstance(field, forms.EmailField):
        return {"invalid": gettext("Enter %(name)s in the correct format, like name@example.org") % the}
    if isinstance(field, forms.FileField):
        return {"invalid": gettext("Select %(name)s") % the, "missing": gettext("Select %(name)s") % the,
                "empty": gettext("The selected file is empty"),
                "max_length": gettext("The name of the selected file must be %(max)s characters or fewer")
                % _PARAMETERS}
    return {}


def _validate_each(field, validate):
    """`field.validate` that names every value it does not know, each in a message of its own,
    before the field's own checks (Django's stops at the first)."""
    def each(value):
        unknown = [v for v in value or () if not field.valid_value(v)]
        if unknown:
            raise ValidationError([ValidationError(field.error_messages["invalid_choice"], code="invalid_choice",
                                                   params={"value": str(v)[:VALUE_SHOWN]}) for v in unknown])
        validate(value)
    each.names_each_value = True
    return each


def anchor(bound) -> str | None:
    """The id of the input the summary links to for `bound`: the input itself, the first option
    of a group of radios or checkboxes, None for a hidden field."""
    if bound.is_hidden or not bound.auto_id:
        return None
    if bound.id_for_label:
        return bound.id_for_label
    has_options = bool(getattr(bound.field, "choices", None))
    return f"{bound.auto_id}_0" if has_options else bound.auto_id


class ErrorPatternMixin:
    """The GOV.UK error pattern for a Django form (see the module's docstring)."""

    # Noun phrases, with their article, for fields whose label reads badly inside a sentence.
    names: dict = {}
    # A service's name for a field → the form's ("starts_at" → "start").
    refusal_fields: dict = {}

    def full_clean(self):
        # Fields are often added in __init__, after ours would run: their messages are set here,
        # just before the form is checked (and again harmlessly on a second check).
        for name, field in self.fields.items():
            self._specific(name, field)
        super().full_clean()

    def _specific(self, name: str, field) -> None:
        defaults = _defaults(field)
        wording = self.names.get(name) or _phrase(self[name].label)
        for code, message in field_messages(field, str(wording)).items():
            # A validator's message (max_length ...) is replaced by the field's of its code, when it has one.
            current = field.error_messages.get(code)
            if current is None or current is defaults.get(code):
                field.error_messages[code] = message
        if isinstance(field, forms.MultipleChoiceField) and not getattr(field.validate, "names_each_value", False):
            field.validate = _validate_each(field, field.validate)

    @property
    def error_summary(self) -> list[SummaryEntry]:
        """Every error of the form, non-field errors first, then field by field in the form's order."""
        entries = [SummaryEntry(str(message), None) for message in self.non_field_errors()]
        for name in self.fields:
            bound = self[name]
            target = anchor(bound)
            entries += [SummaryEntry(str(message), f"#{target}" if target else None) for message in bound.errors]
        return entries

    def add_domain_error(self, exc) -> None:
        """A service's refusal on the field it names (through `refusal_fields`), else above the form."""
        field = self.refusal_fields.get(exc.field, exc.field)
        self.add_error(field if field in self.fields else None, exc.message)

    def unchecked(self):
        """The form as typed, without its errors: what a preview shows before anything is saved."""
        self._errors, self.cleaned_data = ErrorDict(), {}
        return self


class Form(ErrorPatternMixin, forms.Form):
    """The base of every Casebridge form."""


def posted(request):
    """What a POST sent, even nothing at all, else None (a GET shows the form new). `request.POST or
    None` would show a form sent empty as new, without a word about what is missing."""
    return request.POST if request.method == "POST" else None


def summary_of(*forms_and_formsets) -> list[SummaryEntry]:
    """One summary for a page's form and its formsets (a formset's row named by its form's `row_name`)."""
    entries = []
    for part in forms_and_formsets:
        if isinstance(part, forms.BaseFormSet):
            entries += [SummaryEntry(str(message), None) for message in part.non_form_errors()]
            row = getattr(part.form, "row_name", None)
            for number, form in enumerate(part.forms, start=1):
                prefix = f"{row} {number}: " if row else ""
                entries += [SummaryEntry(prefix + e.message, e.href) for e in form.error_summary]
        elif part is not None:
            entries += part.error_summary
    return entries


SUMMARY_MARK = b"data-error-summary"


class ErrorTitleMiddleware:
    """A page that shows an error summary says so first in its title ("Error: Open a case"), as
    GOV.UK asks: the title is what a screen reader reads first. The summary marks itself; whatever
    view rendered it, its page's title follows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not response.streaming and response.get("Content-Type", "").startswith("text/html")
                and SUMMARY_MARK in response.content):
            prefix = f"<title>{gettext('Error:')} ".encode(response.charset)
            response.content = response.content.replace(b"<title>", prefix, 1)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
