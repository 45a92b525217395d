"""Use cases of information items: record, amend, read, list, derive (tearline), retract.

Every read goes through `policy.decide_item` on facts loaded by casebridge.items.facts, every list
through `policy.visible_items` (the same rules as a filter): items refused never leave this module.
"""

from datetime import date

from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.cases.signals import case_moment
from casebridge.errors import Forbidden, InvalidInput, NotVisible, StaleVersion
from casebridge.items import tearline
from casebridge.items.facts import facts_for, item_facts, items_with_case, records_by_id
from casebridge.items.fields import item_fields
from casebridge.items.models import (CARRIER_DEFAULTS, CONFERENCE_CARRIERS, SOURCE_FIELDS, Carrier, InformationItem,
                                     ItemVersion)
from casebridge.items.reading import CaseReading, decided_rows
from casebridge.locking import lock_rows
from casebridge.policy import Perm
from casebridge.rows import by_key
from casebridge.vocabulary import Category, Purpose

ITEM = "items.informationitem"
EDITABLE = ("category", "nature", "title", "body", "fact_date", "classification", "orcon", "no_decision",
            "no_cross_border", "intelligence", "source_reliability", "information_accuracy", "source_text",
            "method_text")


def today() -> date:
    return timezone.localdate()


def check_purpose(purpose: str, actor=None) -> str:
    """The purpose, if known and (given the actor) one their role may declare (policy.decide_purpose)."""
    if purpose not in Purpose.values:
        raise InvalidInput(_("Unknown purpose %(purpose)r.") % {"purpose": purpose}, field="purpose")
    if actor is not None:
        decision = policy.decide_purpose(actor, purpose)
        if not decision:
            raise InvalidInput(f"{decision.reason[0].upper()}{decision.reason[1:]}.", field="purpose",
                               code="purpose_reserved")
    return purpose


def visible_items(actor, purpose: str):
    """The items the actor may read; their source and method stay in the database (the manager defers them)."""
    return InformationItem.objects.filter(policy.visible_items(actor, check_purpose(purpose, actor), today()))


def load_source_and_method(actor, item: InformationItem) -> bool:
    """Read the item's source and method from the database, for the originating agency only.
    Returns whether they were loaded; for anyone else they are never selected."""
    if not policy.may_see_source_and_method(actor, item):
        return False
    row = InformationItem.objects.filter(pk=item.pk, originating_agency_id=actor.agency_id) \
        .values_list(*SOURCE_FIELDS).first()
    if row is None:
        return False
    item.source_text, item.method_text = row
    return True


def decide(actor, perm: Perm, item: InformationItem, purpose: str, case=None, world=None) -> policy.Decision:
    """The policy's answer for one loaded item (facts loaded here unless given)."""
    case = case or cases.load_case(item.case_id)
    world = world or facts_for(actor, [item])
    return policy.decide_item(actor, perm, item_facts(item), cases.case_facts(case), world, purpose, today())


def _load(item_id) -> InformationItem:
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise NotVisible("no such item") from None
    item = by_key(items_with_case(InformationItem.objects.filter(pk=item_id)))
    if item is None:
        raise NotVisible("no such item")
    return item


def _recipients(actor, items) -> list[str]:
    return [actor.agency.name] if any(i.originating_agency_id != actor.agency_id for i in items) else []


def get_item(*, actor, item_id, purpose: str, perm: Perm = Perm.ITEM_READ, audit: bool = True,
             display: bool = True):
    """The item and the decision with its basis: 404 if unreadable, 403 if readable but not `perm`.
    `item.case` comes with its members and team for the callers too (only what the policy reads
    with `display` False: `cases.load_case`)."""
    check_purpose(purpose, actor)
    item = _load(item_id)
    if item.carrier in CONFERENCE_CARRIERS and (item.author_id != actor.pk or perm == Perm.ITEM_DISCLOSE):
        # Read with its conference (docs/conferences.md): only its author opens one; nobody discloses one alone.
        raise (NotVisible if item.author_id != actor.pk else Forbidden)("a conference text stays with its conference")
    item.case = case = cases.load_case(item.case_id, display=display)
    world = facts_for(actor, [item])
    decision = policy.require_item(actor, perm, item_facts(item), cases.case_facts(case), world, purpose, today())
    if audit:
        basis = decide(actor, Perm.ITEM_READ, item, purpose, case, world).reason
        record(actor=actor, operation=Operation.READ, obj=item, case_id=item.case_id, purpose=purpose,
               recipients=_recipients(actor, [item]), detail={"basis": basis, "version": item.version},
               concerning=[item])
    return item, decision


