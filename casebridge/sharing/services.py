"""Client consent and one-off disclosures.

Who records, withdraws and reads the evidence of a consent is casebridge.policy.consents' decision.
Withdrawing consent or revoking a disclosure acts on the very next request: nothing is cached.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.agencies.models import Agency
from casebridge.audit.models import Operation
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.services import record
from casebridge.cases import membership
from casebridge.cases import services as cases
from casebridge.errors import Forbidden, InvalidInput, NotVisible
from casebridge.items import services as items
from casebridge.items.attachments import check_file
from casebridge.items.facts import item_facts
from casebridge.locking import locked
from casebridge.policy import Perm
from casebridge.policy.consents import (ConsentAction, ConsentRecordFacts, decide_consent, evidence_visible,
                                        require_consent)
from casebridge.sharing.models import (AgreementRule, AgreementStatus, Consent, ConsentCategory, ConsentDocument,
                                       Disclosure)
from casebridge.vocabulary import AgencyKind, Category, Purpose

# A disclosure's item comes along without its source and method (read for the originator only).
ITEM_SOURCE = ("item__source_text", "item__method_text")


@dataclass(frozen=True)
class ConsentRow:
    """A consent as one reader sees it: the evidence (note, form, withdrawal note) only if allowed."""

    consent: Consent
    evidence: bool
    withdraw: bool


def _sharing_with_lead(case) -> frozenset[int]:
    """Agencies that share with the lead agency under a consent-requiring rule in force today."""
    now = cases.today()
    return frozenset(AgreementRule.objects.filter(
        recipient_id=case.lead_agency_id, consent_required=True, version__status=AgreementStatus.ACTIVE,
        version__valid_from__lte=now).filter(Q(version__valid_to__isnull=True) | Q(version__valid_to__gte=now))
        .values_list("originator_id", flat=True))


def _facts(case, *, recipient_agency_id=None, recipient_kind="", recorder_agency_id=None,
           sharing=None) -> ConsentRecordFacts:
    return ConsentRecordFacts(recipient_agency_id=recipient_agency_id, recipient_kind=recipient_kind,
                              lead_agency_kind=case.lead_agency.kind, recorder_agency_id=recorder_agency_id,
                              sharing_agency_ids=_sharing_with_lead(case) if sharing is None else sharing)


def consent_facts(consent: Consent, case, sharing=None) -> ConsentRecordFacts:
    return _facts(case, recipient_agency_id=consent.recipient_agency_id, recipient_kind=consent.recipient_kind,
                  recorder_agency_id=consent.recorder_agency_id, sharing=sharing)


def may_record_consent(actor, case) -> bool:
    """Whether to offer the "record a consent" form on this case (the service decides each consent)."""
    return bool(decide_consent(actor, ConsentAction.OFFER, _facts(case), cases.case_facts(case)))


def _row(actor, consent: Consent, case, facts, sharing) -> ConsentRow:
    evidence = decide_consent(actor, ConsentAction.SEE_EVIDENCE, consent_facts(consent, case, sharing), facts)
    withdraw = consent.withdrawn_at is None and decide_consent(actor, ConsentAction.WITHDRAW, None, facts)
    return ConsentRow(consent, bool(evidence), bool(withdraw))


def consent_row(*, actor, case_id, consent: Consent) -> ConsentRow:
    """One consent just recorded or withdrawn, as the actor (who may see the case) sees it."""
    case = cases.load_case(case_id)
    return _row(actor, consent, case, cases.case_facts(case), _sharing_with_lead(case))


def consents_for_case(*, actor, case_id, purpose: str) -> tuple[object, list[ConsentRow]]:
    """The consents of the case's client, each with whether the actor reads its evidence and may
    withdraw it; only for people who may see the case. The evidence itself is never audited."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    facts, sharing = cases.case_facts(case), _sharing_with_lead(case)
    consents = list(_listed_consents(actor, case)
                    .select_related("recipient_agency", "recorded_by", "withdrawn_by", "document")
                    .defer("document__data").prefetch_related("categories"))
    rows = [_row(actor, consent, case, facts, sharing) for consent in consents]
    record(actor=actor, operation=Operation.LIST, object_type="sharing.consent", case_id=case.pk, purpose=purpose,
           detail={"consents": [c.pk for c in consents]})
    return case, rows


