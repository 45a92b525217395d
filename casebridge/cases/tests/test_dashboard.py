"""The dashboard is a work list: overdue first (the reader's own before others'), then what comes up;
what is new since the last visit; the cases the most urgent first and the closed ones apart. No date
is shown as coming up once the case has moved past it, and nothing the reader may not know of."""

import datetime as dt
import re
from html import unescape

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casebridge.cases import services
from casebridge.cases.tests.test_case_page import page, record, time_passes
from casebridge.conferences import actions
from casebridge.conferences.models import Action
from casebridge.conferences.tests.conftest import conferencing, convene  # noqa: F401 - a fixture, used by name
from casebridge.conftest import PURPOSE, sign_in


def dashboard(client, person) -> str:
    response = sign_in(client, person).get(reverse("cases:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def work_lines(html: str) -> list[tuple[str, str]]:
    """(class, text) of each line of the work list, in order."""
    found = re.findall(r'<li class="work ([^"]*)">(.*?)</li>', html, re.S)
    return [(kind, unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip())) for kind, text in found]


def _set(actor, conference, owner, text, due_in_days):
    with transaction.atomic():
        action = actions.set_action(actor=actor, conference_id=conference.pk, text=text, owner_id=owner.pk,
                                    due_on=services.today(), purpose=PURPOSE)
    Action.objects.filter(pk=action.pk).update(due_on=services.today() + dt.timedelta(days=due_in_days))
    return action


def test_overdue_comes_first_the_readers_own_before_others_then_what_comes_up_soonest_first(
        client, conferencing, cast, case):
    today = services.today()
    with transaction.atomic():
        services.set_key_dates(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE, dates={
            "sentence_start": dt.date(2025, 3, 1), "earliest_release": today + dt.timedelta(days=2),
            "sentence_end": today + dt.timedelta(days=400)})
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    _set(cast["petra"], conference, cast["ivo"], "Ivo's late task", -5)  # overdue, not hers: she coordinates
    _set(cast["petra"], conference, cast["petra"], "Petra's late task", -1)
    _set(cast["petra"], conference, cast["petra"], "Petra's next task", 4)
    lines = work_lines(dashboard(client, cast["petra"]))
    order = [next(name for name in ("Petra's late task", "Ivo's late task", "Earliest release", "Petra's next task",
                                    "Review conference") if name in text)
             for _, text in lines]
    assert order == ["Petra's late task", "Ivo's late task", "Earliest release", "Petra's next task",
                     "Review conference"]
    assert [("overdue" in kind) for kind, _ in lines] == [True, True, False, False, False]
    assert "Sentence end" not in " ".join(text for _, text in lines)  # beyond the weeks the list looks ahead


def test_the_case_with_something_overdue_heads_the_list_of_cases(client, conferencing, cast, case):
    with transaction.atomic():
        calm = services.open_case(actor=cast["petra"], purpose=PURPOSE, phase="custody",
                                  phase_date=dt.date(2026, 1, 5), client={
                                      "given_name": "Calm", "family_name": "Client", "date_of_birth": dt.date(1990, 1, 1)},
                                  key_dates={"earliest_release": services.today() + dt.timedelta(days=1)})
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    _set(cast["petra"], conference, cast["petra"], "Late task", -3)
    html = dashboard(client, cast["petra"])
    table = html[html.index('<table class="cases">'):]
    assert table.index(case.reference) < table.index(calm.reference)  # overdue before tomorrow's release


def test_closed_cases_are_listed_apart(client, cast, case):
    with transaction.atomic():
        closed = services.open_case(actor=cast["petra"], purpose=PURPOSE, phase="remand",
                                    phase_date=dt.date(2026, 1, 5), client={
                                        "given_name": "Done", "family_name": "Client", "date_of_birth": dt.date(1990, 1, 1)})
        services.transition_phase(actor=cast["petra"], case_id=closed.pk, to_phase="closed",
                                  effective_on=services.today(), handover_note="Charges dropped.", purpose=PURPOSE)
    html = dashboard(client, cast["petra"])
    apart = html.index('<details class="closed-cases">')
    assert html.index(case.reference) < apart < html.index(closed.reference)
    assert html.count(closed.reference) == 1 and "1 closed case" in html


def test_an_earliest_release_date_is_not_coming_up_once_the_client_is_released(client, cast, case):
    today = services.today()
    with transaction.atomic():
        services.set_key_dates(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE, dates={
            "sentence_start": dt.date(2025, 3, 1), "earliest_release": today + dt.timedelta(days=10),
            "sentence_end": today + dt.timedelta(days=30)})
    assert "Earliest release" in dashboard(client, cast["petra"])
    with transaction.atomic():  # released early, on conditional release: the earliest release date is history
        for phase in ("release_preparation", "supervised_release"):
            services.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase=phase, effective_on=today,
                                      handover_note="Released.", purpose=PURPOSE)
    html = dashboard(client, cast["petra"])
    assert "Earliest release" not in html and "Sentence end" in html
    case_page = page(client, cast["petra"], case).content.decode()
    glance = case_page[case_page.index('id="summary"'):case_page.index('id="timeline"')]
    assert "Sentence end" in glance and "Earliest release" not in glance  # the next key date is the next one ahead
    assert "passed: the case has moved on" in case_page  # the key date table still lists it, as history


