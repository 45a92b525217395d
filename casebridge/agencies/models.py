"""Agencies and the practitioners who work for them."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.vocabulary import AgencyKind, Role, classification_label


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. BE."))
    region = models.CharField(max_length=120, blank=True)
    active = models.BooleanField(default=True)
    clearance_ceiling = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text=_("Highest clearance any of its practitioners may hold; empty = the deployment's highest level. "
                  "Set by a system administrator only."))
    version = models.PositiveIntegerField(default=1, help_text=_("Raised on every administrative edit; stale edits "
                                                              "are refused."))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text=_("Who made the edit that raised the version last."))
    changed_at = models.DateTimeField(null=True, blank=True, help_text=_("When the version was raised last."))
    created_at = models.DateTimeField(auto_now_add=True)
    # Data protection contacts, named in the client's transparency notice (docs/documents.md); kept by
    # the agency's administrator. The agency is the controller of what it records.
    controller_name = models.CharField(
        max_length=200, blank=True, help_text="The legal body that is the controller, where it is not the agency "
                                              "itself (e.g. the ministry a prison belongs to); empty: the agency.")
    controller_contact = models.TextField(max_length=500, blank=True,
                                          help_text="The controller's postal address, e-mail and telephone.")
    dpo_contact = models.TextField(max_length=500, blank=True,
                                   help_text="How to reach the data protection officer: name or function, e-mail, "
                                             "telephone, address.")
    supervisory_authority = models.TextField(
        max_length=500, blank=True, help_text="The supervisory authority a client complains to about this agency, "
                                              "with its address or website.")

    class Meta:
        ordering = ["country", "name"]
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name

    @property
    def controller(self) -> str:
        """Who the client's notice names as controller of what the agency records."""
        return self.controller_name or self.name

    @property
    def ceiling_label(self) -> str:
        if self.clearance_ceiling is None:
            return classification_label(len(settings.CASEBRIDGE_CLASSIFICATION_LABELS) - 1)
        return classification_label(self.clearance_ceiling)


class PractitionerManager(UserManager):
    def create_superuser(self, *args, **kwargs):
        raise TypeError("use `casebridge createadmin`: every account belongs to an agency")


class Practitioner(AbstractUser):
    """A person working for exactly one agency; the account they sign in with."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="practitioners")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    clearance = models.PositiveSmallIntegerField(
        default=0, help_text=_("Highest classification level this person may read (0 = lowest)."))
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    language = models.CharField(
        max_length=10, blank=True,
        help_text=_("The interface language the person chose (a code of LANGUAGES); empty: the browser's."))
    is_service_account = models.BooleanField(
        default=False, help_text=_("A system integration, not a person: no web sign-in, API tokens only."))
    version = models.PositiveIntegerField(default=1, help_text=_("Raised on every administrative edit; stale edits "
                                                              "are refused."))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text=_("Who made the edit that raised the version last."))
    changed_at = models.DateTimeField(null=True, blank=True, help_text=_("When the version was raised last."))

    objects = PractitionerManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def agency_kind(self) -> str:
        return self.agency.kind

    @property
    def agency_active(self) -> bool:
        """Whether the person's agency is active: deactivating it ends all their access."""
        return self.agency.active

    @property
    def agency_country(self) -> str:
        return self.agency.country

    @property
    def clearance_label(self) -> str:
        return classification_label(self.clearance)

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.clearance >= len(settings.CASEBRIDGE_CLASSIFICATION_LABELS):
            raise ValidationError({"clearance": "Unknown classification level."})
