"""The case record along the prison-exit continuum: client, case, members, team and phases.

The structure the sharing rule needs (the case, its phase and when it changed, members, team) lives
here and is visible to the team. Every free text about the client (summary, residency note,
handover notes, responsibilities, why a membership ended) is an information item referenced by a
`*_item` key, read only through the item policy (docs/architecture.md, "Case content: one carrier").
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency


class Phase(models.TextChoices):
    REMAND = "remand", _("Remand / pre-trial")
    TRIAL = "trial", _("Trial & sentencing")
    CUSTODY = "custody", _("Custody")
    RELEASE_PREPARATION = "release_preparation", _("Release preparation")
    SUPERVISED_RELEASE = "supervised_release", _("Supervised release")
    AFTERCARE = "aftercare", _("Aftercare")
    CLOSED = "closed", _("Closed")


class ResidencyStatus(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    PERMANENT_RESIDENT = "permanent_resident", _("Permanent resident")
    TEMPORARY_PERMIT = "temporary_permit", _("Temporary residence permit")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Recognised refugee")
    DEPORTATION_ORDER = "deportation_order", _("Subject to a deportation order")
    UNDOCUMENTED = "undocumented", _("Undocumented")
    UNKNOWN = "unknown", _("Unknown")


class Participation(models.TextChoices):
    CORE = "core", _("Core (always present)")
    ON_REQUEST = "on_request", _("On request")


class KeyDate(models.TextChoices):
    """Key dates of a sentence, in the order they must fall."""

    SENTENCE_START = "sentence_start", _("Sentence start")
    EARLIEST_RELEASE = "earliest_release", _("Earliest release")
    CONDITIONAL_RELEASE = "conditional_release", _("Conditional release")
    SENTENCE_END = "sentence_end", _("Sentence end")
    SUPERVISION_END = "supervision_end", _("Supervision end")


_BEFORE_RELEASE = frozenset({Phase.REMAND, Phase.TRIAL, Phase.CUSTODY, Phase.RELEASE_PREPARATION})
# The phases in which the moment a key date marks still lies ahead. Once a case has moved past it,
# the date is history whatever it says: a client released before the recorded earliest release date
# is not released again on it, so after release that date is no longer shown as coming up.
KEY_DATE_AHEAD_IN = {
    KeyDate.SENTENCE_START: frozenset({Phase.REMAND, Phase.TRIAL}),
    KeyDate.EARLIEST_RELEASE: _BEFORE_RELEASE,
    KeyDate.CONDITIONAL_RELEASE: _BEFORE_RELEASE,
    KeyDate.SENTENCE_END: frozenset(Phase) - {Phase.CLOSED},
    KeyDate.SUPERVISION_END: frozenset(Phase) - {Phase.AFTERCARE, Phase.CLOSED},
}


class Client(models.Model):
    """The person a case is about. Synthetic in every demo and test."""

    given_name = models.CharField(max_length=120)
    family_name = models.CharField(max_length=120)
    aliases = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField()
    nationalities = models.JSONField(default=list, blank=True, help_text=_("ISO 3166-1 alpha-2 codes."))
    languages = models.JSONField(default=list, blank=True)
    residency_status = models.CharField(max_length=30, choices=ResidencyStatus.choices,
                                        default=ResidencyStatus.UNKNOWN)
    residency_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", help_text=_("The residency note, carried as an item."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        # A new client is compared with those born on the same or a nearly same day (cases.duplicates).
        indexes = [models.Index(fields=["date_of_birth"], name="cases_client_born")]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return str(self)


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_cases")
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="coordinated_cases")
    continuity_liaison = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="liaison_cases")
    phase = models.CharField(max_length=30, choices=Phase.choices)
    summary_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", help_text=_("The case summary, carried as an item."))
    opened_on = models.DateField()
    sentence_start = models.DateField(null=True, blank=True)
    earliest_release = models.DateField(null=True, blank=True)
    conditional_release = models.DateField(null=True, blank=True)
    sentence_end = models.DateField(null=True, blank=True)
    supervision_end = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text=_("Raised on every edit; stale edits are refused."))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text=_("Who made the edit that raised the version last."))
    changed_at = models.DateTimeField(null=True, blank=True, help_text=_("When the version was raised last."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reference"]

    def __str__(self):
        return self.reference

    @property
    def status(self) -> str:
        return "closed" if self.phase == Phase.CLOSED else "active"

    def key_dates(self) -> list[tuple[str, str, date | None]]:
        return [(kd.value, kd.label, getattr(self, kd.value)) for kd in KeyDate]

    def key_date_ahead(self, key: str, today: date) -> bool:
        """Whether the moment a key date marks still lies ahead: its date is today or later, and the
        case has not moved past it (`KEY_DATE_AHEAD_IN`)."""
        when = getattr(self, key)
        return when is not None and when >= today and self.phase in KEY_DATE_AHEAD_IN[key]

    def upcoming_key_dates(self, today: date) -> list[tuple[str, str, date]]:
        """The key dates still ahead (`key_date_ahead`), soonest first."""
        return sorted(((key, label, when) for key, label, when in self.key_dates() if self.key_date_ahead(key, today)),
                      key=lambda kd: kd[2])

    def next_key_date(self, today: date) -> tuple[str, date] | None:
        upcoming = self.upcoming_key_dates(today)
        return (upcoming[0][1], upcoming[0][2]) if upcoming else None


class Membership(models.Model):
    """An agency's participation in a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    point_of_contact = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         related_name="contact_for")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               null=True, blank=True, related_name="deputy_for")
    responsibilities_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", help_text=_("What the agency does on the case, carried as an item."))
    participation = models.CharField(max_length=20, choices=Participation.choices,
                                     default=Participation.CORE)
    discreet = models.BooleanField(
        default=False,
        help_text=_("Listed only to the agency's own people and to the core members (casebridge.policy.listing). "
                  "Intelligence services are discreet unless the coordinator decides otherwise."))
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text=_("First day the membership no longer applies."))
    end_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", help_text=_("Why the membership ended, carried as an item."))

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self):
        return f"{self.agency} on {self.case}"

    def is_active(self, today: date) -> bool:
        return self.starts_on <= today and (self.ends_on is None or self.ends_on > today)

    @property
    def phases(self) -> list[str]:
        order = list(Phase.values)
        return sorted((c.phase for c in self.coverage.all()), key=order.index)


