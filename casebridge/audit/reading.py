"""Reading the audit trail: scoped by the policy (casebridge.policy.audit), and itself recorded.

A data protection officer reads their own agency's acts and every event about their agency's
information; a system administrator reads account and configuration events. An event outside the
reader's scope is absent from every list and a 404 when asked for by number.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from casebridge import policy
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.services import record
from casebridge.errors import InvalidInput, NotVisible
from casebridge.policy import Perm

EVENTS_PER_PAGE = 50
FILTERS = ("case_id", "case", "actor", "agency_id", "operation", "date_from", "date_to")


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
    """One page of the events in the actor's audit scope (casebridge.policy.audit) matching
    `filters`, newest first, each as the actor may read it. `filters` may hold case_id (a number),
    case (a case reference as people type it, or a number), actor (a username or a practitioner's
    full name), agency_id (the acting agency), operation, date_from, date_to (dates, inclusive, in
    the deployment's time zone) and page. The query itself is recorded: reading the audit log is
    processing too."""
    if not policy.role_allows(actor, Perm.AUDIT_READ):
        raise NotVisible("not permitted")
    query, described = _event_query(filters, actor=actor)
    found = AuditEvent.objects.filter(policy.visible_audit_events(actor)).filter(query)
    paginator = Paginator(found.prefetch_related("concerned_agencies").order_by("-seq"), EVENTS_PER_PAGE)
    page = paginator.get_page(filters.get("page"))
    # Fetched before recording, so the page shows the trail as it stood when asked.
    events = [_as_shown(actor, event) for event in page.object_list]
    info = PageInfo(page.number, paginator.num_pages, paginator.count)
    record(actor=actor, operation=Operation.AUDIT_READ, object_type="audit.events", purpose=purpose,
           case_id=described.get("case_id"),
           detail={"filters": described, "page": info.number, "matched": info.total})
    return events, info


def event_facts(event: AuditEvent) -> policy.EventFacts:
    return policy.EventFacts(agency_id=event.agency_id, object_type=event.object_type, case_id=event.case_id,
                             concerns=frozenset(c.agency_id for c in event.concerned_agencies.all()))


def _as_shown(actor, event: AuditEvent) -> AuditEvent:
    """The event as `actor` may read it: in another agency's act, a DPO gets only the references to
    their own agency's items (`partial` then says so). The stored row is never changed."""
    facts = event_facts(event)
    own = next((c.items for c in event.concerned_agencies.all() if c.agency_id == actor.agency_id), [])
    event.partial = policy.is_partial_view(actor, facts)
    event.detail = policy.shown_detail(actor, facts, event.detail, own)
    return event


def get_event(*, actor, seq, purpose: str) -> AuditEvent:
    """One event by its number, if the actor's audit scope holds it (404 otherwise); recorded."""
    try:
        number = int(seq)
    except (TypeError, ValueError):
        raise NotVisible("no such event") from None
    event = AuditEvent.objects.filter(seq=number).prefetch_related("concerned_agencies").first()
    if event is None:
        raise NotVisible("no such event")
    policy.require_audit_event(actor, event_facts(event))
    _as_shown(actor, event)
    record(actor=actor, operation=Operation.AUDIT_READ, object_type="audit.events", object_id=event.seq,
           purpose=purpose, case_id=event.case_id, detail={"event": event.seq})
    return event


def _event_query(filters: dict, *, actor) -> tuple[Q, dict]:
    """The filter for `filters`, and the filters as recorded (only those given, normalised: a case
    named by its reference is recorded by its number)."""
    unknown = set(filters) - {*FILTERS, "page"}
    if unknown:
        raise InvalidInput(f"Unknown filter: {', '.join(sorted(unknown))}.")
    given = {k: filters[k] for k in FILTERS if filters.get(k) not in (None, "")}
    query = Q()
    if "case" in given:
        given["case_id"] = case_named(str(given.pop("case")), actor=actor)
    if "case_id" in given:
        given["case_id"] = _case_id(given["case_id"])
        query &= Q(case_id=given["case_id"])
    if "actor" in given:
        given["actor"] = " ".join(str(given["actor"]).split())
        query &= _practitioner(given["actor"])
    if "agency_id" in given:
        given["agency_id"] = _positive(given["agency_id"], "agency_id", "An agency is chosen from the list.")
        query &= Q(agency_id=given["agency_id"])
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


def _practitioner(text: str) -> Q:
    """Events by whoever had this username when they acted, or by the practitioner with this full
    name (given and family name, in either order, case-insensitive)."""
    people = get_user_model().objects.annotate(
        forwards=Concat("first_name", Value(" "), "last_name"),
        backwards=Concat("last_name", Value(" "), "first_name"))
    named = people.filter(Q(forwards__iexact=text) | Q(backwards__iexact=text)).values("pk")
    return Q(actor_username__iexact=text) | Q(actor_id__in=named)


# A case reference as case pages show it ("CB-2025-00004"), typed with any case, spaces for dashes or
# without the leading zeros; a bare number ("4", "#4") is the case number.
_REFERENCE = re.compile(r"^(?P<prefix>[A-Z]+)[-\s_/]*(?P<year>\d{4})[-\s_/]*(?P<number>\d+)$")
_NUMBER = re.compile(r"^#?\s*(?P<number>\d+)$")


def case_named(text: str, *, actor) -> int:
    """The number of the case `text` names, by number or by reference (InvalidInput on field `case`
    otherwise). A reference is looked up only among the cases the reader may see or has audit events
    about, so the filter tells nobody whether a case they know nothing of exists."""
    text = text.strip().upper()
    if found := _NUMBER.match(text):
        return _positive(found["number"], "case", "A case number is a positive whole number.")
    found = _REFERENCE.match(text)
    if found is None:
        raise InvalidInput("Enter a case reference as shown on the case page, such as CB-2025-00004, or a "
                           "case number.", field="case")
    Case = apps.get_model("cases", "Case")
    spelled = {text, f"{found['prefix']}-{found['year']}-{found['number']}",
               f"{found['prefix']}-{found['year']}-{int(found['number']):05d}"}
    known = Case.objects.filter(reference__in=spelled).filter(
        policy.visible_cases(actor, timezone.localdate())
        | Q(Exists(AuditEvent.objects.filter(policy.visible_audit_events(actor), case_id=OuterRef("pk")))))
    number = known.values_list("pk", flat=True).first()
    if number is None:
        raise InvalidInput(f"No case with the reference {text} is in your audit scope.", field="case")
    return number


def _positive(value, field: str, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise InvalidInput(message, field=field)
    return number


def _case_id(value) -> int:
    return _positive(value, "case_id", "A case number is a positive whole number.")


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
