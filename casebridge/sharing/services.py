"""Client consent and one-off disclosures.

Withdrawing consent or revoking a disclosure acts on the very next request: nothing is cached.
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from casebridge import policy
from casebridge.agencies.models import Agency
from casebridge.audit.models import Operation
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.services import record
from casebridge.cases import membership
from casebridge.cases import services as cases
from casebridge.errors import Forbidden, InvalidInput, NotVisible
from casebridge.items import services as items
from casebridge.policy import Perm
from casebridge.sharing.models import Consent, ConsentCategory, Disclosure
from casebridge.vocabulary import AgencyKind, Category, Purpose


def consents_for_case(*, actor, case_id, purpose: str):
    """The consents of the case's client; only for people who may see the case."""
    case, _ = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    consents = list(_listed_consents(actor, case).select_related("recipient_agency", "recorded_by")
                    .prefetch_related("categories"))
    record(actor=actor, operation=Operation.LIST, object_type="sharing.consent", case_id=case.pk, purpose=purpose,
           detail={"count": len(consents)})
    return case, consents


def _listed_consents(actor, case):
    """The client's consents, without those to a discreet member of the case the actor may not see."""
    return Consent.objects.filter(client=case.client).exclude(
        recipient_agency_id__in=membership.hidden_agency_ids(actor=actor, case=case))


def give_consent(*, actor, case_id, data: dict, purpose: str) -> Consent:
    """Record the client's consent: recipient (an agency or every agency of a kind) × categories × purpose."""
    if not policy.role_allows(actor, Perm.CONSENT_MANAGE):
        raise Forbidden("your role does not record consent")
    case, _ = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    agency_id, kind = data.get("recipient_agency"), data.get("recipient_kind") or ""
    agency = None
    if agency_id not in (None, ""):
        agency = Agency.objects.filter(pk=agency_id).first() if str(agency_id).isdigit() else None
        if agency is None or kind:
            raise InvalidInput("Name either one agency or a kind of agency.", field="recipient_agency")
    elif kind not in AgencyKind.values:
        raise InvalidInput("Name the agency, or the kind of agency, the client consents to.", field="recipient_agency")
    categories = list(dict.fromkeys(data.get("categories") or []))
    if not categories or any(c not in Category.values for c in categories):
        raise InvalidInput("Choose the categories of information the consent covers.", field="categories")
    consent_purpose = data.get("purpose")
    if consent_purpose not in Purpose.values:
        raise InvalidInput("Choose the purpose the consent is for.", field="purpose")
    given_on = data.get("given_on")
    if not isinstance(given_on, date) or given_on > cases.today():
        raise InvalidInput("The date consent was given is required and cannot be in the future.", field="given_on")
    consent = Consent.objects.create(
        client=case.client, recipient_agency=agency, recipient_kind="" if agency else kind, purpose=consent_purpose,
        evidence=cases.text(data.get("evidence"), "evidence", required=True), given_on=given_on,
        recorded_by=actor, recorded_at=timezone.now())
    ConsentCategory.objects.bulk_create(ConsentCategory(consent=consent, category=c) for c in categories)
    record(actor=actor, operation=Operation.CREATE, obj=consent, case_id=case.pk, purpose=purpose,
           recipients=[consent.recipient_label],
           detail={"categories": categories, "for_purpose": consent_purpose, "given_on": given_on})
    return consent


def withdraw_consent(*, actor, case_id, consent_id, note: str, purpose: str) -> Consent:
    """Withdraw at once: from the next request on, nothing shared on this consent is visible."""
    case, _ = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    consent = _listed_consents(actor, case).filter(pk=consent_id).first() if str(consent_id).isdigit() else None
    if consent is None:
        raise NotVisible("no such consent")
    if consent.withdrawn_at is not None:
        raise InvalidInput("This consent is already withdrawn.")
    consent.withdrawn_at = timezone.now()
    consent.withdrawal_note = cases.text(note, "note")
    consent.save(update_fields=["withdrawn_at", "withdrawal_note"])
    record(actor=actor, operation=Operation.UPDATE, obj=consent, case_id=case.pk, purpose=purpose,
           recipients=[consent.recipient_label], detail={"withdrawn": True})
    return consent


