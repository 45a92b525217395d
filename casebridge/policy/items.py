"""Need-to-know for information items (DESIGN.md §4) and their use rights.

A practitioner P may read item I, for a declared purpose, only if all hold:
  1. P may see I's case (casebridge.policy.cases);
  2. I is not retracted, unless P's agency is its originator;
  3. I's classification is at most P's clearance;
  4. I is not NO-CROSS-BORDER (itself or inherited), or P's agency is in I's originator's country;
  5. one basis exists: P's agency originated I; or an active disclosure of I to P's agency; or I is
     not ORCON and an agreement in force has a rule "I's originator → P's agency" covering I's
     category up to I's classification for that purpose, with the client's consent where required.
Derivatives (tearlines) are items too and pass the same rule with their own markings, plus the
intelligence flag, NO-DECISION and NO-CROSS-BORDER of their original unless the originator lifted
them (casebridge.policy.markings). Subject access has rules of its own
(casebridge.policy.subject_access). Every use right has its decision here and its filter in
`usable_items`.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from casebridge.errors import Forbidden, NotVisible
from casebridge.policy.cases import CASE_VISIBILITY, CaseFacts, visible_cases
from casebridge.policy.core import Decision, Perm, role_allows
from casebridge.policy.markings import marked, unmarked_q, within_borders, within_borders_q
from casebridge.vocabulary import classification_label


@dataclass(frozen=True)
class ItemFacts:
    id: int
    case_id: int
    client_id: int
    originating_agency_id: int
    category: str
    classification: int
    orcon: bool = False
    no_decision: bool = False
    intelligence: bool = False
    retracted: bool = False
    withheld: bool = False
    no_cross_border: bool = False
    originator_country: str = ""
    # A derivative: the markings its original carries (of policy.markings.INHERITED), those the
    # originator lifted on it, and whether its original is withheld from subject access.
    derived_from: int | None = None
    inherited: frozenset[str] = frozenset()
    lifted: frozenset[str] = frozenset()
    original_withheld: bool = False
    # Released by its originator for the subject access answers of the agencies that received it.
    released: bool = False


@dataclass(frozen=True)
class RuleFacts:
    agreement_id: int
    version: int
    originator_id: int
    recipient_id: int
    category: str
    max_classification: int
    consent_required: bool
    purposes: frozenset[str]
    status: str
    valid_from: date
    valid_to: date | None = None
    label: str = ""  # "Westmark Police → Westmark Probation Service", for the basis text

    def applies(self, item: ItemFacts, purpose: str, today: date) -> bool:
        return (self.status == "active" and self.valid_from <= today
                and (self.valid_to is None or self.valid_to >= today)
                and self.category == item.category and item.classification <= self.max_classification
                and purpose in self.purposes)


@dataclass(frozen=True)
class ConsentFacts:
    id: int
    client_id: int
    recipient_agency_id: int | None
    recipient_kind: str
    categories: frozenset[str]
    purpose: str
    given_on: date
    withdrawn: bool = False

    def covers(self, actor, category: str, purpose: str, today: date) -> bool:
        recipient = (self.recipient_agency_id == actor.agency_id if self.recipient_agency_id is not None
                     else self.recipient_kind == actor.agency_kind)
        return (recipient and not self.withdrawn and self.given_on <= today
                and category in self.categories and purpose == self.purpose)


@dataclass(frozen=True)
class DisclosureFacts:
    id: int
    item_id: int
    recipient_id: int
    disclosed_on: date
    allow_decision_use: bool = False
    revoked: bool = False


@dataclass
class SharingFacts:
    """The agreements, consents and disclosures a set of decisions needs, indexed for lookup."""

    rules: dict[tuple[int, int], list[RuleFacts]] = field(default_factory=dict)
    consents: dict[int, list[ConsentFacts]] = field(default_factory=dict)
    disclosures: dict[int, list[DisclosureFacts]] = field(default_factory=dict)

    @classmethod
    def of(cls, rules=(), consents=(), disclosures=()) -> "SharingFacts":
        world = cls()
        for rule in rules:
            world.rules.setdefault((rule.originator_id, rule.recipient_id), []).append(rule)
        for consent in consents:
            world.consents.setdefault(consent.client_id, []).append(consent)
        for disclosure in disclosures:
            world.disclosures.setdefault(disclosure.item_id, []).append(disclosure)
        return world


# --- The bases on which an agency may read an item: test and filter side by side -------------

@dataclass(frozen=True)
class Basis:
    name: str
    explain: Callable  # (actor, item, world, purpose, today) -> basis text, or None if it does not hold
    query: Callable    # (actor, purpose, today) -> Q selecting the items for which it holds


def _originator(actor, item, world, purpose, today):
    return "your agency originated this item" if item.originating_agency_id == actor.agency_id else None


def _originator_q(actor, purpose, today):
    return Q(originating_agency_id=actor.agency_id)


def _active_disclosure(actor, item, world):
    return next((d for d in world.disclosures.get(item.id, ())
                 if d.recipient_id == actor.agency_id and not d.revoked), None)


def _disclosure(actor, item, world, purpose, today):
    disclosure = _active_disclosure(actor, item, world)
    return f"disclosure {disclosure.id} of {disclosure.disclosed_on} by the originator" if disclosure else None


def _disclosure_q(actor, purpose, today):
    Disclosure = apps.get_model("sharing", "Disclosure")
    return Q(Exists(Disclosure.objects.filter(item=OuterRef("pk"), recipient_id=actor.agency_id,
                                              revoked_at__isnull=True)))


def _agreement(actor, item, world, purpose, today):
    if item.orcon:
        return None
    for rule in world.rules.get((item.originating_agency_id, actor.agency_id), ()):
        if not rule.applies(item, purpose, today):
            continue
        text = (f"agreement {rule.agreement_id} v{rule.version}: {rule.label}, {rule.category} "
                f"up to {classification_label(rule.max_classification)}")
        if not rule.consent_required:
            return text
        consent = next((c for c in world.consents.get(item.client_id, ())
                        if c.covers(actor, item.category, purpose, today)), None)
        if consent is not None:
            return f"{text}; consent of {consent.given_on}"
    return None


def _agreement_q(actor, purpose, today):
    AgreementRule = apps.get_model("sharing", "AgreementRule")
    ConsentCategory = apps.get_model("sharing", "ConsentCategory")
    consent = Exists(
        ConsentCategory.objects.filter(
            consent__client_id=OuterRef(OuterRef("case__client_id")), category=OuterRef(OuterRef("category")),
            consent__purpose=purpose, consent__given_on__lte=today, consent__withdrawn_at__isnull=True)
        .filter(Q(consent__recipient_agency_id=actor.agency_id)
                | Q(consent__recipient_agency__isnull=True, consent__recipient_kind=actor.agency_kind)))
    rules = (AgreementRule.objects
             .filter(recipient_id=actor.agency_id, originator_id=OuterRef("originating_agency_id"),
                     category=OuterRef("category"), max_classification__gte=OuterRef("classification"),
                     version__status="active", version__valid_from__lte=today, version__purposes__purpose=purpose)
             .filter(Q(version__valid_to__isnull=True) | Q(version__valid_to__gte=today))
             .filter(Q(consent_required=False) | Q(consent)))
    return Q(orcon=False) & Q(Exists(rules))


BASES: tuple[Basis, ...] = (
    Basis("originator", _originator, _originator_q),
    Basis("disclosure", _disclosure, _disclosure_q),
    Basis("agreement", _agreement, _agreement_q),
)


def _any_basis_q(actor, purpose, today) -> Q:
    """The filter half of `sharing_basis`: an item for which any basis holds (OR over BASES)."""
    first, *rest = BASES
    combined = first.query(actor, purpose, today)
    for basis in rest:
        combined |= basis.query(actor, purpose, today)
    return combined


def sharing_basis(actor, item: ItemFacts, world: SharingFacts, purpose: str, today: date) -> str | None:
    """Why `actor`'s agency may read `item` (the first basis that holds), or None."""
    for basis in BASES:
        text = basis.explain(actor, item, world, purpose, today)
        if text:
            return text
    return None


