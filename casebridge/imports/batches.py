"""One batch of an import, in one transaction: what its lines refer to resolved, each record checked
against what earlier lines and runs imported, then the rows, their mapping rows, the full-text
index and their audit events written together.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.agencies.models import Practitioner
from casebridge.audit import appending
from casebridge.audit.models import Operation
from casebridge.audit.services import record_many
from casebridge.cases import services as cases
from casebridge.cases.facts import agency_facts_of_cases
from casebridge.cases.models import Case, Client, Membership, MembershipPhase, Phase, PhaseChange, TeamAssignment
from casebridge.errors import InvalidInput
from casebridge.imports.models import ImportedRecord, ImportRun, RecordKind
from casebridge.imports.records import Record, Rejected, invalid, parse
from casebridge.imports.writing import ItemWriter, indexed_per_batch, reserve_ids
from casebridge.items.models import Carrier, InformationItem

CLIENT, CASE, ITEM = RecordKind.CLIENT.value, RecordKind.CASE.value, RecordKind.ITEM.value
LOOKUP_CHUNK = 5000  # refs a statement (SQLite takes 32,766 parameters)
OBJECT_TYPES = {CLIENT: "cases.client", CASE: "cases.case", ITEM: "items.informationitem"}


@dataclass(frozen=True)
class Rejection:
    line: int
    ref: str
    code: str
    reason: str


@dataclass
class Outcome:
    """What one batch did."""

    lines: int = 0
    imported: int = 0
    skipped: int = 0
    rejections: list[Rejection] = field(default_factory=list)


class Importer:
    """Imports batch after batch for one run: the actor of the importing agency, the legacy source."""

    def __init__(self, *, actor, run: ImportRun, purpose: str):
        self.actor, self.run, self.purpose = actor, run, purpose
        self.today = timezone.localdate()
        self.writer = ItemWriter()

    def batch(self, lines) -> Outcome:
        """Import `lines`, (line number, text) pairs, in one transaction."""
        outcome, records = Outcome(), []
        for number, text in lines:
            try:
                found = parse(number, text, self.actor)
            except Rejected as exc:
                outcome.rejections.append(Rejection(number, exc.ref, exc.code, exc.reason))
                outcome.lines += 1
                continue
            if found is not None:
                records.append(found)
                outcome.lines += 1
        with transaction.atomic():
            accepted = self._resolve(records, outcome)
            self._write(accepted)
            outcome.imported = len(accepted)
            ImportRun.objects.filter(pk=self.run.pk).update(
                lines=F("lines") + outcome.lines, imported=F("imported") + outcome.imported,
                skipped=F("skipped") + outcome.skipped, rejected=F("rejected") + len(outcome.rejections))
        outcome.rejections.sort(key=lambda r: r.line)
        return outcome

    # --- what the lines refer to ---------------------------------------------------------------

    def _mapped(self, records: list[Record]) -> dict[tuple[str, str], tuple[int, str]]:
        """{(kind, ref): (object id, digest)} of the batch's records and the records they refer to,
        as earlier batches and runs of this agency and source imported them. One statement a kind,
        in SQL: the ORM prepares each of thousands of refs through the field, at more cost than the
        lookup itself."""
        wanted: dict[str, set[str]] = {CLIENT: set(), CASE: set(), ITEM: set()}
        for r in records:
            wanted[r.kind].add(r.ref)
            if r.kind == CASE:
                wanted[CLIENT].add(r.parent)
            elif r.kind == ITEM and not r.data["by_reference"]:
                wanted[CASE].add(r.parent)
        connection, found = transaction.get_connection(), {}
        sql = "SELECT ref, object_id, digest FROM {} WHERE agency_id = %s AND source = %s AND kind = %s AND ref IN ({})"
        table = connection.ops.quote_name(ImportedRecord._meta.db_table)
        with connection.cursor() as cursor:
            for kind, refs in wanted.items():
                refs = sorted(refs)
                for first in range(0, len(refs), LOOKUP_CHUNK):
                    chunk = refs[first:first + LOOKUP_CHUNK]
                    cursor.execute(sql.format(table, ", ".join(["%s"] * len(chunk))),
                                   [self.actor.agency_id, self.run.source, kind, *chunk])
                    found.update(((kind, ref), (pk, digest)) for ref, pk, digest in cursor.fetchall())
        return found

    def _writable(self, records: list[Record], mapped: dict) -> tuple[dict[str, int], set[int]]:
        """The ids of the cases items name by Casebridge reference, and which existing cases named
        by the items the policy lets the agency import into (policy.decide_import)."""
        references = {r.parent for r in records if r.kind == ITEM and r.data["by_reference"]}
        by_reference = dict(Case.objects.filter(reference__in=references).values_list("reference", "pk")) \
            if references else {}
        ids = set(by_reference.values()) | {pk for (kind, _ref), (pk, _d) in mapped.items() if kind == CASE}
        facts = agency_facts_of_cases(ids, self.actor.agency_id) if ids else {}
        allowed = {pk for pk, case in facts.items() if policy.decide_import(self.actor, case, self.today)}
        return by_reference, allowed

    def _resolve(self, records: list[Record], outcome: Outcome) -> list[Record]:
        """The records to write, in line order; the others skipped (imported already, same content)
        or rejected (a ref imported with other content, or what they refer to unknown)."""
        mapped = self._mapped(records)
        by_reference, allowed = self._writable(records, mapped)
        coordinators = self._coordinators(records)
        seen: dict[tuple[str, str], Record] = {}
        accepted = []
        for r in records:
            prior = seen.get((r.kind, r.ref))
            digest = prior.digest if prior else mapped.get((r.kind, r.ref), (None, None))[1]
            try:
                if digest is not None:
                    if digest != r.digest:
                        raise Rejected("ref_conflict", _("This ref was imported before with other content; "
                                                         "an import never overwrites."))
                    outcome.skipped += 1
                    continue
                if r.kind == CASE:
                    self._case(r, seen, mapped, coordinators)
                elif r.kind == ITEM:
                    self._item_case(r, seen, mapped, by_reference, allowed)
            except Rejected as exc:
                outcome.rejections.append(Rejection(r.line, r.ref, exc.code, exc.reason))
                continue
            seen[(r.kind, r.ref)] = r
            accepted.append(r)
        return accepted

    def _coordinators(self, records: list[Record]) -> dict[str, Practitioner]:
        names = {r.data["coordinator"].strip() for r in records if r.kind == CASE and r.data.get("coordinator")}
        found = Practitioner.objects.filter(username__in=names, agency_id=self.actor.agency_id).select_related("agency")
        return {p.username: p for p in found} if names else {}

    def _case(self, r: Record, seen: dict, mapped: dict, coordinators: dict) -> None:
        """Check a case line as opening a case checks it; its client from this batch or an earlier one."""
        client = seen.get((CLIENT, r.parent))
        if client is None and (CLIENT, r.parent) not in mapped:
            raise Rejected("unknown_client", _("No client with this ref was imported from this source before "
                                               "this line."))
        data = r.data
        name = (data.get("coordinator") or "").strip()
        coordinator = coordinators.get(name) if name else self.actor
        if coordinator is None:
            raise Rejected("invalid_value", _("coordinator: no practitioner of your agency has this username."))
        try:
            dates = cases.check_opening(self.actor, phase=data["phase"], phase_date=data["opened_on"],
                                        coordinator=coordinator, key_dates=data)
        except InvalidInput as exc:
            raise invalid(exc) from None
        r.fields = {"phase": data["phase"], "opened_on": data["opened_on"], "coordinator": coordinator, **dates}
        r.data = {"client": client, "client_id": None if client else mapped[(CLIENT, r.parent)][0]}

    def _item_case(self, r: Record, seen: dict, mapped: dict, by_reference: dict, allowed: set) -> None:
        """The case of an item: opened by this batch, or one the agency may import into. A case the
        agency may not see is refused exactly as one that does not exist (no existence leak)."""
        if r.data["by_reference"]:
            case_id = by_reference.get(r.parent)
        else:
            opened = seen.get((CASE, r.parent))
            if opened is not None:
                r.data["case"] = opened
                return
            case_id = mapped.get((CASE, r.parent), (None,))[0]
        if case_id is None or case_id not in allowed:
            raise Rejected("unknown_case", _("No such case, or your agency may not import into it."))
        r.data["case_id"] = case_id

    # --- writing ---------------------------------------------------------------------------------

    def _write(self, accepted: list[Record]) -> None:
        by_kind = {CLIENT: [], CASE: [], ITEM: []}
        for r in accepted:
            by_kind[r.kind].append(r)
        now = timezone.now()
        for kind, model in ((CLIENT, Client), (CASE, Case), (ITEM, InformationItem)):
            for r, pk in zip(by_kind[kind], reserve_ids(model, len(by_kind[kind]))):
                r.pk = pk
        events = self._clients(by_kind[CLIENT]) + self._cases(by_kind[CASE], now) + self._items(by_kind[ITEM], now)
        appending.insert(transaction.get_connection(), ImportedRecord, [
            {"agency_id": self.actor.agency_id, "source": self.run.source, "kind": r.kind, "ref": r.ref,
             "object_id": r.pk, "digest": r.digest, "run_id": self.run.pk, "line": r.line} for r in accepted])
        record_many(events)

    def _event(self, r: Record, case_id: int, detail: dict) -> dict:
        return dict(actor=self.actor, operation=Operation.CREATE, object_type=OBJECT_TYPES[r.kind], object_id=r.pk,
                    case_id=case_id, purpose=self.purpose, detail={**detail, "import": self.run.pk})

    def _clients(self, records: list[Record]) -> list[dict]:
        Client.objects.bulk_create([Client(pk=r.pk, **r.fields) for r in records])
        return [self._event(r, None, {}) for r in records]

    def _cases(self, records: list[Record], now) -> list[dict]:
        """Each case as `cases.services.open_case` opens one: led by the importing agency, which is
        its core member in every phase, the coordinator on its team, the opening phase recorded."""
        actor, made = self.actor, []
        for r in records:
            f, client = r.fields, r.data["client"]
            made.append(Case(pk=r.pk, reference=f"CB-{f['opened_on'].year}-{r.pk:05d}",
                             client_id=client.pk if client else r.data["client_id"], lead_agency_id=actor.agency_id,
                             coordinator=f["coordinator"], phase=f["phase"], opened_on=f["opened_on"],
                             **{k: v for k, v in f.items() if k not in ("phase", "opened_on", "coordinator")}))
        Case.objects.bulk_create(made)
        leads = Membership.objects.bulk_create([
            Membership(case=c, agency_id=actor.agency_id, point_of_contact=c.coordinator, participation="core",
                       starts_on=c.opened_on) for c in made])
        MembershipPhase.objects.bulk_create([MembershipPhase(membership=m, phase=p) for m in leads for p in Phase.values])
        TeamAssignment.objects.bulk_create([TeamAssignment(case=c, practitioner=c.coordinator, role_on_case="Coordinator",
                                                           assigned_at=now, assigned_by=actor) for c in made])
        PhaseChange.objects.bulk_create([PhaseChange(case=c, from_phase="", to_phase=c.phase, effective_on=c.opened_on,
                                                     recorded_at=now, recorded_by=actor) for c in made])
        return [self._event(r, c.pk, {"reference": c.reference, "phase": c.phase, "client": c.client_id,
                                      "coordinator": c.coordinator.username}) for r, c in zip(records, made)]

    def _items(self, records: list[Record], now) -> list[dict]:
        if not records:
            return []
        actor, drafts, events = self.actor, [], []
        for r in records:
            opened = r.data.get("case")
            case_id = opened.pk if opened is not None else r.data["case_id"]
            f = r.fields
            drafts.append({**f, "id": r.pk, "case_id": case_id, "originating_agency_id": actor.agency_id,
                           "author_id": actor.pk, "carrier": Carrier.RECORD, "created_at": now, "updated_at": now})
            handling = [code for code, on in (("ORCON", f["orcon"]), ("NO-DECISION", f["no_decision"]),
                                              ("NO-CROSS-BORDER", f["no_cross_border"])) if on]
            events.append(self._event(r, case_id, {"category": f["category"], "classification": f["classification"],
                                                   "carrier": Carrier.RECORD.value, "handling": handling,
                                                   "intelligence": f["intelligence"]}))
        with indexed_per_batch(records[0].pk, records[-1].pk):
            self.writer.write(drafts)
        return events
