"""Who read an item: the readers an originator sees, retraction (which tells those readers), and
"preview as agency X" before sharing, and what a reader could read under another purpose. Uses the
item services; the policy decides every answer."""

from types import SimpleNamespace

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.agencies.models import Agency
from casebridge.audit.models import AuditEvent, ItemRead, Operation
from casebridge.audit.services import record
from casebridge.cases import membership
from casebridge.cases import services as cases
from casebridge.errors import InvalidInput
from casebridge.items.facts import item_facts, items_with_case, sharing_facts
from casebridge.items.models import CONFERENCE_CARRIERS, InformationItem
from casebridge.items.reading import CaseReading
from casebridge.items.services import ITEM, check_purpose, own_item, today


def readers_of(item_ids) -> list[AuditEvent]:
    """Audit events in which someone read, listed or found one of these items, each with `basis`
    (on which basis it showed the first of them): an indexed lookup of the item reads recorded
    with every event (audit.ItemRead), not a scan of the trail."""
    reads = (ItemRead.objects.filter(item_id__in=[int(i) for i in item_ids]).select_related("event")
             .order_by("event_id", "item_id"))
    events: dict[int, AuditEvent] = {}
    for read in reads:
        if read.event_id not in events:
            events[read.event_id] = read.event
            read.event.basis = read.basis
    return list(events.values())


def reader_rows(events, item_ids) -> list[dict]:
    """`readers_of` events as rows: when, who, which agency, how, for which purpose, on which basis
    (`readers_of` found the basis for these items; `item_ids` names them for the reader)."""
    return [{"at": event.at, "person": event.actor_username, "agency": event.agency_name,
             "operation": event.get_operation_display(), "how": _how(event), "basis": event.basis,
             "purpose": event.purpose}
            for event in events]


def _how(event) -> str:
    """How the item reached its reader, in words: opened, shown with its case (the case page or record), listed, found."""
    if event.operation == Operation.READ:
        return gettext("Opened the item") if event.object_type == ITEM else gettext("Shown with the case")
    if event.operation == Operation.SEARCH:
        return gettext("Found by a search")
    return gettext("Listed") if event.operation == Operation.LIST else event.get_operation_display()


def retract_item(*, actor, item_id, reason: str, purpose: str):
    """Retract an item of the actor's agency and its derivatives; returns who had read them."""
    item = own_item(actor, item_id, purpose, lock=True)
    if item.retracted:
        raise InvalidInput(_("This item is already retracted."))
    note = cases.text(reason, "reason", required=True)
    now = timezone.now()
    family = [item, *item.derivatives.filter(retracted_at__isnull=True)]
    for member in family:
        member.retracted_at, member.retracted_by, member.retraction_reason = now, actor, note
        member.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
    readers = [e for e in readers_of([m.pk for m in family]) if e.agency_id != actor.agency_id]
    record(actor=actor, operation=Operation.UPDATE, obj=item, case_id=item.case_id, purpose=purpose,
           recipients=sorted({e.agency_name for e in readers}),
           detail={"retracted": [m.pk for m in family]}, concerning=family)
    return item, _listed_readers(actor, item.case, readers)


def _listed_readers(actor, case, events) -> list[AuditEvent]:
    """Reads by a discreet member are not shown to an originator it is not listed to (the audit trail
    keeps them for the data protection officers)."""
    hidden = membership.hidden_agency_ids(actor=actor, case=case)
    return [e for e in events if e.agency_id not in hidden]


def item_readers(*, actor, item_id, purpose: str) -> list[AuditEvent]:
    """Who read an item of the actor's agency, when, and on which basis (originator only)."""
    item = own_item(actor, item_id, purpose)
    # Read before recording, so the chain lock is not taken before the request's commit.
    readers = _listed_readers(actor, item.case, readers_of([item.pk]))
    record(actor=actor, operation=Operation.AUDIT_READ, obj=item, case_id=item.case_id, purpose=purpose,
           detail={"report": "readers"})
    return readers


def preview_as(*, actor, case_id, agency_id, purpose: str):
    """Before sharing: which of the actor's agency's items on the case another agency would be
    able to read for `purpose`, and on which basis (None = not visible to them)."""
    check_purpose(purpose, actor)
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    agency = Agency.objects.filter(pk=agency_id).first() if str(agency_id).isdigit() else None
    if agency is None:
        raise InvalidInput(_("Choose an agency."), field="agency")
    own = list(items_with_case(InformationItem.objects.filter(case=case, originating_agency_id=actor.agency_id,
                                                              retracted_at__isnull=True)
                               .exclude(carrier__in=CONFERENCE_CARRIERS)))  # read with their conference
    world = sharing_facts(recipient_ids=[agency.pk], client_ids=[case.client_id], item_ids=[i.pk for i in own])
    viewer = SimpleNamespace(agency_id=agency.pk, agency_kind=agency.kind, agency_country=agency.country)
    # A discreet member the actor may not see is answered as any agency that is not a member.
    member = agency.pk not in membership.hidden_agency_ids(actor=actor, case=case) and any(
        m.agency_id == agency.pk and m.is_active(today()) and case.phase in m.phases for m in case.memberships.all())
    record(actor=actor, operation=Operation.READ, object_type="items.preview", object_id=agency.pk, case_id=case.pk,
           purpose=purpose, detail={"preview_as": agency.pk, "item_count": len(own)})
    return agency, member, [(i, _preview_basis(viewer, item_facts(i), world, purpose)) for i in own]


def _preview_basis(viewer, facts, world, purpose: str) -> str | None:
    # A NO-CROSS-BORDER item never reaches an agency of another country, whatever the basis.
    return policy.sharing_basis(viewer, facts, world, purpose, today()) if policy.within_borders(viewer, facts) else None


def hidden_by_purpose(actor, case, purpose: str, reading: CaseReading | None = None) -> list[tuple[str, str, int]]:
    """Items on the case the actor cannot read for `purpose` but could for another purpose their
    role may declare: (purpose, label, how many), each item decided by the policy for every purpose
    (`CaseReading.hidden_by_purpose`)."""
    return (reading or CaseReading(actor, case, purpose)).hidden_by_purpose()
