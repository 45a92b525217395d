"""Case conferences, the proposals that call for them, and the actions they set.

The structure of a conference (its kind, when and where, who is invited, who replied) is what the
team needs to organise it; `casebridge.policy.conferences` decides who may know of it (a
confidential kind: its participants and convener only). Every text that says something about the
client is an information item under the sharing rule, as everywhere (docs/architecture.md, "Case
content: one carrier"): an agenda item's heading and notes, a non-user attendee's name, an action,
a progress note, the reason a proposal was dismissed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casebridge.agencies.models import Agency
from casebridge.cases.models import Case
from casebridge.conferences.kinds import Audience
from casebridge.locking import Versioned


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Trigger(models.TextChoices):
    """The moments of a case that call for a conference (docs/conferences.md)."""

    SENTENCING = "sentencing", _("Final sentencing: the client entered custody")
    RISK_ASSESSMENT = "risk_assessment", _("A new risk assessment")
    TEMPORARY_RELEASE = "temporary_release", _("An upcoming temporary leave or move to an open regime")
    RELEASE_APPROACHING = "release_approaching", _("The earliest release date is approaching")
    AFTER_RELEASE = "after_release", _("Three months after release")
    PERIODIC_REVIEW = "periodic_review", _("Periodic review")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONVENED = "convened", _("Convened")
    DISMISSED = "dismissed", _("Dismissed")


class Proposal(models.Model):
    """Casebridge proposing a conference: shown to the case's coordinators until convened or dismissed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conference_proposals")
    kind = models.CharField(max_length=40)
    trigger = models.CharField(max_length=30, choices=Trigger.choices)
    key = models.CharField(max_length=60, help_text=_("What the trigger saw (a phase change, a date, an item), so "
                                                    "the same moment is proposed once."))
    moment = models.DateField(help_text=_("The date of what triggered it."))
    due_on = models.DateField(help_text=_("When the conference should take place at the latest."))
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", help_text=_("Why it was dismissed, carried as an item."))

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "trigger", "key"], name="one_proposal_per_moment")]


class Conference(Versioned):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField(max_length=40)
    confidential = models.BooleanField(default=False, help_text=_("Known to its participants and convener only "
                                                                "(as its kind said when it was convened)."))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    step = models.PositiveSmallIntegerField(default=0, help_text=_("The phase of the conference it is in (its kind's)."))
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    convening_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    follows = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups")

    class Meta:
        ordering = ["starts_at", "id"]

    @property
    def kind_label(self) -> str:
        from casebridge.conferences.kinds import kind

        found = kind(self.kind)
        return str(found.label) if found else self.kind


class Relation(models.TextChoices):
    """Who a non-user attendee is to the client."""

    CLIENT = "client", _("The client")
    FAMILY = "family", _("Family member")
    FRIEND = "friend", _("Friend")
    LAWYER = "lawyer", _("Lawyer")
    MENTOR = "mentor", _("Mentor")
    OTHER = "other", _("Other")


class Reply(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DELEGATED = "delegated", _("Delegated to a colleague")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Apologies")
    ABSENT = "absent", _("Absent")


class Participant(Versioned):
    """A practitioner invited to a conference, or an attendee who is no user (the client, family, a
    lawyer, a mentor) whose name is an item (`name_item`)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="participants")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="conference_invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    relation = models.CharField(max_length=20, choices=Relation.choices, blank=True)
    name_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", help_text=_("A non-user attendee's name, carried as an item."))
    core = models.BooleanField(default=False, help_text=_("Invited because the kind always invites them."))
    reply = models.CharField(max_length=20, choices=Reply.choices, default=Reply.PENDING)
    replied_at = models.DateTimeField(null=True, blank=True)
    delegated_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "practitioner"], name="invited_once"),
            models.CheckConstraint(condition=models.Q(practitioner__isnull=False, relation="")
                                   | (models.Q(practitioner__isnull=True, name_item__isnull=False)
                                      & ~models.Q(relation="")),
                                   name="participant_is_user_or_named_attendee"),
        ]


class AgendaEntry(models.Model):
    """One item of a conference's agenda: its heading and notes are an item; `audience` narrows who it
    is for (the sharing rule decides the rest)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    audience = models.CharField(max_length=20, choices=Audience.CHOICES)
    text_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+")
    linked = models.ManyToManyField("items.InformationItem", blank=True, related_name="agenda_entries")
    reviews_actions = models.BooleanField(default=False, help_text=_("The follow-up's first item: the open actions."))

    class Meta:
        ordering = ["position", "id"]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Action(Versioned):
    """Something a conference asked an agency (and one of its people) to do by a date. What is to be
    done is an item (`text_item`); an action whose text a reader may not read is not shown to them."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="actions")
    text_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conference_actions")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]

    def overdue(self, today) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today


class ActionUpdate(models.Model):
    """Progress on an action: its status then, and the owner's note (an item)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the chair")


class Minutes(models.Model):
    """One version of a conference's minutes. A version is never edited: a correction is a new version,
    and the chair approves one. Every text is an item: the notes, the security part (at a higher
    classification, for the cleared), and the executive summary kept for subject access (no third
    parties, nothing confidential)."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    notes_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+")
    security_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    summary_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conference", "number"]
        constraints = [models.UniqueConstraint(fields=["conference", "number"], name="one_minutes_number")]


class ConferenceDecision(models.Model):
    """A decision of a conference, recorded with its minutes: what was decided, why, the options
    considered and any dissent (a defensible decision). Each part is an item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="decisions")
    position = models.PositiveSmallIntegerField()
    text_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+")
    rationale_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+")
    options_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    dissent_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["minutes", "position"]


class MinutesNote(models.Model):
    """The notes on one agenda item in one version of the minutes: an item, at least as classified as
    the agenda item it is about."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="item_notes")
    entry = models.ForeignKey(AgendaEntry, on_delete=models.PROTECT, related_name="+")
    text_item = models.ForeignKey("items.InformationItem", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["minutes", "entry__position", "id"]
