"""Formal decisions: what an agency decided on a case, and the items the decision rests on.

Intelligence and NO-DECISION items may inform but never be a decision's basis, unless their
originator lifted that for the deciding agency (a disclosure allowing decision use).
"""

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.cases.signals import case_moment
from casebridge.decisions.models import KIND_CATEGORY, DecisionKind, FormalDecision
from casebridge.errors import InvalidInput
from casebridge.items import services as items
from casebridge.items.facts import items_with_case
from casebridge.items.models import CONFERENCE_CARRIERS, SOURCE_FIELDS, Carrier, InformationItem
from casebridge.items.reading import CaseReading
from casebridge.policy import Perm
from casebridge.policy.roles import require_agency_kind


def record_decision(*, actor, case_id, kind: str, text: str, decided_on: date, basis_item_ids, purpose: str,
                    category: str | None = None, classification=None):
    """Record a decision of the actor's agency. Its text is an item of that agency, in the category
    and at the classification chosen (by default the kind's category, RESTRICTED): a reader the
    sharing rule does not let read the text does not see the decision at all."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, perm=Perm.CASE_VIEW, audit=False)
    require_agency_kind(actor, Perm.DECISION_RECORD)  # e.g. an exit programme takes no formal decisions: 403
    if kind not in DecisionKind.values:
        raise InvalidInput(_("Choose the kind of decision."), field="kind")
    if not isinstance(decided_on, date) or decided_on > cases.today():
        raise InvalidInput(_("The decision date is required and cannot be in the future."), field="decided_on")
    basis = []
    for item_id in dict.fromkeys(basis_item_ids or []):
        # A conference's texts are read with their conference, never cited on their own.
        basis_items = items.visible_items(actor, purpose).exclude(carrier__in=CONFERENCE_CARRIERS)
        item = basis_items.filter(pk=item_id, case=case).first() if str(item_id).isdigit() else None
        if item is None:
            raise InvalidInput(_("Item %(number)s is not an item of this case you may read.") % {"number": item_id},
                               field="basis")
        decision = items.decide(actor, Perm.ITEM_USE_IN_DECISION, item, purpose, case=case)
        if not decision:
            raise InvalidInput(_("“%(title)s” cannot be a basis: %(reason)s.") % {"title": item.title, "reason": decision.reason},
                               field="basis")
        basis.append(item)
    text_item = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.DECISION_TEXT, text=cases.text(text, "text", required=True),
        title=f"Decision: {DecisionKind(kind).label}", fact_date=decided_on, purpose=purpose, field="text",
        category=category or KIND_CATEGORY[kind], classification=classification)
    formal = FormalDecision.objects.create(case=case, agency_id=actor.agency_id, kind=kind, decided_on=decided_on,
                                           text_item=text_item, decided_by=actor, recorded_at=timezone.now())
    formal.basis.set(basis)
    record(actor=actor, operation=Operation.CREATE, obj=formal, case_id=case.pk, purpose=purpose,
           detail={"kind": kind, "basis": [i.pk for i in basis], "text_item": text_item.pk}, concerning=basis)
    if kind in (DecisionKind.TEMPORARY_RELEASE, DecisionKind.REGIME):
        case_moment.send(sender="decisions", case_id=case.pk)  # a leave or an open regime: a conference first
    return formal


def decisions_for_case(*, actor, case_id, purpose: str, case=None, reading=None):
    """Decisions on a visible case whose text the actor may read, each with only the basis items
    the actor may read. A decision whose text the actor may not read is absent: it is never loaded,
    listed or counted. The policy decides on the case's item facts (`CaseReading`); a caller that
    loaded the case, or read it already, passes it."""
    case = cases.decided_case(actor=actor, case_id=case_id, purpose=purpose, case=reading.case if reading else case)
    reading = reading or CaseReading(actor, case, purpose)
    readable = reading.readable()
    chosen = [pk for pk, text in FormalDecision.objects.filter(case_id=reading.case.pk)
              .values_list("pk", "text_item_id") if text in readable]
    basis = items_with_case(InformationItem.objects.defer(*SOURCE_FIELDS))
    decisions = list(FormalDecision.objects.filter(pk__in=chosen).select_related("agency", "decided_by", "text_item__case")
                     .defer(*(f"text_item__{name}" for name in SOURCE_FIELDS))
                     .prefetch_related(Prefetch("basis", queryset=basis)))
    # Each text and each basis item decided again as loaded (an amendment, a retraction, a revoked
    # disclosure since the reading counts); a basis item the reader may not read is not shown.
    texts = reading.confirm([d.text_item for d in decisions])
    decisions = [d for d in decisions if d.text_item_id in texts]
    shown = reading.confirm([i for d in decisions for i in d.basis.all() if i.pk in readable])
    named = {**texts, **shown}
    record(actor=actor, operation=Operation.LIST, object_type="decisions.formaldecision", case_id=reading.case.pk,
           purpose=purpose, detail={"count": len(decisions),
                                    "items": {str(pk): decision.reason for pk, (_, decision) in named.items()}},
           concerning=[item for item, _ in named.values()])
    return [(d, [i for i in d.basis.all() if i.pk in shown]) for d in decisions]
