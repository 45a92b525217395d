"""Keeping a CaseReflector: sessions, goals and progress, under the sharing rule."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.conftest import PURPOSE, sign_in
from casebridge.errors import Forbidden, InvalidInput, NotVisible, StaleVersion
from casebridge.reflector import progress, services
from casebridge.reflector.models import Goal, Reflector, Session
from casebridge.reflector.tests.conftest import TODAY, session

pytestmark = pytest.mark.django_db


def read(person, reflector):
    with transaction.atomic():
        return services.read_reflector(actor=person, reflector_id=reflector.pk, purpose=PURPOSE)


def test_a_factor_keeps_its_last_rating_until_a_session_changes_it(reflector, cast):
    view = read(cast["clara"], reflector)
    current = view.current()
    assert [s.session.number for s in view.sessions] == [1, 2]
    assert current["employment"].valence == "resource" and current["employment"].note == "Kitchen job offer."
    assert current["family_of_origin"].valence == "challenge"  # rated in session 1 only
    assert {item.body for _goal, item in view.goals} == {"Visit the job centre together.",
                                                         "Call his sister once a week."}
    rows = progress.table(view)  # per group (resources, challenges) after each session
    assert [(r, c) for _group, r, c in rows[0]["groups"]] == [(0, 1), (0, 0), (0, 1), (0, 1)]
    assert [(r, c) for _group, r, c in rows[1]["groups"]] == [(1, 1), (0, 0), (1, 0), (0, 1)]


def test_an_agency_that_runs_no_distancing_work_keeps_no_reflector(exchange, cast, case):
    with pytest.raises(Forbidden), transaction.atomic():
        services.start_reflector(actor=cast["omar"], case_id=case.pk, purpose=PURPOSE)
    assert not Reflector.objects.exists()


def test_a_reflector_stays_with_its_agency_and_does_not_exist_for_others(reflector, cast):
    for person in ("petra", "ivo", "omar", "xavier"):
        with pytest.raises(NotVisible):
            read(cast[person], reflector)
    with pytest.raises(NotVisible), transaction.atomic():  # nor may another agency write in it
        services.record_session(actor=cast["petra"], reflector_id=reflector.pk, held_on=TODAY, note="x",
                                ratings={}, purpose=PURPOSE)


def test_a_session_its_author_lets_go_reaches_a_partner_under_an_agreement(reflector, cast, agencies, exchange):
    from casebridge.sharing.models import AgreementRule

    AgreementRule.objects.create(version=exchange["version"], originator=agencies["cso"],
                                 recipient=agencies["probation"], category="programme_and_intervention",
                                 max_classification=0, consent_required=False)
    session(cast["clara"], reflector, {"wellbeing": {"knowledge": "known", "valence": "resource"}},
            note="Sleeps better.", keep_in_agency=False)
    view = read(cast["petra"], reflector)
    assert [s.session.number for s in view.sessions] == [3]  # the ORCON sessions and goals stay at the CSO
    # ... and are not counted for her: her one session is her first, in the page, chart and API alike.
    assert [s.position for s in view.sessions] == [1] and view.sessions[0].note.title == "CaseReflector session"
    assert [row["position"] for row in progress.table(view)] == [1]
    assert view.goals == [] and not view.keeps and set(view.current()) == {"wellbeing"}


@pytest.mark.parametrize("change, field", [
    ({"ratings": {"astrology": {"knowledge": "known"}}}, "ratings"),
    ({"ratings": {"friends": {"knowledge": "certain"}}}, "ratings"),
    ({"ratings": {"friends": {"priority": 9}}}, "ratings"),
    ({"held_on": TODAY + dt.timedelta(days=1)}, "held_on"),
    ({"note": "  "}, "note"),
])
def test_bad_sessions_are_refused_on_their_field_and_nothing_is_stored(reflector, cast, change, field):
    values = {"held_on": TODAY, "note": "Talked.", "ratings": {}, **change}
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        services.record_session(actor=cast["clara"], reflector_id=reflector.pk, purpose=PURPOSE, **values)
    assert refused.value.field == field and Session.objects.count() == 2


def test_a_colleague_below_a_goals_classification_cannot_change_it(reflector, cast, agencies):
    from casebridge.agencies.models import Practitioner

    goal = Goal.objects.order_by("pk").first()
    goal.text_item.__class__.objects.filter(pk=goal.text_item_id).update(classification=1)
    yusuf = Practitioner.objects.create(username="yusuf", agency=agencies["cso"], role="practitioner", clearance=0)
    from casebridge.cases import membership

    with transaction.atomic():
        membership.assign_to_team(actor=cast["petra"], case_id=reflector.case_id, practitioner_id=yusuf.pk,
                                  purpose=PURPOSE)
    with pytest.raises(NotVisible), transaction.atomic():
        services.change_goal(actor=yusuf, goal_id=goal.pk, status="dropped", purpose=PURPOSE)
    assert Goal.objects.get(pk=goal.pk).status == "open"


def test_a_goal_changed_from_a_stale_version_is_refused_and_kept_as_it_was(reflector, cast):
    goal = Goal.objects.order_by("pk").first()
    with transaction.atomic():
        services.change_goal(actor=cast["clara"], goal_id=goal.pk, status="reached", expected_version=1,
                             purpose=PURPOSE)
    with pytest.raises(StaleVersion), transaction.atomic():
        services.change_goal(actor=cast["clara"], goal_id=goal.pk, status="dropped", expected_version=1,
                             purpose=PURPOSE)
    stored = Goal.objects.get(pk=goal.pk)
    assert stored.status == "reached" and stored.reached_on == TODAY and stored.version == 2


def test_the_reflector_pages_show_factors_goals_and_a_chart_that_moves_with_a_session(client, reflector, cast):
    sign_in(client, cast["clara"])
    page = client.get(reverse("reflector:detail", args=[reflector.pk])).content.decode()
    assert "Kitchen job offer." in page and "Visit the job centre together." in page
    assert "Record a session" in page and "Non-personal summary" in page
    before = client.get(reverse("reflector:chart", args=[reflector.pk]))
    assert before["Content-Type"].startswith("image/svg+xml") and "Session 2" in before.content.decode()
    form = client.get(reverse("reflector:new_session", args=[reflector.pk])).content.decode()
    assert 'name="session-employment-valence"' in form
    answer = client.post(reverse("reflector:new_session", args=[reflector.pk]), {
        "session-held_on": TODAY.isoformat(), "session-note": "Met his sister.", "session-keep_in_agency": "on",
        **{f"session-{code}-{part}": value for code in ("family_of_origin",) for part, value in (
            ("knowledge", "known"), ("valence", "resource"), ("priority", "1"), ("note", "Reconciled."))}})
    assert answer.status_code == 302
    after = client.get(reverse("reflector:chart", args=[reflector.pk])).content.decode()
    assert "Session 3" in after and "Session 3" not in before.content.decode()
    assert read(cast["clara"], reflector).current()["family_of_origin"].valence == "resource"
    sign_in(client, cast["petra"])
    assert client.get(reverse("reflector:detail", args=[reflector.pk])).status_code == 404
    assert client.get(reverse("reflector:chart", args=[reflector.pk])).status_code == 404


def test_an_empty_session_form_names_the_missing_fields(client, reflector, cast):
    sign_in(client, cast["clara"])
    answer = client.post(reverse("reflector:new_session", args=[reflector.pk]), {})
    page = answer.content.decode()
    assert answer.status_code == 400 and page.count('class="error"') >= 2 and Session.objects.count() == 2


def test_a_reflector_without_sessions_draws_an_empty_chart_for_its_agency(client, exchange, cast, case):
    with transaction.atomic():
        started = services.start_reflector(actor=cast["clara"], case_id=case.pk, purpose=PURPOSE)
    sign_in(client, cast["clara"])
    answer = client.get(reverse("reflector:chart", args=[started.pk]))
    assert answer.status_code == 200 and "Nothing to draw" in answer.content.decode()
    assert client.get(reverse("reflector:detail", args=[started.pk])).status_code == 200
