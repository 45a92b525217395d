"""Information items on a case: marked, versioned, attachable, derivable (tearlines)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency
from casebridge.cases.models import Case
from casebridge.vocabulary import Category, classification_label


class Nature(models.TextChoices):
    """Directive 2016/680 Art. 7: keep facts apart from assessments."""

    FACT = "fact", _("Fact")
    ASSESSMENT = "assessment", _("Assessment")
    OPINION = "opinion", _("Opinion")


class SourceReliability(models.TextChoices):
    A = "A", _("A — reliable")
    B = "B", _("B — mostly reliable")
    C = "C", _("C — not reliable")
    X = "X", _("X — cannot be judged")


class InformationAccuracy(models.IntegerChoices):
    KNOWN_TRUE = 1, _("1 — known to be true")
    KNOWN_TO_SOURCE = 2, _("2 — known personally to the source")
    NOT_KNOWN_TO_SOURCE = 3, _("3 — not known personally to the source")
    CANNOT_BE_JUDGED = 4, _("4 — cannot be judged")


class Carrier(models.TextChoices):
    """What an item carries. Ordinary items are records; the others are the free text of the case
    record (handover notes, the summary, decision texts ...) held as items, so that one rule, one
    decision and one filter govern every piece of case content (docs/architecture.md)."""

    RECORD = "record", _("Information item")
    CASE_SUMMARY = "case_summary", _("Case summary")
    RESIDENCY_NOTE = "residency_note", _("Residency note")
    PHASE_HANDOVER = "phase_handover", _("Handover note of a phase change")
    MEMBERSHIP_RESPONSIBILITIES = "membership_responsibilities", _("Responsibilities of a member agency")
    MEMBERSHIP_END = "membership_end", _("Reason a membership ended")
    TEAM_HANDOVER = "team_handover", _("Handover note of a team member")
    DECISION_TEXT = "decision_text", _("Text of a formal decision")
    CONFERENCE_AGENDA = "conference_agenda", _("Agenda item of a case conference")
    CONFERENCE_ATTENDEE = "conference_attendee", _("Name of a conference attendee who is not a user")
    CONFERENCE_ACTION = "conference_action", _("Action set at a case conference")
    CONFERENCE_NOTE = "conference_note", _("Note on a conference proposal or action")
    CONFERENCE_MINUTES = "conference_minutes", _("Minutes of a case conference")
    CONFERENCE_DECISION = "conference_decision", _("Decision of a case conference")
    CONFERENCE_SUMMARY = "conference_summary", _("Executive summary of a conference's minutes")
    ASSESSMENT = "assessment", _("Formulation of a structured assessment")
    REFLECTOR_SESSION = "reflector_session", _("Session of a CaseReflector")
    REFLECTOR_GOAL = "reflector_goal", _("Goal of a CaseReflector")
    NETWORK_TIE = "network_tie", _("Person or organisation in the support network")


# What a carried text is about when its writer does not choose (DESIGN.md §3 categories), its
# nature (Directive 2016/680 Art. 7) and its classification. Handover notes of phase changes speak
# mostly of the judgment, the sentence and its implementation, so offence and sentence is what a
# practitioner expects; the writer can choose another category (e.g. health) on the transition
# form. Texts are RESTRICTED, the conservative level, except a member agency's responsibilities:
# what an agency is asked to do is disclosed to it, so it is OPEN for every practitioner there.
RESTRICTED = 1
CARRIER_DEFAULTS: dict[str, tuple[str, str, int]] = {
    Carrier.CASE_SUMMARY: (Category.IDENTITY_AND_STATUS, Nature.FACT, RESTRICTED),
    Carrier.RESIDENCY_NOTE: (Category.LEGAL_AND_RESIDENCY, Nature.FACT, RESTRICTED),
    Carrier.PHASE_HANDOVER: (Category.OFFENCE_AND_SENTENCE, Nature.ASSESSMENT, RESTRICTED),
    Carrier.MEMBERSHIP_RESPONSIBILITIES: (Category.PROGRAMME_AND_INTERVENTION, Nature.FACT, 0),
    Carrier.MEMBERSHIP_END: (Category.PROGRAMME_AND_INTERVENTION, Nature.FACT, RESTRICTED),
    Carrier.TEAM_HANDOVER: (Category.PROGRAMME_AND_INTERVENTION, Nature.ASSESSMENT, RESTRICTED),
    Carrier.DECISION_TEXT: (Category.OFFENCE_AND_SENTENCE, Nature.FACT, RESTRICTED),
    Carrier.CONFERENCE_AGENDA: (Category.CONFERENCE_RECORD, Nature.FACT, RESTRICTED),
    Carrier.CONFERENCE_ATTENDEE: (Category.FAMILY_AND_SOCIAL_NETWORK, Nature.FACT, RESTRICTED),
    Carrier.CONFERENCE_ACTION: (Category.CONFERENCE_RECORD, Nature.FACT, RESTRICTED),
    Carrier.CONFERENCE_NOTE: (Category.CONFERENCE_RECORD, Nature.FACT, RESTRICTED),
    Carrier.CONFERENCE_MINUTES: (Category.CONFERENCE_RECORD, Nature.FACT, RESTRICTED),
    Carrier.CONFERENCE_DECISION: (Category.CONFERENCE_RECORD, Nature.ASSESSMENT, RESTRICTED),
    Carrier.CONFERENCE_SUMMARY: (Category.CONFERENCE_RECORD, Nature.FACT, 0),
    Carrier.ASSESSMENT: (Category.RISK_AND_NEEDS_ASSESSMENT, Nature.ASSESSMENT, RESTRICTED),
    Carrier.REFLECTOR_SESSION: (Category.PROGRAMME_AND_INTERVENTION, Nature.ASSESSMENT, RESTRICTED),
    Carrier.REFLECTOR_GOAL: (Category.PROGRAMME_AND_INTERVENTION, Nature.FACT, RESTRICTED),
    Carrier.NETWORK_TIE: (Category.FAMILY_AND_SOCIAL_NETWORK, Nature.ASSESSMENT, RESTRICTED),
}

# Texts of conferences are shown with their conference, proposal or action (casebridge.conferences).
CONFERENCE_CARRIERS = frozenset({Carrier.CONFERENCE_AGENDA, Carrier.CONFERENCE_ATTENDEE, Carrier.CONFERENCE_ACTION,
                                 Carrier.CONFERENCE_NOTE, Carrier.CONFERENCE_MINUTES, Carrier.CONFERENCE_DECISION,
                                 Carrier.CONFERENCE_SUMMARY})


# Source and method say who told the originator and how: they are read from the database for the
# originating agency only (casebridge.items.services.load_source_and_method), never for anyone else.
SOURCE_FIELDS = ("source_text", "method_text")


class ItemQuerySet(models.QuerySet):
    def without_source(self, relation: str = "") -> "ItemQuerySet":
        """Also leave out the source and method of a related item selected with select_related."""
        return self.defer(*(f"{relation}__{name}" if relation else name for name in SOURCE_FIELDS))


class ItemManager(models.Manager.from_queryset(ItemQuerySet)):
    """Every query of items leaves source and method in the database unless it asks for them."""

    def get_queryset(self):
        return super().get_queryset().defer(*SOURCE_FIELDS)


class InformationItem(models.Model):
    """One piece of information, authored by a practitioner of its originating agency.

    A derivative (tearline) is an item too, with `derived_from` set: recipients read it under the
    same rule with its own, lower markings, and never its original's source or method.
    """

    # No index of their own: item_case_timeline and item_originator_category begin with them and serve
    # every lookup by case or agency (PROTECT's included); each index is written for every item.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="items", db_index=False)
    originating_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="items", db_index=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="items")
    category = models.CharField(max_length=40, choices=Category.choices)
    nature = models.CharField(max_length=20, choices=Nature.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    fact_date = models.DateField()
    classification = models.PositiveSmallIntegerField(default=0)
    orcon = models.BooleanField("ORCON", default=False)
    no_decision = models.BooleanField("NO-DECISION", default=False)
    no_cross_border = models.BooleanField("NO-CROSS-BORDER", default=False)
    intelligence = models.BooleanField(default=False)
    source_reliability = models.CharField(max_length=1, choices=SourceReliability.choices, blank=True)
    information_accuracy = models.PositiveSmallIntegerField(choices=InformationAccuracy.choices, null=True, blank=True)
    # Visible to the originating agency only, everywhere, always.
    source_text = models.TextField(blank=True)
    method_text = models.TextField(blank=True)
    carrier = models.CharField(max_length=40, choices=Carrier.choices, default=Carrier.RECORD)
    derived_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="derivatives",
                                     db_index=False)  # indexed where set (Meta.indexes): most items are not derived
    # A derivative inherits its original's intelligence flag, NO-DECISION and NO-CROSS-BORDER
    # unless the originator lifted them when deriving it, with a reason (originator only).
    lifted_intelligence = models.BooleanField(default=False)
    lifted_no_decision = models.BooleanField(default=False)
    lifted_no_cross_border = models.BooleanField(default=False)
    lift_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", db_index=False)  # indexed where set, as derived_from
    retraction_reason = models.TextField(blank=True)

    objects = ItemManager()

    class Meta:
        # Related managers (derivatives, decision bases) and plain relations defer source and method too.
        base_manager_name = "objects"
        ordering = ["-fact_date", "-id"]
        indexes = [
            models.Index(fields=["case", "fact_date", "id"], name="item_case_timeline"),
            models.Index(fields=["originating_agency", "category"], name="item_originator_category"),
            models.Index(fields=["case", "carrier"], name="item_case_carrier"),
            models.Index(fields=["derived_from"], name="item_derived_from", condition=Q(derived_from__isnull=False)),
            models.Index(fields=["retracted_by"], name="item_retracted_by", condition=Q(retracted_by__isnull=False)),
        ]

    def __str__(self):
        return self.title

    @property
    def classification_label(self) -> str:
        return classification_label(self.classification)

    @property
    def handling_codes(self) -> list[str]:
        codes = [("ORCON", self.orcon), ("NO-DECISION", self.no_decision), ("NO-CROSS-BORDER", self.no_cross_border)]
        return [code for code, on in codes if on]

    @property
    def carried(self) -> bool:
        """Whether the item holds a text of the case record rather than being a record of its own."""
        return self.carrier != Carrier.RECORD

    @property
    def lifted_markings(self) -> list[str]:
        """The markings of its original the originator lifted on this derivative."""
        return [name for name in ("intelligence", "no_decision", "no_cross_border") if getattr(self, f"lifted_{name}")]

    @property
    def is_derivative(self) -> bool:
        return self.derived_from_id is not None

    @property
    def retracted(self) -> bool:
        return self.retracted_at is not None


class ItemVersion(models.Model):
    """The item as it stood before an amendment: history is kept, never overwritten."""

    item = models.ForeignKey(InformationItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    change_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="unique_item_version")]


class Attachment(models.Model):
    """A file on an item, stored in the database so it commits or rolls back with the item."""

    item = models.ForeignKey(InformationItem, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "id"]
