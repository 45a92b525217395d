"""Row locks for read-modify-write, always taken in one order, so no two requests can deadlock.

A service that reads a record to decide how to change it locks the record first, then reads it
again: under PostgreSQL's READ COMMITTED every statement sees what is committed when it starts,
so the read after the lock sees the last committed change, and a check against `expected_version`
(or against a status, a signature, a membership) cannot be overtaken before the write. SQLite
needs nothing more: its transactions are IMMEDIATE (settings.py), so a writer already holds the
database's one write lock when it reads.

The order (docs/architecture.md, "Concurrency and lock order"); a transaction takes the locks it
needs in this order and never goes back up the list:

1. agency        `agencies.Agency` (its clearance ceiling caps its practitioners)
2. practitioner  `agencies.Practitioner`
3. API token     `accounts.ApiToken` (revocation; the last-used stamp is written after commit)
4. case          `cases.Case`: stands for its client, memberships, team and phase changes, and its
                 conference proposals; then an agency's CaseReflector on it (`reflector.Reflector`:
                 its sessions, goals and shared summaries); then its conference (`conferences.Conference`: participants,
                 replies, agenda), then an action (`conferences.Action`); or a support-network
                 tie (`network.Tie`)
5. item          `items.InformationItem`: stands for its versions, disclosures, withholding, release
6. agreement     `sharing.Agreement`: stands for all its versions and their parties
7. consent       `sharing.Consent`
8. audit chain   appended last, just before commit

Locks are `FOR NO KEY UPDATE`: rows that merely reference the locked one (an item of a locked
case, an event naming a locked practitioner) can still be inserted, since they take only the key
share lock, which this one does not block.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, QuerySet
from django.utils import timezone


def locked(queryset: QuerySet) -> QuerySet:
    """`queryset` whose rows stay locked by this transaction until it ends (PostgreSQL; on SQLite the
    transaction already holds the write lock). Only the queryset's own table is locked."""
    return queryset.select_for_update(of=("self",), no_key=True)


def lock_rows(queryset: QuerySet) -> list:
    """Lock the rows of `queryset` (in primary key order, so two lockers of several rows agree) and
    return their primary keys. Read them afterwards with the joins and prefetches you need: the
    read then sees the last committed state."""
    return list(locked(queryset).order_by("pk").values_list("pk", flat=True))


def compare_and_set(record, actor, **fields) -> bool:
    """Write `fields` on a versioned record (with `version`, `changed_by`, `changed_at`) and raise its
    version, only if the version is still the one read: `UPDATE … WHERE pk = … AND version = <read>`.
    False when it is not (the caller refuses: never overwrite); the record in memory follows."""
    now = timezone.now()
    written = type(record)._base_manager.filter(pk=record.pk, version=record.version).update(
        version=F("version") + 1, changed_by=actor, changed_at=now, **fields)
    if written != 1:
        return False
    for name, value in fields.items():
        setattr(record, name, value)
    record.version, record.changed_by, record.changed_at = record.version + 1, actor, now
    return True


class Versioned(models.Model):
    """A record changed by compare and set (casebridge.locking.compare_and_set): who raised its version last."""

    version = models.PositiveIntegerField(default=1)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
