"""Conferences on the web: convening from the form, the conference page, the pack, the dashboard."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from casebridge.conferences import actions
from casebridge.conferences.models import Conference, Proposal
from casebridge.conferences.tests.conftest import committed, convene, soon
from casebridge.conftest import PURPOSE, bearer, sign_in

pytestmark = pytest.mark.django_db


def _form(cast, **extra):
    start, end = soon()
    data = {"kind": "review", "day": start.date().isoformat(), "start": "10:00", "end": "12:00",
            "place": "Westmark Probation, room 2", "chair": cast["petra"].pk,
            "participants": [cast["ivo"].pk, cast["clara"].pk], **extra}
    return {f"convene-{k}": v for k, v in data.items()}


def test_the_coordinator_convenes_from_the_form_and_lands_on_the_conference(client, conferencing, cast, case):
    page = sign_in(client, cast["petra"]).get(reverse("conferences:convene", args=[case.pk]))
    assert page.status_code == 200 and "Ivo Ivanov" in page.content.decode()
    with committed():
        answer = client.post(reverse("conferences:convene", args=[case.pk]), _form(cast))
    conference = Conference.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("conferences:detail", args=[conference.pk])
    assert len(mail.outbox) == 2
    shown = client.get(answer["Location"]).content.decode()
    assert "Review conference" in shown and "Progress since the last conference" in shown


def test_a_refused_convening_shows_the_reason_on_the_form(client, conferencing, cast, case):
    sign_in(client, cast["petra"])
    answer = client.post(reverse("conferences:convene", args=[case.pk]), _form(cast, place=""))
    assert answer.status_code == 400 and "Give a place or an online link." in answer.content.decode()
    answer = client.post(reverse("conferences:convene", args=[case.pk]),
                         _form(cast, guest_0_name="Mira", guest_0_relation=""))
    assert answer.status_code == 400 and "Say who this attendee is to the client." in answer.content.decode()
    assert not Conference.objects.exists()


def test_the_conference_page_lists_only_the_attendee_names_the_reader_may_read(client, conferencing, cast, case):
    conference = convene(cast["petra"], case, kind="social_network", participants=[cast["clara"], cast["ivo"]],
                         attendees=[{"name": "Mira Client-One", "relation": "family"}])
    petra = sign_in(client, cast["petra"]).get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "Mira Client-One" in petra
    # Family and social network is not shared with the prison: the name is absent, not blanked.
    ivo = sign_in(client, cast["ivo"]).get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "Mira Client-One" not in ivo and "Family member" not in ivo


def test_a_security_conference_page_is_a_404_to_the_team_members_not_invited(client, conferencing, cast, case):
    conference = convene(cast["omar"], case, kind="security")
    answer = sign_in(client, cast["clara"]).get(reverse("conferences:detail", args=[conference.pk]))
    assert answer.status_code == 404
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("conferences:detail", args=[conference.pk]) not in case_page


def test_the_pack_page_names_its_reader_and_carries_the_banner(client, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    page = sign_in(client, cast["ivo"]).get(reverse("conferences:pack", args=[conference.pk])).content.decode()
    assert "Prepared for Ivo Ivanov, Westmark Prison. Do not pass on." in page
    assert "Progress since the last conference" in page


def test_the_dashboard_shows_my_actions_my_conferences_and_the_proposals(client, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    with transaction.atomic():
        actions.set_action(actor=cast["petra"], conference_id=conference.pk, text="Book the family visit",
                           owner_id=cast["ivo"].pk, due_on=dt.date.today() + dt.timedelta(days=3), purpose=PURPOSE)
        Proposal.objects.create(case=case, kind="review", trigger="periodic_review", key="review-x",
                                moment=dt.date.today(), due_on=dt.date.today(), created_at=conference.convened_at)
    ivo = sign_in(client, cast["ivo"]).get(reverse("cases:dashboard")).content.decode()
    assert "Book the family visit" in ivo and reverse("conferences:detail", args=[conference.pk]) in ivo
    assert "Periodic review" not in ivo
    petra = sign_in(client, cast["petra"]).get(reverse("cases:dashboard")).content.decode()
    assert "Periodic review" in petra and "Book the family visit" not in petra  # not her action


def test_the_owner_marks_an_action_done_from_the_dashboard(client, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    with transaction.atomic():
        action = actions.set_action(actor=cast["petra"], conference_id=conference.pk, text="Call the landlord",
                                    owner_id=cast["ivo"].pk, due_on=dt.date.today(), purpose=PURPOSE)
    sign_in(client, cast["ivo"])
    answer = client.post(reverse("conferences:update_action", args=[action.pk]),
                         {"progress-status": "done", "progress-note": "Called", "progress-version": 1,
                          "next": "https://evil.example/"})
    assert answer.status_code == 302 and answer["Location"] == reverse("cases:dashboard")
    action.refresh_from_db()
    assert action.status == "done"


def test_the_case_page_shows_the_next_conference_and_the_case_actions(client, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    page = sign_in(client, cast["ivo"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Next conference:" in page and reverse("conferences:detail", args=[conference.pk]) in page


def test_the_pack_page_marks_an_overdue_action_and_lets_its_owner_update_it(client, conferencing, cast, case):
    from casebridge.conferences.models import Action

    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    with transaction.atomic():
        action = actions.set_action(actor=cast["petra"], conference_id=conference.pk, text="Call the landlord",
                                    owner_id=cast["ivo"].pk, due_on=dt.date.today(), purpose=PURPOSE)
    Action.objects.filter(pk=action.pk).update(due_on=dt.date.today() - dt.timedelta(days=2))
    page = sign_in(client, cast["ivo"]).get(reverse("conferences:pack", args=[conference.pk])).content.decode()
    assert 'class="overdue"' in page and '<option value="done">Done</option>' in page


def test_the_chair_schedules_the_next_conference_from_this_one(client, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    page = sign_in(client, cast["petra"]).get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    link = f"{reverse('conferences:convene', args=[case.pk])}?follows={conference.pk}&amp;kind=review"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'name="convene-follows" value="{conference.pk}"' in form
    ivo = sign_in(client, cast["ivo"]).get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "Schedule the next conference" not in ivo


def test_a_confidential_conferences_place_and_time_are_on_no_page_of_those_not_taking_part(client, conferencing, cast,
                                                                                       case):
    conference = convene(cast["omar"], case, kind="security", place="MKPLACE secure room B")
    for person in ("clara", "ivo"):  # on the team, not invited
        sign_in(client, cast[person])
        pages = [client.get(reverse("cases:detail", args=[case.pk])), client.get(reverse("cases:dashboard")),
                 client.get(f"/api/cases/{case.pk}/conferences", **bearer(cast[person]))]
        assert all("MKPLACE" not in page.content.decode() for page in pages)
    sign_in(client, cast["omar"])
    assert "MKPLACE" in client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
