"""The forms of the network page: mapping a tie, changing one, ending one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.cases.forms import long_text
from casebridge.forms import Form
from casebridge.network.models import EndReason, Kind, Relation, Stance, Strength
from casebridge.network.services import NAME_LENGTH
from casebridge.vocabulary import classification_choices


class TieForm(Form):
    prefix = "tie"

    name = forms.CharField(label=_("Name"), max_length=NAME_LENGTH,
                           help_text=_("A person's name or an organisation's. Seen only by those who may read "
                                       "this tie."))
    kind = forms.ChoiceField(label=_("Person or organisation"), choices=Kind.choices)
    relation = forms.ChoiceField(label=_("Relation to the client"), choices=Relation.choices)
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices,
                               help_text=_("Towards a life without violence: supportive, ambivalent or opposing."))
    strength = forms.TypedChoiceField(label=_("Strength of the tie"), choices=Strength.choices, coerce=int)
    notes = long_text(_("Notes"), help_text=_("What they mean to the client, and what they need to receive them "
                                              "after release."))
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, required=False, empty_value=None)

    def __init__(self, data=None, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["classification"].choices = [("", _("Restricted (or your clearance if lower)")),
                                                 *[(r, label) for r, label in classification_choices()
                                                   if r <= actor.clearance]]


class ChangeForm(Form):
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices)
    strength = forms.TypedChoiceField(label=_("Strength of the tie"), choices=Strength.choices, coerce=int)
    notes = long_text(_("Notes"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EndForm(Form):
    reason = forms.ChoiceField(label=_("Why the tie ended"), choices=EndReason.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
