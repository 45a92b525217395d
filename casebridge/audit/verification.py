"""Verifying the audit trail: the hash chain, and the chain against the signed checkpoints.

`verify` recomputes the chain (from the first event, or from a checkpointed event) and reports the
first broken link. `verify_trail` first checks every checkpoint (casebridge.audit.checkpoints)
against the trail: an event a checkpoint vouches for must still be there with the hash it was
signed with. That finds what the chain alone cannot: the newest events deleted (truncation), and a
row rewritten with every later hash recomputed (re-chaining) before the last checkpoint.
"""

import json
import json.scanner
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from casebridge.audit import appending, checkpoints, stored_text
from casebridge.audit.chain import GENESIS, hash_values as _hash
from casebridge.audit.checkpoints import Checkpoint, CheckpointError
from casebridge.audit.stored_text import Place
from casebridge.audit.models import AuditEvent, AuditEventAgency, Operation
from casebridge.audit.services import record


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    head: tuple[int, str] | None = None  # (seq, hash) of the newest event
    checkpoint: Checkpoint | None = None  # the newest checkpoint, found to agree with the trail
    signed: Checkpoint | None = None  # the checkpoint written after this verification
    start: int = 1  # the first event whose hash was recomputed


_FIELDS = ("seq", "at", "operation", "purpose", "actor_id", "actor_username", "agency_id",
           "agency_name", "object_type", "object_id", "case_id", "recipients", "detail", "prev_hash")


def verify(batch_size: int = 5000, progress=None, since: Checkpoint | None = None) -> Verification:
    """Recompute the chain from the first row, or from the event `since` vouches for (whose hash
    must then be the signed one); report the first broken link, if any.

    On SQLite each event is first checked on its stored text (casebridge.audit.stored_text); an
    event that check does not accept is recomputed from its values, and so are the next ones, more
    of them each time the check accepts none (a trail written before the text was canonical)."""
    appending.flush()
    start = since.seq if since else 1
    place = Place(start, None if since else GENESIS)
    if not stored_text.usable(connection):
        return _recompute(place, batch_size, progress, since) or Verification(True, place.checked, start=start)
    stretch = batch_size
    while True:
        reached = place.seq
        if stored_text.check(place, batch_size, progress, since):
            return Verification(True, place.checked, start=start)
        stretch = stretch * 2 if place.seq == reached else batch_size
        broken = _recompute(place, batch_size, progress, since, count=stretch)
        if broken is not None:
            return broken


def _recompute(place: Place, batch_size: int, progress, since: Checkpoint | None,
               count: int | None = None) -> Verification | None:
    """Recompute each event's hash from its values, from `place` on (`count` events, or to the end),
    moving `place`; the first broken link, or None if they are intact."""
    start = since.seq if since else 1
    expected_prev, expected_seq, checked = place.prev, place.seq, place.checked
    rehash = _Rehash()
    for rows in _stored_events(batch_size, place.seq, None if count is None else place.seq + count):
        concerns = _stored_concerns(rows[0][0], rows[-1][0], rehash.json)
        for row in rows:
            seq, prev_hash, stored_hash = row[0], row[13], row[14]
            if seq != expected_seq:
                return Verification(False, checked, expected_seq, f"event #{expected_seq} is missing (next is #{seq})")
            if expected_prev is not None and prev_hash != expected_prev:
                return Verification(False, checked, seq, f"event #{seq} does not link to event #{seq - 1}")
            if rehash(row, concerns.get(seq)) != stored_hash or (since and seq == start and stored_hash != since.hash):
                return Verification(False, checked, seq, f"event #{seq} was altered after it was written")
            expected_prev, expected_seq = stored_hash, seq + 1
            checked += 1
            place.seq, place.prev, place.checked = expected_seq, expected_prev, checked
        if progress is not None:
            progress(len(rows))
    return None


def head() -> tuple[int, str] | None:
    """(seq, hash) of the newest event, None for an empty trail."""
    appending.flush()
    return AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()


def verify_trail(*, incremental: bool = False, progress=None) -> Verification:
    """The trail against every signed checkpoint, then its chain: from the first event, or (when
    `incremental`) from the newest checkpoint's event on. Never raises for a broken trail."""
    newest = head()
    try:
        signed = checkpoints.load()
    except CheckpointError as exc:
        return Verification(False, 0, None, str(exc), head=newest)
    broken = _against_checkpoints(signed, newest)
    if broken is not None:
        return replace(broken, head=newest)
    last = signed[-1] if signed else None
    result = verify(progress=progress, since=last if incremental else None)
    return replace(result, head=newest, checkpoint=last)


