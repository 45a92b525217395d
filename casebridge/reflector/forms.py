"""The forms of a CaseReflector: a session (every factor, grouped), a goal, a goal's status, the summary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casebridge.cases.forms import long_text
from casebridge.forms import Form
from casebridge.reflector.factors import FACTORS, GROUPS, GoalStatus, Knowledge, Priority, Valence
from casebridge.vocabulary import classification_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _levels(actor, default_label):
    return [("", default_label), *[(r, label) for r, label in classification_choices() if r <= actor.clearance]]


FACTOR_PHRASES = {"knowledge": _("what is known of %(factor)s"),
                  "valence": _("whether %(factor)s is a resource or a challenge"),
                  "priority": _("the priority of %(factor)s"), "note": _("the note on %(factor)s")}


class SessionForm(Form):
    prefix = "session"

    held_on = forms.DateField(label=_("Session held on"), widget=DATE)
    note = long_text(_("Session note"), required=True,
                     help_text=_("What the session was about. With its classification it decides who sees the "
                                 "session at all."))
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, required=False, empty_value=None)
    keep_in_agency = forms.BooleanField(label=_("Keep within my agency (ORCON)"), required=False, initial=True,
                                        help_text=_("Untick only if your agreements should carry this session to "
                                                    "partner agencies."))

    def __init__(self, data=None, *, actor, current: dict, **kwargs):
        super().__init__(data, **kwargs)
        self.current = current
        self.fields["classification"].choices = _levels(actor, _("Restricted (or your clearance if lower)"))
        for code in FACTORS:
            last = current.get(code)
            self.fields[f"{code}-knowledge"] = forms.ChoiceField(
                label=_("What is known"), choices=Knowledge.choices, required=False,
                initial=last.knowledge if last else Knowledge.UNKNOWN)
            self.fields[f"{code}-valence"] = forms.ChoiceField(
                label=_("Resource or challenge"), choices=Valence.choices, required=False,
                initial=last.valence if last else Valence.NEUTRAL)
            self.fields[f"{code}-priority"] = forms.TypedChoiceField(
                label=_("Priority"), choices=Priority.choices, coerce=int, required=False, empty_value=None,
                initial=last.priority if last else Priority.NONE)
            self.fields[f"{code}-note"] = forms.CharField(label=_("Note"), required=False, max_length=2000,
                                                          widget=forms.TextInput())
        # Each factor's fields are named with their factor, so a message in the error summary says which.
        self.names = {**self.names, **{f"{code}-{part}": phrase % {"factor": name}
                                       for code, (_group, name) in FACTORS.items()
                                       for part, phrase in FACTOR_PHRASES.items()}}

    def groups(self):
        """[(group, [(code, name, [bound fields])])] for the template's table per group."""
        return [(group, [(code, name, [self[f"{code}-{part}"] for part in ("knowledge", "valence", "priority", "note")])
                         for code, name in group.factors]) for group in GROUPS]

    def ratings(self) -> dict:
        """The factors this session changed or wrote a note on; the others stay as the last session left them."""
        found = {}
        for code in FACTORS:
            given = {part: self.cleaned_data.get(f"{code}-{part}") for part in ("knowledge", "valence", "priority")}
            last = self.current.get(code)
            was = {part: getattr(last, part) for part in given} if last else \
                {"knowledge": Knowledge.UNKNOWN, "valence": Valence.NEUTRAL, "priority": Priority.NONE}
            given = {part: value if value not in (None, "") else was[part] for part, value in given.items()}
            note = self.cleaned_data.get(f"{code}-note") or ""
            if note or given != was:
                found[code] = {**given, "note": note}
        return found


class GoalForm(Form):
    prefix = "goal"

    text = forms.CharField(label=_("Goal, as agreed with the client"), max_length=500)
    factor = forms.ChoiceField(label=_("Factor it concerns"), required=False)
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE)
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, required=False, empty_value=None)
    keep_in_agency = forms.BooleanField(label=_("Keep within my agency (ORCON)"), required=False, initial=True)

    def __init__(self, data=None, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["factor"].choices = [("", _("None in particular")), *[
            (str(group.name), [(code, name) for code, name in group.factors]) for group in GROUPS]]
        self.fields["classification"].choices = _levels(actor, _("Restricted (or your clearance if lower)"))


class GoalStatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput())


class ShareForm(Form):
    prefix = "share"

    classification = forms.TypedChoiceField(label=_("Classification of the summary"), coerce=int)
    conference = forms.ChoiceField(label=_("Bring it to a coming case conference"), required=False)

    def __init__(self, data=None, *, actor, conferences=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["classification"].choices = [(r, label) for r, label in classification_choices()
                                                 if r <= actor.clearance]
        self.fields["conference"].choices = [("", _("No, only share it as an item of the case")),
                                             *[(c.pk, label) for c, label in conferences]]
