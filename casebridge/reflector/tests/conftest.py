import datetime as dt

import pytest
from django.db import transaction

from casebridge.api.tests.conftest import api  # noqa: F401  (a fixture, used by name)
from casebridge.conftest import PURPOSE
from casebridge.reflector import services

TODAY = dt.date.today()


def session(person, reflector, ratings, note="We talked about the week.", days_ago=0, **extra):
    with transaction.atomic():
        return services.record_session(actor=person, reflector_id=reflector.pk, held_on=TODAY - dt.timedelta(
            days=days_ago), note=note, ratings=ratings, purpose=PURPOSE, **extra)


def goal(person, reflector, text, factor="", **extra):
    with transaction.atomic():
        return services.set_goal(actor=person, reflector_id=reflector.pk, text=text, factor=factor,
                                 agreed_on=TODAY, purpose=PURPOSE, **extra)


@pytest.fixture
def reflector(exchange, cast, case):
    """Clara's (the exit programme's) reflector on the case, with two sessions and two goals."""
    with transaction.atomic():
        made = services.start_reflector(actor=cast["clara"], case_id=case.pk, purpose=PURPOSE)
    session(cast["clara"], made, {
        "family_of_origin": {"knowledge": "known", "valence": "challenge", "priority": 3, "note": "Father distant."},
        "employment": {"knowledge": "suspected", "valence": "challenge", "priority": 2},
        "scene_contact": {"knowledge": "known", "valence": "challenge", "priority": 3}}, days_ago=30)
    session(cast["clara"], made, {
        "employment": {"knowledge": "known", "valence": "resource", "priority": 1, "note": "Kitchen job offer."},
        "friends": {"knowledge": "known", "valence": "resource", "priority": 0}})
    goal(cast["clara"], made, "Visit the job centre together.", "employment")
    goal(cast["clara"], made, "Call his sister once a week.", "family_of_origin")
    return made
