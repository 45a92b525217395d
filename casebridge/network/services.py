"""Mapping the client's support network: recording, changing and ending ties, and reading the map.

A tie's name and notes are an item of the recorder's agency (`Carrier.NETWORK_TIE`), recorded and
audited like any item; a tie is shown only to those the sharing rule lets read that item
(`assessments` works the same way). Only the recorder's agency changes or ends a tie; every change
compares and sets `version`, so a change made on a stale page is refused, never applied over another.
Lock order (casebridge.locking): the tie, then its item, then the audit chain.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.errors import BeyondAuthority, InvalidInput, NotVisible, StaleVersion
from casebridge.items import services as items
from casebridge.items.models import Carrier, InformationItem
from casebridge.items.reading import CaseReading, confirmed_records
from casebridge.locking import compare_and_set, lock_rows
from casebridge.network.models import EndReason, Kind, Relation, Stance, Strength, Tie
from casebridge.policy import Perm

NAME_LENGTH = 120


def _choice(value, choices, field: str, message: str):
    if value in choices.values:
        return value
    if isinstance(value, str) and value.isdigit() and int(value) in choices.values:
        return int(value)
    raise InvalidInput(message, field=field)


def _name(value) -> str:
    name = cases.text(value, "name", required=True, max_length=NAME_LENGTH)
    if "\n" in name or "\r" in name:
        raise InvalidInput(_("A name is one line."), field="name")
    return name


def _body(name: str, notes: str) -> str:
    """The item's body: the name, then the notes after a blank line (models.py says why)."""
    notes = cases.text(notes, "notes")
    return f"{name}\n\n{notes}" if notes else name


def notes_of(item: InformationItem) -> str:
    """The notes of a tie's item (its body after the name)."""
    return item.body.partition("\n\n")[2]


def map_tie(*, actor, case_id, name: str, kind: str, relation: str, stance: str, strength, purpose: str,
            notes: str = "", classification=None) -> Tie:
    """Record a person or organisation around the client, for the actor's agency."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    name = _name(name)
    kind = _choice(kind, Kind, "kind", _("Choose a person or an organisation."))
    relation = _choice(relation, Relation, "relation", _("Choose what they are to the client."))
    stance = _choice(stance, Stance, "stance", _("Choose supportive, ambivalent or opposing."))
    strength = _choice(strength, Strength, "strength", _("Choose weak, moderate or strong."))
    item = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.NETWORK_TIE, text=_body(name, notes), title=name,
        fact_date=cases.today(), purpose=purpose, field="notes", classification=classification)
    tie = Tie.objects.create(case=case, agency_id=actor.agency_id, recorded_by=actor, kind=kind, relation=relation,
                             stance=stance, strength=strength, text_item=item, recorded_at=timezone.now())
    record(actor=actor, operation=Operation.CREATE, obj=tie, case_id=case.pk, purpose=purpose,
           detail={"text_item": item.pk, "relation": relation, "stance": stance, "strength": strength})
    return tie


def _own_tie(actor, tie_id, purpose: str, expected_version) -> Tie:
    """The tie, locked and read as last committed, if the actor may read it (404 otherwise) and its
    agency recorded it (403 otherwise), still current and at `expected_version` (409 otherwise)."""
    if not str(tie_id or "").isdigit() or not lock_rows(Tie.objects.filter(pk=int(tie_id))):
        raise NotVisible("no such tie")
    tie = Tie.objects.select_related("changed_by__agency").get(pk=int(tie_id))
    case = cases.load_case(tie.case_id)
    policy.require_case(actor, Perm.CASE_VIEW, cases.case_facts(case), cases.today())
    item = InformationItem.objects.get(pk=tie.text_item_id)
    if not items.decide(actor, Perm.ITEM_READ, item, purpose, case=case):
        raise NotVisible("tie not readable")
    if tie.agency_id != actor.agency_id:
        raise BeyondAuthority(_("Only the agency that mapped this tie changes or ends it."))
    if not tie.current:
        raise StaleVersion(_("This tie was ended already."), current_version=tie.version)
    if expected_version in (None, "") or int(expected_version) != tie.version:
        by = tie.changed_by.display_name if tie.changed_by else _("someone")
        raise StaleVersion(_("%(by)s changed this tie since you opened it; nothing of your change was saved. "
                             "Look at it again and make your change.") % {"by": by}, current_version=tie.version)
    tie.case, tie.text_item = case, item
    return tie


def change_tie(*, actor, tie_id, expected_version, purpose: str, stance=None, strength=None,
               notes: str | None = None) -> Tie:
    """Change a tie's stance, strength or notes (its agency); refused if changed since `expected_version`."""
    tie = _own_tie(actor, tie_id, purpose, expected_version)
    fields = {}
    if stance not in (None, "") and stance != tie.stance:
        fields["stance"] = _choice(stance, Stance, "stance", _("Choose supportive, ambivalent or opposing."))
    if strength not in (None, "") and str(strength) != str(tie.strength):
        fields["strength"] = _choice(strength, Strength, "strength", _("Choose weak, moderate or strong."))
    body = _body(tie.text_item.title, notes) if notes is not None else tie.text_item.body
    notes_changed = body != tie.text_item.body
    if not fields and not notes_changed:
        raise InvalidInput(_("Change the stance, the strength or the notes."), field="stance")
    if notes_changed:
        items.amend_carried_text(actor=actor, item=tie.text_item, text=body, purpose=purpose, field="notes",
                                 change_note=_("Notes of a support-network tie changed."))
    before = {name: getattr(tie, name) for name in fields}
    if not compare_and_set(tie, actor, **fields):
        raise StaleVersion(_("Someone changed this tie at the same moment; look again."))
    record(actor=actor, operation=Operation.UPDATE, obj=tie, case_id=tie.case_id, purpose=purpose,
           detail={"changed": {name: [before[name], value] for name, value in fields.items()},
                   "notes_changed": notes_changed, "version": tie.version})
    return tie