def timeline(*, actor, case_id, purpose: str, offset: int = 0, limit: int = 50, category: str | None = None,
             case=None, reading=None, where=None):
    """One page of the records on a case the actor may read, newest first, each with its basis,
    and the count of all such records (narrowed by `where`, see `CaseReading.records`). Audited as one
    listing naming every item shown. A caller that loaded the case (or a `CaseReading` of it) already
    passes it; the policy decides here."""
    check_purpose(purpose, actor)
    if category and category not in Category.values:
        raise InvalidInput(_("Unknown category %(category)r.") % {"category": category}, field="category")
    case = cases.decided_case(actor=actor, case_id=case_id, purpose=purpose, case=reading.case if reading else case)
    reading = reading or CaseReading(actor, case, purpose)
    ids = reading.records(category or None, where)
    shown = _loaded(ids[offset:offset + limit], reading)
    record(actor=actor, operation=Operation.LIST, object_type=ITEM, case_id=reading.case.pk, purpose=purpose,
           recipients=_recipients(actor, [i for i, _ in shown]),
           detail={"items": {str(i.pk): d.reason for i, d in shown}, "total": len(ids), "offset": offset},
           concerning=[i for i, _ in shown])
    return shown, len(ids)


def _loaded(ids: list[int], reading) -> list[tuple[InformationItem, policy.Decision]]:
    """The items of `ids` (which `reading` allowed), loaded as records in the order of `ids`, each
    decided again on the row as loaded (`CaseReading.confirm`): an amendment, retraction or
    withholding committed since the reading's facts were read counts (refuse rather than trust; on
    PostgreSQL each query of a request sees what has committed by then)."""
    shown = reading.confirm(list(records_by_id(ids, reading.case).values()))
    return [shown[pk] for pk in ids if pk in shown]


def record_item(*, actor, case_id, data: dict, purpose: str) -> InformationItem:
    """Record a new item on a case the actor works on; the actor's agency is its originator."""
    check_purpose(purpose, actor)
    if not policy.role_allows(actor, Perm.ITEM_RECORD):
        raise Forbidden(_("your role does not record items"))
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False, display=False)
    item = _create(actor, case, item_fields(actor, data), purpose)
    if item.category == Category.RISK_AND_NEEDS_ASSESSMENT:
        case_moment.send(sender="items", case_id=case.pk)  # a new risk assessment may call for a conference
    return item


def _create(actor, case, fields: dict, purpose: str, carrier: str = Carrier.RECORD) -> InformationItem:
    """The one place an item is created for its writer's agency, with its audit event."""
    now = timezone.now()
    item = InformationItem.objects.create(case=case, originating_agency_id=actor.agency_id, author=actor,
                                          carrier=carrier, created_at=now, updated_at=now, **fields)
    record(actor=actor, operation=Operation.CREATE, obj=item, case_id=case.pk, purpose=purpose,
           detail={"category": item.category, "classification": item.classification, "carrier": carrier,
                   "handling": item.handling_codes, "intelligence": item.intelligence})
    return item


def record_carried_text(*, actor, case, carrier: str, text: str, title: str, fact_date: date, purpose: str,
                        field: str, category: str | None = None, classification=None,
                        orcon: bool = False) -> InformationItem | None:
    """Record a text of the case record (a handover note, the summary, a decision's text ...) as an
    item originated by the writer's agency, validated and audited exactly as any item. Category and
    classification default to the carrier's (RESTRICTED but for responsibilities), never above the
    writer's clearance; `orcon` keeps it from moving by agreement (a text naming a discreet member).
    Returns None for an empty text; refusals name `field`, the caller's own field."""
    body = cases.text(text, field)
    if not body:
        return None
    default_category, nature, default_level = CARRIER_DEFAULTS[carrier]
    level = min(default_level, actor.clearance) if classification in (None, "") else classification
    data = {"category": category or default_category, "nature": nature, "title": title, "body": body,
            "fact_date": min(fact_date, today()), "classification": level, "orcon": orcon}
    try:
        fields = item_fields(actor, data)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=field if exc.field in ("body", "title", "fact_date") else exc.field) \
            from None
    return _create(actor, case, fields, purpose, carrier=carrier)