def _against_checkpoints(signed: list[Checkpoint], newest) -> Verification | None:
    """The first checkpoint the trail no longer agrees with, as a failed verification."""
    stored = {}
    seqs = sorted({checkpoint.seq for checkpoint in signed})
    for first in range(0, len(seqs), 500):
        stored.update(AuditEvent.objects.filter(seq__in=seqs[first:first + 500]).values_list("seq", "hash"))
    for checkpoint in signed:
        if newest is None or checkpoint.seq > newest[0]:
            end = f"#{newest[0]}" if newest else "no event"
            return Verification(False, 0, checkpoint.seq,
                                f"the trail ends at {end} but checkpoint {checkpoint.describe()} vouches for event "
                                f"#{checkpoint.seq}: events were deleted from its end")
        if checkpoint.seq not in stored:
            return Verification(False, 0, checkpoint.seq,
                                f"event #{checkpoint.seq}, signed in checkpoint {checkpoint.name}, is missing")
        if stored[checkpoint.seq] != checkpoint.hash:
            return Verification(False, 0, checkpoint.seq,
                                f"event #{checkpoint.seq} differs from checkpoint {checkpoint.describe()}: "
                                f"the trail was rewritten up to there")
    return None


def verify_and_record(*, actor=None, purpose: str = "", progress=None, detail=None,
                      incremental: bool = False, sign: bool = True) -> Verification:
    """Verify the trail and record that it was verified (audit reads are audited too); if it
    verifies, sign a checkpoint of the head it verified (`sign`)."""
    result = verify_trail(incremental=incremental, progress=progress)
    if result.ok and sign and result.head is not None:
        result = replace(result, signed=checkpoints.sign(*result.head))
    with transaction.atomic():
        record(actor=actor, operation=Operation.AUDIT_VERIFY, object_type="audit.chain", purpose=purpose,
               detail={**(detail or {}), "ok": result.ok, "checked": result.checked,
                       "broken_seq": result.broken_seq, "from": result.start,
                       "head": result.head[0] if result.head else None})
    return result


def checkpoint() -> Verification:
    """Verify the trail from the newest checkpoint on and, if it holds, sign its head (for a timer:
    a head is never signed over a trail that no longer agrees with the checkpoints before it)."""
    result = verify_trail(incremental=True)
    if result.ok and result.head is not None and (result.checkpoint is None or result.checkpoint.seq != result.head[0]):
        result = replace(result, signed=checkpoints.sign(*result.head))
    return result


def _stored_events(batch_size: int, start: int = 1, stop: int | None = None):
    """Every event from `start` on (before `stop`) as stored, `_FIELDS` then the hash, in chain
    order, a batch at a time.

    Read with plain SQL, keyset-paginated on the unique seq: going through the ORM spends most of
    verification's time converting values that are only hashed again."""
    ops, meta = connection.ops, AuditEvent._meta
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in (*_FIELDS, "hash"))
    select = f"SELECT {columns} FROM {ops.quote_name(meta.db_table)}"
    seq_column = ops.quote_name(meta.get_field("seq").column)
    bound = f" AND {seq_column} < %s" if stop is not None else ""
    last = start - 1
    with connection.cursor() as cursor:
        while True:
            cursor.execute(f"{select} WHERE {seq_column} > %s{bound} ORDER BY {seq_column} LIMIT %s",
                           [last, *([stop] if stop is not None else []), batch_size])
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][0]


def _stored_concerns(first: int, last: int, decode) -> dict[int, dict]:
    """What each event from `first` to `last` concerns, as stored: {seq: {agency id: item ids}}, the
    items read back by `decode` as the ORM's JSONField would (plain SQL, as `_stored_events`)."""
    found: dict[int, dict] = {}
    ops, meta = connection.ops, AuditEventAgency._meta
    event, agency, items = (ops.quote_name(meta.get_field(name).column) for name in ("event", "agency_id", "items"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {event}, {agency}, {items} FROM {ops.quote_name(meta.db_table)} "
                       f"WHERE {event} >= %s AND {event} <= %s", [first, last])
        for seq, agency_id, stored in cursor.fetchall():
            stored = decode(stored)
            found.setdefault(seq, {})[agency_id] = stored if isinstance(stored, list) else [stored]
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

    def json(self, value):
        """A JSON column's stored value read back as the ORM's JSONField reads it."""
        if not isinstance(value, str):
            return value if not isinstance(value, (bytes, bytearray)) else self._loads(value)
        if len(value) > 64:  # a consultation's detail: each is its own, and hashing it to look it up costs
            return self._decode(value)
        # Short texts recur ("[]", one agency's name, a sign-in's "{}"): decode each once. Values are only read.
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
                         object_type, object_id, case_id, self.json(recipients), self.json(detail), prev_hash,
                         concerns=concerns)
        except (TypeError, ValueError, AttributeError):
            return None

