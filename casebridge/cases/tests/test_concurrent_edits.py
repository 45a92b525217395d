"""Two people changing the same case at the same moment: one change is saved, the other is refused
(stale, or clashing with what the first did); nothing is lost silently and nothing half-written.

Each test runs two writers at once on their own connections (casebridge.tests.concurrency), both
having read the case at the same version. On PostgreSQL they truly overlap; without the case's
lock both were applied, one over the other.
"""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.api.tests.conftest import error_of
from casebridge.cases import membership, services
from casebridge.cases.models import Case, Membership, PhaseChange, TeamAssignment
from casebridge.conftest import PURPOSE, bearer
from casebridge.errors import InvalidInput, StaleVersion
from casebridge.tests.concurrency import Race, refused, succeeded

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_api_clients_saving_key_dates_from_the_same_version_get_one_200_and_one_409_stale_version(
        client, cast, case, monkeypatch):
    race = Race()
    monkeypatch.setattr(services, "check_key_dates", race.pausing(services.check_key_dates))
    url = f"/api/cases/{case.pk}/key-dates"

    def put(sentence_end):
        headers = bearer(cast["petra"])  # two clients, each with its own token

        def send():
            from django.test import Client
            return Client().put(url, {"expected_version": 1, "sentence_start": "2025-03-01",
                                      "sentence_end": sentence_end}, content_type="application/json", **headers)
        return send

    first, second = race.run(put("2028-06-01"), put("2029-01-01"), atomic=False)
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    loser = first if first.status_code == 409 else second
    assert error_of(loser)["code"] == "stale_version" and error_of(loser)["current_version"] == 2
    winner = (first if loser is second else second).json()
    stored = Case.objects.get(pk=case.pk)
    assert stored.version == 2 and str(stored.sentence_end) == winner["key_dates"]["sentence_end"]


def test_two_edits_of_the_client_from_the_same_version_keep_one_and_refuse_the_other(cast, case, monkeypatch):
    race = Race()
    monkeypatch.setattr(services, "_client_fields", race.pausing(services._client_fields))

    def edit(**data):
        return lambda: services.update_client(actor=cast["petra"], case_id=case.pk, data=data, purpose=PURPOSE,
                                              expected_version=1)

    outcomes = race.run(edit(residency_status="deportation_order"), edit(languages=["nl", "fr", "ar"]))
    assert len(succeeded(outcomes)) == 1 and len(refused(outcomes, StaleVersion)) == 1
    client = Case.objects.get(pk=case.pk).client
    changed = (client.residency_status == "deportation_order", client.languages == ["nl", "fr", "ar"])
    assert sorted(changed) == [False, True]
    assert Case.objects.get(pk=case.pk).version == 2


def test_a_stale_edit_says_who_changed_the_case_and_when(cast, case, monkeypatch):
    race = Race()
    monkeypatch.setattr(services, "check_key_dates", race.pausing(services.check_key_dates))

    def dates(end):
        return lambda: services.set_key_dates(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE,
                                              expected_version=1, dates={"sentence_end": end})

    outcomes = race.run(dates(dt.date(2028, 6, 1)), dates(dt.date(2029, 1, 1)))
    [stale] = refused(outcomes, StaleVersion)
    assert "Petra Peeters (Westmark Probation Service)" in stale.message and "version 2" in stale.message
    assert stale.current_version == 2 and stale.code == "stale_version"


def test_two_phase_transitions_from_the_same_version_record_one_phase_change(cast, case, monkeypatch):
    race = Race()
    monkeypatch.setattr(services, "is_allowed_transition", race.pausing(services.is_allowed_transition))

    def move():
        return services.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase="release_preparation",
                                         effective_on=dt.date(2026, 1, 5), handover_note="Release planned.",
                                         purpose=PURPOSE, expected_version=1)

    outcomes = race.run(move, move)
    assert len(succeeded(outcomes)) == 1 and len(refused(outcomes, StaleVersion)) == 1
    assert PhaseChange.objects.filter(case=case, to_phase="release_preparation").count() == 1
    assert Case.objects.get(pk=case.pk).version == 2


def test_naming_two_continuity_liaisons_at_once_keeps_one_and_refuses_the_other(cast, case, monkeypatch):
    race = Race()
    monkeypatch.setattr(membership, "_practitioner", race.pausing(membership._practitioner))

    def name(person):
        return lambda: membership.set_continuity_liaison(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE,
                                                         practitioner_id=cast[person].pk, expected_version=1)

    outcomes = race.run(name("ivo"), name("clara"))
    assert len(succeeded(outcomes)) == 1 and len(refused(outcomes, StaleVersion)) == 1
    stored = Case.objects.get(pk=case.pk)
    assert stored.version == 2 and stored.continuity_liaison_id == succeeded(outcomes)[0].continuity_liaison_id


def test_a_handover_and_a_new_liaison_from_the_same_version_apply_one_and_refuse_the_other(cast, case,
                                                                                          monkeypatch):
    with transaction.atomic():
        place = membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["nora"].pk,
                                          purpose=PURPOSE)
    race = Race()
    monkeypatch.setattr(membership, "_practitioner", race.pausing(membership._practitioner))

    def release():
        return membership.release_from_team(actor=cast["petra"], case_id=case.pk, assignment_id=place.pk,
                                            handover_note="Moving on.", purpose=PURPOSE, expected_version=1)

    def name_liaison():
        return membership.set_continuity_liaison(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE,
                                                 practitioner_id=cast["ivo"].pk, expected_version=1)

    outcomes = race.run(release, name_liaison)
    assert len(succeeded(outcomes)) == 1 and len(refused(outcomes, StaleVersion)) == 1
    stored = Case.objects.get(pk=case.pk)
    released = TeamAssignment.objects.filter(pk=place.pk, released_at__isnull=False).exists()
    assert stored.version == 2 and released != (stored.continuity_liaison_id == cast["ivo"].pk)


def test_the_same_agency_added_twice_at_once_becomes_one_member(cast, case, agencies, monkeypatch):
    race = Race()
    monkeypatch.setattr(membership, "_practitioner", race.pausing(membership._practitioner))

    def add():
        return membership.add_membership(actor=cast["petra"], case_id=case.pk, agency_id=agencies["housing"].pk,
                                         point_of_contact_id=cast["xavier"].pk, phases=["aftercare"],
                                         purpose=PURPOSE)

    outcomes = race.run(add, add)
    assert len(succeeded(outcomes)) == 1
    [clash] = refused(outcomes, InvalidInput)
    assert clash.field == "agency" and "already a member" in clash.message
    assert Membership.objects.filter(case=case, agency=agencies["housing"]).count() == 1


def test_the_same_person_put_on_the_team_twice_at_once_is_on_it_once(cast, case, monkeypatch):
    race = Race()
    monkeypatch.setattr(membership, "_practitioner", race.pausing(membership._practitioner, after=True))

    def assign():
        return membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["nora"].pk,
                                         purpose=PURPOSE)

    outcomes = race.run(assign, assign)
    assert len(succeeded(outcomes)) == 1
    [clash] = refused(outcomes, InvalidInput)
    assert "already on the team" in clash.message
    assert TeamAssignment.objects.filter(case=case, practitioner=cast["nora"], released_at__isnull=True).count() == 1