def amend_carried_text(*, actor, item: InformationItem, text: str, purpose: str, field: str,
                       change_note: str) -> InformationItem:
    """A new version of a carried text of the actor's agency (the earlier text is kept as a version)."""
    data = {**{name: getattr(item, name) for name in EDITABLE}, "body": text}
    try:
        return amend_item(actor=actor, item_id=item.pk, data=data, change_note=change_note, purpose=purpose)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=field) from None


def confirmed(actor, case, found, purpose: str) -> dict[int, tuple[InformationItem, policy.Decision]]:
    """Loaded items of one case, each with its read decision (its basis); those the policy refuses
    are dropped here and never leave this module."""
    if not found:
        return {}
    return decided_rows(actor, found, cases.case_facts(case), facts_for(actor, found), purpose, today())


def readable_derivatives(actor, item: InformationItem, purpose: str) -> list[InformationItem]:
    """The derivatives (tearlines) of an item the actor has read, those the actor may read, each
    decided by the policy on its facts (`item.case` as `get_item` loaded it: derivatives share it)."""
    found = list(items_with_case(InformationItem.objects.filter(derived_from=item, case_id=item.case_id)))
    if not found:
        return []
    return [derivative for derivative, _ in confirmed(actor, item.case, found, purpose).values()]


def readable_carried(*, actor, case, purpose: str, audit: bool = True, reading=None) -> dict[int, InformationItem]:
    """The carried texts of a case the actor may read, by item id (decision texts are read with their
    decisions, by casebridge.decisions.services): decided by the policy on the case's item facts
    (`CaseReading`), only those allowed loaded, audited as one listing naming each text and its basis.
    A text missing from the answer is not shown at all: not blanked, not counted."""
    reading = reading or CaseReading(actor, case, purpose)
    shown = _loaded(reading.carried(CARRIED_ON_PAGE), reading)
    if audit and shown:
        record(actor=actor, operation=Operation.LIST, object_type=ITEM, case_id=case.pk, purpose=purpose,
               recipients=_recipients(actor, [i for i, _ in shown]),
               detail={"items": {str(i.pk): d.reason for i, d in shown}, "carried": True},
               concerning=[i for i, _ in shown])
    return {item.pk: item for item, _ in shown}


# The carried texts the case page shows in their places (decision texts come with their decisions).
CARRIED_ON_PAGE = (frozenset(Carrier.values) - {Carrier.RECORD, Carrier.DECISION_TEXT, Carrier.ASSESSMENT}
                   - CONFERENCE_CARRIERS)


def lock_item(item_id) -> None:
    """Lock the item's row (it stands for its versions, disclosures, withholding and release:
    casebridge.locking) before reading it to change it; an id that is no item locks nothing."""
    try:
        lock_rows(InformationItem.objects.filter(pk=int(item_id)))
    except (TypeError, ValueError):
        pass  # the read that follows refuses it (404)


def own_item(actor, item_id, purpose: str, *, lock: bool = False) -> InformationItem:
    """An item of the actor's agency, with its source and method loaded; 403 for another agency's.
    With `lock`, the item is locked first and read as last committed (see `lock_item`)."""
    if lock:
        lock_item(item_id)
    item, _decision = get_item(actor=actor, item_id=item_id, purpose=purpose, audit=False)
    if not load_source_and_method(actor, item):
        raise Forbidden(_("only the originating agency changes an item"))
    return item


def _snapshot(item: InformationItem) -> dict:
    return {name: (str(getattr(item, name)) if name == "fact_date" else getattr(item, name)) for name in EDITABLE}


