"""Forms of information items: recording, amending, deriving, retracting, disclosing, attaching.

Forms check types and sizes only; the item services check the rules (clearance, a derivative
below its original, source and method kept out of a tearline), so the API gets the same answers.
Each form has a prefix so several can share the item page without their field ids clashing.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge import policy
from casebridge.cases.forms import date_field, long_text, pick
from casebridge.cases.services import today
from casebridge.forms import Form
from casebridge.items.models import InformationAccuracy, Nature, SourceReliability
from casebridge.policy import Perm
from casebridge.policy.roles import decide_agency_kind
from casebridge.vocabulary import Category, classification_choices

HANDLING_CODES = [
    ("orcon", "ORCON — only my agency decides every onward disclosure"),
    ("no_decision", "NO-DECISION — may inform, never be the basis of a formal decision"),
    ("no_cross_border", "NO-CROSS-BORDER — not to leave this country"),
]
FLAGS = [code for code, _ in HANDLING_CODES]
# Fields offered only to agencies whose kind fills them in (casebridge.policy.roles); absent, not disabled.
KIND_FIELDS = {Perm.ITEM_MARK_INTELLIGENCE: ("intelligence", "source_reliability", "information_accuracy"),
               Perm.ITEM_RECORD_SOURCE: ("source_text", "method_text")}
SOURCE_HELP = "Only your agency will ever see these: not other agencies, not the client, not in search or exports."


class MarkingsForm(Form):
    """What an item says and how it is marked: shared by recording, amending and deriving."""

    names = {"category": _("a category"), "nature": _("the nature of the information"), "title": _("a title"),
             "body": _("the information's text"), "fact_date": _("the date of the fact"),
             "classification": _("a classification"), "handling": _("handling codes"),
             "change_note": _("what changed and why")}

    nature = forms.ChoiceField(label=_("Nature"), choices=Nature.choices, initial=Nature.FACT,
                               help_text=_("Keep facts apart from assessments and opinions."))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = long_text("Text", required=True)
    fact_date = date_field("Date of the fact", required=True)
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int)
    handling = forms.MultipleChoiceField(label=_("Handling codes"), choices=HANDLING_CODES, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    intelligence = forms.BooleanField(label=_("Intelligence"), required=False,
                                      help_text=_("Intelligence may inform others but is never the basis of a "
                                                "formal decision and never enters the client's own file."))
    source_reliability = forms.ChoiceField(label=_("Source reliability"), required=False,
                                           choices=[("", "Not graded"), *SourceReliability.choices])
    information_accuracy = forms.TypedChoiceField(label=_("Information accuracy"), required=False, coerce=int,
                                                  empty_value=None,
                                                  choices=[("", "Not graded"), *InformationAccuracy.choices])

    def __init__(self, data=None, *, actor, levels=None, **kwargs):
        super().__init__(data, **kwargs)
        self.actor = actor
        # Nobody marks above their own clearance; the service refuses it too.
        allowed = [(rank, label) for rank, label in classification_choices() if rank <= actor.clearance]
        if levels is not None:
            allowed = [(rank, label) for rank, label in allowed if rank in levels]
        self.fields["classification"].choices = allowed
        self.not_offered = []  # fields the actor's agency kind does not fill in, left out of the form
        for perm, names in KIND_FIELDS.items():
            if not decide_agency_kind(actor, perm):
                for name in names:
                    if self.fields.pop(name, None) is not None:
                        self.not_offered.append(name)

    def group(self, names) -> list:
        return [self[name] for name in names if name in self.fields]

    # Field groups, for the templates to lay the form out as content, markings, source and method.
    @property
    def content_fields(self):
        return self.group(["category", "nature", "title", "body", "fact_date"])

    @property
    def marking_fields(self):
        return self.group(["classification", "handling", "intelligence", "lift", "lift_reason", "source_reliability",
                           "information_accuracy"])

    @property
    def source_fields(self):
        return self.group(["source_text", "method_text"])

    @property
    def note_fields(self):
        return self.group(["change_note"])

    def service_data(self) -> dict:
        """The cleaned fields in the shape items.services expects."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("handling", "change_note", "version")}
        data.update({flag: flag in self.cleaned_data["handling"] for flag in FLAGS})
        return data


class RecordItemForm(MarkingsForm):
    prefix = "item"
    field_order = ["category", "nature", "title", "body", "fact_date", "classification", "handling", "intelligence",
                   "source_reliability", "information_accuracy", "source_text", "method_text"]

    category = forms.ChoiceField(label=_("Category"), choices=[("", "Choose a category"), *Category.choices])
    source_text = long_text("Source", help_text=SOURCE_HELP)
    method_text = long_text("Method", help_text=SOURCE_HELP)

    previews_audience = True  # "who will see this" before saving (items/_audience_box.html)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.initial.setdefault("fact_date", today())

    @property
    def audience_trigger(self) -> str:
        """The htmx trigger of the preview: a change of a field it reads (not of the text, which changes nothing)."""
        return ", ".join(f"change from:#{self[name].auto_id}" for name in AUDIENCE_FIELDS if name in self.fields)

    @property
    def audience_params(self) -> str:
        return ",".join(self[name].html_name for name in AUDIENCE_FIELDS if name in self.fields)


