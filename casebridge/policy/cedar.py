"""The item rule and its use rights asked of Cedar: a second, independent encoding of DESIGN.md §4.

The rule itself lives in casebridge.cedar next to this module. This module only translates the
facts the Python policy decides on (practitioners, `CaseFacts`, `ItemFacts`, `SharingFacts`) into
Cedar entities, once per world, and asks Cedar. It never applies a condition of the rule itself:

- Cedar has no "there is a ... such that", so each decision becomes one request per candidate
  witness (a membership of the item's case × a claimed basis: origin, each disclosure of the item,
  each agreement rule for the item's originator and the practitioner's agency, alone and with each
  consent of the client). Candidates are picked by identity only, and the decision is allowed when
  any request is permitted; whether a witness holds (dates, phases, status, purposes, categories,
  levels, recipients, revocation, withdrawal) is decided in Cedar.
- Cedar has no date type in the core language, so dates are whole days (`date.toordinal()`).

Every use right is asked: `read`, `reshare`, `use_in_decision` (the reading witnesses), and
`include_in_subject_access` (witnesses: a membership of the principal's agency on the item's case,
any dates, × origin, each disclosure, each agreement rule for each of its purposes, alone and with
each consent).

Practitioners are any objects with `id`, `agency_id`, `agency_kind`, `agency_active`,
`agency_country`, `role`, `clearance` and `is_active` (the Practitioner model, or plain facts).
"""

import json
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from pathlib import Path

import cedarpy

from casebridge.policy.cases import CaseFacts, MembershipFacts
from casebridge.policy.core import Perm
from casebridge.policy.items import ConsentFacts, DisclosureFacts, ItemFacts, RuleFacts, SharingFacts

POLICY_FILE = Path(__file__).with_name("casebridge.cedar")
NAMESPACE = "Casebridge"


class CedarError(RuntimeError):
    """Cedar could not evaluate a request: the encoding and the facts disagree on their shape.

    Raised rather than read as a refusal, so a broken encoding cannot pass the agreement tests by
    denying everything."""


@cache
def policy_set() -> cedarpy.PolicySet:
    """The parsed policies, shared by every call (parsing is Cedar's dominant per-call cost)."""
    return cedarpy.PolicySet.from_str(POLICY_FILE.read_text(encoding="utf-8"))


def _uid(kind: str, key) -> dict:
    return {"type": f"{NAMESPACE}::{kind}", "id": str(key)}


def _ref(kind: str, key) -> dict:
    return {"__entity": _uid(kind, key)}


def _entity(kind: str, key, attrs: dict, parents: Iterable[dict] = ()) -> dict:
    return {"uid": _uid(kind, key), "attrs": attrs, "parents": list(parents)}


def _day(value: date) -> int:
    return value.toordinal()


READ = _uid("Action", "read")
ACTIONS = {Perm.ITEM_READ: READ, Perm.ITEM_RESHARE: _uid("Action", "reshare"),
           Perm.ITEM_USE_IN_DECISION: _uid("Action", "use_in_decision"),
           Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS: _uid("Action", "include_in_subject_access")}


# --- Facts as entities ----------------------------------------------------------------------

def _practitioner(actor, team_case_ids: Iterable[int]) -> dict:
    attrs = {"agency": _ref("Agency", actor.agency_id), "role": str(actor.role), "clearance": int(actor.clearance),
             "is_active": bool(actor.is_active)}
    return _entity("Practitioner", actor.id, attrs, [_uid("Team", case_id) for case_id in team_case_ids])


def _case(case: CaseFacts) -> list[dict]:
    docs = [_entity("Team", case.id, {}),
            _entity("Case", case.id, {"phase": case.phase, "team": _ref("Team", case.id)})]
    docs += [_membership(case, n, m) for n, m in enumerate(case.memberships)]
    return docs


def _membership(case: CaseFacts, n: int, membership: MembershipFacts) -> dict:
    attrs = {"case": _ref("Case", case.id), "agency": _ref("Agency", membership.agency_id),
             "starts_on": _day(membership.starts_on), "phases": sorted(membership.phases)}
    if membership.ends_on is not None:
        attrs["ends_on"] = _day(membership.ends_on)
    return _entity("Membership", f"{case.id}/{n}", attrs)


