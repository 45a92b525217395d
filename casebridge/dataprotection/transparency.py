"""The transparency notice: in plain words, what each agency on the client's case may share, with
whom, on which basis, and how many one-off disclosures it has made (never what they contained); who
is responsible for the client's information and how to reach its data protection officer; the
client's rights and how to complain.

Built from the agreement rules in force between the case's member agencies and the client's own
consents, so it says what the system will actually let through today. Every sentence is one the
policy enforces (casebridge.policy): read them against it when either changes (the comment below
names the rule each text restates).

The notice is written in the client's language: the first of the client's recorded languages the
deployment has the texts of (notice_texts), else the deployment's default language, which the page
offering it says. The contacts are each agency's own (Agency.controller_contact, dpo_contact,
supervisory_authority), kept by its administrator.

The notice is written for the client but prepared by a practitioner, so it says nothing the
practitioner may not see and nothing the client may not be told:
  - it names only the member agencies listed to the practitioner and never a discreet member
    (`policy.listed_memberships` and `policy.named_to_client_q`); the client is never a core member;
    the notice is given in the name of the practitioner's agency, or of the lead agency where the
    practitioner's agency is not named to the client;
  - it counts only the disclosures of items the practitioner may read for their purpose
    (`policy.visible_items`), made by and to agencies it names.
"""

# What each text of notices/<language>.json restates:
#   need_to_know: cases.CASE_VISIBILITY (on the team, agency an active member covering the current phase);
#     search.lookup (hit / no hit, and whom to call); items.READ_RULES (clearance, and one of the three
#     bases); dataprotection subject access; items._agreement (ORCON never moves through an agreement);
#     policy.listing (discreet memberships are never named to the client).
#   consent: items.ConsentFacts.covers (a withdrawn consent covers nothing, from the next request on).
#   never_shared: items.may_see_source_and_method and export.py, which never reads them;
#     items.subject_access_items; items._use_in_decision.

from dataclasses import dataclass, field
from enum import StrEnum
from types import SimpleNamespace

from django.utils import formats, translation
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.cases.models import Membership
from casebridge.dataprotection import notice_texts
from casebridge.errors import InvalidInput
from casebridge.items import services as items
from casebridge.items.facts import consent_facts
from casebridge.sharing.agreements import in_force_between
from casebridge.sharing.models import Consent, Disclosure
from casebridge.vocabulary import classification_label


@dataclass(frozen=True)
class CategoryTerms:
    category: str
    level: str
    consent_required: bool
    consent_given: bool
    sentence: str


@dataclass(frozen=True)
class DisclosureCount:
    recipient: str
    count: int


@dataclass
class Share:
    recipient: str
    heading: str
    categories: list[CategoryTerms] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    agreed_in: list[str] = field(default_factory=list)


@dataclass
class AgencyNotice:
    name: str
    kind: str
    lead: bool
    active: bool
    role: str = ""
    controller: str = ""
    controller_contact: str = ""
    dpo_contact: str = ""
    authority: str = ""
    shares: list[Share] = field(default_factory=list)
    disclosures: list[DisclosureCount] = field(default_factory=list)
    disclosures_sentence: str = ""


class Chosen(StrEnum):
    """How the notice's language was chosen."""

    ASKED = "asked"  # the practitioner asked for it
    CLIENT = "client"  # the first of the client's recorded languages the deployment has
    DEFAULT = "default"  # none of the client's: the deployment's default language


@dataclass(frozen=True)
class Notice:
    case_reference: str
    client_name: str
    generated_on: object
    agencies: list[AgencyNotice]
    language: str
    client_languages: list[str]
    texts: dict
    chosen: str = Chosen.CLIENT
    issuer: AgencyNotice | None = None

    def _say(self, key: str, **values) -> str:
        return self.texts[key].format(**values)

    @property
    def language_name(self) -> str:
        return self.texts["language_name"]

    @property
    def direction(self) -> str:
        return self.texts["direction"]

    @property
    def in_client_language(self) -> bool:
        return self.language in {notice_texts.primary(code) for code in self.client_languages}

    @property
    def client_languages_available(self) -> list[tuple[str, str]]:
        """(code, name) of the client's languages the notice exists in."""
        available = notice_texts.languages()
        codes = dict.fromkeys(notice_texts.primary(code) for code in self.client_languages)
        return [(code, available[code]["language_name"]) for code in codes if code in available]

    @property
    def fallback(self) -> bool:
        """Whether the notice is in the deployment's language because none of the client's exists."""
        return self.chosen == Chosen.DEFAULT

    @property
    def title(self) -> str:
        return self.texts["title"]

    @property
    def prepared_for(self) -> str:
        with translation.override(self.language):  # Django's own month names in the notice's language
            when = formats.date_format(self.generated_on, "j F Y")
        return self._say("prepared_for", client=self.client_name, reference=self.case_reference, date=when)

    @property
    def given_by(self) -> str:
        return self._say("given_by", agency=self.issuer.name) if self.issuer else ""

    @property
    def complain_here(self) -> str:
        return self._say("complain_here", agency=self.issuer.name) if self.issuer else ""

    @property
    def rights(self) -> list[dict]:
        """Every right with its sentence, in the order of notice_texts.RIGHTS."""
        return [{"right": right, "sentence": self.texts["rights"][right]} for right in notice_texts.RIGHTS]

    # The fixed texts the API carries by name; the headings are read from `texts` directly.
    need_to_know = property(lambda self: self.texts["need_to_know"])
    consent = property(lambda self: self.texts["consent"])
    audited = property(lambda self: self.texts["audited"])
    never_shared = property(lambda self: self.texts["never_shared"])
    disclosures_counted = property(lambda self: self.texts["disclosures_counted"])
    rights_limits = property(lambda self: self.texts["rights_limits"])
    complain = property(lambda self: self.texts["complain"])

    def page_label(self, page: int, pages: str) -> str:
        return self._say("page", page=page, pages=pages)


