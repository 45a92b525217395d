"""Forms of the case record.

Forms check types and sizes only; the services check the rules (allowed phase paths, dates in
order, who may be named), so a rule lives in one place and the API gets the same answers. Each
form has a prefix, so several can share the case page without their field ids clashing.
"""

from django import forms
from django.forms.utils import ErrorDict
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency
from casebridge.cases import membership
from casebridge.cases.models import KeyDate, Participation, Phase, ResidencyStatus
from casebridge.cases.rules import next_phases
from casebridge.cases.services import today
from casebridge.forms import Form
from casebridge.items.models import CARRIER_DEFAULTS, RESTRICTED, Carrier
from casebridge.vocabulary import Category, classification_choices


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _max_text(label):
    def check(value: str) -> None:
        # Read at validation time, not import time, so the limit follows the deployment's setting.
        limit = settings.CASEBRIDGE_MAX_TEXT
        if len(value) > limit:
            # Coded as Django's own length check: a form names the field in its message for it.
            raise ValidationError(_("%(label)s must be %(limit)d characters or fewer")
                                  % {"label": label, "limit": limit},
                                  code="max_length", params={"limit_value": limit, "show_value": len(value)})
    return check


def long_text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text, validators=[_max_text(label)],
                           widget=forms.Textarea(attrs={"rows": 3}))


def date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=_date_widget())


class ListField(forms.CharField):
    """Comma-separated entries, cleaned into a list of trimmed strings. Every entry refused is
    named in a message of its own, not only the first."""

    entry_length = 120
    max_entries = 50

    def to_python(self, value):
        return [part.strip() for part in (super().to_python(value) or "").split(",") if part.strip()]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_entries:
            raise ValidationError(_("%(label)s: at most %(n)d entries, please") % {"label": self.label,
                                                                                    "n": self.max_entries})
        refusals = [problem for entry in value if (problem := self.entry_problem(entry))]
        if refusals:
            raise ValidationError(refusals)

    def entry_problem(self, entry: str) -> str | None:
        if len(entry) > self.entry_length:
            return _("%(label)s: “%(entry)s…” is longer than %(n)d characters") % {
                "label": self.label, "entry": entry[:30], "n": self.entry_length}
        return None


class CountryCodesField(ListField):
    def to_python(self, value):
        return [code.upper() for code in super().to_python(value)]

    def entry_problem(self, entry: str) -> str | None:
        if len(entry) != 2 or not entry.isascii() or not entry.isalpha():
            return _("%(label)s: “%(entry)s” is not a two-letter ISO 3166 country code, like BE or NL") % {
                "label": self.label, "entry": entry[:30]}
        return None


def pick(label: str, *, required: bool = True, help_text: str = "") -> forms.IntegerField:
    """An id chosen from a list. Its options are set per case; the service checks the choice."""
    return forms.IntegerField(label=label, required=required, help_text=help_text, min_value=1,
                              widget=forms.Select)


def as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def version_field() -> forms.IntegerField:
    """The case version the form was filled from, so a stale edit is refused, not applied."""
    stale = "This form is out of date: reload the case and try again."
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                              error_messages={"required": stale, "invalid": stale, "min_value": stale})


def with_notice(form, message: str):
    """An unbound form (filled from the record as it now stands) opened with `message` above it: what
    a refused stale edit shows instead of the values that were not saved."""
    form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message], error_class="nonfield")})
    return form


def showing_current(form_class, case, actor, message: str):
    """`form_class` filled from the case as it now stands (its current version too), with `message`."""
    return with_notice(form_class(case=case, actor=actor), message)


def people_choices(people, blank: str) -> list:
    """Practitioners as <select> options grouped by agency, after a blank option."""
    groups: dict[str, list] = {}
    for person in people:
        title = f" ({person.job_title})" if person.job_title else ""
        groups.setdefault(person.agency.name, []).append((person.pk, f"{person.display_name}{title}"))
    return [("", blank), *groups.items()]


def add_text_markings(form, actor, category: str) -> None:
    """Category and classification of a text the form records as an item, preselected with the
    carrier's defaults (RESTRICTED, or the writer's clearance if lower): the text is read only by
    those the sharing rule lets read that category at that level. Left out, the defaults apply."""
    form.fields["category"] = forms.ChoiceField(
        label=_("Category of the text"), choices=Category.choices, required=False,
        help_text=_("Decides which agencies may read it: choose health for a psychiatric report, for instance."))
    form.fields["classification"] = forms.TypedChoiceField(
        label=_("Classification of the text"), coerce=int, required=False, empty_value=None,
        choices=[(rank, label) for rank, label in classification_choices() if rank <= actor.clearance])
    form.initial.setdefault("category", category)
    form.initial.setdefault("classification", min(RESTRICTED, actor.clearance))


class CaseForm(Form):
    """A form about one case; subclasses fill their options from it."""

    def __init__(self, data=None, *, case=None, actor=None, **kwargs):
        super().__init__(data, **kwargs)
        self.case, self.actor = case, actor

    def set_options(self, name: str, options: list) -> None:
        self.fields[name].widget.choices = options


