"""What each persona may meet in a response: computed from the records of the world, never listed.

Every record holding case content becomes a `Record`: the marker strings it carries and who may read
it. A persona's forbidden strings, for a purpose, are the strings of the records they may not read,
minus any string they meet legitimately in a record they may read (a derivative may repeat words of
its original; the same text may be held both as an item and in an older field).

Who may read what:
- an information item (title, body, attachment names and contents, older versions, change notes,
  retraction reason): whoever `policy.decide_item(persona, ITEM_READ, …)` allows for that purpose,
  on the facts casebridge.items.facts loads for the item services; and a data protection officer,
  for the subject access pages, the items `ITEM_INCLUDE_IN_SUBJECT_ACCESS` lets in that their
  agency originated or receives (a basis for some purpose) — never a derivative of intelligence;
- source and method: only a reader of the item in its originating agency;
- a disclosure's justification: a reader of the item in the originating or the receiving agency,
  the two pages that list disclosures (the item page and the case's disclosures) showing it there;
- free text held outside items (case summary, phase handover notes, membership responsibilities,
  team handover notes, decision texts, the client's residency note): through its carrier item when
  the model has a foreign key to an information item; otherwise only a practitioner of the agency
  that wrote it who may see the case (or that agency's data protection officer);
- a discreet membership (the model's `discreet` flag, or an intelligence service where the model has
  none): the agency's name and the names of its people on the case, only to that agency and to the
  agencies that are core members of the case. The secret is that the agency works the case, not
  that it exists: the directories that name every agency whatever its cases (DIRECTORIES) may;
- text held in a row another row's item governs (a CaseReflector rating's note, read with its session):
  whoever may read that item;
- the words Omar typed into search and the name Xavier looked up: nobody. The crawl never types them,
  so no page may echo them back, and the audit trail holds references, not content.
"""

import re
from dataclasses import dataclass
from typing import Callable

from django.apps import apps
from django.db import models

from casebridge import policy
from casebridge.cases import services as cases
from casebridge.items.facts import item_facts, sharing_facts
from casebridge.items.models import InformationItem
from casebridge.policy import Perm
from casebridge.tests.crawl_world import LOOKED_UP, SEARCHED_BY_OMAR
from casebridge.vocabulary import Purpose

MARKER = re.compile(r"MK[A-Z0-9]+")
# Pages and operations that list agencies and people whatever their cases: no membership in them.
DIRECTORIES = {"/api/agencies", "/api/agencies/{agency_id}", "/api/practitioners", "/api/practitioners/{practitioner_id}",
               "agencies:home", "agencies:agency", "agencies:practitioner", "sharing:agreement_new",
               "sharing:agreement_amend",
               # "Preview as agency X" names the agency the caller chose by its id, and answers for a
               # discreet member exactly as for an agency not on the case (cases/tests/test_discreet.py).
               "items:preview", "/api/cases/{case_id}/preview"}


@dataclass(frozen=True)
class Record:
    kind: str
    strings: frozenset[str]
    readable: Callable  # (persona, purpose) -> bool
    in_directories: bool = True  # False: the strings may appear in DIRECTORIES


def markers(*texts) -> set[str]:
    return {m for text in texts for m in MARKER.findall(text or "")}