def _item(item: ItemFacts) -> dict:
    return _entity("Item", item.id, {
        "case": _ref("Case", item.case_id), "client": _ref("Client", item.client_id),
        "originator": _ref("Agency", item.originating_agency_id), "category": item.category,
        "classification": int(item.classification), "orcon": bool(item.orcon), "retracted": bool(item.retracted),
        "intelligence": bool(item.intelligence), "no_decision": bool(item.no_decision),
        "no_cross_border": bool(item.no_cross_border), "originator_country": str(item.originator_country),
        "inherited": sorted(item.inherited), "lifted": sorted(item.lifted), "withheld": bool(item.withheld),
        "original_withheld": bool(item.original_withheld), "released": bool(item.released)})


def _disclosure(disclosure: DisclosureFacts) -> dict:
    return _entity("Disclosure", disclosure.id, {
        "item": _ref("Item", disclosure.item_id), "recipient": _ref("Agency", disclosure.recipient_id),
        "revoked": bool(disclosure.revoked), "allow_decision_use": bool(disclosure.allow_decision_use)})


def _rule(key: str, rule: RuleFacts) -> dict:
    attrs = {"originator": _ref("Agency", rule.originator_id), "recipient": _ref("Agency", rule.recipient_id),
             "category": rule.category, "max_classification": int(rule.max_classification),
             "consent_required": bool(rule.consent_required), "purposes": sorted(rule.purposes),
             "status": str(rule.status), "valid_from": _day(rule.valid_from)}
    if rule.valid_to is not None:
        attrs["valid_to"] = _day(rule.valid_to)
    return _entity("Rule", key, attrs)


def _consent(consent: ConsentFacts) -> dict:
    attrs = {"client": _ref("Client", consent.client_id), "recipient_kind": consent.recipient_kind or "",
             "categories": sorted(consent.categories), "purpose": consent.purpose,
             "given_on": _day(consent.given_on), "withdrawn": bool(consent.withdrawn)}
    if consent.recipient_agency_id is not None:
        attrs["recipient_agency"] = _ref("Agency", consent.recipient_agency_id)
    return _entity("Consent", consent.id, attrs)


# --- Asking ---------------------------------------------------------------------------------

