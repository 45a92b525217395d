"""Sharing agreements between agencies, client consent, and one-off disclosures."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency
from casebridge.cases.models import Client
from casebridge.items.models import InformationItem
from casebridge.vocabulary import AgencyKind, Category, Purpose, classification_label


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (awaiting sign-off)")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    SUPERSEDED = "superseded", _("Superseded by a newer version")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn (never signed)")


class Agreement(models.Model):
    """A sharing agreement's lasting identity; its terms live in numbered versions."""

    title = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"Agreement {self.pk}: {self.title}"


class AgreementVersion(models.Model):
    """The terms of an agreement: legal basis, purposes, rules, validity, and the parties' sign-off.

    It takes effect only when an administrator of every party has signed it; a new version
    supersedes the old one when it takes effect.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    legal_basis = models.TextField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text=_("Last day the agreement applies."))
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True)
    # Who stopped the sharing: only this party lifts the suspension (policy.decide_resume).
    suspended_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+")

    class Meta:
        ordering = ["agreement_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="unique_agreement_version")]

    def __str__(self):
        return f"agreement {self.agreement_id} v{self.number}"

    def in_force(self, today: date) -> bool:
        return (self.status == AgreementStatus.ACTIVE and self.valid_from <= today
                and (self.valid_to is None or self.valid_to >= today))

    def effective_status(self, today: date) -> str:
        if self.status == AgreementStatus.ACTIVE and self.valid_to is not None and self.valid_to < today:
            return AgreementStatus.EXPIRED
        return self.status


class AgreementParty(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="parties")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agreement_parties")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "agency"], name="unique_agreement_party")]


class AgreementPurpose(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="purposes")
    purpose = models.CharField(max_length=40, choices=Purpose.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "purpose"], name="unique_agreement_purpose")]


class AgreementRule(models.Model):
    """One direction of an agreement for one category: originator → recipient, up to a level."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="rules")
    originator = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=40, choices=Category.choices)
    max_classification = models.PositiveSmallIntegerField()
    consent_required = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["recipient", "originator", "category"], name="rule_direction")]

    @property
    def max_classification_label(self) -> str:
        return classification_label(self.max_classification)


class Consent(models.Model):
    """A client's consent for a recipient (agency or agency kind) × categories × purpose.

    Its evidence (the note and the signed form in `document`) is read only by those
    casebridge.policy.consents allows: the lead agency, the coordinator, the recipient, the recorder.
    """

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recipient_kind = models.CharField(max_length=40, choices=AgencyKind.choices, blank=True)
    purpose = models.CharField(max_length=40, choices=Purpose.choices)
    evidence = models.TextField(blank=True, help_text=_("How and where consent was given; or attach the signed form."))
    given_on = models.DateField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdrawal_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The recorder's agency when it was recorded: people move, the accountability stays.
    recorder_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(recipient_agency__isnull=False) & models.Q(recipient_kind=""))
            | (models.Q(recipient_agency__isnull=True) & ~models.Q(recipient_kind="")),
            name="consent_names_one_recipient")]

    @property
    def recipient_label(self) -> str:
        if self.recipient_agency_id:
            return self.recipient_agency.name
        return _("any %(kind)s") % {"kind": AgencyKind(self.recipient_kind).label}


class ConsentDocument(models.Model):
    """The signed consent form, stored in the database like an item attachment (size-limited,
    type-checked by content, with its SHA-256), so it commits or rolls back with the consent."""

    consent = models.OneToOneField(Consent, on_delete=models.CASCADE, related_name="document")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class ConsentCategory(models.Model):
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=40, choices=Category.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consent", "category"], name="unique_consent_category")]


class Disclosure(models.Model):
    """A one-off, justified release of one item to one agency by its originator."""

    item = models.ForeignKey(InformationItem, on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="received_disclosures")
    justification = models.TextField()
    allow_decision_use = models.BooleanField(
        default=False, help_text=_("The originator lifts NO-DECISION / intelligence for this recipient's decisions."))
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-disclosed_at"]
        indexes = [models.Index(fields=["item", "recipient"], name="disclosure_item_recipient")]