def _listed_consents(actor, case):
    """The client's consents, without those to a discreet member of the case the actor may not see."""
    return Consent.objects.filter(client=case.client).exclude(
        recipient_agency_id__in=membership.hidden_agency_ids(actor=actor, case=case))


def _recipient(data: dict):
    agency_id, kind = data.get("recipient_agency"), data.get("recipient_kind") or ""
    if agency_id not in (None, ""):
        agency = Agency.objects.filter(pk=agency_id).first() if str(agency_id).isdigit() else None
        if agency is None or kind:
            raise InvalidInput(_("Name either one agency or a kind of agency."), field="recipient_agency")
        return agency, ""
    if kind not in AgencyKind.values:
        raise InvalidInput(_("Name the agency, or the kind of agency, the client consents to."), field="recipient_agency")
    return None, kind


def _terms(data: dict) -> tuple[list[str], str, date]:
    categories = list(dict.fromkeys(data.get("categories") or []))
    if not categories or any(c not in Category.values for c in categories):
        raise InvalidInput(_("Choose the categories of information the consent covers."), field="categories")
    consent_purpose = data.get("purpose")
    if consent_purpose not in Purpose.values:
        raise InvalidInput(_("Choose the purpose the consent is for."), field="purpose")
    given_on = data.get("given_on")
    if not isinstance(given_on, date) or given_on > cases.today():
        raise InvalidInput(_("The date consent was given is required and cannot be in the future."), field="given_on")
    return categories, consent_purpose, given_on


def give_consent(*, actor, case_id, data: dict, purpose: str, form: tuple[str, bytes] | None = None) -> Consent:
    """Record the client's consent: recipient (an agency or every agency of a kind) × categories × purpose,
    with its evidence: a note of how and where it was given, or the signed form `(filename, content)`,
    or both. Recorded by the lead agency or the coordinator, never by an agency receiving under it (403)."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    agency, kind = _recipient(data)
    require_consent(actor, ConsentAction.GIVE, _facts(case, recipient_agency_id=agency.pk if agency else None,
                                                      recipient_kind=kind), cases.case_facts(case))
    categories, consent_purpose, given_on = _terms(data)
    note = cases.text(data.get("evidence"), "evidence")
    checked = check_file(form[0], form[1], field="evidence_file") if form is not None else None
    if not note and checked is None:
        raise InvalidInput(_("Give the evidence: a note of how and where consent was given, or the signed form."),
                           field="evidence")
    consent = Consent.objects.create(
        client=case.client, recipient_agency=agency, recipient_kind=kind, purpose=consent_purpose, evidence=note,
        given_on=given_on, recorded_by=actor, recorder_agency_id=actor.agency_id, recorded_at=timezone.now())
    ConsentCategory.objects.bulk_create(ConsentCategory(consent=consent, category=c) for c in categories)
    if checked is not None:
        ConsentDocument.objects.create(consent=consent, filename=checked.name, content_type=checked.content_type,
                                       size=checked.size, sha256=checked.sha256, data=form[1],
                                       uploaded_at=consent.recorded_at, uploaded_by=actor)
    # References only: the note and the form's name say something about the client.
    record(actor=actor, operation=Operation.CREATE, obj=consent, case_id=case.pk, purpose=purpose,
           recipients=[consent.recipient_label],
           detail={"categories": categories, "for_purpose": consent_purpose, "given_on": given_on,
                   "evidence_note": bool(note), "evidence_file": checked.sha256 if checked else None})
    return consent


def withdraw_consent(*, actor, case_id, consent_id, note: str, purpose: str) -> Consent:
    """Withdraw at once, by any member of the case team: from the next request on, nothing shared
    on this consent is visible."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    consent = locked(_listed_consents(actor, case)).filter(pk=consent_id).first() \
        if str(consent_id).isdigit() else None
    if consent is None:
        raise NotVisible("no such consent")
    require_consent(actor, ConsentAction.WITHDRAW, None, cases.case_facts(case))
    if consent.withdrawn_at is not None:
        raise InvalidInput(_("This consent is already withdrawn."))
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor
    consent.withdrawal_note = cases.text(note, "note")
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    with translation.override("en"):  # the audit trail is written in one language
        recipient = consent.recipient_label
    record(actor=actor, operation=Operation.UPDATE, obj=consent, case_id=case.pk, purpose=purpose,
           recipients=[recipient], detail={"withdrawn": True, "note": bool(consent.withdrawal_note)})
    return consent