AUDIENCE_FIELDS = ("category", "classification", "handling", "intelligence")


class AudienceForm(Form):
    """The recording form's category, classification and markings, read for "who will see this"."""

    prefix = RecordItemForm.prefix
    names = MarkingsForm.names

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int)
    handling = forms.MultipleChoiceField(label=_("Handling codes"), choices=HANDLING_CODES, required=False)
    intelligence = forms.BooleanField(label=_("Intelligence"), required=False)

    def __init__(self, data=None, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["classification"].choices = [(r, label) for r, label in classification_choices()
                                                 if r <= actor.clearance]
        if not decide_agency_kind(actor, Perm.ITEM_MARK_INTELLIGENCE):
            del self.fields["intelligence"]  # as on the recording form: not offered, so never set

    def draft(self) -> policy.Draft:
        data = self.cleaned_data
        return policy.Draft(category=data["category"], classification=data["classification"],
                            intelligence=data.get("intelligence", False),
                            **{flag: flag in data["handling"] for flag in FLAGS})


class AmendForm(RecordItemForm):
    """Every field of the item as it stands, a change note, and the version it was read at."""

    prefix = "amend"
    field_order = [*RecordItemForm.field_order, "change_note"]
    previews_audience = False  # it has readers already: the item page lists them

    change_note = long_text("What changed and why", required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, data=None, *, item, **kwargs):
        super().__init__(data, **kwargs)
        self.item = item
        self.initial = {name: getattr(item, name) for name in self.fields if hasattr(item, name)}
        self.initial["handling"] = [flag for flag in FLAGS if getattr(item, flag)]
        self.initial["version"] = item.version
        if item.is_derivative:
            # A tearline keeps its original's category and never carries a source or method.
            for name in ("category", "source_text", "method_text"):
                self.fields.pop(name, None)
            self.derived_category = item.category

    def service_data(self) -> dict:
        data = super().service_data()
        # What the form did not offer stays as it is; the service refuses any change to it.
        data.update({name: getattr(self.item, name) for name in self.not_offered})
        if hasattr(self, "derived_category"):
            data.update(category=self.derived_category, source_text="", method_text="")
        return data


MARKING_LABELS = {"intelligence": _("Intelligence"), "no_decision": "NO-DECISION", "no_cross_border": "NO-CROSS-BORDER"}


class DeriveForm(MarkingsForm):
    """A sanitised derivative: the substance, without sources, methods or operational detail.

    It inherits the original's intelligence flag, NO-DECISION and NO-CROSS-BORDER: they are shown
    set, and only lifting them explicitly, with a reason, removes them."""

    prefix = "derive"

    lift = forms.MultipleChoiceField(
        label=_("Lift an inherited marking"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The derivative carries these markings of the original unless you lift them here. Lifting is "
                    "recorded; the reason is kept with the derivative for your agency only."))
    lift_reason = long_text(_("Why the derivative may go without it"),
                            help_text=_("Required when you lift a marking."))

    def __init__(self, data=None, *, item, **kwargs):
        below = set(range(item.classification)) or {0}
        super().__init__(data, levels=below, **kwargs)
        inherited = [name for name in ("intelligence", "no_decision", "no_cross_border") if getattr(item, name)]
        self.initial = {"nature": item.nature, "fact_date": item.fact_date, "title": item.title,
                        "classification": max(below), "intelligence": item.intelligence,
                        "handling": [flag for flag in FLAGS if flag in inherited]}
        self.inherited = [MARKING_LABELS[name] for name in inherited]
        if inherited:
            self.fields["lift"].choices = [(name, MARKING_LABELS[name]) for name in inherited]
        else:
            del self.fields["lift"], self.fields["lift_reason"]
        self.fields["body"].help_text = _("Write it afresh: leave out who told you, how it was obtained, and any "
                                          "operational detail.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lift") and not (cleaned.get("lift_reason") or "").strip():
            self.add_error("lift_reason", _("Say why the derivative may go without the original's marking."))
        return cleaned


class RetractForm(Form):
    prefix = "retract"
    names = {"reason": _("why you retract the item")}

    reason = long_text("Reason for retracting", required=True,
                       help_text=_("Everyone who read the item or its derivatives will be listed for you to inform."))


class DiscloseForm(Form):
    prefix = "disclose"
    names = {"recipient": _("the recipient agency"), "justification": _("why this agency needs the item now")}

    recipient = pick("Recipient agency", help_text=_("A member agency of the case."))
    justification = long_text("Justification", required=True, help_text=_("Why this agency needs this item now."))
    allow_decision_use = forms.BooleanField(
        label=_("Allow them to base formal decisions on it"), required=False,
        help_text=_("Lifts NO-DECISION and the intelligence restriction for this agency only."))

    def __init__(self, data=None, *, agencies, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["recipient"].widget.choices = [("", "Choose an agency"), *agencies]


class RevokeForm(Form):
    prefix = "revoke"

    disclosure = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AttachForm(Form):
    prefix = "attach"
    names = {"file": _("a file")}

    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG, JPEG or plain text, at most 5 MB. "
                                                   "Its SHA-256 fingerprint is recorded."))


class PreviewForm(Form):
    agency = pick("Agency")

    def __init__(self, data=None, *, agencies, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["agency"].widget.choices = [("", "Choose an agency"), *agencies]
