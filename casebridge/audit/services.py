"""Writing and verifying the audit trail.

`record` must run inside the caller's transaction: if the event cannot be written, the operation
it describes rolls back with it. Events are chained: each row's hash covers its fields and the
previous row's hash, so editing, deleting or inserting a row breaks the chain at that point.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from casebridge.audit.models import AuditEvent, Operation

GENESIS = "0" * 64
_LOCK_KEY = 727_274_001  # PostgreSQL advisory lock serialising appends to the chain


def _normalise(value):
    """What the database will give back for `value` (dates as ISO strings, tuples as lists)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def compute_hash(seq, at, operation, purpose, actor_id, actor_username, agency_id, agency_name,
                 object_type, object_id, case_id, recipients, detail, prev_hash) -> str:
    payload = json.dumps(
        [seq, at.isoformat(), operation, purpose, actor_id, actor_username, agency_id, agency_name,
         object_type, object_id, case_id, recipients, detail, prev_hash],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    # SQLite: transactions are IMMEDIATE (see settings), so the writer already holds the lock.


def record(*, actor, operation: Operation, obj=None, object_type: str | None = None,
           object_id=None, case_id=None, purpose: str = "", recipients=(), detail=None) -> AuditEvent:
    """Append one audit event in the current transaction. Raises if there is none."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the operation's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    agency = getattr(actor, "agency", None) if actor is not None else None
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    fields = dict(
        seq=seq,
        at=timezone.now(),
        operation=str(operation),
        purpose=str(purpose or ""),
        actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "",
        agency_id=getattr(agency, "pk", None),
        agency_name=getattr(agency, "name", "") or "",
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        case_id=case_id,
        recipients=_normalise(list(recipients)),
        detail=_normalise(detail or {}),
        prev_hash=prev_hash,
    )
    return AuditEvent.objects.create(hash=compute_hash(**fields), **fields)


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


_FIELDS = ("seq", "at", "operation", "purpose", "actor_id", "actor_username", "agency_id",
           "agency_name", "object_type", "object_id", "case_id", "recipients", "detail", "prev_hash")


def verify(batch_size: int = 5000, progress=None) -> Verification:
    """Recompute the chain from the first row; report the first broken link, if any."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    rows = AuditEvent.objects.order_by("seq").values_list(*_FIELDS, "hash")
    for row in rows.iterator(chunk_size=batch_size):
        values = dict(zip(_FIELDS, row[:-1]))
        stored_hash = row[-1]
        seq = values["seq"]
        if seq != expected_seq:
            return Verification(False, checked, expected_seq,
                                f"event #{expected_seq} is missing (next is #{seq})")
        if values["prev_hash"] != expected_prev:
            return Verification(False, checked, seq, f"event #{seq} does not link to event #{seq - 1}")
        if compute_hash(**values) != stored_hash:
            return Verification(False, checked, seq, f"event #{seq} was altered after it was written")
        expected_prev, expected_seq = stored_hash, seq + 1
        checked += 1
        if progress is not None:
            progress(1)
    return Verification(True, checked)


def verify_and_record(*, actor=None, purpose: str = "") -> Verification:
    """Verify the chain and record that it was verified (audit reads are audited too)."""
    result = verify()
    with transaction.atomic():
        record(actor=actor, operation=Operation.AUDIT_VERIFY, object_type="audit.chain",
               purpose=purpose, detail={"ok": result.ok, "checked": result.checked,
                                        "broken_seq": result.broken_seq})
    return result
