"""Subject access by controller and the border, in the demo world.

- Dora, probation's data protection officer, releases one of probation's programme items for the
  subject access answers of the agencies that received it; the items probation received from other
  agencies stay listed on her page as awaiting their originator.
- A Westmark (BE) client's supervision is being transferred to Noordhaven (NL): Noordhaven
  Probation joins the case, and Westmark Probation discloses the transfer summary to it. Its local
  supervision arrangements are marked NO-CROSS-BORDER: Casebridge refuses to disclose them abroad,
  and whatever the basis Lotte, on the team, never sees them.
"""

from casebridge.cases import membership
from casebridge.cases.models import Case
from casebridge.cases.models import Phase as P
from casebridge.dataprotection import services as dataprotection
from casebridge.items import services as items
from casebridge.items.models import InformationItem
from casebridge.sharing import services as sharing
from casebridge.vocabulary import Category, Purpose

WORK = Purpose.CASE_MANAGEMENT
BORDER_ITEM = "Local supervision arrangements (not for abroad)"
TRANSFER_ITEM = "Supervision transfer summary"


def release_one(people: dict, agency_ids: dict) -> InformationItem:
    dora = people["dora"]
    item = (InformationItem.objects.filter(originating_agency_id=agency_ids["probation"],
                                           category=Category.PROGRAMME_AND_INTERVENTION, intelligence=False,
                                           classification__lte=dora.clearance, retracted_at__isnull=True,
                                           derived_from__isnull=True, withholding__isnull=True)
            .order_by("pk").first())
    dataprotection.release_for_subject_access(actor=dora, client_id=item.case.client_id, item_id=item.pk,
                                              purpose=Purpose.DATA_PROTECTION)
    return item


def transfer_abroad(people: dict, agency_ids: dict, today) -> InformationItem:
    case = (Case.objects.filter(lead_agency_id=agency_ids["probation"], phase=P.SUPERVISED_RELEASE)
            .select_related("coordinator").order_by("pk").first())
    coordinator, lotte = case.coordinator, people["lotte"]
    membership.add_membership(actor=coordinator, case_id=case.pk, agency_id=agency_ids["nl_probation"],
                              point_of_contact_id=lotte.pk, phases=[P.SUPERVISED_RELEASE, P.AFTERCARE],
                              purpose=WORK, starts_on=today,
                              responsibilities="Takes over supervision after the transfer to Noordhaven.")
    membership.assign_to_team(actor=coordinator, case_id=case.pk, practitioner_id=lotte.pk, purpose=WORK)
    item = items.record_item(actor=coordinator, case_id=case.pk, purpose=WORK, data={
        "category": Category.HOUSING_EMPLOYMENT_EDUCATION, "nature": "fact", "title": BORDER_ITEM,
        "body": "Reporting arrangements agreed with the local police station and the employer; for the Westmark "
                "team only.", "fact_date": today, "classification": 0, "no_cross_border": True})
    summary = items.record_item(actor=coordinator, case_id=case.pk, purpose=WORK, data={
        "category": Category.HOUSING_EMPLOYMENT_EDUCATION, "nature": "fact", "title": TRANSFER_ITEM,
        "body": "Employment and housing in Noordhaven confirmed; weekly reporting to continue after the transfer.",
        "fact_date": today, "classification": 0})
    sharing.disclose_item(actor=coordinator, item_id=summary.pk, recipient_id=agency_ids["nl_probation"],
                          justification="Preparing the transfer of supervision.", purpose=WORK)
    return item


def show_controllers_and_borders(*, people: dict, agency_ids: dict, today) -> None:
    release_one(people, agency_ids)
    transfer_abroad(people, agency_ids, today)
