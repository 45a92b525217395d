"""The case page opens on the case at a glance and what is new since the reader's last visit; its
timeline filters and pages on the server. Nothing shown or counted is what the reader may not read."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import services, visits
from casebridge.cases.models import CaseVisit, PhaseChange
from casebridge.conferences import actions
from casebridge.conferences.models import Action, Conference
from casebridge.conferences.tests.conftest import conferencing, convene  # noqa: F401 - a fixture, used by name
from casebridge.conftest import PURPOSE, sign_in
from casebridge.items import services as items
from casebridge.items.models import InformationItem


def record(person, case, title, category, classification=0, fact_date=None, **marks):
    with transaction.atomic():
        return items.record_item(actor=person, case_id=case.pk, purpose=PURPOSE, data={
            "category": category, "nature": "fact", "title": title, "body": f"{title}: details.",
            "fact_date": fact_date or services.today(), "classification": classification, **marks})


def time_passes(case, hours=3):
    """Everything on the case so far, and every visit to it, happened `hours` earlier: what is recorded
    next comes after the visits, as it would hours later."""
    back = dt.timedelta(hours=hours)
    now = timezone.now()
    InformationItem.objects.filter(case=case).update(created_at=now - back)
    PhaseChange.objects.filter(case=case).update(recorded_at=now - back)
    Conference.objects.filter(case=case).update(convened_at=now - back)
    Action.objects.filter(case=case).update(created_at=now - back)
    CaseVisit.objects.filter(case=case).update(seen_at=now - back + dt.timedelta(minutes=1))


def page(client, person, case, query=""):
    response = sign_in(client, person).get(reverse("cases:detail", args=[case.pk]) + query)
    assert response.status_code == 200, response.status_code
    return response


def summary(response) -> str:
    html = response.content.decode()
    return html[html.index('id="summary"'):html.index("</section>", html.index('id="summary"'))]


# --- At a glance ------------------------------------------------------------------------------

def test_the_summary_shows_the_next_key_date_the_next_conference_and_the_open_actions(client, conferencing, cast,
                                                                                     case):
    today = services.today()
    with transaction.atomic():
        services.set_key_dates(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE, dates={
            "sentence_start": dt.date(2025, 3, 1), "earliest_release": today + dt.timedelta(days=9),
            "sentence_end": today + dt.timedelta(days=400)})
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    with transaction.atomic():
        actions.set_action(actor=cast["petra"], conference_id=conference.pk, text="Book the family visit",
                           owner_id=cast["ivo"].pk, due_on=today + dt.timedelta(days=3), purpose=PURPOSE)
    shown = summary(page(client, cast["ivo"], case))
    assert "Earliest release" in shown and "in 9 days" in shown and "Sentence end" not in shown
    assert reverse("conferences:detail", args=[conference.pk]) in shown and "Review conference" in shown
    assert "Book the family visit" in shown and "you" in shown
    assert "Custody" in shown and "Westmark Probation Service" in shown and "Petra Peeters" in shown


def test_an_action_the_reader_may_not_read_is_neither_shown_nor_counted_in_the_summary(client, conferencing, cast,
                                                                                       case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"], cast["clara"]])
    with transaction.atomic():  # a RESTRICTED probation record: the prison reads it, the exit programme does not
        actions.set_action(actor=cast["petra"], conference_id=conference.pk, text="Confirm the release address",
                           owner_id=cast["ivo"].pk, due_on=services.today(), purpose=PURPOSE, classification=1)
    Action.objects.update(due_on=services.today() - dt.timedelta(days=2))
    assert "Confirm the release address" in summary(page(client, cast["ivo"], case))
    clara = page(client, cast["clara"], case)
    assert "Confirm the release address" not in clara.content.decode()
    assert clara.context["glance"].open_actions == [] and clara.context["glance"].overdue_actions == 0
    assert "overdue" not in summary(clara)


# --- Visits and what is new since the last one --------------------------------------------------

def test_each_opening_of_the_case_page_records_the_visit_with_its_audited_read(client, cast, case):
    page(client, cast["omar"], case)
    visit = CaseVisit.objects.get(case=case, practitioner=cast["omar"])
    event = AuditEvent.objects.get(operation=Operation.READ, case_id=case.pk, actor_id=cast["omar"].pk)
    assert visit.since is None and abs(visit.seen_at - event.at) < dt.timedelta(seconds=5)
    assert sign_in(client, cast["xavier"]).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert not CaseVisit.objects.filter(practitioner=cast["xavier"]).exists()  # no visit to a case one may not see


def test_a_first_visit_announces_nothing_as_new(client, cast, exchange, case):
    response = page(client, cast["petra"], case)
    assert response.context["glance"].news.first_visit and "This is your first visit" in summary(response)
    assert "new" not in response.context["timeline"].filter.fields  # nothing to filter on yet


@pytest.fixture
def news(cast, exchange, case, client):
    """Petra, Ivo and Clara opened the case hours ago; since then Ivo recorded one OPEN programme item
    (the exit programme reads it under the consent, probation does not) and one RESTRICTED custody
    item (probation reads it under the agreement, the exit programme does not), and Petra one of her
    own, OPEN programme (the exit programme reads it)."""
    for name in ("petra", "ivo", "clara"):
        page(client, cast[name], case)
    time_passes(case)
    return {
        "workshop": record(cast["ivo"], case, "Workshop attended", "programme_and_intervention"),
        "night": record(cast["ivo"], case, "Night-time check", "custody_behaviour_and_security", 1),
        "mentor": record(cast["petra"], case, "Mentor matched", "programme_and_intervention"),
    }


@pytest.mark.parametrize("persona, new", [
    ("clara", {"workshop", "mentor"}),  # both programme items; never the custody item
    ("petra", {"night"}),  # the custody item; her own is no news to her, the prison's programme item not hers to read
    ("ivo", set()),  # he recorded both of his; Petra's programme item is not shared with the prison
])
def test_new_since_the_last_visit_counts_only_what_the_reader_may_read(client, cast, case, news, persona, new):
    response = page(client, cast[persona], case)
    glance = response.context["glance"]
    assert glance.news.items == len(new) and not glance.news.first_visit
    only_new = page(client, cast[persona], case, "?new=1")
    shown = {e.item.pk for e in only_new.context["timeline"].entries if e.item is not None}
    assert shown == {news[key].pk for key in new}
    for key in set(news) - new:
        assert news[key].title not in only_new.content.decode()
    if new:
        assert f"{len(new)} new piece" in summary(response) and 'class="badge new"' in response.content.decode()


def test_paging_and_filtering_within_a_sitting_keeps_what_is_new(client, cast, case, news):
    first = page(client, cast["clara"], case).context["glance"].news
    again = page(client, cast["clara"], case, "?category=programme_and_intervention").context["glance"].news
    assert first.since == again.since and again.items == 2
    time_passes(case, hours=1)  # a break longer than a sitting, after she saw them
    later = page(client, cast["clara"], case).context["glance"].news  # a new sitting: compared with the last
    assert later.since > first.since and later.items == 0
    assert later.since == CaseVisit.objects.get(practitioner=cast["clara"]).since > timezone.now() - 2 * visits.SITTING


def test_phase_changes_conferences_and_actions_by_others_are_news_too(client, conferencing, cast, case):
    page(client, cast["ivo"], case)
    time_passes(case)
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    with transaction.atomic():
        actions.set_action(actor=cast["petra"], conference_id=conference.pk, text="Call the landlord",
                           owner_id=cast["ivo"].pk, due_on=services.today(), purpose=PURPOSE)
        services.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase="release_preparation",
                                  effective_on=services.today(), handover_note="Plan agreed.", purpose=PURPOSE)
    news = page(client, cast["ivo"], case).context["glance"].news
    assert [c.to_phase for c in news.phase_changes] == ["release_preparation"]
    assert news.conferences == [conference] and [a.text.body for a in news.actions] == ["Call the landlord"]


def test_a_confidential_conference_is_no_news_to_a_team_member_not_taking_part(client, conferencing, cast, case):
    page(client, cast["ivo"], case)
    time_passes(case)
    convene(cast["omar"], case, kind="security", place="MKPLACE secure room B")
    response = page(client, cast["ivo"], case)
    assert response.context["glance"].news.conferences == [] and "Security conference" not in summary(response)


# --- The timeline's filters and pages ---------------------------------------------------------

def _shown(response):
    return [e.item.title for e in response.context["timeline"].entries if e.item is not None]


def test_the_timeline_filters_by_agency_marking_and_phase(client, cast, agencies, exchange, case):
    with transaction.atomic():
        services.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase="release_preparation",
                                  effective_on=dt.date(2025, 7, 1), handover_note="Plan agreed.", purpose=PURPOSE)
    record(cast["petra"], case, "Housing referral", "programme_and_intervention", fact_date=dt.date(2025, 8, 1))
    petra = cast["petra"]  # reads: behaviour (prison), police risk (police), programme (her own)
    by_agency = page(client, petra, case, f"?agency={agencies['prison'].pk}")
    assert _shown(by_agency) == ["Calm on the wing"]
    restricted = page(client, petra, case, "?marking=level-1")
    assert set(_shown(restricted)) == {"Calm on the wing", "Network contacts assessed"}
    custody = page(client, petra, case, "?phase=custody")  # the exchange's items are dated 1 June 2025
    assert "Housing referral" not in _shown(custody) and len(_shown(custody)) == 3
    assert _shown(page(client, petra, case, "?phase=release_preparation")) == ["Housing referral"]
    both = page(client, petra, case, f"?agency={agencies['probation'].pk}&phase=custody")
    assert _shown(both) == ["Mentoring sessions started"]


def test_a_marking_filter_counts_a_marking_inherited_from_the_original(client, cast, agencies, exchange, case):
    from casebridge.sharing import services as sharing

    with transaction.atomic():  # a sanitised derivative of Omar's SECRET intelligence, disclosed to probation
        derivative = items.derive_item(actor=cast["omar"], item_id=exchange["police_secret"].pk, purpose=PURPOSE,
                                       data={"title": "Possible travel abroad", "fact_date": dt.date(2025, 6, 1),
                                             "body": "The client may plan to travel abroad.", "classification": 0})
        sharing.disclose_item(actor=cast["omar"], item_id=derivative.pk, recipient_id=agencies["probation"].pk,
                              purpose=PURPOSE, justification="Needed for release planning.")
    assert _shown(page(client, cast["petra"], case, "?marking=intelligence")) == ["Possible travel abroad"]
    assert set(_shown(page(client, cast["omar"], case, "?marking=intelligence"))) == {"Travel plans",
                                                                                       "Possible travel abroad"}
    assert set(_shown(page(client, cast["omar"], case, "?marking=orcon"))) == {"Travel plans", "Handler concerns"}


def test_the_agency_filter_offers_only_agencies_whose_information_the_reader_may_read(client, cast, agencies,
                                                                                      exchange, case):
    response = page(client, cast["clara"], case)
    offered = dict(response.context["timeline"].filter.fields["agency"].choices)
    assert set(offered) == {"", str(agencies["probation"].pk), str(agencies["prison"].pk)}
    police = sign_in(client, cast["clara"]).get(reverse("cases:detail", args=[case.pk]),
                                                {"agency": agencies["police"].pk})
    assert police.status_code == 400 and "Select an agency from the list" in police.content.decode()
    assert "Network contacts assessed" not in police.content.decode()


def test_the_pages_of_a_filtered_timeline_keep_the_filter(client, cast, case):
    for week in range(13):
        record(cast["petra"], case, f"Session {week:02d}", "programme_and_intervention",
               fact_date=dt.date(2025, 4, 7) + dt.timedelta(weeks=week))
    record(cast["petra"], case, "Family visit", "family_and_social_network", fact_date=dt.date(2025, 4, 8))
    first = page(client, cast["petra"], case, "?category=programme_and_intervention")
    html = first.content.decode()
    assert first.context["timeline"].total == 13 and len(_shown(first)) == 10
    assert 'href="?category=programme_and_intervention&amp;offset=10#timeline"' in html
    second = page(client, cast["petra"], case, "?category=programme_and_intervention&offset=10")
    assert _shown(second) == ["Session 02", "Session 01", "Session 00"]


@pytest.mark.parametrize("query", ["marking=level-9", "phase=nowhere", "new=maybe&agency=x"])
def test_a_bad_filter_is_explained_and_the_whole_timeline_shown(client, cast, exchange, case, query):
    response = sign_in(client, cast["petra"]).get(reverse("cases:detail", args=[case.pk]) + "?" + query)
    assert response.status_code == 400
    assert "Showing all the information you may read" in response.content.decode()
    assert response.context["timeline"].total == 3


# --- Cost ---------------------------------------------------------------------------------------

def _queries(client, person, case) -> int:
    sign_in(client, person)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    return len(captured)


def test_the_case_page_asks_the_database_as_often_for_many_items_as_for_few(client, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    for n in range(2):
        record(cast["ivo"], case, f"Early note {n}", "custody_behaviour_and_security", 1)
    with transaction.atomic():
        actions.set_action(actor=cast["petra"], conference_id=conference.pk, text="First action",
                           owner_id=cast["ivo"].pk, due_on=services.today(), purpose=PURPOSE)
    page(client, cast["petra"], case)
    time_passes(case)
    record(cast["ivo"], case, "New note", "custody_behaviour_and_security", 1)
    few = _queries(client, cast["petra"], case)
    for n in range(12):  # more items, on the page and new, from another agency, and more actions
        record(cast["ivo"], case, f"Later note {n}", "custody_behaviour_and_security", 1)
    with transaction.atomic():
        for n in range(3):
            actions.set_action(actor=cast["petra"], conference_id=conference.pk, text=f"Action {n}",
                               owner_id=cast["ivo"].pk, due_on=services.today(), purpose=PURPOSE)
    time_passes(case)
    record(cast["ivo"], case, "Newest note", "custody_behaviour_and_security", 1)
    assert _queries(client, cast["petra"], case) == few
