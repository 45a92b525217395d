"""The subject access export: what Casebridge holds about the client, as the client receives it.

The document is built from an explicit list of fields, so nothing is in it by accident: never an
item's source or method (not even read), grading, handling codes, or the reasons items were
withheld. The same document is served as JSON and rendered as PDF.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases.models import Phase, ResidencyStatus
from casebridge.dataprotection import services
from casebridge.vocabulary import AgencyKind, Category, classification_label

RECIPIENT = "the client"


# Labels as text in the language of the request (they are lazy translations): the export is JSON
# and a PDF, neither of which takes a lazy text.
def _client(client) -> dict:
    return {"given_name": client.given_name, "family_name": client.family_name, "aliases": list(client.aliases or []),
            "date_of_birth": client.date_of_birth, "nationalities": list(client.nationalities or []),
            "languages": list(client.languages or []),
            # The residency note is an item: it comes with the items, under the subject access rule.
            "residency_status": str(ResidencyStatus(client.residency_status).label)}


def _case(case) -> dict:
    return {
        "reference": case.reference, "opened_on": case.opened_on, "current_phase": str(Phase(case.phase).label),
        "lead_agency": case.lead_agency.name,
        "phases": [{"phase": str(Phase(change.to_phase).label), "since": change.effective_on}
                   for change in case.phase_changes.all()],
        # The client is never a core member: a discreet member is not named to them.
        "member_agencies": [{"name": m.agency.name, "kind": str(AgencyKind(m.agency.kind).label), "starts_on": m.starts_on,
                             "ends_on": m.ends_on}
                            for m in case.memberships.filter(policy.named_to_client_q())
                            .select_related("agency").order_by("starts_on", "pk")],
    }


def _item(item) -> dict:
    return {"case_reference": item.case.reference, "recorded_by_agency": item.originating_agency.name,
            "category": str(Category(item.category).label), "nature": str(item.get_nature_display()), "title": item.title,
            "text": item.body, "date_of_fact": item.fact_date,
            "recorded_on": timezone.localtime(item.created_at).date(),
            "version": item.version, "sanitised_summary_of_another_record": item.derived_from_id is not None,
            "attachments": [{"filename": a.filename, "content_type": a.content_type, "size_bytes": a.size}
                            for a in item.attachments.all()]}


def subject_access_export(*, actor, client_id, purpose: str, fmt: str = "json") -> dict:
    """The client's subject access export: identity, cases (phases with dates, member agencies) and
    every item the policy lets into it. Audited as an export to the client."""
    client = services.get_client(actor, client_id)
    their_cases = services.client_cases(client)
    items = services.included_items(actor, client, purpose)
    document = {
        "title": _("Information held about you in Casebridge"),
        "generated_at": timezone.localtime().replace(microsecond=0),
        "provided_by": actor.agency.name,
        # Every page of the PDF carries it: the highest level of what the copy holds.
        "classification": classification_label(max((item.classification for item in items), default=0)),
        "client": _client(client),
        "cases": [_case(case) for case in their_cases],
        "items": [_item(item) for item in items],
    }
    record(actor=actor, operation=Operation.EXPORT, obj=client, purpose=purpose, recipients=[RECIPIENT],
           case_id=their_cases[0].pk if len(their_cases) == 1 else None,
           detail={"export": "subject access", "format": fmt, "cases": [c.reference for c in their_cases],
                   "items": [item.pk for item in items]},
           concerning=items)
    return document
