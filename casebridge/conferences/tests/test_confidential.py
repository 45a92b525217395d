"""A confidential conference (the security conference) is unknown to those not taking part, on every
surface: its actions, its texts as items, proposals, follow-ups, other packs, subject access."""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.cases import membership
from casebridge.conferences import actions, packs, running, services
from casebridge.conferences.models import Proposal, Trigger
from casebridge.conferences.tests.conftest import convene
from casebridge.conftest import PURPOSE
from casebridge.errors import InvalidInput, NotVisible
from casebridge.items import services as items

pytestmark = pytest.mark.django_db


@pytest.fixture
def security(conferencing, cast, case):
    conference = convene(cast["omar"], case, kind="security")
    with transaction.atomic():
        conference.action = actions.set_action(actor=cast["omar"], conference_id=conference.pk, text="Check the address",
                                               owner_id=cast["omar"].pk, due_on=dt.date.today(), purpose=PURPOSE)
    return conference


def test_its_actions_are_not_on_the_case_page_the_dashboard_or_another_conferences_pack(security, cast, case):
    # Ivo (prison, cleared RESTRICTED) is not invited; the prison receives police conference records up to
    # RESTRICTED, so only the conference rule keeps the action from him.
    assert cast["ivo"].pk not in {p.practitioner_id for p in security.participants.all()}
    assert [a.pk for a in actions.case_actions(actor=cast["omar"], case=case, purpose=PURPOSE)] == [security.action.pk]
    assert actions.case_actions(actor=cast["ivo"], case=case, purpose=PURPOSE) == []
    with pytest.raises(NotVisible), transaction.atomic():
        actions.update_action(actor=cast["ivo"], action_id=security.action.pk, status="done", purpose=PURPOSE)
    review = convene(cast["petra"], case, participants=[cast["ivo"], cast["omar"]])
    with transaction.atomic():
        assert packs.briefing_pack(actor=cast["ivo"], conference_id=review.pk).actions == []
        assert [a.pk for a in packs.briefing_pack(actor=cast["omar"], conference_id=review.pk).actions] == \
            [security.action.pk]  # Omar takes part in both


def test_an_action_is_set_only_for_someone_taking_part(security, cast):
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        actions.set_action(actor=cast["omar"], conference_id=security.pk, text="Brief the prison",
                           owner_id=cast["ivo"].pk, due_on=dt.date.today(), purpose=PURPOSE)
    assert refused.value.field == "owner" and "does not take part" in refused.value.message


def test_its_texts_open_as_items_only_for_their_author(conferencing, cast, case):
    review = convene(cast["petra"], case, participants=[cast["ivo"]])
    text = review.agenda.first().text_item
    with transaction.atomic():
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["nora"].pk,
                                  purpose=PURPOSE)
    with pytest.raises(NotVisible), transaction.atomic():  # a colleague of the same agency, not the author
        items.get_item(actor=cast["nora"], item_id=text.pk, purpose=PURPOSE)
    with transaction.atomic():
        assert items.get_item(actor=cast["petra"], item_id=text.pk, purpose=PURPOSE)[0] == text


def test_it_cannot_be_followed_up_or_proposed_by_those_who_do_not_know_of_it(security, cast, case):
    with transaction.atomic():
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["nora"].pk,
                                  purpose=PURPOSE)
    with pytest.raises(InvalidInput) as refused:  # Nora (probation, not invited) may convene a review
        convene(cast["nora"], case, follows_id=security.pk, chair=cast["petra"])
    assert refused.value.field == "follows"
    with transaction.atomic():
        proposal = Proposal.objects.create(case=case, kind="security", trigger=Trigger.TEMPORARY_RELEASE, key="x",
                                           moment=dt.date.today(), due_on=dt.date.today(),
                                           created_at=security.convened_at)
    with pytest.raises(InvalidInput):
        convene(cast["omar"], case, kind="security", proposal_id=proposal.pk)
    assert Proposal.objects.get(pk=proposal.pk).status == "open"


def test_an_invitation_is_delegated_once(conferencing, cast, case, agencies):
    from casebridge.conftest import _person

    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    colleagues = [_person(f"ward{n}", agencies["prison"]) for n in (1, 2)]
    with transaction.atomic():
        for person in colleagues:
            membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=person.pk,
                                      purpose=PURPOSE)
    with transaction.atomic():
        services.reply(actor=cast["ivo"], conference_id=conference.pk, answer="delegated",
                       delegate_id=colleagues[0].pk, purpose=PURPOSE)
    for person, to in ((cast["ivo"], colleagues[1]), (colleagues[0], colleagues[1])):
        with pytest.raises(InvalidInput), transaction.atomic():
            services.reply(actor=person, conference_id=conference.pk, answer="delegated", delegate_id=to.pk,
                           purpose=PURPOSE)


def test_subject_access_holds_a_conferences_summary_and_agenda_for_everyone_never_its_other_texts(
        conferencing, cast, case):
    from casebridge.conferences import minutes
    from casebridge.conferences.models import Conference
    from casebridge.dataprotection import services as dataprotection

    review = convene(cast["petra"], case, participants=[cast["ivo"]])
    with transaction.atomic():
        professional = services.add_agenda_item(actor=cast["petra"], conference_id=review.pk, heading="Risk",
                                                audience="professionals", purpose=PURPOSE)
    Conference.objects.filter(pk=review.pk).update(starts_at=review.starts_at - dt.timedelta(days=8))
    with transaction.atomic():
        running.record_attendance(actor=cast["petra"], conference_id=review.pk, purpose=PURPOSE, attendance={})
        made = minutes.record_minutes(actor=cast["petra"], conference_id=review.pk, purpose=PURPOSE,
                                      notes="Detailed notes", summary="The team agreed the next steps.")
    included = {i.pk for i in dataprotection.included_items(cast["dora"], case.client, "data_protection")}
    assert made.summary_item_id in included and made.notes_item_id not in included
    everyone = {e.text_item_id for e in review.agenda.filter(audience="everyone")}
    assert everyone and everyone <= included and professional.text_item_id not in included


def test_the_action_form_never_redirects_off_the_site(client, conferencing, cast, case):
    from django.urls import reverse

    from casebridge.conftest import sign_in

    review = convene(cast["petra"], case, participants=[cast["ivo"]])
    with transaction.atomic():
        action = actions.set_action(actor=cast["petra"], conference_id=review.pk, text="Call", owner_id=cast["ivo"].pk,
                                    due_on=dt.date.today(), purpose=PURPOSE)
    answer = sign_in(client, cast["ivo"]).post(reverse("conferences:update_action", args=[action.pk]), {
        "progress-status": "done", "progress-version": 1, "next": "/\\evil.example/"})
    assert answer["Location"] == reverse("cases:dashboard")