class ClientForm(CaseForm):
    prefix = "client"
    names = {"given_name": _("the client's given name"), "family_name": _("the client's family name"),
             "date_of_birth": _("the client's date of birth"), "residency_status": _("the residency status")}

    given_name = forms.CharField(label=_("Given name"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    aliases = ListField(label=_("Aliases"), required=False, help_text=_("Comma-separated."))
    date_of_birth = date_field("Date of birth", required=True)
    nationalities = CountryCodesField(label=_("Nationalities"), required=False,
                                      help_text=_("Comma-separated ISO 3166 codes, e.g. BE, MA."))
    languages = ListField(label=_("Languages"), required=False, help_text=_("Comma-separated, e.g. nl, fr, ar."))
    residency_status = forms.ChoiceField(label=_("Residency status"), choices=ResidencyStatus.choices,
                                         initial=ResidencyStatus.UNKNOWN)
    residency_note = long_text("Residency note", help_text=_("E.g. the state of a deportation procedure. Kept as a "
                                                           "legal-and-residency item of your agency, RESTRICTED."))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        if self.case is not None:
            self.fields["version"] = version_field()
            person = self.case.client
            self.initial = {name: getattr(person, name) for name in self.fields if hasattr(person, name)}
            self.initial["version"] = self.case.version


class OpenCaseForm(ClientForm):
    prefix = None  # the only form on its page
    names = {**ClientForm.names, "phase": _("the starting phase"), "phase_date": _("the date the phase started"),
             "summary": _("the summary")}

    phase = forms.ChoiceField(label=_("Starting phase"), choices=[c for c in Phase.choices if c[0] != Phase.CLOSED])
    phase_date = date_field("Phase start date", required=True)
    summary = long_text("Summary", help_text=_("Why the case is opened. Kept as an identity-and-status item of your "
                                             "agency, RESTRICTED: members read it where your agreements allow."))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.initial.setdefault("phase_date", today())
        for kd in KeyDate:
            self.fields[kd.value] = date_field(kd.label)

    # Shown only with a possible duplicate's warning; `warned_for` ties the confirmation to the
    # names and birthday warned about, so a changed name is checked again.
    confirm_possible_duplicate = forms.BooleanField(
        label=_("This is a different person, or the other case must stay apart: open a new case"), required=False)
    warned_for = forms.CharField(required=False, widget=forms.HiddenInput)

    def key_date_fields(self):
        return [self[kd.value] for kd in KeyDate]

    def client_fields(self):
        return [self[name] for name in ClientForm.base_fields]


class KeyDatesForm(CaseForm):
    prefix = "dates"

    version = version_field()

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for kd in KeyDate:
            self.fields[kd.value] = date_field(kd.label)
        self.initial = {kd.value: getattr(self.case, kd.value) for kd in KeyDate}
        self.initial["version"] = self.case.version


class TransitionForm(CaseForm):
    prefix = "transition"
    names = {"to_phase": _("the next phase"), "effective_on": _("the date the phase changes"),
             "handover_note": _("a handover note")}

    to_phase = forms.ChoiceField(label=_("Next phase"), choices=Phase.choices)
    effective_on = date_field("Effective date", required=True)
    handover_note = long_text("Handover note", required=True,
                              help_text=_("What the people taking over in the next phase must know. Kept as an item "
                                        "of your agency: only agencies your agreements give its category read it."))
    version = version_field()

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # Only the allowed paths are offered; any phase is accepted as input so that the service,
        # which knows the case's current phase, gives the precise refusal (or a conflict).
        self.fields["to_phase"].widget.choices = [("", "Choose the next phase"),
                                                  *((p, Phase(p).label) for p in next_phases(self.case.phase))]
        self.initial = {"effective_on": today(), "version": self.case.version}
        add_text_markings(self, self.actor, CARRIER_DEFAULTS[Carrier.PHASE_HANDOVER][0])


DISCREET_HELP = _("A discreet member is listed only to its own people and to the core members (the lead agency, "
                  "the coordinator's agency and the core agencies). Everyone else on the case sees no trace of it: "
                  "not in the member list, the team, the counts, the choices or the client's notices. Use it when "
                  "the fact that this agency works the case is itself sensitive.")
LISTED, DISCREET = "listed", "discreet"


def discreet_choice(*, with_default: bool) -> forms.TypedChoiceField:
    """Discreet or listed to everyone; with a third, default choice that follows the agency's kind."""
    choices = [(DISCREET, _("Discreet: listed only to its own agency and the core members")),
               (LISTED, _("Listed to everyone on the case"))]
    if with_default:
        choices.insert(0, ("", _("As usual for the kind of agency: discreet for intelligence and security services, "
                                 "listed for every other agency")))
    return forms.TypedChoiceField(label=_("Who sees this agency on the case"), choices=choices, required=not with_default,
                                  coerce=lambda value: value == DISCREET, empty_value=None,
                                  widget=forms.RadioSelect, help_text=DISCREET_HELP)


class MembershipForm(CaseForm):
    prefix = "membership"
    names = {"agency": _("the agency"), "point_of_contact": _("the point of contact"), "deputy": _("the deputy"),
             "phases": _("the phases covered"), "participation": _("how the agency takes part"),
             "starts_on": _("the start date")}

    agency = pick("Agency")
    point_of_contact = pick("Point of contact", help_text=_("The named person the other members call."))
    deputy = pick("Deputy", required=False)
    phases = forms.MultipleChoiceField(label=_("Phases covered"), choices=Phase.choices,
                                       widget=forms.CheckboxSelectMultiple)
    participation = forms.ChoiceField(label=_("Participation"), choices=Participation.choices,
                                      initial=Participation.CORE)
    responsibilities = long_text("Responsibilities")
    starts_on = date_field("Start date", required=True)
    discreet = discreet_choice(with_default=True)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.set_options("agency", [("", "Choose an agency"),
                                    *Agency.objects.filter(active=True).order_by("name").values_list("pk", "name")])
        chosen = self["agency"].value() if self.is_bound else None
        people = membership.active_practitioners(as_int(chosen))
        self.set_options("point_of_contact", people_choices(people, "Choose a person"))
        self.set_options("deputy", people_choices(people, "No deputy"))
        self.fields["agency"].widget.attrs.update({
            # Narrow the two person lists to the chosen agency; without JavaScript they list everyone.
            "hx-get": reverse("cases:contact_options", args=[self.case.pk]),
            "hx-target": f"#{self['point_of_contact'].auto_id}", "hx-swap": "innerHTML",
        })
        self.initial = {"phases": [self.case.phase], "starts_on": today(), "participation": Participation.CORE,
                        "discreet": ""}


class EndMembershipForm(CaseForm):
    prefix = "end"

    membership = pick("Membership")
    reason = long_text("Reason", required=True)
    ends_on = date_field("End date", required=True)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        ending = [(m.pk, m.agency.name) for m in membership.listed_members(actor=self.actor, case=self.case)
                  if m.agency_id != self.case.lead_agency_id and m.ends_on is None]
        self.set_options("membership", [("", "Choose a member agency"), *ending])
        self.initial = {"ends_on": today()}


class DiscreetForm(CaseForm):
    prefix = "discreet"

    membership = pick(_("Membership"))
    discreet = discreet_choice(with_default=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        members = [(m.pk, f"{m.agency.name} ({_('discreet') if m.discreet else _('listed to everyone')})")
                   for m in membership.listed_members(actor=self.actor, case=self.case)
                   if m.agency_id != self.case.lead_agency_id]
        self.set_options("membership", [("", _("Choose a member agency")), *members])


class AssignForm(CaseForm):
    prefix = "assign"

    practitioner = pick("Practitioner", help_text=_("People of the case's active member agencies."))
    role_on_case = forms.CharField(label=_("Role on the case"), max_length=120, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        on_team = {a.practitioner_id for a in self.case.team.all() if a.active}
        people = [p for p in membership.team_candidates(self.case, self.actor) if p.pk not in on_team]
        self.set_options("practitioner", people_choices(people, "Choose a person"))


class ReleaseForm(CaseForm):
    prefix = "release"

    assignment = pick("Team member")
    handover_note = long_text("Handover note", required=True,
                              help_text=_("Open actions, contacts and anything the successor must know."))
    successor = pick("Successor", required=False,
                     help_text=_("Takes over the team place and any named roles (coordinator, contact)."))

    def __init__(self, data=None, *, manager: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        active = [a for a in membership.listed_team_members(actor=self.actor, case=self.case) if a.active]
        if manager:
            self.set_options("assignment", [("", "Choose a team member"),
                                            *((a.pk, a.practitioner.display_name) for a in active)])
        else:
            # Anyone on the team may hand over their own place, and only their own.
            own = next((a for a in active if a.practitioner_id == self.actor.pk), None)
            self.fields["assignment"].widget = forms.HiddenInput()
            self.initial = {"assignment": own.pk if own else None}
        people = [p for p in membership.team_candidates(self.case, self.actor) if manager or p.pk != self.actor.pk]
        self.set_options("successor", people_choices(people, "No successor"))


class LiaisonForm(CaseForm):
    prefix = "liaison"

    continuity_liaison = pick("Continuity liaison", required=False,
                              help_text=_("Walks with the client from prison to after release. Must be on the team."))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # Never someone of a discreet member: the liaison is known to the whole team and to the client.
        discreet = {m.agency_id for m in self.case.memberships.all() if m.discreet}
        team = [(a.practitioner_id, f"{a.practitioner.display_name} ({a.practitioner.agency.name})")
                for a in membership.listed_team_members(actor=self.actor, case=self.case)
                if a.active and a.practitioner.agency_id not in discreet]
        self.set_options("continuity_liaison", [("", "No continuity liaison"), *team])
        self.initial = {"continuity_liaison": self.case.continuity_liaison_id}


class PhaseFilterForm(Form):
    names = {"phase": _("a phase")}
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=[("", "All phases"), *Phase.choices])
