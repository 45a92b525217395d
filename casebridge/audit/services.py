"""Writing and verifying the audit trail.

`record` must run inside the caller's transaction: if the event cannot be written, the operation
it describes rolls back with it. Events are chained: each row's hash covers its fields and the
previous row's hash, so editing, deleting or inserting a row breaks the chain at that point.
"""

import json
import json.scanner
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from casebridge.audit import appending
from casebridge.audit.appending import Entry, reads_of
from casebridge.audit.chain import GENESIS, compute_hash, hash_values as _hash
from casebridge.audit.models import AuditEvent, AuditEventAgency, Operation

__all__ = ["GENESIS", "compute_hash", "record", "record_many", "verify", "verify_and_record", "Verification"]


def _normalise(value):
    """What the database will give back for `value` (dates as ISO strings, tuples as lists)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _concerned(items) -> dict[int, list[int]]:
    """{originating agency id: [item ids]} of the items an event concerns, as stored."""
    found: dict[int, set[int]] = {}
    for item in items:
        found.setdefault(int(item.originating_agency_id), set()).add(int(item.pk))
    return {agency: sorted(ids) for agency, ids in found.items()}


def record(*, actor, operation: Operation, obj=None, object_type: str | None = None, object_id=None,
           case_id=None, purpose: str = "", recipients=(), detail=None, concerning=()) -> AuditEvent:
    """Record one audit event in the current transaction. Raises if there is none.

    The event is appended to the chain with the transaction's other events just before it commits
    (casebridge.audit.appending); if it cannot be, the transaction rolls back. The returned event
    gets its place in the chain (seq, hash) then.

    An event holds references, never content: ids, hashes, bases, recipients; free text is kept
    out or replaced by `audit.fingerprint`. `concerning` are the items (anything with `pk` and
    `originating_agency_id`) the event reads, lists, finds, discloses, exports or uses: their
    originating agencies' DPOs can then verify every consultation of them (Directive 2016/680
    Art. 25), and see only their own items' references in another agency's event."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the operation's transaction")
    fields = _fields_of(dict(actor=actor, operation=operation, obj=obj, object_type=object_type,
                             object_id=object_id, case_id=case_id, purpose=purpose),
                        timezone.now(), _normalise(list(recipients)), _normalise(_with_actor_kind(actor, detail)))
    event = AuditEvent(**fields)
    appending.enqueue([_entry(fields, _concerned(concerning), event)])
    return event


def _entry(fields: dict, concerns: dict, event=None) -> Entry:
    reads = reads_of(fields["operation"], fields["object_type"], fields["object_id"], fields["detail"])
    return Entry(fields=fields, concerns=concerns, reads=reads, event=event)


def _with_actor_kind(actor, detail) -> dict:
    """A service account acts for a system, not a person: every event it causes says so."""
    if getattr(actor, "is_service_account", False):
        return {**(detail or {}), "actor_kind": "service_account"}
    return detail or {}


def record_many(events) -> int:
    """Record many events at once (bulk loads, imports), in the current transaction.

    Each event is a dict of `record`'s keyword arguments (actor, operation, obj or object_type and
    object_id, case_id, purpose, recipients, detail, concerning). The events are chained exactly as one
    `record` call after another would chain them, stamped with one time (they are one operation),
    and appended with the transaction's other events. Returns how many were recorded."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the operation's transaction")
    events = list(events)
    if not events:
        return 0
    at = timezone.now()
    # One JSON round trip for the whole batch gives what the database will give back for every
    # event's recipients and detail, at a fraction of the cost of one per event.
    payloads = _normalise([[list(e.get("recipients", ())), _with_actor_kind(e.get("actor"), e.get("detail"))]
                           for e in events])
    appending.enqueue([_entry(_fields_of(event, at, recipients, detail), _concerned(event.get("concerning", ())))
                       for event, (recipients, detail) in zip(events, payloads)])
    return len(events)


def _fields_of(event: dict, at, recipients, detail) -> dict:
    """An event's fields but its place in the chain (seq, prev_hash, hash)."""
    actor, obj = event.get("actor"), event.get("obj")
    object_type, object_id = event.get("object_type"), event.get("object_id")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    agency = getattr(actor, "agency", None) if actor is not None else None
    return dict(
        at=at, operation=str(event["operation"]), purpose=str(event.get("purpose") or ""),
        actor_id=getattr(actor, "pk", None), actor_username=getattr(actor, "username", "") or "",
        agency_id=getattr(agency, "pk", None), agency_name=getattr(agency, "name", "") or "",
        object_type=object_type or "", object_id="" if object_id is None else str(object_id),
        case_id=event.get("case_id"), recipients=recipients, detail=detail)


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
    appending.flush()
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    rehash = _Rehash()
    for rows in _stored_events(batch_size):
        concerns = _stored_concerns(rows[0][0], rows[-1][0])
        for row in rows:
            seq, prev_hash, stored_hash = row[0], row[13], row[14]
            if seq != expected_seq:
                return Verification(False, checked, expected_seq,
                                    f"event #{expected_seq} is missing (next is #{seq})")
            if prev_hash != expected_prev:
                return Verification(False, checked, seq, f"event #{seq} does not link to event #{seq - 1}")
            if rehash(row, concerns.get(seq)) != stored_hash:
                return Verification(False, checked, seq, f"event #{seq} was altered after it was written")
            expected_prev, expected_seq = stored_hash, seq + 1
            checked += 1
        if progress is not None:
            progress(len(rows))
    return Verification(True, checked)


