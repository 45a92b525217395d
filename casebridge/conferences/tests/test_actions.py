"""Actions: set for someone who can read them, followed up by their owner, overdue shown to the coordinator."""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.cases import services as cases
from casebridge.conferences import actions
from casebridge.conferences.models import Action, ActionUpdate
from casebridge.conferences.tests.conftest import convene
from casebridge.conftest import PURPOSE
from casebridge.errors import Forbidden, InvalidInput, NotVisible, StaleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(conferencing, cast, case):
    return convene(cast["petra"], case, participants=[cast["ivo"], cast["clara"], cast["omar"]])


def set_for(conference, owner, text="Arrange a housing interview", by=None, **extra):
    with transaction.atomic():
        return actions.set_action(actor=by or conference.convened_by, conference_id=conference.pk, text=text,
                                  owner_id=owner.pk, due_on=extra.pop("due_on", cases.today() + dt.timedelta(days=14)),
                                  purpose=PURPOSE, **extra)


def test_an_action_is_set_only_for_an_owner_who_can_read_it(cast, conference):
    with pytest.raises(InvalidInput) as refused:  # RESTRICTED by default; the CSO receives conference records OPEN
        set_for(conference, cast["clara"])
    assert refused.value.field == "owner" and "Clara" in refused.value.message
    assert not Action.objects.exists()
    action = set_for(conference, cast["clara"], classification=0)
    assert action.owner_agency_id == cast["clara"].agency_id and action.text_item.carrier == "conference_action"


def test_only_the_chair_or_convener_sets_actions(cast, conference):
    with pytest.raises(Forbidden):
        set_for(conference, cast["ivo"], by=cast["ivo"])


def test_the_owner_sees_their_action_and_marks_progress_with_a_note(cast, conference):
    action = set_for(conference, cast["ivo"])
    assert [a.pk for a in actions.my_actions(cast["ivo"], PURPOSE)] == [action.pk]
    assert actions.my_actions(cast["clara"], PURPOSE) == []
    with transaction.atomic():
        actions.update_action(actor=cast["ivo"], action_id=action.pk, status="done", note="Interview on Monday",
                              expected_version=1, purpose=PURPOSE)
    update = ActionUpdate.objects.get(action=action)
    assert update.status == "done" and update.note_item.body == "Interview on Monday"
    assert actions.my_actions(cast["ivo"], PURPOSE) == []  # done: off the list of open work
    with pytest.raises(StaleVersion), transaction.atomic():
        actions.update_action(actor=cast["ivo"], action_id=action.pk, status="open", expected_version=1,
                              purpose=PURPOSE)


def test_an_action_whose_text_someone_may_not_read_is_not_there_for_them(cast, case, conference):
    action = set_for(conference, cast["ivo"])  # RESTRICTED probation conference record: not for the CSO
    assert action.pk not in [a.pk for a in actions.case_actions(actor=cast["clara"], case=case, purpose=PURPOSE)]
    with pytest.raises(NotVisible), transaction.atomic():
        actions.update_action(actor=cast["clara"], action_id=action.pk, status="done", purpose=PURPOSE)
    with pytest.raises(Forbidden), transaction.atomic():  # Omar reads it but neither owns nor runs it
        actions.update_action(actor=cast["omar"], action_id=action.pk, status="done", purpose=PURPOSE)


def test_an_overdue_action_is_highlighted_to_the_coordinator(cast, conference):
    action = set_for(conference, cast["ivo"])
    assert actions.overdue_on_managed_cases(cast["petra"], PURPOSE) == []
    Action.objects.filter(pk=action.pk).update(due_on=cases.today() - dt.timedelta(days=1))  # time passed
    overdue = actions.overdue_on_managed_cases(cast["petra"], PURPOSE)
    assert [a.pk for a in overdue] == [action.pk] and overdue[0].overdue(cases.today())
    assert actions.overdue_on_managed_cases(cast["omar"], PURPOSE) == []  # Omar does not coordinate the case


@pytest.mark.parametrize("due_on", [dt.date(2020, 1, 1), dt.date(2099, 1, 1), "soon"])
def test_a_due_date_in_the_past_or_years_ahead_is_refused(cast, conference, due_on):
    with pytest.raises(InvalidInput) as refused:
        set_for(conference, cast["ivo"], due_on=due_on)
    assert refused.value.field == "due_on"
