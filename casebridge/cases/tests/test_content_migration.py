"""The migration that turns the free texts of existing case records into items: each text becomes
an item of its writer's agency (the lead agency where the writer is unknown), RESTRICTED, in its
carrier's category, and the product's own fixed texts are dropped."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# SQLite changes a schema only outside a transaction; PostgreSQL changes it inside the test's own
# transaction (whose rollback undoes it), since its append-only audit table refuses the flush a
# transactional test ends with. Constraints are checked at once there, so that no deferred check is
# pending when a later migration alters a table.
SQLITE = connection.vendor == "sqlite"
BEFORE = [("agencies", "0001_initial"), ("cases", "0001_initial"), ("items", "0001_initial"), ("decisions", "0002_initial")]
AFTER = [("agencies", "0001_initial"), ("cases", "0003_content_texts_to_items"), ("decisions", "0003_content_text_item")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_world(apps) -> dict:
    """A case as the product stored it before: texts in columns."""
    Agency, Person = apps.get_model("agencies", "Agency"), apps.get_model("agencies", "Practitioner")
    probation = Agency.objects.create(name="Probation", kind="probation", country="BE", region="W")
    prison = Agency.objects.create(name="Prison", kind="prison", country="BE", region="W")
    petra = Person.objects.create(username="petra", agency=probation, role="coordinator", clearance=2)
    ivo = Person.objects.create(username="ivo", agency=prison, role="practitioner", clearance=1)
    client = apps.get_model("cases", "Client").objects.create(
        given_name="Old", family_name="Client", date_of_birth=dt.date(1990, 1, 1), residency_note="Permit revoked.")
    case = apps.get_model("cases", "Case").objects.create(
        reference="CB-OLD-1", client=client, lead_agency=probation, coordinator=petra, phase="custody",
        summary="Convicted of financing.", opened_on=dt.date(2025, 1, 1))
    Membership = apps.get_model("cases", "Membership")
    Membership.objects.create(case=case, agency=probation, point_of_contact=petra, starts_on=dt.date(2025, 1, 1),
                              responsibilities="Lead agency: coordinates the case.")
    Membership.objects.create(case=case, agency=prison, point_of_contact=ivo, starts_on=dt.date(2025, 1, 1),
                              responsibilities="Detention plan.", ends_on=dt.date(2025, 9, 1),
                              end_reason="Transferred abroad.")
    now = timezone.now()
    PhaseChange = apps.get_model("cases", "PhaseChange")
    PhaseChange.objects.create(case=case, from_phase="", to_phase="trial", effective_on=dt.date(2025, 1, 1),
                               recorded_at=now, recorded_by=petra, handover_note="Case opened.")
    PhaseChange.objects.create(case=case, from_phase="trial", to_phase="custody", effective_on=dt.date(2025, 3, 1),
                               recorded_at=now, recorded_by=ivo, handover_note="Judgment: four years.")
    apps.get_model("cases", "TeamAssignment").objects.create(
        case=case, practitioner=ivo, assigned_at=now, assigned_by=petra, released_at=now, released_by=ivo,
        handover_note="Visits on Tuesdays.")
    apps.get_model("decisions", "FormalDecision").objects.create(
        case=case, agency=prison, kind="regime", text="Standard regime.", decided_on=dt.date(2025, 4, 1),
        decided_by=ivo, recorded_at=now)
    return {"probation": probation.pk, "prison": prison.pk, "petra": petra.pk, "ivo": ivo.pk, "case": case.pk}


@pytest.mark.django_db(transaction=SQLITE)
def test_the_migration_turns_every_text_into_an_item_of_its_writers_agency():
    if not SQLITE:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        world = _old_world(_migrate(BEFORE))
        apps = _migrate(AFTER)
        Item = apps.get_model("items", "InformationItem")
        made = {i.body: i for i in Item.objects.all()}
        expected = {
            "Convicted of financing.": ("case_summary", "identity_and_status", "probation", "petra"),
            "Permit revoked.": ("residency_note", "legal_and_residency", "probation", "petra"),
            "Detention plan.": ("membership_responsibilities", "programme_and_intervention", "probation", "petra"),
            "Transferred abroad.": ("membership_end", "programme_and_intervention", "probation", "petra"),
            "Judgment: four years.": ("phase_handover", "offence_and_sentence", "prison", "ivo"),
            "Visits on Tuesdays.": ("team_handover", "programme_and_intervention", "prison", "ivo"),
            "Standard regime.": ("decision_text", "custody_behaviour_and_security", "prison", "ivo"),
        }
        assert {body: (i.carrier, i.category, i.originating_agency_id, i.author_id) for body, i in made.items()} == {
            body: (carrier, category, world[agency], world[author])
            for body, (carrier, category, agency, author) in expected.items()}
        assert {i.classification for i in made.values()} == {1} and {i.case_id for i in made.values()} == {world["case"]}
        case = apps.get_model("cases", "Case").objects.select_related("summary_item", "client__residency_item").get()
        assert case.summary_item.body == "Convicted of financing." and case.client.residency_item.body == "Permit revoked."
        changes = apps.get_model("cases", "PhaseChange").objects.order_by("effective_on")
        assert [c.note_item.body if c.note_item else None for c in changes] == [None, "Judgment: four years."]
        decision = apps.get_model("decisions", "FormalDecision").objects.get()
        assert decision.text_item.body == "Standard regime."
    finally:
        _migrate(_migrate_to_latest())


def _migrate_to_latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
