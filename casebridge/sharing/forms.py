"""Forms of the sharing pages: agreements with their rule rows, consent and its withdrawal, and the
reason for suspending or resuming an agreement.

Forms check types and presence only; the services check the rules (parties, purposes, dates in
order, rules between parties), so a rule lives in one place and the API gets the same answers.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency
from casebridge.cases.forms import date_field, long_text
from casebridge.forms import Form
from casebridge.items.attachments import MAX_BYTES
from casebridge.vocabulary import AgencyKind, Category, Purpose, classification_choices

# Rule rows on a new agreement. Without JavaScript a page cannot add rows, so it offers enough for
# most agreements; a new version offers two empty rows beyond the rules it carries over.
RULE_ROWS = 5
SPARE_ROWS = 2
NONE = [("", "—")]


def agency_choices() -> list[tuple[int, str]]:
    return [(a.pk, a.name) for a in Agency.objects.filter(active=True).order_by("name")]


class ServiceForm(Form):
    """A form whose data a service checks: the service's refusal lands on the field it names
    (`casebridge.forms.Form.add_domain_error`)."""


def _checkboxes(label: str, choices, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, help_text=help_text,
                                     widget=forms.CheckboxSelectMultiple)


class AgreementForm(ServiceForm):
    names = {"title": _("a title for the agreement"), "parties": _("the parties"), "legal_basis": _("the legal basis"),
             "purposes": _("the purposes"), "valid_from": _("the first day it is valid"),
             "valid_to": _("the last day it is valid")}

    title = forms.CharField(max_length=200)
    parties = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Every party's administrator signs before the agreement takes effect."))
    legal_basis = long_text("Legal basis", required=True, help_text=_("Statute, regulation or protocol."))
    purposes = _checkboxes("Purposes", Purpose.choices, "What the information may be used for.")
    valid_from = date_field("Valid from", required=True)
    valid_to = date_field("Valid until (last day)")

    def __init__(self, *args, agencies, with_title: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].choices = agencies
        if not with_title:
            del self.fields["title"]  # the title belongs to the agreement, not to one version


class RuleForm(Form):
    """One row of the rule editor: originator → recipient, categories, up to a level, consent."""

    row_name = _("Rule")  # "Rule 2: …" in the page's error summary
    names = {"originator": _("the originator"), "recipient": _("the recipient"), "categories": _("the categories"),
             "max_classification": _("the highest classification")}

    originator = forms.TypedChoiceField(label=_("From (originator)"), coerce=int, required=False, empty_value=None)
    recipient = forms.TypedChoiceField(label=_("To (recipient)"), coerce=int, required=False, empty_value=None)
    categories = _checkboxes("Categories", Category.choices)
    max_classification = forms.TypedChoiceField(label=_("Up to"), coerce=int, choices=classification_choices,
                                                initial=0)
    consent_required = forms.BooleanField(label=_("Client consent required"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["originator"].choices = NONE + agencies
        self.fields["recipient"].choices = NONE + agencies

    def clean(self):
        data = super().clean()
        given = [data.get("originator"), data.get("recipient"), data.get("categories")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("Give the originator, the recipient and at least one category, "
                                        "or leave the whole row empty."))
        return data

    def rule(self) -> dict | None:
        """The row as the service takes it, or None for a row left empty."""
        data = getattr(self, "cleaned_data", None) or {}
        if not data.get("originator"):
            return None
        return {key: data[key] for key in ("originator", "recipient", "categories", "max_classification",
                                          "consent_required")}


def rule_formset(data=None, *, agencies, initial=()):
    extra = max(RULE_ROWS - len(initial), SPARE_ROWS)
    formset = forms.formset_factory(RuleForm, extra=extra, max_num=100, absolute_max=100, validate_max=True)
    return formset(data, initial=list(initial) or None, prefix="rule", form_kwargs={"agencies": agencies})


def rule_groups(version) -> list[dict]:
    """The version's rules as written on paper: one line per direction, level and consent, with
    the categories it covers (the database keeps one row per category)."""
    groups: dict[tuple, dict] = {}
    for rule in version.rules.all():
        key = (rule.originator_id, rule.recipient_id, rule.max_classification, rule.consent_required)
        group = groups.setdefault(key, {"originator": rule.originator, "recipient": rule.recipient,
                                        "max_classification": rule.max_classification,
                                        "level": rule.max_classification_label,
                                        "consent_required": rule.consent_required, "categories": []})
        group["categories"].append(rule.category)
    for group in groups.values():
        group["category_labels"] = [Category(c).label for c in group["categories"]]
    return sorted(groups.values(), key=lambda g: (g["originator"].name, g["recipient"].name, g["max_classification"]))


def initial_rules(version) -> list[dict]:
    return [{"originator": g["originator"].pk, "recipient": g["recipient"].pk, "categories": g["categories"],
             "max_classification": g["max_classification"], "consent_required": g["consent_required"]}
            for g in rule_groups(version)]


def initial_terms(version) -> dict:
    return {"parties": [p.agency_id for p in version.parties.all()], "legal_basis": version.legal_basis,
            "purposes": [p.purpose for p in version.purposes.all()], "valid_from": version.valid_from,
            "valid_to": version.valid_to}


class ReasonForm(ServiceForm):
    """Why an agreement is suspended or resumed; shown to every party and kept in the audit trail."""

    names = {"reason": _("a reason")}
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    LABELS = {"suspend": "Reason for suspending", "resume": "Reason for resuming"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.LABELS.get(self.prefix, "Reason")


class ConsentForm(ServiceForm):
    names = {"recipient_agency": _("the recipient agency"), "recipient_kind": _("the kind of agency"),
             "categories": _("the categories of information"), "purpose": _("the purpose"),
             "evidence": _("how and where consent was given"), "evidence_file": _("the signed consent form"),
             "given_on": _("the date consent was given")}

    recipient_agency = forms.TypedChoiceField(label=_("Recipient agency"), coerce=int, required=False,
                                              empty_value=None)
    recipient_kind = forms.ChoiceField(label=_("… or every agency of this kind"), required=False,
                                       help_text=_("Name one agency or one kind of agency, not both."))
    categories = _checkboxes("Categories of information", Category.choices)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    evidence = long_text("How and where consent was given",
                         help_text=_("E.g. in which meeting, with whom present, in which language it was explained. "
                                   "Give this note, the signed form, or both."))
    evidence_file = forms.FileField(label=_("Signed consent form"), required=False,
                                    help_text=_("PDF, PNG, JPEG or plain text, at most 5 MB. Its SHA-256 fingerprint "
                                              "is recorded."))
    given_on = date_field("Given on", required=True)

    def __init__(self, *args, agencies, actor, **kwargs):
        super().__init__(*args, prefix="consent", **kwargs)
        self.fields["recipient_agency"].choices = NONE + agencies
        self.fields["recipient_kind"].choices = NONE + AgencyKind.choices
        # An agency never records a consent it receives under: its own name and kind are not offered
        # (and the service refuses them with its reason if sent anyway).
        self.fields["recipient_agency"].widget.choices = NONE + [(pk, name) for pk, name in agencies
                                                                 if pk != actor.agency_id]
        self.fields["recipient_kind"].widget.choices = NONE + [(k, label) for k, label in AgencyKind.choices
                                                               if k != actor.agency_kind]

    def signed_form(self) -> tuple[str, bytes] | None:
        """The uploaded form as (name, content), reading one byte past the limit at most."""
        upload = self.cleaned_data.get("evidence_file")
        return (upload.name, upload.read(MAX_BYTES + 1)) if upload else None


class WithdrawForm(ServiceForm):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)
