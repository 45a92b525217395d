"""Structured assessment results: which instrument, which ratings, what overall judgement.

An assessment is case content: its formulation is an item (`text_item`, category risk and needs
assessment, its own classification), and an assessment whose item a reader may not read is not shown
to them at all: not its instrument, ratings, date or agency (as a formal decision, casebridge.decisions).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency
from casebridge.cases.models import Case


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField(max_length=60, help_text=_("The instrument's code."))
    version = models.CharField(max_length=20)
    assessed_on = models.DateField()
    valid_until = models.DateField()
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    overall = models.CharField(max_length=60)
    ratings = models.JSONField(default=dict, help_text=_("Indicator code -> value of the instrument's rating scale."))
    domain_ratings = models.JSONField(default=dict, help_text=_("Domain code -> value of the rating scale."))
    categorisations = models.JSONField(default=dict, blank=True,
                                       help_text=_("Vocabulary code -> term code (casebridge.glossary.categorisations)."))
    text_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+",
                                  help_text=_("The formulation, carried as an item: it decides who sees the assessment."))
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_on", "-id"]