def amend_item(*, actor, item_id, data: dict, change_note: str, purpose: str, expected_version=None):
    """Amend an item of the actor's agency; the previous text is kept as a version."""
    item = own_item(actor, item_id, purpose, lock=True)
    if item.retracted:
        raise InvalidInput(_("A retracted item cannot be amended."))
    if expected_version is not None and int(expected_version) != item.version:
        raise StaleVersion(_stale_item(item), current_version=item.version)
    fields = item_fields(actor, data, current=item)
    if item.derived_from_id:  # an amendment must not undo the sanitising nor the inherited markings
        original = item.derived_from
        load_source_and_method(actor, original)
        tearline.check(original, fields)
        _keep_inherited(item, fields)
    note = cases.text(change_note, "change_note", required=True)
    ItemVersion.objects.create(item=item, number=item.version, snapshot=_snapshot(item), replaced_at=timezone.now(),
                               replaced_by=actor, change_note=note)
    changed = sorted(k for k, v in fields.items() if getattr(item, k) != v)
    for name, value in fields.items():
        setattr(item, name, value)
    # Compare and set: under the item's lock the version is still the one read; if a caller ever
    # forgot the lock, refuse rather than overwrite.
    if InformationItem.objects.filter(pk=item.pk, version=item.version).update(version=F("version") + 1) != 1:
        raise StaleVersion(_stale_item(InformationItem.objects.get(pk=item.pk)))
    item.version += 1
    item.updated_at = timezone.now()
    item.save()
    record(actor=actor, operation=Operation.UPDATE, obj=item, case_id=item.case_id, purpose=purpose,
           detail={"changed": changed, "version": item.version})
    return item


def _stale_item(item: InformationItem) -> str:
    """Who amended the item last and when (someone of the originating agency, the actor's own)."""
    last = item.versions.select_related("replaced_by").order_by("-number").first()
    who = last.replaced_by.display_name if last else gettext("another person")
    when = formats.date_format(timezone.localtime(last.replaced_at), "DATETIME_FORMAT") if last else "—"
    return gettext("Someone else amended this item since you opened it: %(by)s, %(when)s (now version "
                   "%(version)d). Nothing of your change was saved; the form shows the item as it stands, make "
                   "your change again.") % {"by": who, "when": when, "version": item.version}


def derive_item(*, actor, item_id, data: dict, purpose: str) -> InformationItem:
    """Create a sanitised derivative (tearline) at a lower classification. It inherits the
    original's intelligence flag, NO-DECISION and NO-CROSS-BORDER unless `data["lift"]` names them,
    with `data["lift_reason"]` (kept on the derivative for the originator; the audit event names the
    lifted markings only). Refused when it repeats the original's source or method text."""
    original = own_item(actor, item_id, purpose, lock=True)  # a retraction cannot miss a new derivative
    if original.derived_from_id:
        raise InvalidInput(_("Derive from the original item, not from a derivative."))
    if original.retracted:
        raise InvalidInput(_("A retracted item cannot be derived from."))
    lifted, reason = tearline.lifts(original, data)
    fields = item_fields(actor, {**data, "category": original.category, "nature": data.get("nature") or original.nature,
                             "source_text": "", "method_text": ""})
    tearline.check(original, fields)
    for name in tearline.inherited_markings(original):
        fields[name] = fields[name] or name not in lifted
    now = timezone.now()
    derivative = InformationItem.objects.create(
        case_id=original.case_id, originating_agency_id=original.originating_agency_id, author=actor,
        derived_from=original, created_at=now, updated_at=now, lift_reason=reason,
        **{f"lifted_{name}": True for name in lifted}, **fields)
    record(actor=actor, operation=Operation.CREATE, obj=derivative, case_id=original.case_id, purpose=purpose,
           detail={"derived_from": original.pk, "classification": [original.classification, derivative.classification],
                   "lifted": lifted})
    return derivative


def _keep_inherited(item: InformationItem, fields: dict) -> None:
    """An amendment of a derivative cannot drop a marking inherited from its original."""
    for name in tearline.inherited_markings(item.derived_from):
        if not fields[name] and not getattr(item, f"lifted_{name}"):
            raise InvalidInput(_("This derivative inherits this marking from its original; only lifting it when "
                               "deriving, with a reason, removes it."), field=name)
