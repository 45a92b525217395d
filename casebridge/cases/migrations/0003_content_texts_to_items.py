"""Every free text of the case record becomes an information item (docs/architecture.md, "Case
content: one carrier"), so that it is read only through the sharing rule.

Each text is carried by an item on its case: originated by the agency of the person who wrote it
(the recorder of a phase change or a release, the deciding agency), or by the lead agency where
the writer is not recorded (summary, residency note, responsibilities, end of a membership);
authored by that person or the coordinator; in the carrier's default category; RESTRICTED, the
conservative level, which the originator can change on the item page like any item's marking.
The two fixed texts the product itself wrote ("Case opened." on a case's first phase entry and
the lead agency's "Lead agency: coordinates the case.") say nothing about the client and are
dropped. A conversion writes no audit events: it is recorded as this migration.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

RESTRICTED = 1
OPENING_NOTE = "Case opened."
LEAD_RESPONSIBILITIES = "Lead agency: coordinates the case."
# (category, nature) of each carrier, as casebridge.items.models.CARRIER_DEFAULTS at this migration.
DEFAULTS = {
    "case_summary": ("identity_and_status", "fact"),
    "residency_note": ("legal_and_residency", "fact"),
    "phase_handover": ("offence_and_sentence", "assessment"),
    "membership_responsibilities": ("programme_and_intervention", "fact"),
    "membership_end": ("programme_and_intervention", "fact"),
    "team_handover": ("programme_and_intervention", "assessment"),
}
# A decision's category follows its kind, as casebridge.decisions.models.KIND_CATEGORY.
DECISION_CATEGORY = {
    "placement": "custody_behaviour_and_security", "regime": "custody_behaviour_and_security",
    "temporary_release": "custody_behaviour_and_security", "risk_level": "risk_and_needs_assessment",
}
PHASES = {"remand": "Remand / pre-trial", "trial": "Trial & sentencing", "custody": "Custody",
          "release_preparation": "Release preparation", "supervised_release": "Supervised release",
          "aftercare": "Aftercare", "closed": "Closed"}


class Carry:
    """Creates the items of one conversion run."""

    def __init__(self, apps):
        self.Item = apps.get_model("items", "InformationItem")
        self.now = timezone.now()

    def __call__(self, *, case, agency_id, author_id, carrier, title, body, on, category=None):
        default_category, nature = DEFAULTS.get(carrier, ("offence_and_sentence", "fact"))
        return self.Item.objects.create(
            case_id=case.pk, originating_agency_id=agency_id, author_id=author_id, carrier=carrier,
            category=category or default_category, nature=nature, title=title, body=body.strip(),
            fact_date=min(on, self.now.date()), classification=RESTRICTED, created_at=self.now, updated_at=self.now)


def _summaries_and_residency(apps, carry) -> None:
    Case, Client = apps.get_model("cases", "Case"), apps.get_model("cases", "Client")
    for case in Case.objects.exclude(summary="").order_by("pk"):
        if case.summary.strip():
            case.summary_item = carry(case=case, agency_id=case.lead_agency_id, author_id=case.coordinator_id,
                                      carrier="case_summary", title="Case summary", body=case.summary,
                                      on=case.opened_on)
            case.save(update_fields=["summary_item"])
    for client in Client.objects.exclude(residency_note="").order_by("pk"):
        case = Case.objects.filter(client=client).order_by("pk").first()
        if case is not None and client.residency_note.strip():
            client.residency_item = carry(case=case, agency_id=case.lead_agency_id, author_id=case.coordinator_id,
                                          carrier="residency_note", title="Residency note",
                                          body=client.residency_note, on=case.opened_on)
            client.save(update_fields=["residency_item"])


def _phase_changes(apps, carry) -> None:
    PhaseChange = apps.get_model("cases", "PhaseChange")
    for change in PhaseChange.objects.select_related("case", "recorded_by").order_by("pk"):
        note = change.handover_note.strip()
        if not note or (not change.from_phase and note == OPENING_NOTE):
            continue
        title = f"Handover: {PHASES.get(change.from_phase, '…')} → {PHASES.get(change.to_phase, change.to_phase)}"
        change.note_item = carry(case=change.case, agency_id=change.recorded_by.agency_id,
                                 author_id=change.recorded_by_id, carrier="phase_handover", title=title, body=note,
                                 on=change.effective_on)
        change.save(update_fields=["note_item"])


def _memberships(apps, carry) -> None:
    Membership = apps.get_model("cases", "Membership")
    for member in Membership.objects.select_related("case", "agency").order_by("pk"):
        case, lead = member.case, member.case.lead_agency_id
        text = member.responsibilities.strip()
        if text and not (member.agency_id == lead and text == LEAD_RESPONSIBILITIES):
            member.responsibilities_item = carry(
                case=case, agency_id=lead, author_id=case.coordinator_id, carrier="membership_responsibilities",
                title=f"Responsibilities of {member.agency.name}", body=text, on=member.starts_on)
        if member.end_reason.strip():
            member.end_item = carry(case=case, agency_id=lead, author_id=case.coordinator_id,
                                    carrier="membership_end", title=f"End of {member.agency.name}'s membership",
                                    body=member.end_reason, on=member.ends_on or member.starts_on)
        member.save(update_fields=["responsibilities_item", "end_item"])


def _team_and_decisions(apps, carry) -> None:
    Assignment, Decision = apps.get_model("cases", "TeamAssignment"), apps.get_model("decisions", "FormalDecision")
    for place in Assignment.objects.exclude(handover_note="").select_related(
            "case__coordinator", "released_by", "practitioner").order_by("pk"):
        if not place.handover_note.strip():
            continue
        writer = place.released_by or place.case.coordinator
        on = place.released_at.date() if place.released_at else place.assigned_at.date()
        place.handover_item = carry(case=place.case, agency_id=writer.agency_id, author_id=writer.pk,
                                    carrier="team_handover", title=f"Handover note of {place.practitioner.username}",
                                    body=place.handover_note, on=on)
        place.save(update_fields=["handover_item"])
    for decision in Decision.objects.select_related("case").order_by("pk"):
        decision.text_item = carry(case=decision.case, agency_id=decision.agency_id, author_id=decision.decided_by_id,
                                   carrier="decision_text", title=f"Decision: {decision.kind.replace('_', ' ')}",
                                   body=decision.text or "—", on=decision.decided_on,
                                   category=DECISION_CATEGORY.get(decision.kind, "offence_and_sentence"))
        decision.save(update_fields=["text_item"])


def texts_to_items(apps, schema_editor) -> None:
    carry = Carry(apps)
    _summaries_and_residency(apps, carry)
    _phase_changes(apps, carry)
    _memberships(apps, carry)
    _team_and_decisions(apps, carry)


def items_to_texts(apps, schema_editor) -> None:
    """Back to the columns (their current text), for a rollback; the items stay, as items."""
    for model, pairs in [("cases.Case", [("summary_item", "summary")]),
                         ("cases.Client", [("residency_item", "residency_note")]),
                         ("cases.PhaseChange", [("note_item", "handover_note")]),
                         ("cases.Membership", [("responsibilities_item", "responsibilities"),
                                               ("end_item", "end_reason")]),
                         ("cases.TeamAssignment", [("handover_item", "handover_note")]),
                         ("decisions.FormalDecision", [("text_item", "text")])]:
        Model = apps.get_model(*model.split("."))
        for row in Model.objects.select_related(*(key for key, _ in pairs)):
            for key, column in pairs:
                item = getattr(row, key)
                setattr(row, column, item.body if item is not None else "")
            row.save(update_fields=[column for _, column in pairs])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_content_carried_items'),
        ('decisions', '0003_content_text_item'),
        ('items', '0002_content_carrier'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(texts_to_items, items_to_texts),
    ]