# --- Reading: every condition, as test and filter -------------------------------------------

@dataclass(frozen=True)
class ItemRule:
    name: str
    refusal: str
    holds: Callable  # (actor, item, case, world, purpose, today) -> bool
    query: Callable  # (actor, purpose, today) -> Q


def _case_q(actor, purpose, today):
    Case = apps.get_model("cases", "Case")
    return Q(case_id__in=Case.objects.filter(visible_cases(actor, today)).values("pk"))


READ_RULES: tuple[ItemRule, ...] = (
    ItemRule("case_visible", "the case is not visible to you",
             lambda a, i, c, w, p, t: all(rule.holds(a, c, t) for rule in CASE_VISIBILITY), _case_q),
    ItemRule("not_retracted", "retracted by its originator",
             lambda a, i, c, w, p, t: not i.retracted or i.originating_agency_id == a.agency_id,
             lambda a, p, t: Q(retracted_at__isnull=True) | Q(originating_agency_id=a.agency_id)),
    ItemRule("within_clearance", "classified above your clearance",
             lambda a, i, c, w, p, t: i.classification <= a.clearance,
             lambda a, p, t: Q(classification__lte=a.clearance)),
    ItemRule("within_borders", "NO-CROSS-BORDER: never read outside its originator's country",
             lambda a, i, c, w, p, t: within_borders(a, i),
             lambda a, p, t: within_borders_q(a)),
    ItemRule("has_basis", "no origin, disclosure or agreement gives your agency access for this purpose",
             lambda a, i, c, w, p, t: sharing_basis(a, i, w, p, t) is not None,
             lambda a, p, t: _any_basis_q(a, p, t)),
)


def visible_items(actor, purpose: str, today: date) -> Q:
    """Query filter selecting exactly the items `decide_item(actor, ITEM_READ, ...)` allows."""
    if not role_allows(actor, Perm.ITEM_READ):
        return Q(pk__in=[])
    combined = Q()
    for rule in READ_RULES:
        combined &= rule.query(actor, purpose, today)
    return combined


