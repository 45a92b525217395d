"""The form recording a formal decision. It checks types and sizes; which items may be a basis is
the decision service's rule (through the item policy), so web and API refuse alike."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casebridge.cases.forms import add_text_markings, date_field, long_text
from casebridge.cases.services import today
from casebridge.decisions.models import KIND_CATEGORY, DecisionKind
from casebridge.forms import Form

MAX_BASIS = 100


class BasisField(forms.TypedMultipleChoiceField):
    """Ids of items. The options offered are the readable items of the case, but any id is let
    through to the service, which gives the precise refusal."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_BASIS:
            raise ValidationError(_("At most %(count)s items, please.") % {"count": MAX_BASIS})


def basis_label(item) -> str:
    marks = [item.classification_label, *item.handling_codes, *(["intelligence"] if item.intelligence else [])]
    return f"{item.title} ({' · '.join(marks)}; {item.originating_agency.name}, {item.fact_date:%d %b %Y})"


class DecisionForm(Form):
    prefix = "decision"
    names = {"kind": _("the kind of decision"), "text": _("the decision"), "decided_on": _("the date of the decision"),
             "basis": _("the items it is based on")}

    kind = forms.ChoiceField(label=_("Kind of decision"), choices=[("", "Choose the kind"), *DecisionKind.choices])
    text = long_text("Decision", required=True, help_text=_("What was decided, and for how long."))
    decided_on = date_field("Decided on", required=True)
    basis = BasisField(label=_("Based on"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
                       help_text=_("Items of this case you may read. Intelligence and NO-DECISION items may inform "
                                 "a decision but not be its basis, unless their originator allowed it for your agency."))

    def __init__(self, data=None, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        self.initial.setdefault("decided_on", today())
        # The text's category follows the kind unless the writer chooses one (the field is kept
        # optional so that choosing the kind alone is enough).
        add_text_markings(self, actor, "")
        self.fields["category"].choices = [("", "As the kind of decision suggests"), *self.fields["category"].choices]
        self.fields["category"].help_text = ("Decides which agencies see the decision at all. By default: "
                                             + "; ".join(f"{DecisionKind(k).label.lower()}: {c.label.lower()}"
                                                         for k, c in KIND_CATEGORY.items()) + ".")

    def offer(self, items) -> None:
        self.fields["basis"].choices = [(item.pk, basis_label(item)) for item in items]
