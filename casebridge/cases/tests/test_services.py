"""The case record's use cases, as the personas live them."""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import facts, membership, services
from casebridge.cases.models import Case, Client, TeamAssignment
from casebridge.conftest import PURPOSE
from casebridge.errors import Conflict, Forbidden, InvalidInput, NotVisible


def visible_refs(user):
    return [c.reference for c in services.visible_cases(user)]


def test_only_the_case_team_sees_the_case(case, cast):
    for name in ("petra", "ivo", "omar", "clara"):
        assert visible_refs(cast[name]) == [case.reference], name
    for name in ("nora", "xavier", "adam", "dora", "sam"):
        assert visible_refs(cast[name]) == [], name
        with pytest.raises(NotVisible):
            services.get_case(actor=cast[name], case_id=case.pk, purpose=PURPOSE)


def test_a_team_member_from_another_agency_may_see_but_not_manage(case, cast):
    with pytest.raises(Forbidden):
        services.transition_phase(actor=cast["ivo"], case_id=case.pk, to_phase="release_preparation",
                                  effective_on=dt.date.today(), handover_note="x", purpose=PURPOSE)


def test_moving_to_a_phase_a_membership_does_not_cover_removes_access_at_once(case, cast):
    # Omar's police membership does not cover supervised release; Ivo's prison one neither.
    services.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase="release_preparation",
                              effective_on=dt.date.today(), handover_note="Release plan started.", purpose=PURPOSE)
    assert visible_refs(cast["omar"]) == [case.reference]
    services.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase="supervised_release",
                              effective_on=dt.date.today(), handover_note="Released on licence.", purpose=PURPOSE)
    assert visible_refs(cast["omar"]) == []
    assert visible_refs(cast["ivo"]) == []
    assert visible_refs(cast["clara"]) == [case.reference]


def test_ending_a_membership_removes_access_on_the_next_request(case, cast):
    police = case.memberships.get(agency__kind="police")
    membership.end_membership(actor=cast["petra"], case_id=case.pk, membership_id=police.pk,
                              reason="Investigation closed.", purpose=PURPOSE)
    assert visible_refs(cast["omar"]) == []
    with pytest.raises(NotVisible):
        services.get_case(actor=cast["omar"], case_id=case.pk, purpose=PURPOSE)


def test_leaving_the_team_removes_access_while_colleagues_keep_theirs(case, cast, agencies):
    from casebridge.conftest import _person

    colleague = _person("cleo", agencies["cso"], first="Cleo", last="Claes")
    assignment = case.team.get(practitioner=cast["clara"])
    membership.release_from_team(actor=cast["clara"], case_id=case.pk, assignment_id=assignment.pk,
                                 successor_id=colleague.pk, handover_note="Moving to another programme.",
                                 purpose=PURPOSE)
    assert visible_refs(cast["clara"]) == []
    assert visible_refs(colleague) == [case.reference]
    assert visible_refs(cast["ivo"]) == [case.reference]


def test_a_point_of_contact_leaving_without_successor_or_deputy_is_refused(case, cast):
    assignment = case.team.get(practitioner=cast["clara"])
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        membership.release_from_team(actor=cast["clara"], case_id=case.pk, assignment_id=assignment.pk,
                                     handover_note="Leaving.", purpose=PURPOSE)
    assert "point of contact" in refused.value.message
    assert visible_refs(cast["clara"]) == [case.reference]


def test_the_coordinator_cannot_leave_without_a_successor_and_nothing_changes(case, cast):
    petra = cast["petra"]
    own = case.team.get(practitioner=petra)
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        membership.release_from_team(actor=petra, case_id=case.pk, assignment_id=own.pk,
                                     handover_note="Leaving the service.", purpose=PURPOSE)
    assert refused.value.field == "successor"
    own.refresh_from_db()
    assert own.released_at is None
    assert Case.objects.get(pk=case.pk).coordinator == petra
    assert AuditEvent.objects.count() == before


def test_a_successor_from_another_agency_cannot_take_over_coordination(case, cast):
    own = case.team.get(practitioner=cast["petra"])
    with pytest.raises(InvalidInput), transaction.atomic():
        membership.release_from_team(actor=cast["petra"], case_id=case.pk, assignment_id=own.pk,
                                     handover_note="Leaving.", successor_id=cast["ivo"].pk, purpose=PURPOSE)


def test_handover_to_a_colleague_passes_coordination_contact_and_access(case, cast):
    petra, nora = cast["petra"], cast["nora"]
    own = case.team.get(practitioner=petra)
    membership.release_from_team(actor=petra, case_id=case.pk, assignment_id=own.pk, successor_id=nora.pk,
                                 handover_note="Nora takes over; client prefers morning meetings.", purpose=PURPOSE)
    case.refresh_from_db()
    assert case.coordinator == nora
    assert case.memberships.get(agency=petra.agency).point_of_contact == nora
    assert visible_refs(nora) == [case.reference] and visible_refs(petra) == []
    released = TeamAssignment.objects.get(pk=own.pk)
    note = released.handover_item
    assert note.body.startswith("Nora takes over") and released.successor == nora
    assert (note.carrier, note.originating_agency, note.author) == ("team_handover", petra.agency, petra)


def test_a_stale_edit_is_refused_instead_of_overwriting(case, cast):
    version = case.version
    services.set_key_dates(actor=cast["petra"], case_id=case.pk, expected_version=version, purpose=PURPOSE,
                           dates={"sentence_start": dt.date(2025, 3, 1), "sentence_end": dt.date(2028, 6, 1)})
    with pytest.raises(Conflict):
        services.set_key_dates(actor=cast["petra"], case_id=case.pk, expected_version=version, purpose=PURPOSE,
                               dates={"sentence_start": dt.date(2025, 3, 1), "sentence_end": dt.date(2029, 1, 1)})
    assert Case.objects.get(pk=case.pk).sentence_end == dt.date(2028, 6, 1)