def disclose_item(*, actor, item_id, recipient_id, justification: str, purpose: str,
                  allow_decision_use: bool = False) -> Disclosure:
    """The originator releases one item to one member agency, with a written justification.
    The only way an ORCON item moves."""
    item, _ = items.get_item(actor=actor, item_id=item_id, purpose=purpose, perm=Perm.ITEM_DISCLOSE, audit=False)
    recipient = Agency.objects.filter(pk=recipient_id).first() if str(recipient_id).isdigit() else None
    if recipient is None or recipient.pk == actor.agency_id:
        raise InvalidInput("Choose another agency to disclose to.", field="recipient")
    # A discreet member the actor may not see is refused in the same words as any agency not on the case.
    if not item.case.memberships.filter(policy.listed_memberships(actor, cases.today()), agency=recipient).exists():
        raise InvalidInput(f"{recipient.name} is not a member of this case.", field="recipient")
    if item.disclosures.filter(recipient=recipient, revoked_at__isnull=True).exists():
        raise InvalidInput(f"This item is already disclosed to {recipient.name}.", field="recipient")
    disclosure = Disclosure.objects.create(
        item=item, recipient=recipient, allow_decision_use=bool(allow_decision_use), disclosed_by=actor,
        disclosed_at=timezone.now(), justification=cases.text(justification, "justification", required=True))
    record(actor=actor, operation=Operation.DISCLOSE, obj=item, case_id=item.case_id, purpose=purpose,
           recipients=[recipient.name],
           detail={"disclosure": disclosure.pk, "justification": fingerprint(disclosure.justification),
                   "allow_decision_use": disclosure.allow_decision_use},
           concerning=[item])
    return disclosure


def disclosures_for_case(*, actor, case_id, purpose: str):
    """Disclosures of items on the case that the actor may read and that concern their agency: all
    of its own as originator, and those made to it as recipient. An item the actor may not read
    stays invisible here too, so a revoked disclosure leaves no trace for its former recipient."""
    case, _ = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    readable = items.visible_items(actor, purpose).filter(case=case).values("pk")
    disclosures = list(
        Disclosure.objects.filter(item__in=readable)
        .filter(Q(item__originating_agency_id=actor.agency_id) | Q(recipient_id=actor.agency_id))
        .select_related("item__case", "item__originating_agency", "recipient", "disclosed_by", "revoked_by"))
    record(actor=actor, operation=Operation.LIST, object_type="sharing.disclosure", case_id=case.pk, purpose=purpose,
           detail={"disclosures": [d.pk for d in disclosures]})
    return case, disclosures


def revoke_disclosure(*, actor, disclosure_id, purpose: str, case_id=None) -> Disclosure:
    """The originator withdraws a disclosure; the recipient loses that basis on the next request.
    With `case_id`, a disclosure of an item on another case is not found."""
    disclosure = Disclosure.objects.select_related("item", "recipient").filter(pk=disclosure_id).first() \
        if str(disclosure_id).isdigit() else None
    if disclosure is None or case_id is not None and str(disclosure.item.case_id) != str(case_id):
        raise NotVisible("no such disclosure")
    items.get_item(actor=actor, item_id=disclosure.item_id, purpose=purpose, perm=Perm.ITEM_DISCLOSE, audit=False)
    if disclosure.revoked_at is not None:
        raise InvalidInput("This disclosure is already revoked.")
    disclosure.revoked_at, disclosure.revoked_by = timezone.now(), actor
    disclosure.save(update_fields=["revoked_at", "revoked_by"])
    record(actor=actor, operation=Operation.UPDATE, obj=disclosure, case_id=disclosure.item.case_id, purpose=purpose,
           recipients=[disclosure.recipient.name], detail={"revoked": True, "item": disclosure.item_id},
           concerning=[disclosure.item])
    return disclosure
