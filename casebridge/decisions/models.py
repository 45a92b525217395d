"""Formal decisions an agency takes on a case, and the items they rest on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency
from casebridge.cases.models import Case
from casebridge.items.models import InformationItem
from casebridge.vocabulary import Category


class DecisionKind(models.TextChoices):
    PLACEMENT = "placement", _("Placement")
    REGIME = "regime", _("Regime")
    RELEASE_RECOMMENDATION = "release_recommendation", _("Release recommendation")
    SUPERVISION_CONDITION = "supervision_condition", _("Supervision condition")
    TEMPORARY_RELEASE = "temporary_release", _("Temporary release")
    RISK_LEVEL = "risk_level", _("Risk level")
    OTHER = "other", _("Other")


# The category a decision's text is recorded in unless its writer chooses another: what a
# practitioner files it under (placement and regime with custody, a risk level with the risk
# assessments, release and supervision with the sentence and its implementation).
KIND_CATEGORY = {
    DecisionKind.PLACEMENT: Category.CUSTODY_BEHAVIOUR_AND_SECURITY,
    DecisionKind.REGIME: Category.CUSTODY_BEHAVIOUR_AND_SECURITY,
    DecisionKind.TEMPORARY_RELEASE: Category.CUSTODY_BEHAVIOUR_AND_SECURITY,
    DecisionKind.RISK_LEVEL: Category.RISK_AND_NEEDS_ASSESSMENT,
    DecisionKind.RELEASE_RECOMMENDATION: Category.OFFENCE_AND_SENTENCE,
    DecisionKind.SUPERVISION_CONDITION: Category.OFFENCE_AND_SENTENCE,
    DecisionKind.OTHER: Category.OFFENCE_AND_SENTENCE,
}


class FormalDecision(models.Model):
    """What an agency decided on a case. Its text is an information item (`text_item`)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=40, choices=DecisionKind.choices)
    text_item = models.ForeignKey(InformationItem, on_delete=models.PROTECT, null=True, related_name="+",
                                  help_text=_("What was decided, carried as an item: a decision whose text the "
                                            "reader may not read is not shown to them at all."))
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    basis = models.ManyToManyField(InformationItem, related_name="decisions", blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
