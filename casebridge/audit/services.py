"""Writing the audit trail (verifying it: casebridge.audit.verification).

`record` must run inside the caller's transaction: if the event cannot be written, the operation
it describes rolls back with it. Events are chained: each row's hash covers its fields and the
previous row's hash, so editing, deleting or inserting a row breaks the chain at that point.
"""

import json
from contextlib import contextmanager

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from casebridge.audit import appending
from casebridge.audit.appending import ITEM, Entry, reads_of
from casebridge.audit.chain import GENESIS, compute_hash, templates
from casebridge.audit.models import AuditEvent, Operation

__all__ = ["GENESIS", "compute_hash", "consultation", "record", "record_many"]


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
           case_id=None, purpose: str = "", recipients=(), detail=None, concerning=()) -> AuditEvent | None:
    """Record one audit event in the current transaction. Raises if there is none. Inside a
    `consultation` a reading, listing or search is kept to be part of its one event (None then).

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
    gathering = getattr(connection, "audit_consultation", None)
    if gathering is not None and gathering.takes(actor, operation, purpose):
        gathering.calls.append(dict(actor=actor, operation=operation, obj=obj, object_type=object_type,
                                    object_id=object_id, case_id=case_id, purpose=purpose,
                                    recipients=list(recipients), detail=_normalise(detail or {}),
                                    concerning=list(concerning)))
        return None  # recorded, as part of one event, when the consultation ends
    fields = _fields_of(dict(actor=actor, operation=operation, obj=obj, object_type=object_type,
                             object_id=object_id, case_id=case_id, purpose=purpose),
                        timezone.now(), _normalise(list(recipients)), _normalise(_with_actor_kind(actor, detail)))
    event = AuditEvent(**fields)
    appending.enqueue([_entry(fields, _concerned(concerning), event)])
    return event


class _Consultation:
    """The events one page records about content, gathered to be recorded as one (`consultation`)."""

    FOLDED = (Operation.READ, Operation.LIST, Operation.SEARCH)

    def __init__(self, actor, purpose: str):
        self.actor, self.purpose = actor, purpose
        self.calls: list[dict] = []

    def takes(self, actor, operation, purpose) -> bool:
        return (operation in self.FOLDED and purpose == self.purpose
                and getattr(actor, "pk", None) == getattr(self.actor, "pk", None))

    def one(self) -> dict | None:
        """The page's event: the search (of items first), else the reading, else the first listing, with the items
        every other event showed added to its `items` and what each listed under `shown`."""
        if len(self.calls) < 2:
            return self.calls[0] if self.calls else None
        rank = {Operation.SEARCH: 0, Operation.READ: 1}
        # A search of items and of cases by their clients' names (the search page, the API) is the
        # items' search, the cases found listed under `shown`.
        main = min(self.calls, key=lambda call: (rank.get(call["operation"], 2), call.get("object_type") != ITEM))
        detail = dict(main.get("detail") or {})
        items, shown, recipients, concerning = dict(detail.pop("items", None) or {}), [], [], []
        for call in self.calls:
            recipients += [r for r in call.get("recipients", ()) if r not in recipients]
            concerning += list(call.get("concerning", ()))
            if call is main:
                continue
            other = dict(call.get("detail") or {})
            items.update(other.pop("items", None) or {})
            obj = call.get("obj")
            object_type = call.get("object_type") or (obj._meta.label_lower if obj else "")
            object_id = call.get("object_id") if call.get("object_id") is not None else getattr(obj, "pk", None)
            if call["operation"] == Operation.READ and object_type == ITEM and object_id is not None:
                items[str(object_id)] = str(other.get("basis", ""))  # an item read: shown, with its basis
            shown.append({"operation": str(call["operation"]), "object_type": object_type,
                          **({"object_id": str(object_id)} if object_id is not None else {}),
                          **({"case_id": call["case_id"]} if call.get("case_id") != main.get("case_id") else {}),
                          **other})
        return {**main, "recipients": recipients, "concerning": concerning,
                "detail": {**detail, **({"items": items} if items else {}), "shown": shown}}


@contextmanager
def consultation(*, actor, purpose: str):
    """One request, one consultation event. The readings, listings and searches `actor` records
    for `purpose` inside the block (a case page's case, timeline, decisions and carried texts; a
    search page's search and the cases offered as its filter) are recorded as one event when the
    block ends without an error: the search, else the reading, else the first listing, naming every
    item shown with its basis (`items`) and what else the page listed (`shown`). Other events
    inside are recorded as usual."""
    if getattr(connection, "audit_consultation", None) is not None:
        raise RuntimeError("audit consultations do not nest")
    gathering = _Consultation(actor, purpose)
    connection.audit_consultation = gathering
    try:
        yield gathering
    finally:
        connection.audit_consultation = None
    call = gathering.one()
    if call is not None:
        record(**call)


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
    entries = [_entry(_fields_of(event, at, recipients, detail), _concerned(event.get("concerning", ())))
               for event, (recipients, detail) in zip(events, payloads)]
    for entry, template in zip(entries, templates([(e.fields, e.concerns) for e in entries])):
        entry.template = template
    appending.enqueue(entries)
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
