"""Bulk imports from an agency's legacy system: each run, and which legacy record became which object.

The mapping (agency, source, kind, ref) → object is what makes an import resumable: a line whose
record is mapped already is skipped, never written twice; a ref mapped with other content is
refused, never overwritten (docs/import.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency


class RecordKind(models.TextChoices):
    CLIENT = "client", _("Client")
    CASE = "case", _("Case")
    ITEM = "item", _("Information item")


class ImportRun(models.Model):
    """One run of an import: who ran it for which agency, from which legacy system, and its counts
    (kept up to date batch by batch, so an interrupted run shows what it committed)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=100, help_text=_("The legacy system the records come from."))
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True,
                                       help_text=_("Empty while running, or if the run was interrupted."))
    lines = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class ImportedRecord(models.Model):
    """A legacy record imported: the object it became, and a digest of the line it came from."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", db_index=False)
    source = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=RecordKind.choices)
    ref = models.CharField(max_length=200)
    object_id = models.BigIntegerField()
    digest = models.CharField(max_length=32, help_text=_("SHA-256 (first 128 bits) of the record as imported."))
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False)
    line = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "source", "kind", "ref"],
                                               name="imports_record_unique_ref")]
