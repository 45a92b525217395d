"""The CaseReflector: an exit worker's structured record of a client's distancing process.

A reflector belongs to one agency's work on one case. Everything in it that says something about the
client is case content under the sharing rule: each session is carried by an item (`text_item`, carrier
`reflector_session`: the session's note) that decides who sees the whole session, its ratings and
their notes; each goal by an item of its own (carrier `reflector_goal`: the goal in the client's and
worker's words). The items are ORCON unless their author chose otherwise: the reflector stays with its
agency unless shared under the rule. The reflector row itself says nothing but who keeps it, and is
shown to nobody who may read none of its content (casebridge.reflector.services).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency
from casebridge.cases.models import Case
from casebridge.locking import Versioned
from casebridge.reflector.factors import GoalStatus, Knowledge, Priority, Valence


class Reflector(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reflectors")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_reflector_per_agency_case")]


class Session(models.Model):
    reflector = models.ForeignKey(Reflector, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveIntegerField()
    held_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    text_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+",
                                  help_text=_("The session's note, carried as an item: it decides who sees the session."))

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["reflector", "number"], name="reflector_session_number")]


class Rating(models.Model):
    """One factor as a session saw it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ratings")
    factor = models.CharField(max_length=40)
    knowledge = models.CharField(max_length=10, choices=Knowledge.choices, default=Knowledge.UNKNOWN)
    valence = models.CharField(max_length=10, choices=Valence.choices, default=Valence.NEUTRAL)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NONE)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "factor"], name="one_rating_per_factor")]


class Goal(Versioned):
    reflector = models.ForeignKey(Reflector, on_delete=models.PROTECT, related_name="goals")
    factor = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=12, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    agreed_on = models.DateField()
    reached_on = models.DateField(null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+",
                                  help_text=_("The goal as agreed with the client, carried as an item."))

    class Meta:
        ordering = ["agreed_on", "id"]


class SharedSummary(models.Model):
    """A non-personal summary the reflector's agency shared: an ordinary item of the case from then on."""

    reflector = models.ForeignKey(Reflector, on_delete=models.PROTECT, related_name="summaries")
    item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+")
    through_session = models.PositiveIntegerField()
    state = models.JSONField(help_text=_("The counts the summary stated, to say what moved by the next one."))
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField()

    class Meta:
        ordering = ["-shared_at", "-id"]