def open_consent_form(*, actor, case_id, consent_id, purpose: str) -> ConsentDocument:
    """The signed form of a consent, for those who may read its evidence; 404 for everyone else
    (an outsider, a team member without the right, a consent without a form). Audited as a read."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    visible = Consent.objects.filter(client=case.client).filter(evidence_visible(actor, cases.case_facts(case)))
    document = ConsentDocument.objects.filter(consent__in=visible, consent_id=consent_id).first() \
        if str(consent_id).isdigit() else None
    if document is None:
        raise NotVisible("no such consent form")
    record(actor=actor, operation=Operation.READ, obj=document, case_id=case.pk, purpose=purpose,
           detail={"consent": document.consent_id, "sha256": document.sha256})
    return document


def disclose_item(*, actor, item_id, recipient_id, justification: str, purpose: str,
                  allow_decision_use: bool = False) -> Disclosure:
    """The originator releases one item to one member agency, with a written justification.
    The only way an ORCON item moves."""
    items.lock_item(item_id)  # one disclosure per recipient: the check below cannot be overtaken
    item, _decision = items.get_item(actor=actor, item_id=item_id, purpose=purpose, perm=Perm.ITEM_DISCLOSE, audit=False)
    recipient = Agency.objects.filter(pk=recipient_id).first() if str(recipient_id).isdigit() else None
    if recipient is None or recipient.pk == actor.agency_id:
        raise InvalidInput(_("Choose another agency to disclose to."), field="recipient")
    # A discreet member the actor may not see is refused in the same words as any agency not on the case.
    if not item.case.memberships.filter(policy.listed_memberships(actor, cases.today()), agency=recipient).exists():
        raise InvalidInput(_("%(agency)s is not a member of this case.") % {"agency": recipient.name}, field="recipient")
    if item.disclosures.filter(recipient=recipient, revoked_at__isnull=True).exists():
        raise InvalidInput(_("This item is already disclosed to %(agency)s.") % {"agency": recipient.name},
                           field="recipient")
    if item.originating_agency.country != recipient.country and policy.marked(item_facts(item), "no_cross_border"):
        # The read rule would refuse it anyway; a disclosure that can never be read is refused outright.
        raise InvalidInput(gettext("This item is marked NO-CROSS-BORDER: it is never disclosed to an agency in "
                             "another country."), field="recipient")
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
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    readable = items.visible_items(actor, purpose).filter(case=case).values("pk")
    disclosures = list(
        Disclosure.objects.filter(item__in=readable)
        .filter(Q(item__originating_agency_id=actor.agency_id) | Q(recipient_id=actor.agency_id))
        .select_related("item__case", "item__originating_agency", "recipient", "disclosed_by", "revoked_by")
        .defer(*ITEM_SOURCE))
    record(actor=actor, operation=Operation.LIST, object_type="sharing.disclosure", case_id=case.pk, purpose=purpose,
           detail={"disclosures": [d.pk for d in disclosures]})
    return case, disclosures


def revoke_disclosure(*, actor, disclosure_id, purpose: str, case_id=None) -> Disclosure:
    """The originator withdraws a disclosure; the recipient loses that basis on the next request.
    With `case_id`, a disclosure of an item on another case is not found."""
    if str(disclosure_id).isdigit():  # the item stands for its disclosures (casebridge.locking)
        items.lock_item(Disclosure.objects.filter(pk=int(disclosure_id)).values_list("item_id", flat=True).first())
    disclosure = Disclosure.objects.select_related("item", "recipient").defer(*ITEM_SOURCE) \
        .filter(pk=disclosure_id).first() \
        if str(disclosure_id).isdigit() else None
    if disclosure is None or case_id is not None and str(disclosure.item.case_id) != str(case_id):
        raise NotVisible("no such disclosure")
    items.get_item(actor=actor, item_id=disclosure.item_id, purpose=purpose, perm=Perm.ITEM_DISCLOSE, audit=False)
    if disclosure.revoked_at is not None:
        raise InvalidInput(_("This disclosure is already revoked."))
    disclosure.revoked_at, disclosure.revoked_by = timezone.now(), actor
    disclosure.save(update_fields=["revoked_at", "revoked_by"])
    record(actor=actor, operation=Operation.UPDATE, obj=disclosure, case_id=disclosure.item.case_id, purpose=purpose,
           recipients=[disclosure.recipient.name], detail={"revoked": True, "item": disclosure.item_id},
           concerning=[disclosure.item])
    return disclosure