@pytest.mark.parametrize("to_phase,effective_on,note,field", [
    ("aftercare", dt.date(2025, 6, 1), "ok", "to_phase"),            # custody → aftercare skips a step
    ("nonsense", dt.date(2025, 6, 1), "ok", "to_phase"),
    ("release_preparation", dt.date(2025, 1, 1), "ok", "effective_on"),  # before the previous change
    ("release_preparation", dt.date(2999, 1, 1), "ok", "effective_on"),  # in the future
    ("release_preparation", dt.date(2025, 6, 1), "   ", "handover_note"),
    ("release_preparation", dt.date(2025, 6, 1), "x" * 20001, "handover_note"),
])
def test_bad_transitions_are_refused_with_the_field_named(case, cast, to_phase, effective_on, note, field):
    with pytest.raises(InvalidInput) as refused:
        services.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase=to_phase,
                                  effective_on=effective_on, handover_note=note, purpose=PURPOSE)
    assert refused.value.field == field
    assert Case.objects.get(pk=case.pk).phase == "custody"


def test_a_transition_is_dated_attributed_and_audited(case, cast):
    change = services.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase="release_preparation",
                                       effective_on=dt.date(2025, 9, 1), handover_note="Housing search begins.",
                                       purpose=PURPOSE)
    assert (change.from_phase, change.to_phase, change.recorded_by) == ("custody", "release_preparation", cast["petra"])
    event = AuditEvent.objects.filter(operation=Operation.UPDATE, case_id=case.pk).last()
    assert event.detail["phase"] == ["custody", "release_preparation"] and event.purpose == PURPOSE


def test_only_coordinators_open_cases_and_bad_clients_are_refused(cast):
    with pytest.raises(Forbidden):
        services.open_case(actor=cast["ivo"], client={}, phase="custody", phase_date=dt.date(2025, 1, 1),
                           purpose=PURPOSE)
    with pytest.raises(InvalidInput) as refused:
        services.open_case(actor=cast["petra"], phase="custody", phase_date=dt.date(2025, 1, 1), purpose=PURPOSE,
                           client={"given_name": "A", "family_name": "B", "date_of_birth": dt.date(2999, 1, 1)})
    assert refused.value.field == "date_of_birth"
    assert Client.objects.count() == 0


def test_adding_a_member_twice_or_with_a_contact_from_elsewhere_is_refused(case, cast, agencies):
    with pytest.raises(InvalidInput):
        membership.add_membership(actor=cast["petra"], case_id=case.pk, agency_id=agencies["prison"].pk,
                                  point_of_contact_id=cast["ivo"].pk, phases=["custody"], purpose=PURPOSE)
    with pytest.raises(InvalidInput) as refused:
        membership.add_membership(actor=cast["petra"], case_id=case.pk, agency_id=agencies["housing"].pk,
                                  point_of_contact_id=cast["ivo"].pk, phases=["custody"], purpose=PURPOSE)
    assert refused.value.field == "point_of_contact"


def test_only_practitioners_of_active_members_join_the_team(case, cast):
    with pytest.raises(InvalidInput):
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["xavier"].pk,
                                  purpose=PURPOSE)


def test_reminders_list_key_dates_in_the_coming_weeks_for_visible_cases_only(case, cast):
    soon = dt.date.today() + dt.timedelta(days=10)
    services.set_key_dates(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE,
                           dates={"sentence_start": dt.date(2025, 3, 1), "earliest_release": soon})
    assert [(c.reference, label, when) for c, label, when in services.upcoming_key_dates(actor=cast["ivo"])] == \
        [(case.reference, "Earliest release", soon)]
    assert services.upcoming_key_dates(actor=cast["xavier"]) == []


def test_the_facts_of_several_cases_are_those_of_each_case_loaded(case, cast, agencies):
    """`facts_of_cases` reads plain values for many cases at once (a search's results); it must give
    exactly what `case_facts` gives from each case loaded: memberships in order with their phases,
    ended ones included, the team without those released, the coordinator's agency."""
    from casebridge.cases.membership import end_membership, release_from_team
    from casebridge.conftest import _person

    colleague = _person("cleo", agencies["cso"], first="Cleo", last="Claes")
    second = services.open_case(actor=cast["petra"], purpose=PURPOSE, phase="custody", phase_date=dt.date(2026, 1, 5),
                                client={"given_name": "Mira", "family_name": "Vos-Second",
                                        "date_of_birth": dt.date(1999, 2, 3)})
    police = case.memberships.get(agency__kind="police")
    end_membership(actor=cast["petra"], case_id=case.pk, membership_id=police.pk, reason="Investigation closed.",
                   purpose=PURPOSE)
    release_from_team(actor=cast["clara"], case_id=case.pk, purpose=PURPOSE,
                      assignment_id=case.team.get(practitioner=cast["clara"]).pk,
                      handover_note="Moving to another programme.", successor_id=colleague.pk)
    ids = [case.pk, second.pk]
    expected = {pk: services.case_facts(services.load_case(pk, display=False)) for pk in ids}
    assert facts.facts_of_cases(ids) == expected
    assert len(expected[case.pk].memberships) >= 3 and any(m.ends_on for m in expected[case.pk].memberships)
    assert cast["clara"].pk not in expected[case.pk].team_ids and expected[case.pk].team_ids
    own = facts.agency_facts_of_cases(ids, police.agency_id)[case.pk]
    assert own.memberships == tuple(m for m in expected[case.pk].memberships if m.agency_id == police.agency_id)
