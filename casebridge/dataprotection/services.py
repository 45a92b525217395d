"""Subject access for the client: withholding items with a legal reason, and the export.

A data protection officer of an agency that is or was a member of one of the client's cases acts
for the client here; anyone else learns nothing, not even that the client exists (404). What goes
into the export is decided by the policy (`Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS`): never
intelligence, never withheld or retracted items, and never any item's source or method, which this
module does not read.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.cases.models import Case, Client, Membership, PhaseChange
from casebridge.dataprotection.models import Withholding
from casebridge.errors import InvalidInput, NotVisible
from casebridge.items.facts import item_facts
from casebridge.items.models import Attachment, InformationItem
from casebridge.policy import Perm

# Read for the export and the DPO's page; source_text and method_text are deliberately absent.
ITEM_FIELDS = ("id", "case", "originating_agency", "category", "nature", "title", "body", "fact_date",
               "classification", "intelligence", "orcon", "no_decision", "version", "created_at", "retracted_at",
               "derived_from", "withholding")


@dataclass(frozen=True)
class Overview:
    """What the DPO sees before exporting: what goes in, what is withheld and why, what never goes."""

    client: Client
    cases: list[Case]
    included: list[InformationItem]
    withheld: list[InformationItem]
    intelligence: int
    retracted: int


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def dpo_clients(actor):
    """Clients of every case the actor's agency is or was a member of; none for other roles."""
    if not policy.role_allows(actor, Perm.SUBJECT_ACCESS):
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
    return (InformationItem.objects.filter(case__client=client).only(*ITEM_FIELDS)
            .select_related("case", "originating_agency", "withholding")
            .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.defer("data")))
            .order_by("case__opened_on", "fact_date", "pk"))


def included_items(actor, client: Client, purpose: str) -> list[InformationItem]:
    """The items the policy lets into the export: its filter, then its decision on each."""
    world, today = policy.SharingFacts(), cases.today()
    facts = {case.pk: cases.case_facts(case) for case in client.cases.prefetch_related("memberships__coverage",
                                                                                      "team")}
    return [item for item in _items(client).filter(policy.subject_access_items())
            if policy.decide_item(actor, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS, item_facts(item), facts[item.case_id],
                                  world, purpose, today)]


def subject_access_overview(*, actor, client_id, purpose: str) -> Overview:
    """The export page for the DPO: included items, withheld items with their reasons, and how many
    intelligence and retracted items never go to the client. Audited as a read of the client."""
    client = get_client(actor, client_id)
    everything = _items(client)
    overview = Overview(
        client=client, cases=client_cases(client), included=included_items(actor, client, purpose),
        withheld=list(everything.filter(withholding__isnull=False).select_related("withholding__recorded_by")),
        intelligence=everything.filter(intelligence=True).count(),
        retracted=everything.filter(intelligence=False, retracted_at__isnull=False).count())
    record(actor=actor, operation=Operation.READ, obj=client, purpose=purpose,
           detail={"for": "subject access", "included": len(overview.included), "withheld": len(overview.withheld)})
    return overview


def _item_on_client(actor, client_id, item_id) -> tuple[Client, InformationItem]:
    client = get_client(actor, client_id)
    item = InformationItem.objects.filter(pk=_int(item_id), case__client=client).only(*ITEM_FIELDS) \
        .select_related("withholding").first() if _int(item_id) else None
    if item is None:
        raise NotVisible("no such item")
    return client, item


def withhold_item(*, actor, client_id, item_id, legal_reason: str, purpose: str) -> Withholding:
    """Leave one item out of the client's subject access export, with the legal reason (shown to
    DPOs on the export page, never in the export)."""
    client, item = _item_on_client(actor, client_id, item_id)
    if hasattr(item, "withholding"):
        raise InvalidInput("This item is already withheld.", field="legal_reason")
    reason = cases.text(legal_reason, "legal_reason", required=True)
    withholding = Withholding.objects.create(item=item, legal_reason=reason, recorded_by=actor,
                                             recorded_at=timezone.now())
    record(actor=actor, operation=Operation.UPDATE, obj=item, case_id=item.case_id, purpose=purpose,
           detail={"withheld_from_subject_access": True, "legal_reason": fingerprint(reason), "client": client.pk},
           concerning=[item])
    return withholding


def lift_withholding(*, actor, client_id, item_id, purpose: str) -> InformationItem:
    """Put a withheld item back into the client's subject access export."""
    client, item = _item_on_client(actor, client_id, item_id)
    if not hasattr(item, "withholding"):
        raise InvalidInput("This item is not withheld.")
    reason = item.withholding.legal_reason
    item.withholding.delete()
    record(actor=actor, operation=Operation.UPDATE, obj=item, case_id=item.case_id, purpose=purpose,
           detail={"withheld_from_subject_access": False, "lifted_reason": fingerprint(reason), "client": client.pk},
           concerning=[item])
    return item
