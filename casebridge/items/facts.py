"""Loading the facts the item policy decides on: items, agreements in force, consents, disclosures.

The only place rows become policy facts, so every decision (pages, API, search, exports,
benchmark, property tests) is taken on the same picture of the world.
"""

from datetime import date

from django.db.models import Prefetch

from casebridge import policy
from casebridge.items.models import InformationItem
from casebridge.sharing.models import AgreementPurpose, AgreementRule, Consent, ConsentCategory, Disclosure


def item_facts(item: InformationItem) -> policy.ItemFacts:
    """The facts the policy decides on; load with `items_with_case` (original, agency, withholding)."""
    original = item.derived_from
    return policy.ItemFacts(
        id=item.pk, case_id=item.case_id, client_id=item.case.client_id,
        originating_agency_id=item.originating_agency_id, category=item.category,
        classification=item.classification, orcon=item.orcon, no_decision=item.no_decision,
        intelligence=item.intelligence, retracted=item.retracted_at is not None,
        withheld=hasattr(item, "withholding"), no_cross_border=item.no_cross_border,
        originator_country=item.originating_agency.country, derived_from=item.derived_from_id,
        inherited=frozenset(m for m in policy.INHERITED if original is not None and getattr(original, m)),
        lifted=frozenset(m for m in policy.INHERITED if getattr(item, f"lifted_{m}")),
        original_withheld=original is not None and hasattr(original, "withholding"),
        released=hasattr(item, "subject_access_release"))


# The columns `case_item_facts` reads: what `item_facts` takes from an item and the rows joined to it.
_FACT_COLUMNS = (
    "pk", "originating_agency_id", "category", "classification", "orcon", "no_decision", "intelligence",
    "retracted_at", "withholding__id", "no_cross_border", "originating_agency__country", "derived_from_id",
    "derived_from__withholding__id", "subject_access_release__id", "fact_date", "carrier",
    *(f"derived_from__{m}" for m in policy.INHERITED), *(f"lifted_{m}" for m in policy.INHERITED))


def case_item_facts(case_id: int, client_id: int, **filters) -> list[tuple[policy.ItemFacts, date, str]]:
    """The facts of every item on a case (narrowed by `filters`), each with its fact date and
    carrier, in one query of plain values: the same facts `item_facts` takes from a loaded item (test_case_facts.py
    compares them), for deciding on a whole case without loading its items as records."""
    rows = InformationItem.objects.filter(case_id=case_id, **filters).values_list(*_FACT_COLUMNS, named=True)
    found = []
    for row in rows:
        original = row.derived_from_id is not None
        found.append((policy.ItemFacts(
            id=row.pk, case_id=case_id, client_id=client_id, originating_agency_id=row.originating_agency_id,
            category=row.category, classification=row.classification, orcon=row.orcon,
            no_decision=row.no_decision, intelligence=row.intelligence, retracted=row.retracted_at is not None,
            withheld=row.withholding__id is not None, no_cross_border=row.no_cross_border,
            originator_country=row.originating_agency__country, derived_from=row.derived_from_id,
            inherited=frozenset(m for m in policy.INHERITED if original and getattr(row, f"derived_from__{m}")),
            lifted=frozenset(m for m in policy.INHERITED if getattr(row, f"lifted_{m}")),
            original_withheld=row.derived_from__withholding__id is not None,
            released=row.subject_access_release__id is not None), row.fact_date, row.carrier))
    return found


_RULE_COLUMNS = ("version_id", "version__agreement_id", "version__number", "originator_id", "recipient_id",
                 "category", "max_classification", "consent_required", "version__status", "version__valid_from",
                 "version__valid_to", "originator__name", "recipient__name")


def rule_facts(rules) -> list[policy.RuleFacts]:
    """The facts of the agreement rules of a queryset, read as plain values (two queries)."""
    rows = list(rules.values_list(*_RULE_COLUMNS, named=True))
    purposes: dict[int, set[str]] = {}
    for version_id, purpose in AgreementPurpose.objects.filter(
            version_id__in={r.version_id for r in rows}).values_list("version_id", "purpose"):
        purposes.setdefault(version_id, set()).add(purpose)
    return [policy.RuleFacts(
        agreement_id=r.version__agreement_id, version=r.version__number, originator_id=r.originator_id,
        recipient_id=r.recipient_id, category=r.category, max_classification=r.max_classification,
        consent_required=r.consent_required, purposes=frozenset(purposes.get(r.version_id, ())),
        status=r.version__status, valid_from=r.version__valid_from, valid_to=r.version__valid_to,
        label=f"{r.originator__name} → {r.recipient__name}") for r in rows]


def consent_facts(consents) -> list[policy.ConsentFacts]:
    return [policy.ConsentFacts(
        id=c.pk, client_id=c.client_id, recipient_agency_id=c.recipient_agency_id, recipient_kind=c.recipient_kind,
        categories=frozenset(cc.category for cc in c.categories.all()), purpose=c.purpose, given_on=c.given_on,
        withdrawn=c.withdrawn_at is not None) for c in consents]


def disclosure_facts(disclosures) -> list[policy.DisclosureFacts]:
    return [policy.DisclosureFacts(
        id=d.pk, item_id=d.item_id, recipient_id=d.recipient_id, disclosed_on=d.disclosed_at.date(),
        allow_decision_use=d.allow_decision_use, revoked=d.revoked_at is not None) for d in disclosures]


