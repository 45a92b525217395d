"""Two writers in one reflector at the same moment (casebridge.tests.concurrency): sessions numbered
one after the other, and a goal moved on once."""

import pytest

from casebridge.conftest import PURPOSE
from casebridge.errors import StaleVersion
from casebridge.items import services as items
from casebridge.reflector import services
from casebridge.reflector.models import Goal, Session
from casebridge.reflector.tests.conftest import TODAY
from casebridge.tests.concurrency import Race, refused, succeeded

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sessions_recorded_at_once_are_numbered_one_after_the_other(reflector, cast, monkeypatch):
    race = Race()
    monkeypatch.setattr(items, "record_carried_text", race.pausing(items.record_carried_text))

    def record(note):
        return lambda: services.record_session(actor=cast["clara"], reflector_id=reflector.pk, held_on=TODAY,
                                               note=note, ratings={}, purpose=PURPOSE)

    outcomes = race.run(record("Morning visit."), record("Phone call."))
    assert len(succeeded(outcomes)) == 2
    assert sorted(Session.objects.filter(reflector=reflector).values_list("number", flat=True)) == [1, 2, 3, 4]


def test_a_goal_moved_on_twice_from_one_version_is_moved_once(reflector, cast, monkeypatch):
    goal = Goal.objects.order_by("pk").first()
    race = Race()
    monkeypatch.setattr(services, "own_reflector", race.pausing(services.own_reflector, after=True))

    def change(status):
        return lambda: services.change_goal(actor=cast["clara"], goal_id=goal.pk, status=status,
                                            expected_version=1, purpose=PURPOSE)

    outcomes = race.run(change("reached"), change("dropped"))
    [won] = succeeded(outcomes)
    assert len(refused(outcomes, StaleVersion)) == 1
    stored = Goal.objects.get(pk=goal.pk)
    assert stored.version == 2 and stored.status == won.status
