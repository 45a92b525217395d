"""Subject access by controller: each agency's data protection officer answers for what their
agency processes (DESIGN.md §4, casebridge.policy.subject_access).

A DPO of an agency that is or was a member of one of the client's cases acts for the client here;
anyone else learns nothing, not even that the client exists (404). Their answer holds the items
their agency originated and the items it received once the originating agency released them; the
items received but not released are listed as awaiting the originator. Withholding (with a legal
reason) and release belong to the originating agency's DPO: a DPO of another agency sees the item
(403 when they try to change it), an item their agency never held is a 404. Intelligence, source,
method and their derivatives never appear; source and method are not even read here.

Classified items: a DPO answers only for items up to their own clearance (items above it are
counted, never shown, and wait for a DPO cleared to read them), and the page shows each item's
classification and handling codes so the DPO decides, item by item, whether a restriction of
Directive 2016/680 Art. 15 applies before exporting.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.cases.models import Case, Client, Membership, PhaseChange
from casebridge.dataprotection.models import SubjectAccessRelease, Withholding
from casebridge.errors import Forbidden, InvalidInput, NotVisible
from casebridge.items.facts import item_facts, sharing_facts
from casebridge.items.models import CONFERENCE_CARRIERS, Attachment, Carrier, InformationItem
from casebridge.items.services import lock_item
from casebridge.policy import Perm

# Read for the export and the DPO's page; source_text and method_text are deliberately absent,
# also for the original of a derivative, of which only the markings are read.
ITEM_FIELDS = ("id", "case", "originating_agency", "category", "nature", "title", "body", "fact_date",
               "classification", "intelligence", "orcon", "no_decision", "no_cross_border", "lifted_intelligence",
               "lifted_no_decision", "lifted_no_cross_border", "version", "created_at", "retracted_at",
               "derived_from", "withholding", "subject_access_release",
               *(f"derived_from__{name}" for name in ("id", "withholding", *policy.INHERITED)))


@dataclass(frozen=True)
class Overview:
    """What the DPO sees before exporting: what goes in, what awaits its originator, what is
    withheld (and why, for their own agency's items), and how many items never go."""

    client: Client
    cases: list[Case]
    included: list[InformationItem]
    pending: list[InformationItem]
    withheld: list[InformationItem]
    withheld_by_others: list[InformationItem]
    intelligence: int
    retracted: int
    above_clearance: int

    @property
    def withheld_total(self) -> int:
        return len(self.withheld) + len(self.withheld_by_others)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def dpo_clients(actor):
    """Clients of every case the actor's agency is or was a member of; none for other roles."""
    if not policy.role_allows(actor, Perm.SUBJECT_ACCESS) or not getattr(actor, "agency_active", False):
        return Client.objects.none()
    return Client.objects.filter(cases__memberships__agency_id=actor.agency_id).distinct()


def get_client(actor, client_id) -> Client:
    client = dpo_clients(actor).filter(pk=_int(client_id)).first() if _int(client_id) else None
    if client is None:
        raise NotVisible("no such client")
    return client


def list_clients(*, actor, purpose: str) -> list[Client]:
    """The clients the actor may answer subject access requests for, with their cases."""
    clients = list(dpo_clients(actor).prefetch_related("cases").order_by("family_name", "given_name", "pk"))
    record(actor=actor, operation=Operation.LIST, object_type="cases.client", purpose=purpose,
           detail={"count": len(clients), "for": "subject access"})
    return clients


def client_cases(client: Client) -> list[Case]:
    return list(client.cases.select_related("lead_agency").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("agency").order_by("starts_on", "pk")),
        Prefetch("phase_changes", queryset=PhaseChange.objects.order_by("effective_on", "recorded_at", "pk")),
    ).order_by("opened_on", "pk"))


def _items(client: Client):
    # Of a conference's texts, subject access holds the executive summary of its minutes (kept for it) and
    # the agenda items for everyone, and none of a confidential conference's (docs/conferences.md).
    Minutes, Agenda = apps.get_model("conferences", "Minutes"), apps.get_model("conferences", "AgendaEntry")
    confidential = Minutes.objects.filter(conference__confidential=True).values("summary_item_id")
    not_for_everyone = Agenda.objects.filter(Q(conference__confidential=True) | ~Q(audience="everyone"))
    return (InformationItem.objects.filter(case__client=client)
            .exclude(carrier__in=CONFERENCE_CARRIERS - {Carrier.CONFERENCE_SUMMARY, Carrier.CONFERENCE_AGENDA})
            .exclude(pk__in=confidential).exclude(pk__in=not_for_everyone.values("text_item_id")).only(*ITEM_FIELDS)
            .select_related("case", "originating_agency", "withholding", "subject_access_release", "derived_from",
                            "derived_from__withholding")
            .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.defer("data")))
            .order_by("case__opened_on", "fact_date", "pk"))


def _facts(actor, client: Client, items):
    """The case facts and sharing facts the subject access decisions on `items` need."""
    case_facts = {case.pk: cases.case_facts(case) for case in client.cases.prefetch_related("memberships__coverage",
                                                                                           "team")}
    world = sharing_facts(recipient_ids=[actor.agency_id], client_ids=[client.pk], item_ids=[i.pk for i in items])
    return case_facts, world


def _decided(actor, client: Client, query, decide) -> list[InformationItem]:
    """The client's items selected by the policy's filter `query`, each confirmed by its decision."""
    found = list(_items(client).filter(query))
    case_facts, world = _facts(actor, client, found)
    today = cases.today()
    return [item for item in found if decide(actor, item_facts(item), case_facts[item.case_id], world, today)]