class CedarWorld:
    """Practitioners, cases, items and sharing facts as one parsed Cedar entity set.

    Build it once and ask it many decisions: the entities are parsed once and reused, as are the
    policies."""

    def __init__(self, *, actors: Iterable, cases: Iterable[CaseFacts], items: Iterable[ItemFacts],
                 world: SharingFacts):
        self.cases = {case.id: case for case in cases}
        self.world = world
        self.rule_keys = {id(rule): f"{rule.agreement_id}.{rule.version}.{n}"
                          for n, rule in enumerate(r for rules in world.rules.values() for r in rules)}
        docs = self._documents(list(actors), list(items))
        self.entities = cedarpy.Entities.from_json_str(json.dumps(docs))

    def _documents(self, actors: list, items: list[ItemFacts]) -> list[dict]:
        teams: dict[int, list[int]] = {}
        for case in self.cases.values():
            for person in case.team_ids:
                teams.setdefault(person, []).append(case.id)
        world = self.world
        documents = [
            *(_entity("Agency", a.agency_id, {"kind": str(a.agency_kind), "active": bool(a.agency_active),
                                              "country": str(a.agency_country)}) for a in actors),
            *(_practitioner(a, teams.get(a.id, ())) for a in actors),
            *(doc for case in self.cases.values() for doc in _case(case)),
            *(_item(i) for i in items),
            *(_disclosure(d) for found in world.disclosures.values() for d in found),
            *(_consent(c) for found in world.consents.values() for c in found),
            *(_rule(self.rule_keys[id(r)], r) for found in world.rules.values() for r in found),
        ]
        # One entity per uid: a practitioner's agency appears once per colleague, a case per item.
        return list({(d["uid"]["type"], d["uid"]["id"]): d for d in documents}.values())

    def _witnesses(self, actor, item: ItemFacts) -> list[dict]:
        case = self.cases.get(item.case_id)
        if case is None:
            return []
        bases = [{"basis": "originator"}]
        bases += [{"basis": "disclosure", "disclosure": _ref("Disclosure", d.id)}
                  for d in self.world.disclosures.get(item.id, ())]
        consents = self.world.consents.get(item.client_id, ())
        for rule in self.world.rules.get((item.originating_agency_id, actor.agency_id), ()):
            ref = _ref("Rule", self.rule_keys[id(rule)])
            bases.append({"basis": "agreement", "rule": ref})
            bases += [{"basis": "agreement", "rule": ref, "consent": _ref("Consent", c.id)} for c in consents]
        # Candidates by identity: the memberships of the principal's agency (Cedar checks the rest).
        memberships = [_ref("Membership", f"{case.id}/{n}") for n, m in enumerate(case.memberships)
                       if m.agency_id == actor.agency_id]
        return [{"membership": m, **basis} for m in memberships for basis in bases]

    def _controller_witnesses(self, actor, item: ItemFacts) -> list[dict]:
        """Subject access: a membership of the principal's agency on the case (any dates) × a basis,
        agreement rules once per purpose they serve (the purpose goes in the context)."""
        case = self.cases.get(item.case_id)
        if case is None:
            return []
        bases = [{"basis": "originator"}]
        bases += [{"basis": "disclosure", "disclosure": _ref("Disclosure", d.id)}
                  for d in self.world.disclosures.get(item.id, ())]
        consents = self.world.consents.get(item.client_id, ())
        for rule in self.world.rules.get((item.originating_agency_id, actor.agency_id), ()):
            ref = _ref("Rule", self.rule_keys[id(rule)])
            for purpose in sorted(rule.purposes):
                bases.append({"basis": "agreement", "rule": ref, "purpose": purpose})
                bases += [{"basis": "agreement", "rule": ref, "purpose": purpose, "consent": _ref("Consent", c.id)}
                          for c in consents]
        memberships = [_ref("Membership", f"{case.id}/{n}") for n, m in enumerate(case.memberships)
                       if m.agency_id == actor.agency_id]
        return [{"membership": m, **basis} for m in memberships for basis in bases]

    def requests(self, actor, item: ItemFacts, purpose: str, today: date, perm: Perm = Perm.ITEM_READ) -> list[dict]:
        """The Cedar requests whose permits would each prove that `actor` may use `item` as `perm`."""
        principal, resource, day = _uid("Practitioner", actor.id), _uid("Item", item.id), _day(today)
        if perm == Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS:
            return [{"principal": principal, "action": ACTIONS[perm], "resource": resource,
                     "context": {"today": day, "purpose": witness.pop("purpose", "none"), **witness}}
                    for witness in self._controller_witnesses(actor, item)]
        return [{"principal": principal, "action": ACTIONS[perm], "resource": resource,
                 "context": {"today": day, "purpose": str(purpose), **witness}}
                for witness in self._witnesses(actor, item)]

    def decide_many(self, asks: Sequence[tuple], today: date) -> list[bool]:
        """For each (actor, item, purpose[, perm]): may the actor use the item so, according to Cedar?
        The permission defaults to reading."""
        requests, owners = [], []
        for n, (actor, item, purpose, *perm) in enumerate(asks):
            found = self.requests(actor, item, purpose, today, *perm)
            requests += found
            owners += [n] * len(found)
        allowed = [False] * len(asks)
        if not requests:
            return allowed
        for owner, result in zip(owners, cedarpy.is_authorized_batch(requests, policy_set(), self.entities)):
            if result.diagnostics.errors:
                raise CedarError("; ".join(result.diagnostics.errors))
            allowed[owner] = allowed[owner] or result.allowed
        return allowed


def may_read(actor, item: ItemFacts, case: CaseFacts, world: SharingFacts, purpose: str, today: date) -> bool:
    """Cedar's answer for one decision (for many, build a CedarWorld once and ask it)."""
    return CedarWorld(actors=[actor], cases=[case], items=[item], world=world).decide_many(
        [(actor, item, purpose)], today)[0]
