"""Two people acting on one conference at the same moment (casebridge.tests.concurrency)."""

import pytest
from django.db import transaction

from casebridge.cases import services as cases
from casebridge.conferences import services
from casebridge.conferences.models import Conference, Participant, Proposal, ProposalStatus
from casebridge.conferences.tests.conftest import soon
from casebridge.conftest import PURPOSE
from casebridge.errors import Conflict, StaleVersion
from casebridge.tests.concurrency import Race, refused, succeeded

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_coordinators_convening_from_one_proposal_make_one_conference(conferencing, cast, case, monkeypatch):
    with transaction.atomic():
        proposal = Proposal.objects.create(case=case, kind="review", trigger="periodic_review", key="review-race",
                                           moment=cases.today(), due_on=cases.today(),
                                           created_at=case.created_at)
    race = Race()
    monkeypatch.setattr(services, "_when", race.pausing(services._when))
    start, end = soon()

    def convene():
        return services.convene(actor=cast["petra"], case_id=case.pk, kind="review", starts_at=start, ends_at=end,
                                chair_id=cast["petra"].pk, participant_ids=[cast["ivo"].pk], purpose=PURPOSE,
                                place="Room 2", proposal_id=proposal.pk)

    outcomes = race.run(convene, convene)
    assert len(succeeded(outcomes)) == 1 and len(refused(outcomes, Conflict)) == 1
    assert Conference.objects.count() == 1
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.CONVENED


def test_two_replies_from_the_same_page_keep_one(conferencing, cast, case, monkeypatch):
    start, end = soon()
    with transaction.atomic():
        conference = services.convene(actor=cast["petra"], case_id=case.pk, kind="review", starts_at=start,
                                      ends_at=end, chair_id=cast["petra"].pk, participant_ids=[cast["ivo"].pk],
                                      purpose=PURPOSE, place="Room 2")
    race = Race()
    monkeypatch.setattr(services, "_delegate", race.pausing(services._delegate))
    monkeypatch.setattr(services, "compare_and_set", race.pausing(services.compare_and_set))

    def answer(value):
        return lambda: services.reply(actor=cast["ivo"], conference_id=conference.pk, answer=value, purpose=PURPOSE,
                                      expected_version=1)

    outcomes = race.run(answer("accepted"), answer("declined"))
    assert len(succeeded(outcomes)) == 1 and len(refused(outcomes, StaleVersion)) == 1
    stored = Participant.objects.get(conference=conference, practitioner=cast["ivo"])
    assert stored.version == 2 and stored.reply == succeeded(outcomes)[0].reply