def included_items(actor, client: Client, purpose: str) -> list[InformationItem]:
    """The items the policy lets into the actor's agency's answer: its filter, then its decision."""
    return _decided(actor, client, policy.subject_access_items(actor, cases.today()),
                    lambda a, i, c, w, t: policy.decide_item(a, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS, i, c, w,
                                                             purpose, t))


def pending_items(actor, client: Client) -> list[InformationItem]:
    """Items the actor's agency received that await their originator's release."""
    return _decided(actor, client, policy.awaiting_release_items(actor, cases.today()), policy.awaiting_release)


def subject_access_overview(*, actor, client_id, purpose: str) -> Overview:
    """The export page for the DPO. Counts and lists cover only what the DPO's agency processes
    (originated or received), so nothing here hints at other agencies' items. Audited as a read."""
    client = get_client(actor, client_id)
    processed = _items(client).filter(policy.processed_items(actor, cases.today()))
    readable = processed.filter(classification__lte=actor.clearance, retracted_at__isnull=True)
    withheld = list(readable.filter(withholding__isnull=False).select_related("withholding__recorded_by"))
    overview = Overview(
        client=client, cases=client_cases(client), included=included_items(actor, client, purpose),
        pending=pending_items(actor, client),
        withheld=[i for i in withheld if i.originating_agency_id == actor.agency_id],
        withheld_by_others=[i for i in withheld if i.originating_agency_id != actor.agency_id],
        intelligence=processed.filter(Q(intelligence=True) | Q(derived_from__intelligence=True)).count(),
        retracted=processed.filter(retracted_at__isnull=False).count(),
        above_clearance=processed.filter(classification__gt=actor.clearance, retracted_at__isnull=True)
        .exclude(Q(intelligence=True) | Q(derived_from__intelligence=True)).count())
    record(actor=actor, operation=Operation.READ, obj=client, purpose=purpose,
           detail={"for": "subject access", "included": [i.pk for i in overview.included],
                   "pending": [i.pk for i in overview.pending]})
    return overview


def _item_on_client(actor, client_id, item_id) -> tuple[Client, InformationItem]:
    """An item the actor's agency processes (404 otherwise) that the actor may change: their own
    agency originated it and it is within their clearance (403 otherwise)."""
    lock_item(_int(item_id))  # the item stands for its withholding and release (casebridge.locking)
    client = get_client(actor, client_id)
    item = _items(client).filter(policy.processed_items(actor, cases.today())).filter(pk=_int(item_id)).first() \
        if _int(item_id) else None
    if item is None or (item.classification > actor.clearance and item.originating_agency_id != actor.agency_id):
        raise NotVisible("no such item")
    if item.originating_agency_id != actor.agency_id:
        raise Forbidden(_("only the originating agency withholds or releases its items"))
    if item.classification > actor.clearance:
        raise Forbidden(_("classified above your clearance: a DPO cleared to read it decides"))
    return client, item


def withhold_item(*, actor, client_id, item_id, legal_reason: str, purpose: str) -> Withholding:
    """Leave one item of the actor's agency out of every subject access answer (its own and those
    of the agencies that received it), with the legal reason (shown to the agency's DPOs only;
    the audit event references the withholding, never the reason)."""
    client, item = _item_on_client(actor, client_id, item_id)
    if hasattr(item, "withholding"):
        raise InvalidInput(_("This item is already withheld."), field="legal_reason")
    reason = cases.text(legal_reason, "legal_reason", required=True)
    withholding = Withholding.objects.create(item=item, legal_reason=reason, recorded_by=actor,
                                             recorded_at=timezone.now())
    record(actor=actor, operation=Operation.UPDATE, obj=item, case_id=item.case_id, purpose=purpose,
           detail={"withheld_from_subject_access": True, "withholding": withholding.pk, "client": client.pk},
           concerning=[item])
    return withholding


def lift_withholding(*, actor, client_id, item_id, purpose: str) -> InformationItem:
    """Put a withheld item of the actor's agency back into subject access."""
    client, item = _item_on_client(actor, client_id, item_id)
    if not hasattr(item, "withholding"):
        raise InvalidInput(_("This item is not withheld."))
    withholding = item.withholding.pk
    item.withholding.delete()
    record(actor=actor, operation=Operation.UPDATE, obj=item, case_id=item.case_id, purpose=purpose,
           detail={"withheld_from_subject_access": False, "withholding": withholding, "client": client.pk},
           concerning=[item])
    return item


def release_for_subject_access(*, actor, client_id, item_id, purpose: str) -> SubjectAccessRelease:
    """Let the agencies that received an item of the actor's agency answer subject access with it."""
    client, item = _item_on_client(actor, client_id, item_id)
    if item.intelligence or (item.derived_from_id and item.derived_from.intelligence):
        raise InvalidInput(_("Intelligence and its derivatives never enter the client's own file."))
    if hasattr(item, "subject_access_release"):
        raise InvalidInput(_("This item is already released for subject access."))
    release = SubjectAccessRelease.objects.create(item=item, released_by=actor, released_at=timezone.now())
    record(actor=actor, operation=Operation.UPDATE, obj=item, case_id=item.case_id, purpose=purpose,
           detail={"released_for_subject_access": True, "client": client.pk}, concerning=[item])
    return release


def withdraw_release(*, actor, client_id, item_id, purpose: str) -> InformationItem:
    """Take back a release: the receiving agencies list the item as awaiting the originator again."""
    client, item = _item_on_client(actor, client_id, item_id)
    if not hasattr(item, "subject_access_release"):
        raise InvalidInput(_("This item is not released for subject access."))
    item.subject_access_release.delete()
    record(actor=actor, operation=Operation.UPDATE, obj=item, case_id=item.case_id, purpose=purpose,
           detail={"released_for_subject_access": False, "client": client.pk}, concerning=[item])
    return item