class World:
    """Facts loaded once; decisions per persona cached."""

    def __init__(self, cases_):
        self.cases = {c.pk: cases.load_case(c.pk) for c in cases_}
        self.facts = {pk: cases.case_facts(c) for pk, c in self.cases.items()}
        self.items = list(InformationItem.objects.filter(case_id__in=self.cases).select_related(
            "case", "derived_from", "withholding").prefetch_related("attachments", "versions", "disclosures"))
        self._worlds, self._reads = {}, {}

    def _sharing(self, persona):
        if persona.pk not in self._worlds:
            self._worlds[persona.pk] = sharing_facts(recipient_ids=[persona.agency_id],
                                                     client_ids={c.client_id for c in self.cases.values()},
                                                     item_ids=[i.pk for i in self.items])
        return self._worlds[persona.pk]

    def decide(self, persona, perm, item, purpose):
        return policy.decide_item(persona, perm, item_facts(item), self.facts[item.case_id], self._sharing(persona),
                                  purpose, cases.today())

    def reads(self, persona, item, purpose) -> bool:
        key = (persona.pk, item.pk, purpose)
        if key not in self._reads:
            self._reads[key] = bool(self.decide(persona, Perm.ITEM_READ, item, purpose))
        return self._reads[key]

    def sees_case(self, persona, case_id) -> bool:
        return bool(policy.decide_case(persona, Perm.CASE_VIEW, self.facts[case_id], cases.today()))

    def answers_subject_access(self, persona, item) -> bool:
        """A DPO's subject access pages: items of their agency's processing that may go to the client."""
        if not policy.role_allows(persona, Perm.SUBJECT_ACCESS):
            return False
        if item.derived_from_id and item.derived_from.intelligence:
            return False  # a derivative inherits its original's exclusion (nothing in this world lifts it)
        if not self.decide(persona, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS, item, Purpose.DATA_PROTECTION):
            return False
        facts, world = item_facts(item), self._sharing(persona)
        return item.originating_agency_id == persona.agency_id or any(
            policy.sharing_basis(persona, facts, world, p, cases.today()) for p in Purpose.values)


def _default_headings() -> set[str]:
    from casebridge.conferences import kinds

    return {str(t.heading) for k in kinds.all_kinds().values() for t in k.agenda} | {str(kinds.FOLLOW_UP_HEADING)}


def _item_records(world: World) -> list[Record]:
    found = []
    for item in world.items:
        if not markers(item.title, item.body) and item.title in _default_headings():
            continue  # a kind's default agenda heading: configuration, the same on every case (/api/conference-kinds)
        files = [a.filename for a in item.attachments.all()]
        data = [bytes(a.data).decode("utf-8", "replace") for a in item.attachments.all()]
        content = markers(item.title, item.body, *files, *data) or {item.title}
        found.append(Record(f"item {item.pk}", frozenset(content),
                            lambda p, purpose, i=item: world.reads(p, i, purpose) or world.answers_subject_access(p, i)))
        history = markers(item.retraction_reason, *(v.change_note for v in item.versions.all()),
                          *(f"{v.snapshot.get('title')} {v.snapshot.get('body')}" for v in item.versions.all()))
        if history:
            found.append(Record(f"history of item {item.pk}", frozenset(history),
                                lambda p, purpose, i=item: world.reads(p, i, purpose)))
        hidden = markers(getattr(item, "source_text", ""), getattr(item, "method_text", ""))
        if hidden:
            found.append(Record(f"source and method of item {item.pk}", frozenset(hidden),
                                lambda p, purpose, i=item: world.reads(p, i, purpose)
                                and p.agency_id == i.originating_agency_id))
        for disclosure in item.disclosures.all():
            found.append(Record(f"justification of disclosure {disclosure.pk}",
                                frozenset(markers(disclosure.justification)),
                                lambda p, purpose, i=item, d=disclosure: world.reads(p, i, purpose)
                                and p.agency_id in (i.originating_agency_id, d.recipient_id)))
    return found


# Free text that today lives outside items: (model, field, the case it belongs to, the writing agency).
FREE_TEXTS = [
    ("cases.Case", "summary", lambda r: r.pk, lambda r: r.lead_agency_id),
    ("cases.PhaseChange", "handover_note", lambda r: r.case_id, lambda r: r.recorded_by.agency_id),
    ("cases.Membership", "responsibilities", lambda r: r.case_id, lambda r: r.case.lead_agency_id),
    ("cases.TeamAssignment", "handover_note", lambda r: r.case_id,
     lambda r: (r.released_by or r.assigned_by).agency_id),
    ("decisions.FormalDecision", "text", lambda r: r.case_id, lambda r: r.agency_id),
    ("cases.Client", "residency_note", lambda r: r.cases.first().pk, lambda r: r.cases.first().lead_agency_id),
]


