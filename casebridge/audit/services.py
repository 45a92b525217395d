"""Writing and verifying the audit trail.

`record` must run inside the caller's transaction: if the event cannot be written, the operation
it describes rolls back with it. Events are chained: each row's hash covers its fields and the
previous row's hash, so editing, deleting or inserting a row breaks the chain at that point.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from casebridge import policy
from casebridge.audit.models import AuditEvent, Operation
from casebridge.errors import InvalidInput, NotVisible
from casebridge.policy import Perm

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


def verify_and_record(*, actor=None, purpose: str = "", progress=None, detail=None) -> Verification:
    """Verify the chain and record that it was verified (audit reads are audited too)."""
    result = verify(progress=progress)
    with transaction.atomic():
        record(actor=actor, operation=Operation.AUDIT_VERIFY, object_type="audit.chain", purpose=purpose,
               detail={**(detail or {}), "ok": result.ok, "checked": result.checked,
                       "broken_seq": result.broken_seq})
    return result


# --- Reading the trail -----------------------------------------------------------------------

EVENTS_PER_PAGE = 50
FILTERS = ("case_id", "actor", "operation", "date_from", "date_to")


@dataclass(frozen=True)
class PageInfo:
    number: int
    pages: int
    total: int
    per_page: int = EVENTS_PER_PAGE

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def previous_number(self) -> int:
        return max(self.number - 1, 1)

    @property
    def next_number(self) -> int:
        return min(self.number + 1, self.pages)


def list_events(*, actor, purpose: str, filters: dict) -> tuple[list[AuditEvent], PageInfo]:
    """One page of audit events matching `filters`, newest first, for an actor allowed to read the
    trail. `filters` may hold case_id, actor (a username), operation, date_from, date_to (dates,
    inclusive, in the deployment's time zone) and page. The query itself is recorded: reading the
    audit log is processing too."""
    if not policy.role_allows(actor, Perm.AUDIT_READ):
        raise NotVisible("not permitted")
    query, described = _event_query(filters)
    paginator = Paginator(AuditEvent.objects.filter(query).order_by("-seq"), EVENTS_PER_PAGE)
    page = paginator.get_page(filters.get("page"))
    # Fetched before recording, so the page shows the trail as it stood when asked.
    events = list(page.object_list)
    info = PageInfo(page.number, paginator.num_pages, paginator.count)
    record(actor=actor, operation=Operation.AUDIT_READ, object_type="audit.events", purpose=purpose,
           case_id=described.get("case_id"),
           detail={"filters": described, "page": info.number, "matched": info.total})
    return events, info


def _event_query(filters: dict) -> tuple[Q, dict]:
    """The filter for `filters`, and the filters as recorded (only those given, normalised)."""
    unknown = set(filters) - {*FILTERS, "page"}
    if unknown:
        raise InvalidInput(f"Unknown filter: {', '.join(sorted(unknown))}.")
    given = {k: filters[k] for k in FILTERS if filters.get(k) not in (None, "")}
    query = Q()
    if "case_id" in given:
        given["case_id"] = _case_id(given["case_id"])
        query &= Q(case_id=given["case_id"])
    if "actor" in given:
        given["actor"] = str(given["actor"]).strip()
        query &= Q(actor_username__iexact=given["actor"])
    if "operation" in given:
        if given["operation"] not in Operation.values:
            raise InvalidInput("Unknown operation.", field="operation")
        query &= Q(operation=given["operation"])
    start, end = (_day(given.get(k), k) for k in ("date_from", "date_to"))
    if start and end and start > end:
        raise InvalidInput("The end date is before the start date.", field="date_to")
    if start:
        query &= Q(at__gte=_midnight(start))
    if end:
        query &= Q(at__lt=_midnight(end + timedelta(days=1)))
    return query, given


def _case_id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise InvalidInput("A case number is a positive whole number.", field="case_id")
    return number


def _day(value, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("Enter a date as YYYY-MM-DD.", field=field) from None


def _midnight(day: date) -> datetime:
    # Days are the deployment's days: a DPO in Brussels asking for 3 March means Brussels time.
    return timezone.make_aware(datetime.combine(day, time.min))
