"""Audit events: one append-only, hash-chained row per operation (Directive 2016/680 Art. 25)."""

from django.db import models

from casebridge.vocabulary import Purpose


class Operation(models.TextChoices):
    CREATE = "create", "Create"
    READ = "read", "Read"
    LIST = "list", "List"
    UPDATE = "update", "Update"
    DISCLOSE = "disclose", "Disclose"
    LOGIN = "login", "Login"
    LOGIN_FAILED = "login_failed", "Failed login"
    LOGOUT = "logout", "Logout"
    LOCKED_OUT = "locked_out", "Locked out"
    MFA_ENROLLED = "mfa_enrolled", "Second factor enrolled"
    MFA_FAILED = "mfa_failed", "Second factor refused"
    TOKEN_ISSUED = "token_issued", "API token issued"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    AUDIT_READ = "audit_read", "Audit log consulted"
    AUDIT_VERIFY = "audit_verify", "Audit chain verified"
    SEARCH = "search", "Search"
    LOOKUP = "lookup", "Person lookup (hit / no hit)"
    EXPORT = "export", "Export"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("audit events are append-only")

    def delete(self):
        raise TypeError("audit events are append-only")


class TrailManager(models.Manager.from_queryset(AppendOnlyQuerySet)):
    """Reading the trail first appends the events the current transaction still holds back
    (casebridge.audit.appending), so whoever writes then reads sees their own events."""

    def get_queryset(self):
        from casebridge.audit import appending

        appending.flush()
        return super().get_queryset()


class AppendOnly(models.Model):
    """A row of the trail: written once, never changed or deleted (database triggers refuse too),
    read through `TrailManager`."""

    objects = TrailManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("audit events are append-only")


class AuditEvent(AppendOnly):
    seq = models.BigIntegerField(unique=True, help_text="Position in the chain, from 1.")
    at = models.DateTimeField(db_index=True)
    operation = models.CharField(max_length=32, choices=Operation.choices)
    purpose = models.CharField(max_length=40, choices=Purpose.choices, blank=True)
    # Snapshots, not foreign keys: the trail must outlive renames and stay readable alone.
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    agency_id = models.BigIntegerField(null=True, db_index=True)
    agency_name = models.CharField(max_length=200, blank=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    case_id = models.BigIntegerField(null=True, db_index=True)
    recipients = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} {self.operation} {self.object_type}:{self.object_id} by {self.actor_username}"


class AuditEventAgency(AppendOnly):
    """One agency whose content an event concerns, and which of its items: the originator of an
    item the event read, listed, found, disclosed, exported or used. It lets an agency's DPO find
    every consultation of their agency's items with a plain indexed join on both engines, and shows
    them only their own items' references in another agency's event. The rows are part of the
    event's hash (see services.compute_hash): removing, adding or changing one is found by
    `audit verify`."""

    event = models.ForeignKey(AuditEvent, to_field="seq", db_column="event_seq", on_delete=models.PROTECT,
                              related_name="concerned_agencies")
    agency_id = models.BigIntegerField(db_index=True)  # a snapshot id, like AuditEvent.agency_id
    items = models.JSONField(default=list, blank=True)  # ids of that agency's items the event concerns

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "agency_id"], name="audit_event_agency_once")]


class ItemRead(AppendOnly):
    """One item an event showed its reader, and on which basis: a read of the item, or a listing or
    search that showed it. Written with the event, in the same transaction (casebridge.audit.
    appending.reads_of derives them from the event), so "who read this item", retraction notices
    and reports are an indexed lookup by item. The event is the record; these rows index it."""

    event = models.ForeignKey(AuditEvent, to_field="seq", db_column="event_seq", on_delete=models.PROTECT,
                              related_name="item_reads")
    item_id = models.BigIntegerField()  # a snapshot id: the trail outlives the item
    basis = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["item_id", "event"], name="audit_itemread_item")]
        constraints = [models.UniqueConstraint(fields=["event", "item_id"], name="audit_itemread_once")]