class MembershipPhase(models.Model):
    """One phase a membership covers (a row per phase, so the visibility filter can join on it)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="coverage")
    phase = models.CharField(max_length=30, choices=Phase.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "phase"], name="unique_membership_phase")]


class TeamAssignment(models.Model):
    """A practitioner working the case. Need-to-know is personal: the agency alone is not enough."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="assignments")
    role_on_case = models.CharField(max_length=120, blank=True)
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    handover_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", help_text=_("The leaver's handover note, carried as an item."))
    successor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "practitioner"], condition=models.Q(released_at__isnull=True),
                                    name="one_active_assignment_per_person"),
        ]

    @property
    def active(self) -> bool:
        return self.released_at is None


class PhaseChange(models.Model):
    """A dated, attributed move of a case from one phase to the next, with its handover note (an
    item; the opening entry of a case has none)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=30, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=30, choices=Phase.choices)
    effective_on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", help_text=_("The handover note into the new phase, carried as an item."))

    class Meta:
        ordering = ["effective_on", "recorded_at", "id"]


class CaseVisit(models.Model):
    """When a practitioner last opened a case page, and the opening their current sitting compares
    with: what others recorded after it is "new since your last visit" (casebridge/cases/visits.py).
    Personal bookkeeping, not case content: it says nothing about the client."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(help_text="The latest opening of the case page.")
    since = models.DateTimeField(null=True, blank=True,
                                 help_text="The last opening before the current sitting; none in the first sitting.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "practitioner"], name="one_visit_per_case_and_person")]
