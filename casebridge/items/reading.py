"""The items of one case as one reader may read them, decided in memory.

A case page shows a case's items four ways: its timeline, its carried texts (summary, handover
notes ...), the texts and bases of its decisions, and how many items another purpose would show.
Each used to compile and run the policy's query filter of its own. `CaseReading` loads the facts
of every item on the case once (one query of plain values, `facts.case_item_facts`) and the
sharing world the reader's agency decides on once, and asks `policy.decide_item` about each item:
the policy's single-record half, which its property tests prove equal to the filter. Only the items
the decision allows are then loaded as records.

A case holds hundreds of items, seldom thousands, so deciding each costs a few milliseconds; the
query filter stays the tool for lists across cases (search, exports, the benchmark's timeline).
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db import connection

from casebridge import policy
from casebridge.cases import services as cases
from casebridge.items.facts import case_item_facts, item_facts, sharing_facts
from casebridge.items.models import CONFERENCE_CARRIERS, Carrier
from casebridge.policy import Perm


@dataclass(frozen=True)
class CaseItem:
    """One item of the case as the policy sees it, with what the page sorts and groups it by."""

    facts: policy.ItemFacts
    fact_date: date
    carrier: str


class CaseReading:
    """The reader's view of the items of one case, for the length of one request.

    Built on a case the caller loaded (`cases.load_case`). Every decision includes the case's own
    rule, so on a case the reader may not see nothing is readable; the services that answer 404 for
    such a case decide on it first (`cases.decided_case`)."""

    def __init__(self, actor, case, purpose: str):
        from casebridge.items.services import check_purpose  # services builds readings: imported here

        check_purpose(purpose, actor)
        self.actor, self.case, self.purpose = actor, case, purpose
        self.today = cases.today()
        self.items = [CaseItem(facts, day, carrier)
                      for facts, day, carrier in case_item_facts(case.pk, case.client_id)]
        self._by_id = {item.facts.id: item for item in self.items}
        self.case_facts = cases.case_facts(case)
        self._decided: dict[str, dict[int, policy.Decision]] = {}

    @cached_property
    def world(self) -> policy.SharingFacts:
        # The rules that can decide on this case's items: to the reader's agency from the agencies that
        # originated them (an item derived from another is decided on its own originator).
        return sharing_facts(recipient_ids=[self.actor.agency_id], client_ids=[self.case.client_id],
                             originator_ids=self._originators, case_id=self.case.pk)

    @cached_property
    def _originators(self) -> set[int]:
        return {item.facts.originating_agency_id for item in self.items}

    def readable(self, purpose: str | None = None) -> dict[int, policy.Decision]:
        """{item id: read decision} of every item on the case the reader may read for `purpose`
        (the request's purpose unless another is named)."""
        purpose = purpose or self.purpose
        if purpose not in self._decided:
            found = {}
            for item in self.items:
                decision = policy.decide_item(self.actor, Perm.ITEM_READ, item.facts, self.case_facts, self.world,
                                              purpose, self.today)
                if decision:
                    found[item.facts.id] = decision
            self._decided[purpose] = found
        return self._decided[purpose]

    def confirm(self, loaded) -> dict[int, tuple]:
        """{id: (item, read decision)} of items of this case loaded as records, each decided again on
        its own row as loaded and on the sharing world as it is now: an amendment, retraction,
        withholding, revoked disclosure, suspended agreement or withdrawn consent committed since the
        reading counts. Those refused are left out.

        On PostgreSQL (READ COMMITTED) each query sees what has committed by then, so the world is
        read again after the rows, at every call: a section of a page confirmed after another sees a
        withdrawal committed in between. A SQLite transaction reads one snapshot from its first read to
        its end, in which the reading's own world is the world now."""
        world = self.world if _one_snapshot() else sharing_facts(
            recipient_ids=[self.actor.agency_id], client_ids=[self.case.client_id], item_ids=[i.pk for i in loaded],
            originator_ids=self._originators | {i.originating_agency_id for i in loaded})
        # A decision is a function of its facts: where the row and the world are as the reading saw
        # them, the reading's decision is the answer, and deciding again would only repeat it.
        decided = self._decided.get(self.purpose, {})
        same_world = world is self.world or (world.rules == self.world.rules and world.consents == self.world.consents)
        found = {}
        for item in loaded:
            if item.case_id != self.case.pk:
                continue
            facts, seen = item_facts(item), self._by_id.get(item.pk)
            if (item.pk in decided and same_world and seen is not None and facts == seen.facts
                    and world.disclosures.get(item.pk) == self.world.disclosures.get(item.pk)):
                found[item.pk] = (item, decided[item.pk])
                continue
            decision = policy.decide_item(self.actor, Perm.ITEM_READ, facts, self.case_facts, world, self.purpose,
                                          self.today)
            if decision:
                found[item.pk] = (item, decision)
        return found

    def records(self, category: str | None = None, where=None) -> list[int]:
        """Ids of the readable records (not carried texts), newest first, as the timeline orders them;
        `where(case_item)` narrows them further (the timeline's filters)."""
        readable = self.readable()
        chosen = [item for item in self.items if item.facts.id in readable and item.carrier == Carrier.RECORD
                  and (category is None or item.facts.category == category) and (where is None or where(item))]
        chosen.sort(key=lambda item: (item.fact_date, item.facts.id), reverse=True)
        return [item.facts.id for item in chosen]

    def new_since(self, when) -> set[int]:
        """Ids of the readable records others recorded after `when` (the reader's own are no news to
        them): one query for the ids created since, the reading's decisions for which may be read."""
        from casebridge.items.models import InformationItem

        readable = self.readable()
        created = (InformationItem.objects.filter(case_id=self.case.pk, carrier=Carrier.RECORD, created_at__gt=when)
                   .exclude(author_id=self.actor.pk).values_list("pk", flat=True))
        return {pk for pk in created if pk in readable}

    def facts(self, item_id: int) -> policy.ItemFacts:
        """The policy's facts of an item of the case."""
        return self._by_id[item_id].facts

    def fact_date(self, item_id: int) -> date:
        """The fact date of an item of the case (one `records` or `carried` named)."""
        return self._by_id[item_id].fact_date

    def carried(self, carriers) -> list[int]:
        """Ids of the readable items carrying one of `carriers` (texts of the case record), in id order."""
        readable = self.readable()
        return sorted(item.facts.id for item in self.items if item.facts.id in readable and item.carrier in carriers)

    def hidden_by_purpose(self) -> list[tuple[str, str, int]]:
        """Items the reader cannot read for the request's purpose but could for another purpose their
        role may declare: (purpose, label, how many)."""
        shown = self.readable()
        unread = [item.facts for item in self.items if item.facts.id not in shown
                  and item.carrier not in CONFERENCE_CARRIERS]  # read with their conference, never counted here
        found = []
        for other, label in policy.purposes_for(self.actor):
            if other != self.purpose:
                count = sum(1 for facts in unread if policy.decide_item(
                    self.actor, Perm.ITEM_READ, facts, self.case_facts, self.world, other, self.today))
                if count:
                    found.append((other, label, count))
        return found


def confirmed_records(reading: CaseReading, ids) -> dict[int, tuple]:
    """{id: (item, read decision)} of the items of `ids` the reading allows, loaded as records and
    confirmed on their rows (`CaseReading.confirm`), for pages that show texts of a case in places of
    their own (a conference, an assessment)."""
    from casebridge.items.facts import records_by_id

    readable = reading.readable()
    wanted = [pk for pk in dict.fromkeys(ids) if pk in readable]
    shown = reading.confirm(list(records_by_id(wanted, reading.case).values()))
    return {pk: shown[pk] for pk in wanted if pk in shown}


def _one_snapshot() -> bool:
    """Whether every query of the current transaction reads the same snapshot (SQLite, inside one)."""
    return connection.vendor == "sqlite" and connection.in_atomic_block


def decided_rows(actor, loaded, case_facts, world, purpose: str, today) -> dict[int, tuple]:
    """{id: (item, read decision)} of items of one case loaded as records (`items_with_case`), each
    decided on its own row; those the policy refuses are left out."""
    found = {}
    for item in loaded:
        decision = policy.decide_item(actor, Perm.ITEM_READ, item_facts(item), case_facts, world, purpose, today)
        if decision:
            found[item.pk] = (item, decision)
    return found
