"""Who would read an item not yet recorded: the "who will see this" preview of the recording form.

The preview asks `decide_item` itself, on the facts the item will have once recorded (`draft_facts`),
for every person on the case team and every purpose that person may declare. There is no second
rule to drift from the first: a test records the item and checks that `decide_item` on the saved
item answers exactly as the preview did, person by person and purpose by purpose.

Pure, like the rest of the policy: the caller passes the team it may list to the author, the
case's facts, the sharing world towards the team's agencies, and today.
"""

from dataclasses import dataclass
from datetime import date

from casebridge.policy.cases import CaseFacts
from casebridge.policy.core import Perm
from casebridge.policy.items import READ_RULES, ItemFacts, SharingFacts, decide_item
from casebridge.policy.purposes import purposes_for

# A draft has no id yet: none an item has, so no disclosure names it.
DRAFT_ID = 0


@dataclass(frozen=True)
class Draft:
    """What the author chose so far: category, classification and markings."""

    category: str
    classification: int
    orcon: bool = False
    no_decision: bool = False
    no_cross_border: bool = False
    intelligence: bool = False


@dataclass(frozen=True)
class Reader:
    """One person on the team and the preview's answer for them: the purposes for which they could
    read the item (none: they could not), and otherwise why not (`refusal`, a rule of READ_RULES or
    "role")."""

    person: object
    purposes: tuple[str, ...]
    refusal: str = ""

    @property
    def reads(self) -> bool:
        return bool(self.purposes)


def draft_facts(author, draft: Draft, case: CaseFacts, client_id: int) -> ItemFacts:
    """The facts the item will have once `author` records it on `case`: their agency originates it."""
    return ItemFacts(id=DRAFT_ID, case_id=case.id, client_id=client_id, originating_agency_id=author.agency_id,
                     category=draft.category, classification=draft.classification, orcon=draft.orcon,
                     no_decision=draft.no_decision, intelligence=draft.intelligence,
                     no_cross_border=draft.no_cross_border, originator_country=author.agency_country)


_RULE_OF_REFUSAL = {rule.refusal: rule.name for rule in READ_RULES}


def audience(item: ItemFacts, case: CaseFacts, team, world: SharingFacts, today: date) -> list[Reader]:
    """For each person of `team`: the purposes they may declare for which `decide_item` lets them
    read `item`, or the rule that refuses them."""
    found = []
    for person in team:
        allowed, refusal = [], ""
        for purpose, _label in purposes_for(person):
            decision = decide_item(person, Perm.ITEM_READ, item, case, world, purpose, today)
            if decision:
                allowed.append(purpose)
            elif not refusal:
                refusal = _RULE_OF_REFUSAL.get(decision.reason, "role")
        found.append(Reader(person, tuple(allowed), "" if allowed else refusal or "role"))
    return found
