"""The form recording an assessment: the instrument chosen first, then its domains' ratings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.assessments import instruments
from casebridge.forms import Form
from casebridge.glossary import categorisations
from casebridge.cases.forms import long_text
from casebridge.vocabulary import classification_choices


class AssessmentForm(Form):
    prefix = "assessment"

    instrument = forms.ChoiceField(label=_("Instrument"))
    assessed_on = forms.DateField(label=_("Assessed on"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  help_text=_("Default: the instrument's review interval."))
    overall = forms.ChoiceField(label=_("Overall judgement"))
    formulation = long_text(_("Formulation"), required=True,
                            help_text=_("The assessor's reasoning. It decides, with its classification, who sees "
                                        "this assessment at all."))
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, required=False, empty_value=None)

    def __init__(self, data=None, *, actor, tool: instruments.Instrument, **kwargs):
        super().__init__(data, **kwargs)
        self.tool = tool
        self.fields["instrument"].choices = [(t.key, f"{t.name} (v{t.version})")
                                             for t in instruments.registry().values()]
        self.initial.setdefault("instrument", tool.key)
        self.fields["overall"].choices = [("", _("Choose")), *[(v, v) for v in tool.overall_scale]]
        self.fields["classification"].choices = [("", _("Restricted (or your clearance if lower)")),
                                                 *[(r, label) for r, label in classification_choices()
                                                   if r <= actor.clearance]]
        for vocabulary in categorisations.vocabularies().values():
            self.fields[f"cat_{vocabulary.code}"] = forms.ChoiceField(
                label=vocabulary.name, required=False, help_text=_("A professional judgement, not a score."),
                choices=[("", _("Not categorised")), *[(t.code, t.name) for t in vocabulary.terms]])
        for domain in tool.domains:
            self.fields[f"domain_{domain.code}"] = forms.ChoiceField(
                label=domain.name, required=False, choices=[("", _("Not rated")), *[(v, v) for v in tool.rating_scale]])

    def categorisations(self) -> dict:
        return {name[len("cat_"):]: value for name, value in self.cleaned_data.items()
                if name.startswith("cat_") and value}

    def categorisation_fields(self):
        return [self[name] for name in self.fields if name.startswith("cat_")]

    def domain_ratings(self) -> dict:
        return {name[len("domain_"):]: value for name, value in self.cleaned_data.items()
                if name.startswith("domain_") and value}

    def domain_fields(self):
        return [self[name] for name in self.fields if name.startswith("domain_")]