def end_tie(*, actor, tie_id, expected_version, reason: str, purpose: str) -> Tie:
    """End a tie (its agency): it leaves the picture and stays on record with when, by whom and why."""
    tie = _own_tie(actor, tie_id, purpose, expected_version)
    reason = _choice(reason, EndReason, "reason", _("Choose why the tie ended."))
    if not compare_and_set(tie, actor, ended_at=timezone.now(), end_reason=reason):
        raise StaleVersion(_("Someone changed this tie at the same moment; look again."))
    record(actor=actor, operation=Operation.UPDATE, obj=tie, case_id=tie.case_id, purpose=purpose,
           detail={"ended": reason, "version": tie.version})
    return tie


@dataclass
class Reading:
    """One tie as its reader may see it: the tie, its item, and why the reader may read it."""

    tie: Tie
    item: InformationItem
    basis: str

    @property
    def name(self) -> str:
        return self.item.title

    @property
    def notes(self) -> str:
        return notes_of(self.item)


def readable_network(*, actor, case_id, purpose: str) -> list[Reading]:
    """The case's ties whose item the actor may read, current and ended, in the order they were mapped;
    the others are absent. Audited as one listing of the items shown."""
    case = cases.decided_case(actor=actor, case_id=case_id, purpose=purpose)
    found = list(Tie.objects.filter(case=case).select_related("agency", "recorded_by", "changed_by"))
    shown = confirmed_records(CaseReading(actor, case, purpose), [t.text_item_id for t in found])
    result = [Reading(t, *_pair(shown[t.text_item_id])) for t in found if t.text_item_id in shown]
    if result:
        record(actor=actor, operation=Operation.LIST, object_type="items.informationitem", case_id=case.pk,
               purpose=purpose, detail={"ties": [r.tie.pk for r in result],
                                        "items": {str(r.item.pk): r.basis for r in result}},
               concerning=[r.item for r in result])
    return result


def _pair(confirmed) -> tuple[InformationItem, str]:
    item, decision = confirmed
    return item, decision.reason


def readable_tie(*, actor, tie_id, purpose: str) -> Reading:
    """One tie the actor may read (404 otherwise), read as part of its case's network."""
    tie = Tie.objects.filter(pk=int(tie_id)).first() if str(tie_id or "").isdigit() else None
    if tie is None:
        raise NotVisible("no such tie")
    for reading in readable_network(actor=actor, case_id=tie.case_id, purpose=purpose):
        if reading.tie.pk == tie.pk:
            return reading
    raise NotVisible("tie not readable")