def test_a_confidential_conference_is_not_on_the_dashboard_of_a_team_member_not_taking_part(
        client, conferencing, cast, case):
    conference = convene(cast["omar"], case, kind="security", place="MKPLACE secure room B")
    link = reverse("conferences:detail", args=[conference.pk])
    assert link in dashboard(client, cast["omar"])
    for person in ("ivo", "clara"):  # on the team, not invited
        html = dashboard(client, cast[person])
        assert link not in html and "Security conference" not in html and "MKPLACE" not in html


def test_news_on_the_dashboard_counts_only_what_the_reader_may_read(client, conferencing, cast, exchange, case):
    for name in ("petra", "clara", "ivo"):
        page(client, cast[name], case)
    time_passes(case)
    record(cast["ivo"], case, "Workshop attended", "programme_and_intervention")  # the exit programme reads it
    record(cast["ivo"], case, "Night-time check", "custody_behaviour_and_security", 1)  # probation reads it
    record(cast["ivo"], case, "Sleep log", "health_and_mental_health")  # neither does
    security = convene(cast["omar"], case, kind="security", place="MKPLACE secure room B")  # its participants' only
    invited = set(security.participants.values_list("practitioner__username", flat=True))
    assert "petra" in invited and "clara" not in invited  # the lead's coordinator is a core invitee
    for name in ("petra", "clara"):
        html = dashboard(client, cast[name])
        news = html[html.index('id="news-heading"'):html.index("</section>", html.index('id="news-heading"'))]
        assert "1 new piece of information" in news
        assert ("1 conference convened" in news) is (name in invited)
    assert "1 new piece of information" not in dashboard(client, cast["ivo"])  # his own are no news to him


def _queries(client, person) -> int:
    sign_in(client, person)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("cases:dashboard")).status_code == 200
    return len(captured)


def _another_case(petra, n):
    with transaction.atomic():
        other = services.open_case(actor=petra, purpose=PURPOSE, phase="custody", phase_date=dt.date(2026, 1, 5),
                                   client={"given_name": f"Other{n}", "family_name": "Client",
                                           "date_of_birth": dt.date(1990, 1, 1)},
                                   key_dates={"earliest_release": services.today() + dt.timedelta(days=n + 1)},
                                   confirm_possible_duplicate=True)  # the clients are alike on purpose
    record(petra, other, f"Note {n}", "programme_and_intervention")
    return other


def test_the_dashboard_asks_the_database_as_often_for_many_cases_as_for_few(client, conferencing, cast, case):
    petra = cast["petra"]
    conference = convene(petra, case, participants=[cast["ivo"]])
    _set(petra, conference, petra, "A task", 2)
    for other in [case, _another_case(petra, 1)]:
        page(client, petra, other)
    time_passes(case)
    few = _queries(client, petra)
    for n in range(2, 6):
        other = _another_case(petra, n)
        page(client, petra, other)
        _set(petra, conference, petra, f"Task {n}", n)
    assert _queries(client, petra) == few