def _carrier(row) -> InformationItem | None:
    """The information item carrying this row's text, where the model has such a foreign key."""
    for field in row._meta.get_fields():
        if isinstance(field, (models.ForeignKey, models.OneToOneField)) and field.related_model is InformationItem:
            carried = getattr(row, field.name)
            if carried is not None:
                return carried
    return None


def _writer_reads(world, persona, case_id, agency_id) -> bool:
    if persona.agency_id != agency_id:
        return False
    return world.sees_case(persona, case_id) or policy.role_allows(persona, Perm.SUBJECT_ACCESS)


def _free_text_records(world: World) -> list[Record]:
    found = []
    for label, name, case_of, writer_of in FREE_TEXTS:
        model = apps.get_model(label)
        if name not in {f.name for f in model._meta.get_fields()}:
            continue  # the text moved (into an item, which the item records cover)
        for row in model.objects.all():
            strings = markers(getattr(row, name))
            if not strings:
                continue
            carrier = _carrier(row)
            if carrier is not None:
                carrier = next(i for i in world.items if i.pk == carrier.pk)
                readable = (lambda p, purpose, i=carrier: world.reads(p, i, purpose)
                            or world.answers_subject_access(p, i))
            else:
                readable = (lambda p, purpose, c=case_of(row), a=writer_of(row): _writer_reads(world, p, c, a))
            found.append(Record(f"{label}.{name} {row.pk}", frozenset(strings), readable))
    return found


# Text held in a row governed by another row's item: (model, field, the path to the governing item).
GOVERNED_TEXTS = [("reflector.Rating", "note", "session__text_item")]


def _governed_records(world: World) -> list[Record]:
    found = []
    for label, name, path in GOVERNED_TEXTS:
        for row in apps.get_model(label).objects.values("pk", name, path):
            strings = markers(row[name])
            if strings:
                item = next(i for i in world.items if i.pk == row[path])
                found.append(Record(f"{label}.{name} {row['pk']}", frozenset(strings),
                                    lambda p, purpose, i=item: world.reads(p, i, purpose)))
    return found


def _discreet(membership) -> bool:
    flag = getattr(membership, "discreet", None)
    return membership.agency.kind == "intelligence" if flag is None else bool(flag)


def _discreet_records(world: World) -> list[Record]:
    found = []
    for case in world.cases.values():
        core = {m.agency_id for m in case.memberships.all() if m.participation == "core"}
        for m in case.memberships.all():
            if not _discreet(m):
                continue
            people = {m.point_of_contact, m.deputy, *(a.practitioner for a in case.team.all())}
            names = {m.agency.name} | {p.display_name for p in people if p is not None and p.agency_id == m.agency_id}
            found.append(Record(f"discreet membership {m.pk}", frozenset(names),
                                lambda p, purpose, own=m.agency_id, c=frozenset(core): p.agency_id == own
                                or p.agency_id in c, in_directories=False))
    return found


def records(world: World) -> list[Record]:
    typed = Record("words typed into search and lookup", frozenset({SEARCHED_BY_OMAR, *LOOKED_UP}),
                   lambda p, purpose: False)
    return [*_item_records(world), *_free_text_records(world), *_governed_records(world), *_discreet_records(world),
            typed]


def forbidden(all_records: list[Record], persona, purpose) -> dict[str, Record]:
    """The strings `persona` must not meet under `purpose`, each with the record it comes from."""
    allowed = {s.casefold() for r in all_records if r.readable(persona, purpose) for s in r.strings}
    refused = {}
    for record in all_records:
        if record.readable(persona, purpose):
            continue
        for string in record.strings:
            folded = string.casefold()
            if not any(folded in seen for seen in allowed):
                refused[string] = record
    return refused


def applies(record: Record, route: str) -> bool:
    """Whether a forbidden string of `record` counts in a response of `route`."""
    return record.in_directories or route not in DIRECTORIES
