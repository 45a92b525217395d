"""Data protection records: items withheld from subject access, with the legal reason."""

from django.conf import settings
from django.db import models

from casebridge.items.models import InformationItem


class Withholding(models.Model):
    """An item left out of the client's subject access export, and why (shown to the DPO only)."""

    item = models.OneToOneField(InformationItem, on_delete=models.PROTECT, related_name="withholding")
    legal_reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()


class SubjectAccessRelease(models.Model):
    """The originating agency lets the agencies that received an item answer subject access with it.

    Until then a receiving agency's data protection officer lists the item as awaiting the
    originator, and leaves it out of their export."""

    item = models.OneToOneField(InformationItem, on_delete=models.PROTECT, related_name="subject_access_release")
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField()