def sharing_facts(*, recipient_ids=None, client_ids=None, item_ids=None, originator_ids=None,
                  case_id=None) -> policy.SharingFacts:
    """The sharing world restricted to what the decisions at hand can touch (None = everything):
    rules to `recipient_ids` from `originator_ids`, consents of `client_ids`, disclosures of
    `item_ids` or of every item of `case_id`. Read as plain values: every page that decides reads
    it, so no model instances are built."""
    rules = AgreementRule.objects.order_by("pk")
    consents = Consent.objects.all()  # in the models' own order, as every page has decided on them
    disclosures = Disclosure.objects.all()
    if recipient_ids is not None:
        rules = rules.filter(recipient_id__in=recipient_ids)
    if originator_ids is not None:
        rules = rules.filter(originator_id__in=originator_ids)
    if client_ids is not None:
        consents = consents.filter(client_id__in=client_ids)
    if item_ids is not None:
        disclosures = disclosures.filter(item_id__in=item_ids)
    if case_id is not None:
        disclosures = disclosures.filter(item__case_id=case_id)
    return policy.SharingFacts.of(rule_facts(rules), _consent_values(consents), _disclosure_values(disclosures))


def _consent_values(consents) -> list[policy.ConsentFacts]:
    """`consent_facts` of a queryset of consents, in two queries of plain values."""
    rows = list(consents.values_list("pk", "client_id", "recipient_agency_id", "recipient_kind", "purpose", "given_on",
                                     "withdrawn_at"))
    categories: dict[int, set[str]] = {}
    if rows:
        for consent_id, category in ConsentCategory.objects.filter(consent_id__in=[r[0] for r in rows]) \
                .values_list("consent_id", "category"):
            categories.setdefault(consent_id, set()).add(category)
    return [policy.ConsentFacts(id=pk, client_id=client_id, recipient_agency_id=agency_id, recipient_kind=kind,
                                categories=frozenset(categories.get(pk, ())), purpose=purpose, given_on=given_on,
                                withdrawn=withdrawn_at is not None)
            for pk, client_id, agency_id, kind, purpose, given_on, withdrawn_at in rows]


def _disclosure_values(disclosures) -> list[policy.DisclosureFacts]:
    """`disclosure_facts` of a queryset of disclosures, in one query of plain values."""
    return [policy.DisclosureFacts(id=pk, item_id=item_id, recipient_id=recipient_id, disclosed_on=at.date(),
                                   allow_decision_use=decision_use, revoked=revoked_at is not None)
            for pk, item_id, recipient_id, at, decision_use, revoked_at in disclosures.values_list(
                "pk", "item_id", "recipient_id", "disclosed_at", "allow_decision_use", "revoked_at")]


def facts_for(actor, items) -> policy.SharingFacts:
    """Facts for deciding on `items` (already loaded) for one actor."""
    return sharing_facts(recipient_ids=[actor.agency_id], client_ids={i.case.client_id for i in items},
                         item_ids=[i.pk for i in items])


def items_with_case(queryset, case=None):
    """Items with what a record shows and `item_facts` reads. Items of one `case` the caller loaded
    already are given that case instead of a copy of its row joined to each (a list, then)."""
    from casebridge.items.models import Attachment

    if case is None:
        return _joined(queryset, case).prefetch_related(Prefetch("attachments", queryset=Attachment.objects.defer("data")))
    return _with_attachments(_joined(queryset, case), case)


def _joined(queryset, case, author: bool = True):
    """`queryset` with the rows a record shows joined to each item (the case only if not given, the
    author only if shown)."""
    # The original of a derivative comes along without its source and method, like every item.
    related = ["originating_agency", *(("author",) if author else ()), "derived_from__withholding", "withholding",
               "subject_access_release"]
    return queryset.select_related(*related, *(() if case else ("case",))) \
        .defer("derived_from__source_text", "derived_from__method_text")


def _with_attachments(items, case=None):
    """The items of `items` (with `case` as their case, if given) and their attachments (without
    their data) read in one query and kept where `prefetch_related` keeps them: Django's prefetch
    builds and filters a queryset per item to hold its results, a tenth of a timeline page's time."""
    from casebridge.items.models import Attachment

    items = list(items)
    found: dict[int, list] = {}
    if items:
        for attachment in Attachment.objects.filter(item_id__in=[i.pk for i in items]).defer("data"):
            found.setdefault(attachment.item_id, []).append(attachment)
    for item in items:
        if case is not None and item.case_id == case.pk:
            item.case = case
        held = Attachment.objects.all()
        held._result_cache, held._prefetch_done = found.get(item.pk, []), True
        item._prefetched_objects_cache = {"attachments": held}
    return items


def records_by_id(ids, case=None, author: bool = True) -> dict:
    """The items of `ids` as records (`items_with_case`), by id, for a caller that has them in its
    own order: no ORDER BY, which Django compiles by hashing every one of a record's columns. A
    caller that shows no author passes `author` False: the account is then read only if touched."""
    rows = _joined(InformationItem.objects.filter(pk__in=ids).order_by(), case, author)
    return {item.pk: item for item in _with_attachments(rows, case)}
