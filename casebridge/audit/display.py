"""The audit trail as people read it: what each event's object and case are called, and where the
reader may open them.

An event stores its object as a type and a number (`sharing.agreementversion 7`); the pages say
"Sharing agreement “Westmark exit continuum protocol”, version 2". Only names that are no case content
are read: agencies, accounts, agreements, and a case's reference where the reader may see the case under
the sharing rule (anyone else reads "Case 4", as the audit report always did: an auditor need not be on
the case team). Item titles and other case content are never read here; an item is named by its number,
linked when the reader may open it. Each link goes where the reader may go: the target page decides
again, and records the visit.

The objects of other apps are looked up by name (`apps.get_model`) and their services imported inside
the functions that need them: the trail itself (models, recording, appending) depends on no app it
records; only these pages name what it recorded.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casebridge import policy
from casebridge.errors import DomainError
from casebridge.policy import Perm

ITEM = "items.informationitem"

# What an object type is called; a model not listed here is called by its verbose name.
NOUNS = {
    "accounts.login": gettext_lazy("Sign-in attempt"),
    "accounts.apitoken": gettext_lazy("API token"),
    "otp_totp.totpdevice": gettext_lazy("Second factor"),
    "agencies.agency": gettext_lazy("Agency"),
    "agencies.practitioner": gettext_lazy("Account"),
    "sharing.agreement": gettext_lazy("Sharing agreement"),
    "sharing.agreementversion": gettext_lazy("Sharing agreement"),
    "sharing.consent": gettext_lazy("Consent"),
    "sharing.disclosure": gettext_lazy("Disclosure"),
    "cases.case": gettext_lazy("Case"),
    "cases.client": gettext_lazy("Client record"),
    "cases.membership": gettext_lazy("Agency's membership of a case"),
    "cases.teamassignment": gettext_lazy("Team assignment"),
    "cases.phasechange": gettext_lazy("Phase change"),
    ITEM: gettext_lazy("Information item"),
    "items.attachment": gettext_lazy("Attachment"),
    "items.preview": gettext_lazy("Sharing preview"),
    "decisions.formaldecision": gettext_lazy("Formal decision"),
    "conferences.conference": gettext_lazy("Case conference"),
    "conferences.proposal": gettext_lazy("Conference proposal"),
    "conferences.action": gettext_lazy("Conference action"),
    "conferences.participant": gettext_lazy("Conference participant"),
    "conferences.agendaentry": gettext_lazy("Agenda item"),
    "conferences.minutes": gettext_lazy("Conference minutes"),
    "assessments.assessment": gettext_lazy("Structured assessment"),
    "reflector.reflector": gettext_lazy("CaseReflector"),
    "reflector.session": gettext_lazy("CaseReflector session"),
    "reflector.goal": gettext_lazy("CaseReflector goal"),
    "reflector.sharedsummary": gettext_lazy("CaseReflector summary"),
    "network.tie": gettext_lazy("Support-network tie"),
    "dataprotection.withholding": gettext_lazy("Withholding from subject access"),
    "dataprotection.subjectaccessrelease": gettext_lazy("Subject access release"),
    "dataprotection.transparency_notice": gettext_lazy("Transparency notice"),
    "audit.chain": gettext_lazy("Audit chain"),
    "audit.events": gettext_lazy("Audit trail"),
    "audit.report": gettext_lazy("Audit report"),
    "audit.fingerprint": gettext_lazy("Fingerprint check"),
}


@dataclass(frozen=True)
class Named:
    """Something an event names, in words, and where the reader may open it (if anywhere)."""

    text: str
    url: str = ""


def noun(object_type: str) -> str:
    """What an object type is called ("Information item"); never the type's code."""
    if object_type in NOUNS:
        return str(NOUNS[object_type])
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        from casebridge.labels import readable

        return readable(object_type.rpartition(".")[2]) or _("Object")
    return str(model._meta.verbose_name)[:1].upper() + str(model._meta.verbose_name)[1:]