def decide_item(actor, perm: Perm, item: ItemFacts, case: CaseFacts, world: SharingFacts, purpose: str,
                today: date) -> Decision:
    """May `actor` use `item` as `perm` (read, reshare, use_in_decision, include_in_subject_access,
    disclose) for `purpose`? Returns the basis or the first refusal."""
    if not role_allows(actor, perm):
        return Decision(False, f"role {actor.role} does not grant {perm}")
    if perm == Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS:
        from casebridge.policy.subject_access import decide_subject_access

        return decide_subject_access(actor, item, case, world, today)
    for rule in READ_RULES:
        if not rule.holds(actor, item, case, world, purpose, today):
            return Decision(False, rule.refusal)
    basis = sharing_basis(actor, item, world, purpose, today)
    own = item.originating_agency_id == actor.agency_id
    match perm:
        case Perm.ITEM_READ:
            return Decision(True, basis)
        case Perm.ITEM_DISCLOSE:
            return Decision(True, basis) if own else Decision(False, "only the originator discloses an item")
        case Perm.ITEM_RESHARE:
            return _reshare(actor, item, world, purpose, today, own)
        case Perm.ITEM_USE_IN_DECISION:
            return _use_in_decision(actor, item, world, basis)
    return Decision(False, f"{perm} is not an item action")


def _reshare(actor, item, world, purpose, today, own) -> Decision:
    if own:
        return Decision(True, "originator: decides every onward disclosure")
    if item.orcon:
        return Decision(False, "ORCON: only the originator passes it on")
    if marked(item, "intelligence"):
        return Decision(False, "intelligence is passed on by its originator only")
    agreement = _agreement(actor, item, world, purpose, today)
    if agreement is None:
        return Decision(False, "a one-off disclosure is for your agency only")
    return Decision(True, f"may be passed on under agreements of its own: {agreement}")


def _decision_lift(actor, item, world):
    """An active disclosure by which the originator let the actor's agency base decisions on the item
    (any of them, as the filter asks: an older disclosure without the lift does not hide a newer one)."""
    return next((d for d in world.disclosures.get(item.id, ())
                 if d.recipient_id == actor.agency_id and not d.revoked and d.allow_decision_use), None)


def _decision_lift_q(actor) -> Q:
    Disclosure = apps.get_model("sharing", "Disclosure")
    return Q(Exists(Disclosure.objects.filter(item=OuterRef("pk"), recipient_id=actor.agency_id,
                                              revoked_at__isnull=True, allow_decision_use=True)))


def _use_in_decision(actor, item, world, basis) -> Decision:
    if marked(item, "intelligence") or marked(item, "no_decision"):
        disclosure = _decision_lift(actor, item, world)
        if disclosure is not None:
            return Decision(True, f"the originator lifted the restriction for your agency (disclosure {disclosure.id})")
        marking = "intelligence" if marked(item, "intelligence") else "NO-DECISION"
        return Decision(False, f"{marking}: may inform, never be the basis of a formal decision")
    return Decision(True, basis)


# The filter half of each use right beyond reading (`decide_item` is the single-record half).
USE_FILTERS: dict[Perm, Callable] = {
    Perm.ITEM_READ: lambda a, p, t: Q(),
    Perm.ITEM_DISCLOSE: _originator_q,
    Perm.ITEM_RESHARE: lambda a, p, t: _originator_q(a, p, t) | (unmarked_q("intelligence") & _agreement_q(a, p, t)),
    Perm.ITEM_USE_IN_DECISION: lambda a, p, t: (unmarked_q("intelligence") & unmarked_q("no_decision"))
    | _decision_lift_q(a),
}


def usable_items(actor, perm: Perm, purpose: str, today: date) -> Q:
    """Query filter selecting exactly the items for which `decide_item(actor, perm, ...)` allows."""
    if perm == Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS:
        from casebridge.policy.subject_access import subject_access_items

        return subject_access_items(actor, today)
    if perm not in USE_FILTERS or not role_allows(actor, perm):
        return Q(pk__in=[])
    return visible_items(actor, purpose, today) & USE_FILTERS[perm](actor, purpose, today)


def require_item(actor, perm: Perm, item: ItemFacts, case: CaseFacts, world: SharingFacts, purpose: str,
                 today: date) -> Decision:
    """404 if the actor may not read the item; 403 if it may read it but not do `perm`."""
    seen = decide_item(actor, Perm.ITEM_READ, item, case, world, purpose, today)
    if not seen:
        raise NotVisible(seen.reason)
    if perm == Perm.ITEM_READ:
        return seen
    decision = decide_item(actor, perm, item, case, world, purpose, today)
    if not decision:
        raise Forbidden(decision.reason)
    return decision


def may_see_source_and_method(actor, item) -> bool:
    """Source and method fields: the originating agency only, everywhere, always."""
    return actor.agency_id == item.originating_agency_id
