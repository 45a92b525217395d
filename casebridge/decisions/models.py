"""Formal decisions an agency takes on a case, and the items they rest on."""

from django.conf import settings
from django.db import models

from casebridge.agencies.models import Agency
from casebridge.cases.models import Case
from casebridge.items.models import InformationItem


class DecisionKind(models.TextChoices):
    PLACEMENT = "placement", "Placement"
    REGIME = "regime", "Regime"
    RELEASE_RECOMMENDATION = "release_recommendation", "Release recommendation"
    SUPERVISION_CONDITION = "supervision_condition", "Supervision condition"
    TEMPORARY_RELEASE = "temporary_release", "Temporary release"
    RISK_LEVEL = "risk_level", "Risk level"
    OTHER = "other", "Other"


class FormalDecision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=40, choices=DecisionKind.choices)
    text = models.TextField()
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    basis = models.ManyToManyField(InformationItem, related_name="decisions", blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