def _stored_events(batch_size: int):
    """Every event as stored, `_FIELDS` then the hash, in chain order, a batch at a time.

    Read with plain SQL, keyset-paginated on the unique seq: going through the ORM spends most of
    verification's time converting values that are only hashed again."""
    ops, meta = connection.ops, AuditEvent._meta
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in (*_FIELDS, "hash"))
    select = f"SELECT {columns} FROM {ops.quote_name(meta.db_table)}"
    seq_column = ops.quote_name(meta.get_field("seq").column)
    last = None
    with connection.cursor() as cursor:
        while True:
            if last is None:
                cursor.execute(f"{select} ORDER BY {seq_column} LIMIT %s", [batch_size])
            else:
                cursor.execute(f"{select} WHERE {seq_column} > %s ORDER BY {seq_column} LIMIT %s", [last, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][0]


def _stored_concerns(first: int, last: int) -> dict[int, dict]:
    """What each event from `first` to `last` concerns, as stored: {seq: {agency id: item ids}}."""
    found: dict[int, dict] = {}
    rows = AuditEventAgency.objects.filter(event_id__gte=first, event_id__lte=last)
    for seq, agency_id, items in rows.values_list("event_id", "agency_id", "items").iterator(chunk_size=5000):
        found.setdefault(seq, {})[agency_id] = items if isinstance(items, list) else [items]
    return found


class _Rehash:
    """An event's hash recomputed from its stored row, with each value read back exactly as the
    ORM reads it (the backend's datetime conversion, JSONField's decoding), so verification
    hashes what `record` hashed. A value that cannot be read back counts as altered."""

    def __init__(self):
        self.zone = connection.timezone if settings.USE_TZ else None
        self.last_at = self.last_iso = None
        self.scan = json.scanner.make_scanner(json.JSONDecoder())
        self.decoded: dict[str, object] = {}

    def _iso(self, value) -> str:
        if isinstance(value, str) and value == self.last_at:  # events written together share their time
            return self.last_iso
        stamp = value if isinstance(value, datetime) else parse_datetime(value)
        if self.zone is not None and timezone.is_naive(stamp):
            stamp = timezone.make_aware(stamp, self.zone)
        self.last_at, self.last_iso = value, stamp.isoformat()
        return self.last_iso

    def _json(self, value):
        if not isinstance(value, str):
            return value if not isinstance(value, (bytes, bytearray)) else self._loads(value)
        # The same text always decodes to the same value, and many events share theirs ("[]", and
        # the details of events recorded together): decode each text once. Values are only read.
        found = self.decoded.get(value, self)
        if found is self:
            found = self._decode(value)
            if len(self.decoded) < 4096:
                self.decoded[value] = found
        return found

    def _decode(self, value: str):
        try:  # the whole text is one JSON value, as stored: json.loads's answer without its detours
            found, end = self.scan(value, 0)
            if end == len(value):
                return found
        except (StopIteration, json.JSONDecodeError):
            pass
        return self._loads(value)

    @staticmethod
    def _loads(value):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value

    def __call__(self, row, concerns=None) -> str | None:
        (seq, at, operation, purpose, actor_id, actor_username, agency_id, agency_name, object_type, object_id,
         case_id, recipients, detail, prev_hash, _) = row
        try:
            return _hash(seq, self._iso(at), operation, purpose, actor_id, actor_username, agency_id, agency_name,
                         object_type, object_id, case_id, self._json(recipients), self._json(detail), prev_hash,
                         concerns=concerns)
        except (TypeError, ValueError, AttributeError):
            return None


def verify_and_record(*, actor=None, purpose: str = "", progress=None, detail=None) -> Verification:
    """Verify the chain and record that it was verified (audit reads are audited too)."""
    result = verify(progress=progress)
    with transaction.atomic():
        record(actor=actor, operation=Operation.AUDIT_VERIFY, object_type="audit.chain", purpose=purpose,
               detail={**(detail or {}), "ok": result.ok, "checked": result.checked,
                       "broken_seq": result.broken_seq})
    return result
