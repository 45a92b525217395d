"""The transparency notice: in plain words, what each agency on the client's case may share, with
whom, on which basis, and how many one-off disclosures it has made (never what they contained).

Built from the agreement rules in force between the case's member agencies and the client's own
consents, so it says what the system will actually let through today. Every sentence is one the
policy enforces (casebridge.policy): read them against it when either changes.

The notice is written for the client but prepared by a practitioner, so it says nothing the
practitioner may not see and nothing the client may not be told:
  - it names only the member agencies listed to the practitioner and never a discreet member
    (`policy.listed_memberships` and `policy.named_to_client_q`); the client is never a core member;
  - it counts only the disclosures of items the practitioner may read for their purpose
    (`policy.visible_items`), made by and to agencies it names.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.cases.models import Membership
from casebridge.items import services as items
from casebridge.items.facts import consent_facts
from casebridge.sharing.agreements import in_force_between
from casebridge.sharing.models import Consent, Disclosure
from casebridge.vocabulary import AgencyKind, Category, Purpose, classification_label

# Each sentence below restates a rule of casebridge.policy; the comment names it.
NEED_TO_KNOW = gettext_lazy(
    # cases.CASE_VISIBILITY: on the team, agency an active member covering the current phase.
    "Only the people on your case team can see your case, and only while their agency takes part in the "
    "current stage of your case. "
    # search.lookup: hit / no hit, and whom to call.
    "Any practitioner using Casebridge can ask whether someone with your name and date of birth has an open "
    "case; the answer is only yes or no, with whom to contact. "
    # items.READ_RULES: clearance, and one of the three bases.
    "Each of them sees only information classified at or below their own clearance, and only what their own "
    "agency recorded, what an agreement between the agencies allows (those between the agencies named here are "
    "set out below), or what the agency that recorded it decided to disclose to theirs, each time with a "
    "written reason. "
    # dataprotection: subject access.
    "Data protection officers also see information about you when they answer your request for a copy of "
    "your file. "
    # items._agreement: ORCON never moves through an agreement.
    "Information its agency marks as originator-controlled is never passed on through an agreement, only by "
    "such a disclosure. "
    # policy.listing: discreet memberships are never named to the client.
    "Some agencies may take part in a case without being named in this notice, where the law protects the fact "
    "that they do (for example a security service).")
CONSENT = gettext_lazy(
    # items.ConsentFacts.covers: a withdrawn consent covers nothing, from the next request on.
    "Where sharing needs your consent, you can withdraw it at any time: from that moment the agreement no "
    "longer lets that information through.")
AUDITED = gettext_lazy("Each time someone looks at information about you in Casebridge, this is recorded.")
NEVER_SHARED = gettext_lazy(
    # items.may_see_source_and_method; export.py never reads them.
    "Where information comes from and how it was obtained (its sources and methods) is seen only by the "
    "agency that recorded it: it is never shared with another agency, nor included in the copy of your file "
    "you can ask for. "
    # items.subject_access_items; items._use_in_decision.
    "Intelligence is never included in that copy either. It may inform the agencies working with you, but it "
    "cannot be the basis of a formal decision about you unless the agency that recorded it allows this.")


@dataclass(frozen=True)
class CategoryTerms:
    category: str
    level: str
    consent_required: bool
    consent_given: bool

    @property
    def sentence(self) -> str:
        what = _("%(category)s, up to %(level)s") % {"category": Category(self.category).label.lower(),
                                                      "level": self.level}
        if not self.consent_required:
            return _("%(what)s; your consent is not needed") % {"what": what}
        if self.consent_given:
            return _("%(what)s; only with your consent, which you have given") % {"what": what}
        return _("%(what)s; only with your consent, which you have not given, so the agreement does not let "
                 "it through") % {"what": what}


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
    need_to_know: str = field(default_factory=lambda: str(NEED_TO_KNOW))
    consent: str = field(default_factory=lambda: str(CONSENT))
    audited: str = field(default_factory=lambda: str(AUDITED))
    never_shared: str = field(default_factory=lambda: str(NEVER_SHARED))

    @property
    def disclosures_counted(self) -> str:
        # The preparing agency is not named: a discreet member may prepare the notice too.
        return _("This notice counts only the one-off disclosures of information that the agency preparing it may "
                 "see itself, made by and to the agencies named here.")


def _basis(version) -> str:
    purposes = ", ".join(Purpose(p.purpose).label.lower() for p in version.purposes.all())
    return _("“%(title)s” (legal basis: %(basis)s), for %(purposes)s") % {
        "title": version.agreement.title, "basis": version.legal_basis, "purposes": purposes}


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


def _disclosures(readable, agency, named: set[int]) -> list[DisclosureCount]:
    counts: dict[str, int] = {}
    for name in (Disclosure.objects.filter(item__in=readable, item__originating_agency=agency, recipient_id__in=named)
                 .order_by("recipient__name").values_list("recipient__name", flat=True)):
        counts[name] = counts.get(name, 0) + 1
    return [DisclosureCount(name, count) for name, count in counts.items()]


def named_members(*, actor, case, today) -> list[Membership]:
    """The memberships the notice names: listed to the actor, and never a discreet one."""
    return list(case.memberships.filter(policy.listed_memberships(actor, today), policy.named_to_client_q())
                .select_related("agency").order_by("starts_on", "pk"))


def transparency_notice(*, actor, case_id, purpose: str, fmt: str = "html") -> Notice:
    """The notice for the client of a case the actor may see (404 otherwise). Audited as a read."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    today = cases.today()
    consents = consent_facts(Consent.objects.filter(client=case.client).prefetch_related("categories"))
    memberships = named_members(actor=actor, case=case, today=today)
    # An agency that left and came back has two memberships; the client needs it listed once.
    members = {m.agency_id: (m.agency, False) for m in memberships}
    members.update({m.agency_id: (m.agency, True) for m in memberships if m.is_active(today)})
    current = [agency for agency, active in members.values() if active and agency.active]
    readable = items.visible_items(actor, purpose).filter(case=case).values("pk")
    agencies = []
    for agency, active in members.values():
        notice = AgencyNotice(agency.name, AgencyKind(agency.kind).label, agency.pk == case.lead_agency_id, active,
                              disclosures=_disclosures(readable, agency, set(members)))
        if active and agency.active:
            shares = (_share(agency, other, consents, today) for other in current if other.pk != agency.pk)
            notice.shares = [s for s in shares if s is not None]
        agencies.append(notice)
    record(actor=actor, operation=Operation.READ, object_type="dataprotection.transparency_notice",
           object_id=case.pk, case_id=case.pk, purpose=purpose, detail={"format": fmt})
    return Notice(case.reference, case.client.full_name, today, agencies)