def numbered(object_type: str, object_id) -> str:
    if object_id in (None, ""):
        return noun(object_type)
    return _("%(noun)s %(number)s") % {"noun": noun(object_type), "number": object_id}


class Namer:
    """Names the objects and cases of one page of events, with a query per kind of object."""

    def __init__(self, actor, purpose: str, events, cases=frozenset()):
        self.actor, self.purpose = actor, purpose
        wanted: dict[str, set[int]] = {}
        for event in events:
            if str(event.object_id).isdigit():
                wanted.setdefault(event.object_type, set()).add(int(event.object_id))
        self.objects = {}
        for object_type, ids in wanted.items():
            namer = _NAMERS.get(object_type)
            if namer is not None:
                self.objects.update({(object_type, pk): named for pk, named in namer(self, ids).items()})
        self.cases = self._cases({e.case_id for e in events if e.case_id is not None}
                                 | wanted.get("cases.case", set()) | set(cases))

    def object(self, event) -> Named:
        if event.object_type == "cases.case" and str(event.object_id).isdigit():
            return self.case(int(event.object_id))
        key = (event.object_type, int(event.object_id)) if str(event.object_id).isdigit() else None
        return self.objects.get(key) or Named(numbered(event.object_type, event.object_id))

    def case(self, case_id: int) -> Named:
        return self.cases.get(case_id) or Named(_("Case %(number)s") % {"number": case_id})

    def _cases(self, ids: set[int]) -> dict[int, Named]:
        """A case the reader may see under the rule is named by its reference and links to its page."""
        if not ids:
            return {}
        Case = apps.get_model("cases", "Case")
        visible = Case.objects.filter(pk__in=ids).filter(policy.visible_cases(self.actor, timezone.localdate()))
        return {pk: Named(_("Case %(reference)s") % {"reference": reference}, reverse("cases:detail", args=[pk]))
                for pk, reference in visible.values_list("pk", "reference")}

    def _agencies(self, ids):
        agency = apps.get_model("agencies", "Agency")
        return {pk: Named(_("Agency %(name)s") % {"name": name}, self._administered(pk, "agencies:agency", pk))
                for pk, name in agency.objects.filter(pk__in=ids).values_list("pk", "name")}

    def _accounts(self, ids):
        people = apps.get_model("agencies", "Practitioner").objects.filter(pk__in=ids).select_related("agency")
        return {p.pk: Named(_("Account of %(name)s (%(username)s), %(agency)s") % {
            "name": p.display_name, "username": p.username, "agency": p.agency.name},
            self._administered(p.agency_id, "agencies:practitioner", p.pk)) for p in people}

    def _administered(self, agency_id: int, route: str, pk: int) -> str:
        allowed = policy.decide_administer(self.actor, Perm.PRACTITIONER_MANAGE, agency_id)
        return reverse(route, args=[pk]) if allowed else ""

    def _agreements(self, ids):
        from casebridge.sharing.agreements import visible_agreements

        versions = apps.get_model("sharing", "AgreementVersion").objects.filter(pk__in=ids).select_related("agreement")
        readable = set(visible_agreements(self.actor).filter(pk__in=ids).values_list("pk", flat=True))
        return {v.pk: Named(_("Sharing agreement “%(title)s”, version %(number)s") % {
            "title": v.agreement.title, "number": v.number},
            reverse("sharing:agreement", args=[v.pk]) if v.pk in readable else "") for v in versions}

    def _items(self, ids):
        """Items by number; linked when the reader may open the item's page under the rule."""
        from casebridge.items import services as items

        try:
            readable = set(items.visible_items(self.actor, self.purpose).filter(pk__in=ids, carrier="record")
                           .values_list("pk", flat=True))
        except DomainError:  # a purpose under which the reader reads no items
            readable = set()
        return {pk: Named(numbered(ITEM, pk), reverse("items:detail", args=[pk]) if pk in readable else "")
                for pk in ids}


_NAMERS = {
    "agencies.agency": Namer._agencies,
    "agencies.practitioner": Namer._accounts,
    "sharing.agreementversion": Namer._agreements,
    ITEM: Namer._items,
}
