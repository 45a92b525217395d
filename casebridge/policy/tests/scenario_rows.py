"""A scenario's facts written to the database, so the query filter can answer for each row too.

Every fact of a scenario (actor, case, item, agreement rules, consents, disclosures) becomes the row
it stands for, with the same ids, so `visible_items(actor, ...)` can be asked about the same item."""

import datetime as dt

from casebridge.agencies.models import Agency, Practitioner
from casebridge.cases.models import Case, Client, Membership, MembershipPhase, TeamAssignment
from casebridge.items.models import InformationItem
from casebridge.policy.markings import INHERITED
from casebridge.sharing.models import (Agreement, AgreementPurpose, AgreementRule, AgreementVersion, Consent,
                                       ConsentCategory, Disclosure)

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
KINDS = {10: "probation", 20: "police", 30: "cso"}


def _agencies(actor, case, item, world) -> None:
    ids = {actor.agency_id, item.originating_agency_id, *KINDS, *(m.agency_id for m in case.memberships)}
    ids |= {r.originator_id for rules in world.rules.values() for r in rules}
    ids |= {r.recipient_id for rules in world.rules.values() for r in rules}
    ids |= {d.recipient_id for found in world.disclosures.values() for d in found}
    for pk in sorted(ids):
        own = pk == actor.agency_id
        Agency.objects.create(pk=pk, name=f"Agency {pk}", kind=actor.agency_kind if own else KINDS.get(pk, "other"),
                              country=actor.agency_country if own else (item.originator_country or "BE"),
                              active=actor.agency_active if own else True)


def _people(actor, case) -> None:
    Practitioner.objects.create(pk=actor.id, username=f"p{actor.id}", agency_id=actor.agency_id, role=actor.role,
                                clearance=actor.clearance, is_active=actor.is_active)
    for pk in sorted({case.coordinator_id, *case.team_ids} - {actor.id}):
        Practitioner.objects.create(pk=pk, username=f"p{pk}", agency_id=case.lead_agency_id)


def _case(case, client_ids) -> Case:
    for pk in sorted(client_ids):
        Client.objects.create(pk=pk, given_name="Synthetic", family_name=f"Client {pk}",
                              date_of_birth=dt.date(1990, 1, 1))
    row = Case.objects.create(pk=case.id, reference=f"S-{case.id}", client_id=min(client_ids), phase=case.phase,
                              lead_agency_id=case.lead_agency_id, coordinator_id=case.coordinator_id,
                              opened_on=dt.date(2025, 1, 1))
    for m in case.memberships:
        member = Membership.objects.create(case=row, agency_id=m.agency_id, point_of_contact_id=case.coordinator_id,
                                           starts_on=m.starts_on, ends_on=m.ends_on)
        MembershipPhase.objects.bulk_create(MembershipPhase(membership=member, phase=p) for p in m.phases)
    for pk in case.team_ids:
        TeamAssignment.objects.create(case=row, practitioner_id=pk, assigned_at=NOW,
                                      assigned_by_id=case.coordinator_id)
    return row


def _item(item, case: Case, author_id: int) -> InformationItem:
    common = {"case": case, "originating_agency_id": item.originating_agency_id, "author_id": author_id,
              "category": item.category, "nature": "fact", "body": "Synthetic.", "fact_date": dt.date(2025, 6, 1),
              "created_at": NOW, "updated_at": NOW}
    original = None
    if item.derived_from is not None:
        original = InformationItem.objects.create(pk=item.derived_from, title="Original", classification=3,
                                                  **{m: m in item.inherited for m in INHERITED}, **common)
    return InformationItem.objects.create(
        pk=item.id, title="Item", classification=item.classification, orcon=item.orcon,
        no_decision=item.no_decision, no_cross_border=item.no_cross_border, intelligence=item.intelligence,
        retracted_at=NOW if item.retracted else None, derived_from=original,
        **{f"lifted_{m}": m in item.lifted for m in INHERITED}, **common)


def _sharing(world, actor_id: int) -> None:
    for n, rule in enumerate(r for rules in world.rules.values() for r in rules):
        agreement = Agreement.objects.create(title=f"Agreement {n}", created_at=NOW, created_by_id=actor_id)
        version = AgreementVersion.objects.create(agreement=agreement, number=1, legal_basis="Protocol",
                                                  valid_from=rule.valid_from, valid_to=rule.valid_to,
                                                  status=rule.status, created_at=NOW, created_by_id=actor_id)
        AgreementPurpose.objects.bulk_create(AgreementPurpose(version=version, purpose=p) for p in rule.purposes)
        AgreementRule.objects.create(version=version, originator_id=rule.originator_id,
                                     recipient_id=rule.recipient_id, category=rule.category,
                                     max_classification=rule.max_classification,
                                     consent_required=rule.consent_required)
    for consent in (c for found in world.consents.values() for c in found):
        row = Consent.objects.create(pk=consent.id, client_id=consent.client_id,
                                     recipient_agency_id=consent.recipient_agency_id,
                                     recipient_kind=consent.recipient_kind, purpose=consent.purpose, evidence="Form",
                                     given_on=consent.given_on, withdrawn_at=NOW if consent.withdrawn else None,
                                     recorded_by_id=actor_id, recorded_at=NOW)
        ConsentCategory.objects.bulk_create(ConsentCategory(consent=row, category=c) for c in consent.categories)
    for d in (d for found in world.disclosures.values() for d in found):
        Disclosure.objects.create(pk=d.id, item_id=d.item_id, recipient_id=d.recipient_id, justification="Needed.",
                                  disclosed_by_id=actor_id, disclosed_at=NOW, revoked_at=NOW if d.revoked else None,
                                  allow_decision_use=d.allow_decision_use)


def build(actor, item, case, world) -> InformationItem:
    """Write the scenario; returns the item row. Disclosures of other items need those items too."""
    client_ids = {item.client_id, *(c.client_id for found in world.consents.values() for c in found)}
    _agencies(actor, case, item, world)
    _people(actor, case)
    row = _case(case, client_ids)
    made = _item(item, row, actor.id)
    for other in sorted({d.item_id for found in world.disclosures.values() for d in found} - {item.id}):
        InformationItem.objects.create(pk=other, case=row, originating_agency_id=item.originating_agency_id,
                                       author_id=actor.id, category=item.category, nature="fact", title="Other",
                                       body="Synthetic.", fact_date=dt.date(2025, 6, 1), orcon=True,
                                       created_at=NOW, updated_at=NOW)
    _sharing(world, actor.id)
    return made
