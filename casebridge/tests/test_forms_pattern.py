"""The GOV.UK error pattern's parts (casebridge/forms.py, docs/forms.md): specific messages derived from
labels, every invalid value named, the summary's links, refusals on their field, "Error:" in the
title, and the guards that every form of Casebridge uses the pattern and leaves checking to the server."""

import importlib
import re
from pathlib import Path

import pytest
from django import forms as django_forms
from django.http import HttpResponse
from django.test import RequestFactory

import casebridge
from casebridge.cases.forms import CountryCodesField, long_text, version_field
from casebridge.errors import InvalidInput
from casebridge.forms import ErrorPatternMixin, ErrorTitleMiddleware, Form

ROOT = Path(casebridge.__file__).parent


class Sample(Form):
    prefix = "sample"
    names = {"category": "a category"}

    title = django_forms.CharField(label="Title of the note", max_length=10)
    category = django_forms.ChoiceField(label="Category", choices=[("a", "A"), ("b", "B")])
    day = django_forms.DateField(label="Date of birth")
    count = django_forms.IntegerField(label="Number of visits", min_value=1)
    codes = django_forms.MultipleChoiceField(label="Handling codes", choices=[("x", "X"), ("y", "Y")],
                                             widget=django_forms.CheckboxSelectMultiple)
    text = long_text("Notes")
    version = version_field()
    places = CountryCodesField(label="Nationalities", required=False)


def test_an_empty_form_names_every_missing_field_in_words_of_its_label_not_this_field_is_required():
    form = Sample({})
    assert not form.is_valid()
    assert form.errors["title"] == ["Enter title of the note"]
    assert form.errors["category"] == ["Select a category"]  # the form's own noun phrase, with its article
    assert form.errors["day"] == ["Enter date of birth"]
    assert form.errors["codes"] == ["Select handling codes"]
    assert "This field is required." not in str(form.errors)


def test_a_value_of_the_wrong_kind_is_named_with_its_field():
    form = Sample({"sample-title": "x" * 11, "sample-day": "2025-02-30", "sample-count": "0",
                   "sample-category": "z"})
    form.is_valid()
    assert form.errors["title"] == ["Title of the note must be 10 characters or fewer"]
    assert form.errors["day"] == ["Date of birth must be a real date"]
    assert form.errors["count"] == ["Number of visits must be 1 or more"]
    assert form.errors["category"] == ["Select a category from the list"]


def test_a_message_the_form_chose_itself_is_kept():
    form = Sample({})
    form.is_valid()
    assert form.errors["version"] == ["This form is out of date: reload the case and try again."]


def test_every_unknown_value_of_a_multiple_choice_is_named_not_only_the_first():
    form = Sample({"sample-codes": ["x", "secret", "urgent"]})
    form.is_valid()
    assert form.errors["codes"] == ["Handling codes: “secret” is not one of the choices",
                                    "Handling codes: “urgent” is not one of the choices"]


def test_every_refused_entry_of_a_list_is_named_not_only_the_first():
    form = Sample({"sample-places": "BE, XYZ, 12"})
    form.is_valid()
    assert form.errors["places"] == [
        "Nationalities: “XYZ” is not a two-letter ISO 3166 country code, like BE or NL",
        "Nationalities: “12” is not a two-letter ISO 3166 country code, like BE or NL"]


def test_a_text_over_the_deployments_limit_is_named_like_any_other_length(settings):
    settings.CASEBRIDGE_MAX_TEXT = 5
    form = Sample({"sample-text": "too long"})
    form.is_valid()
    assert form.errors["text"] == ["Notes must be 5 characters or fewer"]


def test_the_summary_lists_every_error_in_the_forms_order_each_linking_to_its_input():
    form = Sample({"sample-codes": ["secret"]})
    form.is_valid()
    entries = [(e.href, e.message) for e in form.error_summary]
    assert entries[0] == ("#id_sample-title", "Enter title of the note")
    assert ("#id_sample-codes_0", "Handling codes: “secret” is not one of the choices") in entries  # first checkbox
    assert (None, "This form is out of date: reload the case and try again.") in entries  # hidden: nothing to link
    assert [href for href, _ in entries][:4] == ["#id_sample-title", "#id_sample-category", "#id_sample-day",
                                                 "#id_sample-count"]


def test_a_refusal_lands_on_the_field_the_service_names_even_when_the_form_calls_it_otherwise():
    from casebridge.conferences.forms import ConveneForm

    form = ConveneForm({}, people=[], chairs=[])
    form.is_valid()
    form.add_domain_error(InvalidInput("A conference is convened for a time still to come.", field="starts_at"))
    form.add_domain_error(InvalidInput("Something about the whole form."))
    assert "A conference is convened for a time still to come." in form.errors["day"]
    assert form.error_summary[0].message == "Something about the whole form."


def test_a_form_shown_unchecked_keeps_what_was_typed_without_errors():
    form = Sample({"sample-title": "kept"}).unchecked()
    assert form.errors == {} and form["title"].value() == "kept" and form.error_summary == []


@pytest.mark.parametrize("body, title", [
    ('<title>Open a case · Casebridge</title><div data-error-summary="Error:">', "Error: Open a case"),
    ("<title>Open a case · Casebridge</title><p>Fine.</p>", "Open a case"),
])
def test_a_page_shows_error_in_its_title_exactly_when_it_shows_an_error_summary(body, title):
    middleware = ErrorTitleMiddleware(lambda request: HttpResponse(body))
    response = middleware(RequestFactory().get("/"))
    assert re.search(r"<title>(.*?) ·", response.content.decode()).group(1) == title


def _form_classes():
    for path in ROOT.glob("*/*.py"):  # every app's forms and views (a view may hold a small form of its own)
        if path.stem == "forms" or path.stem.startswith("views"):
            importlib.import_module(f"casebridge.{path.parent.name}.{path.stem}")
    found, todo = set(), [django_forms.Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("casebridge.") and ".tests." not in sub.__module__:
                found.add(sub)
            todo.append(sub)
    return found


def test_every_form_of_casebridge_follows_the_error_pattern():
    classes = _form_classes()
    assert len(classes) > 40  # the walk found the forms of every app
    assert sorted(c.__qualname__ for c in classes if not issubclass(c, ErrorPatternMixin)) == []


FORM_TAG = re.compile(r"<form\b[^>]*>", re.S)


def _holds_fields(body: str) -> bool:
    body = re.sub(r'<input type="hidden"[^>]*>|\{% csrf_token %\}|<button\b.*?</button>', "", body, flags=re.S)
    return bool(re.search(r"<input|<textarea|<select|\{% include|\{\{", body))


def test_every_form_with_fields_leaves_checking_to_the_server():
    """`novalidate`: the browser never refuses a form on its own, so the messages people read are the
    server's, with the summary, the title and the focus."""
    missing = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        text = path.read_text()
        for tag in FORM_TAG.finditer(text):
            body = text[tag.end():text.find("</form>", tag.end())]
            if "novalidate" not in tag.group(0) and _holds_fields(body):
                missing.append(f"{path.relative_to(ROOT)}: {tag.group(0)[:60]}")
    assert missing == []