def choose_language(client_languages, requested: str | None = None) -> tuple[str, str]:
    """The notice's language and how it was chosen (Chosen). An unknown language asked for is refused."""
    available = notice_texts.languages()
    if requested:
        code = notice_texts.primary(requested)
        if code not in available:
            raise InvalidInput(_("The notice does not exist in the language %(language)s; it exists in: "
                                 "%(available)s.") % {"language": requested[:10], "available": ", ".join(available)},
                               field="language")
        return code, Chosen.ASKED
    for code in client_languages or []:
        if notice_texts.primary(code) in available:
            return notice_texts.primary(code), Chosen.CLIENT
    return notice_texts.default_language(), Chosen.DEFAULT


def _terms(texts, category: str, level: str, required: bool, given: bool) -> CategoryTerms:
    key = "terms_no_consent" if not required else ("terms_consent_given" if given else "terms_consent_not_given")
    sentence = texts[key].format(category=texts["categories"][category], level=level)
    return CategoryTerms(category, level, required, given, sentence)


def _basis(texts, version) -> str:
    purposes = texts["separator"].join(texts["purposes"][p.purpose] for p in version.purposes.all())
    return texts["basis"].format(title=version.agreement.title, basis=version.legal_basis, purposes=purposes)


def _consent_given(consents, recipient, category: str, purposes: list[str], today) -> bool:
    viewer = SimpleNamespace(agency_id=recipient.pk, agency_kind=recipient.kind)
    return any(c.covers(viewer, category, p, today) for c in consents for p in purposes)


def _share(texts, originator, recipient, consents, today) -> Share | None:
    rules = list(in_force_between(originator.pk, recipient.pk).select_related("version__agreement")
                 .prefetch_related("version__purposes"))
    if not rules:
        return None
    share = Share(recipient.name, texts["may_share_with"].format(recipient=recipient.name))
    for category in dict.fromkeys(r.category for r in rules):
        covering = [r for r in rules if r.category == category]
        required = all(r.consent_required for r in covering)
        purposes = [p.purpose for r in covering for p in r.version.purposes.all()]
        share.categories.append(_terms(
            texts, category, classification_label(max(r.max_classification for r in covering)), required,
            required and _consent_given(consents, recipient, category, purposes, today)))
    share.bases = list(dict.fromkeys(_basis(texts, r.version) for r in rules))
    share.agreed_in = [texts["agreed_in"].format(basis=basis) for basis in share.bases]
    return share


def _disclosures(readable, agency, named: set[int]) -> list[DisclosureCount]:
    counts: dict[str, int] = {}
    for name in (Disclosure.objects.filter(item__in=readable, item__originating_agency=agency, recipient_id__in=named)
                 .order_by("recipient__name").values_list("recipient__name", flat=True)):
        counts[name] = counts.get(name, 0) + 1
    return [DisclosureCount(name, count) for name, count in counts.items()]


def _agency(texts, agency, *, lead: bool, active: bool, disclosures: list[DisclosureCount]) -> AgencyNotice:
    role = texts["coordinates"] if lead else ("" if active else texts["left_case"])
    counted = texts["separator"].join(texts["disclosure_count"].format(count=d.count, recipient=d.recipient)
                                      for d in disclosures)
    return AgencyNotice(
        agency.name, texts["agency_kinds"][agency.kind], lead, active, role=role, controller=agency.controller,
        controller_contact=agency.controller_contact, dpo_contact=agency.dpo_contact,
        authority=agency.supervisory_authority, disclosures=disclosures,
        disclosures_sentence=texts["disclosures"].format(counts=counted) if disclosures else texts["no_disclosures"])


def named_members(*, actor, case, today) -> list[Membership]:
    """The memberships the notice names: listed to the actor, and never a discreet one."""
    return list(case.memberships.filter(policy.listed_memberships(actor, today), policy.named_to_client_q())
                .select_related("agency").order_by("starts_on", "pk"))


def transparency_notice(*, actor, case_id, purpose: str, fmt: str = "html", language: str | None = None) -> Notice:
    """The notice for the client of a case the actor may see (404 otherwise), in `language` or else the
    client's (see choose_language). Audited as a read."""
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    chosen, how = choose_language(case.client.languages, language)
    texts = notice_texts.languages()[chosen]
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
        notice = _agency(texts, agency, lead=agency.pk == case.lead_agency_id, active=active,
                         disclosures=_disclosures(readable, agency, set(members)))
        if active and agency.active:
            shares = (_share(texts, agency, other, consents, today) for other in current if other.pk != agency.pk)
            notice.shares = [s for s in shares if s is not None]
        agencies.append(notice)
    by_name = {a.name: a for a in agencies}
    # A practitioner's agency not named to the client (discreet) gives the notice in the lead agency's name.
    issuer = by_name.get(actor.agency.name) or next((a for a in agencies if a.lead), None)
    record(actor=actor, operation=Operation.READ, object_type="dataprotection.transparency_notice",
           object_id=case.pk, case_id=case.pk, purpose=purpose, detail={"format": fmt, "language": chosen})
    return Notice(case.reference, case.client.full_name, today, agencies, chosen, list(case.client.languages or []),
                  texts, how, issuer)
