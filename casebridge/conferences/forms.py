"""Forms of conferences. They check types and sizes; the services check the rules (who may convene,
who can be invited, what an action's owner may read), so web and API refuse alike."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casebridge.cases.forms import long_text
from casebridge.conferences import kinds
from casebridge.conferences.models import ActionStatus, Attendance, Relation
from casebridge.forms import Form
from casebridge.vocabulary import classification_choices

GUEST_ROWS = 4  # rows for attendees who are not users; convene again for more


class PeopleField(forms.TypedMultipleChoiceField):
    """Ids of practitioners; the options are the case's eligible team, the service checks the choice."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


def _levels(actor):
    return [(rank, label) for rank, label in classification_choices() if rank <= actor.clearance]


class ConveneForm(Form):
    prefix = "convene"
    names = {"kind": _("the kind of conference"), "day": _("the date of the conference"),
             "start": _("the time it starts"), "end": _("the time it ends"), "place": _("the place"),
             "online_link": _("the online link"), "chair": _("who chairs"), "participants": _("who to invite")}
    # The service speaks of moments; the form asks for a day and two times.
    refusal_fields = {"starts_at": "day", "ends_at": "end", "attendees": "guest_0_name"}

    kind = forms.ChoiceField(label=_("Kind of conference"))
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False,
                            help_text=_("A room and address. The invitation shows it: no client details here."))
    online_link = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https",
                                 help_text=_("An https:// meeting link, instead of or as well as a place."))
    chair = forms.TypedChoiceField(label=_("Chair"), coerce=int)
    participants = PeopleField(label=_("Invite"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
                               help_text=_("The case team members who can take part in this kind. The kind's core "
                                           "participants are always invited."))
    proposal = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    follows = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, data=None, *, people, chairs, proposal=None, kind=None, follows=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["kind"].choices = [("", _("Choose the kind")), *kinds.choices()]
        self.fields["chair"].choices = [("", _("Choose who chairs")),
                                        *[(p.pk, f"{p.display_name} ({p.agency.name})") for p in chairs]]
        self.fields["participants"].choices = [(p.pk, f"{p.display_name} ({p.agency.name})") for p in people]
        for row in range(GUEST_ROWS):
            self.fields[f"guest_{row}_name"] = forms.CharField(label=_("Attendee who is not a user"), max_length=120,
                                                               required=False)
            self.fields[f"guest_{row}_relation"] = forms.ChoiceField(
                label=_("Relation to the client"), required=False,
                choices=[("", _("Choose the relation")), *Relation.choices])
        self.initial.update({"proposal": proposal, "follows": follows, "kind": kind})

    def clean(self):
        data = super().clean()
        guests = []
        for row in range(GUEST_ROWS):
            name, relation = data.get(f"guest_{row}_name"), data.get(f"guest_{row}_relation")
            if name and not relation:
                self.add_error(f"guest_{row}_relation", _("Say who this attendee is to the client."))
            elif relation and not name:
                self.add_error(f"guest_{row}_name", _("Give the attendee's name."))
            elif name:
                guests.append({"name": name, "relation": relation})
        data["attendees"] = guests
        if data.get("day") and data.get("start") and data.get("end"):
            zone = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.combine(data["day"], data["start"]), zone)
            data["ends_at"] = timezone.make_aware(datetime.combine(data["day"], data["end"]), zone)
        return data

    def guest_rows(self):
        return [(self[f"guest_{row}_name"], self[f"guest_{row}_relation"]) for row in range(GUEST_ROWS)]


class ReplyForm(Form):
    prefix = "reply"

    answer = forms.ChoiceField(label=_("Your reply"), choices=[("accepted", _("I will attend")),
                                                                ("declined", _("I cannot attend")),
                                                                ("delegated", _("A colleague attends for me"))],
                               widget=forms.RadioSelect)
    delegate = forms.TypedChoiceField(label=_("Colleague"), coerce=int, required=False, empty_value=None)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, data=None, *, colleagues=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["delegate"].choices = [("", _("Choose a colleague")),
                                           *[(p.pk, p.display_name) for p in colleagues]]

    def clean(self):
        data = super().clean()
        if data.get("answer") == "delegated" and not data.get("delegate"):
            self.add_error("delegate", _("Choose the colleague who attends for you."))
        return data


