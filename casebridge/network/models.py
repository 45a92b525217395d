"""The support network around a client: the people and organisations that hold them, pull them, or both.

A tie is case content. Its name and notes are an item of the recorder's agency (`text_item`,
`Carrier.NETWORK_TIE`: category family and social network, RESTRICTED unless chosen otherwise): the
item's title is the name, its body the name again, a blank line and the notes, so that the item read
anywhere on its own (an export, a subject access answer) still says whom it is about. A tie whose
item a reader may not read is not shown to them at all: not its name, relation, stance or agency.
Ending a tie keeps it, with when, by whom and why; changes raise `version` (compare and set).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency
from casebridge.cases.models import Case
from casebridge.locking import Versioned


class Kind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Relation(models.TextChoices):
    """What the person or organisation is to the client; the picture groups ties in this order."""

    FAMILY = "family", _("Family")
    PARTNER = "partner", _("Partner")
    FRIEND = "friend", _("Friend")
    MENTOR = "mentor", _("Mentor")
    COMMUNITY_ORGANISATION = "community_organisation", _("Community organisation")
    FAITH_ORGANISATION = "faith_organisation", _("Faith organisation")
    EMPLOYER = "employer", _("Employer")
    EDUCATION = "education", _("Education")
    SUPPORT_SERVICE = "support_service", _("Support service")
    SCENE_CONTACT = "scene_contact", _("Scene contact")
    OTHER = "other", _("Other")


class Stance(models.TextChoices):
    """Which way the tie pulls: towards a life without violence, both ways, or back to the scene."""

    SUPPORTIVE = "supportive", _("Supportive")
    AMBIVALENT = "ambivalent", _("Ambivalent")
    OPPOSING = "opposing", _("Opposing")


class Strength(models.IntegerChoices):
    WEAK = 1, _("Weak")
    MODERATE = 2, _("Moderate")
    STRONG = 3, _("Strong")


class EndReason(models.TextChoices):
    CONTACT_ENDED = "contact_ended", _("Contact ended")
    MOVED_AWAY = "moved_away", _("Moved away")
    DIED = "died", _("Died")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("No longer relevant to the plan")
    RECORDED_IN_ERROR = "recorded_in_error", _("Recorded in error")


class Tie(Versioned):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="network_ties")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               help_text=_("The recorder's agency, which alone changes or ends the tie."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    relation = models.CharField(max_length=30, choices=Relation.choices)
    stance = models.CharField(max_length=20, choices=Stance.choices)
    strength = models.PositiveSmallIntegerField(choices=Strength.choices)
    text_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+",
                                  help_text=_("Name and notes, carried as an item: it decides who sees the tie."))
    recorded_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["id"]

    @property
    def current(self) -> bool:
        return self.ended_at is None
