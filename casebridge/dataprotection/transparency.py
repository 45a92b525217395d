"""The transparency notice: in plain words, what each agency on the client's case may share, with
whom, on which basis, and how many one-off disclosures it has made (never what they contained).

Built from the agreement rules in force between the case's member agencies and the client's own
consents, so it says what the system will actually let through today.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.items.facts import consent_facts
from casebridge.sharing.agreements import in_force_between
from casebridge.sharing.models import Consent, Disclosure
from casebridge.vocabulary import AgencyKind, Category, Purpose, classification_label

NEVER_SHARED = (
    "Intelligence, and anything about the sources or methods by which information was obtained, is never "
    "shared with you. It is not shared with civil-society organisations through agreements either, unless "
    "this notice says so above.")
NEED_TO_KNOW = (
    "Only the people working on your case, in the agencies listed here, can see information about you, and only "
    "what the agreements below allow or what an agency has decided to disclose to another one, with a written "
    "reason. Every time someone looks at your information, it is recorded.")


@dataclass(frozen=True)
class CategoryTerms:
    category: str
    level: str
    consent_required: bool
    consent_given: bool

    @property
    def sentence(self) -> str:
        what = f"{Category(self.category).label.lower()}, up to {self.level}"
        if not self.consent_required:
            return f"{what}; your consent is not needed"
        if self.consent_given:
            return f"{what}; only with your consent, which you have given"
        return f"{what}; only with your consent, which you have not given, so this is not shared"


@dataclass(frozen=True)
class DisclosureCount:
    recipient: str
    count: int


@dataclass
class Share:
    recipient: str
    categories: list[CategoryTerms] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)


@dataclass
class AgencyNotice:
    name: str
    kind: str
    lead: bool
    active: bool
    shares: list[Share] = field(default_factory=list)
    disclosures: list[DisclosureCount] = field(default_factory=list)


@dataclass(frozen=True)
class Notice:
    case_reference: str
    client_name: str
    generated_on: object
    agencies: list[AgencyNotice]
    need_to_know: str = NEED_TO_KNOW
    never_shared: str = NEVER_SHARED


def _basis(version) -> str:
    purposes = ", ".join(Purpose(p.purpose).label.lower() for p in version.purposes.all())
    return f"“{version.agreement.title}” (legal basis: {version.legal_basis}), for {purposes}"


def _consent_given(consents, recipient, category: str, purposes: list[str], today) -> bool:
    viewer = SimpleNamespace(agency_id=recipient.pk, agency_kind=recipient.kind)
    return any(c.covers(viewer, category, p, today) for c in consents for p in purposes)


def _share(originator, recipient, consents, today) -> Share | None:
    rules = list(in_force_between(originator.pk, recipient.pk).select_related("version__agreement")
                 .prefetch_related("version__purposes"))
    if not rules:
        return None
    share = Share(recipient.name)
    for category in dict.fromkeys(r.category for r in rules):
        covering = [r for r in rules if r.category == category]
        required = all(r.consent_required for r in covering)
        purposes = [p.purpose for r in covering for p in r.version.purposes.all()]
        share.categories.append(CategoryTerms(
            category, classification_label(max(r.max_classification for r in covering)), required,
            required and _consent_given(consents, recipient, category, purposes, today)))
    share.bases = list(dict.fromkeys(_basis(r.version) for r in rules))
    return share


def _disclosures(case, agency) -> list[DisclosureCount]:
    counts: dict[str, int] = {}
    for name in (Disclosure.objects.filter(item__case=case, item__originating_agency=agency)
                 .order_by("recipient__name").values_list("recipient__name", flat=True)):
        counts[name] = counts.get(name, 0) + 1
    return [DisclosureCount(name, count) for name, count in counts.items()]


def transparency_notice(*, actor, case_id, purpose: str, fmt: str = "html") -> Notice:
    """The notice for the client of a case the actor may see (404 otherwise). Audited as a read."""
    case, _ = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    today = cases.today()
    consents = consent_facts(Consent.objects.filter(client=case.client).prefetch_related("categories"))
    # An agency that left and came back has two memberships; the client needs it listed once.
    members = {m.agency_id: (m.agency, False) for m in case.memberships.all()}
    members.update({m.agency_id: (m.agency, True) for m in case.memberships.all() if m.is_active(today)})
    current = [agency for agency, active in members.values() if active]
    agencies = []
    for agency, active in members.values():
        notice = AgencyNotice(agency.name, AgencyKind(agency.kind).label, agency.pk == case.lead_agency_id, active,
                              disclosures=_disclosures(case, agency))
        if active:
            shares = (_share(agency, other, consents, today) for other in current if other.pk != agency.pk)
            notice.shares = [s for s in shares if s is not None]
        agencies.append(notice)
    record(actor=actor, operation=Operation.READ, object_type="dataprotection.transparency_notice",
           object_id=case.pk, case_id=case.pk, purpose=purpose, detail={"format": fmt})
    return Notice(case.reference, case.client.full_name, today, agencies)