class AgendaForm(Form):
    prefix = "agenda"

    heading = forms.CharField(label=_("Heading"), max_length=200)
    notes = long_text(_("Notes"), help_text=_("What participants should know or bring."))
    audience = forms.ChoiceField(label=_("For"), choices=kinds.Audience.CHOICES,
                                 help_text=_("Who the item is for. The sharing rule also decides who may read it."))
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, required=False, empty_value=None)
    linked = PeopleField(label=_("Linked items"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, data=None, *, actor, items=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["classification"].choices = [("", _("As the audience suggests")), *_levels(actor)]
        self.fields["linked"].choices = [(i.pk, f"{i.title} ({i.classification_label})") for i in items]


class ActionForm(Form):
    prefix = "action"
    names = {"text": _("what is to be done"), "owner": _("the owner"), "due_on": _("the date it is due"),
             "classification": _("the classification")}

    text = long_text(_("Action"), required=True, help_text=_("What is to be done."))
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, required=False, empty_value=None,
                                            help_text=_("The owner must be able to read it."))

    def __init__(self, data=None, *, actor, people=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["owner"].choices = [("", _("Choose the owner")),
                                        *[(p.pk, f"{p.display_name} ({p.agency.name})") for p in people]]
        self.fields["classification"].choices = [("", _("Restricted (or your clearance if lower)")), *_levels(actor)]


class ActionUpdateForm(Form):
    prefix = "progress"

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = long_text(_("Progress note"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DismissForm(Form):
    prefix = "dismiss"

    reason = long_text(_("Why no conference"), required=True,
                       help_text=_("Recorded as a note of your agency, read under the sharing rule."))


class AttendanceForm(Form):
    prefix = "attendance"

    def __init__(self, data=None, *, participants=(), **kwargs):
        super().__init__(data, **kwargs)
        for participant, label in participants:
            self.fields[f"p{participant.pk}"] = forms.ChoiceField(label=label, choices=Attendance.choices,
                                                                 initial=participant.attendance or "present")

    def attendance(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}



DECISION_ROWS = 3  # decisions recorded at once; a new version of the minutes adds more


class MinutesForm(Form):
    prefix = "minutes"

    notes = long_text(_("Notes"), required=True, help_text=_("What was discussed, item by item."))
    classification = forms.TypedChoiceField(label=_("Classification of the notes and decisions"), coerce=int,
                                            required=False, empty_value=None)
    security_notes = long_text(_("Security part"), help_text=_("For the security-cleared only: recorded at a "
                                                               "higher classification than the rest."))
    security_classification = forms.TypedChoiceField(label=_("Classification of the security part"), coerce=int,
                                                     required=False, empty_value=None)
    summary = long_text(_("Executive summary"), required=True,
                        help_text=_("Kept for the client's subject access: no third parties, nothing confidential."))

    def __init__(self, data=None, *, actor, agenda=(), **kwargs):
        super().__init__(data, **kwargs)
        for entry_id, heading in agenda:  # (id, heading) of the agenda items the writer may read
            self.fields[f"item_{entry_id}"] = long_text(_("Notes on: %(heading)s") % {"heading": heading})
        self.fields["classification"].choices = [("", _("Restricted (or your clearance if lower)")), *_levels(actor)]
        self.fields["security_classification"].choices = [("", _("Confidential (or your clearance if lower)")),
                                                          *_levels(actor)]
        for row in range(DECISION_ROWS):
            self.fields[f"decision_{row}"] = forms.CharField(label=_("Decision"), max_length=2000, required=False)
            self.fields[f"rationale_{row}"] = long_text(_("Rationale"))
            self.fields[f"options_{row}"] = long_text(_("Options considered"))
            self.fields[f"dissent_{row}"] = long_text(_("Dissent"), help_text=_("Who disagreed, and why."))

    def clean(self):
        data = super().clean()
        decisions = []
        for row in range(DECISION_ROWS):
            entry = {name: data.get(f"{name}_{row}") or "" for name in ("decision", "rationale", "options", "dissent")}
            if entry["decision"] and not entry["rationale"]:
                self.add_error(f"rationale_{row}", _("Say why this was decided."))
            elif not entry["decision"] and any(entry.values()):
                self.add_error(f"decision_{row}", _("Say what was decided."))
            elif entry["decision"]:
                decisions.append(entry)
        data["decisions"] = decisions
        data["item_notes"] = {int(name[5:]): value for name, value in data.items()
                              if name.startswith("item_") and name[5:].isdigit() and value}
        return data

    def item_note_fields(self):
        return [self[name] for name in self.fields if name.startswith("item_")]

    def decision_rows(self):
        return [[self[f"{name}_{row}"] for name in ("decision", "rationale", "options", "dissent")]
                for row in range(DECISION_ROWS)]
