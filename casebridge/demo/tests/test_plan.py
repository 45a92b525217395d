"""The demo world's plan, checked without a database: plausible paths, dates and memberships."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.password_validation import validate_password

from casebridge.agencies.models import Practitioner
from casebridge.cases.models import Phase
from casebridge.cases.rules import check_key_dates, is_allowed_transition
from casebridge.demo.agreements import SPECS
from casebridge.demo.clients import CLIENTS
from casebridge.demo.people import AGENCIES, DEMO_PASSWORD, PEOPLE, PERSONAS, SIGNATORIES
from casebridge.demo.plan import plan_stories

TODAY = date(2026, 3, 15)


@pytest.fixture(scope="module")
def stories():
    return plan_stories(seed=2026, today=TODAY)


def test_every_phase_of_the_continuum_has_demo_cases(stories):
    assert {story.phases[-1][0] for story in stories} == set(Phase.values)


def test_paths_follow_allowed_transitions_in_date_order_and_never_end_in_the_future(stories):
    for story in stories:
        for (old, earlier, _), (new, later, note) in zip(story.phases, story.phases[1:]):
            assert is_allowed_transition(old, new), (story.client.family, old, new)
            assert earlier <= later <= TODAY
            assert len(note) > 60, "a handover note says what happened and what is open"


def test_custody_cases_have_started_their_sentence_with_release_still_ahead(stories):
    custody = [s for s in stories if s.phases[-1][0] == Phase.CUSTODY]
    assert len(custody) >= 5
    for story in custody:
        assert story.key_dates["sentence_start"] <= TODAY < story.key_dates["earliest_release"]
        check_key_dates(story.key_dates)


def test_several_key_dates_fall_within_the_next_sixty_days_so_reminders_show(stories):
    horizon = TODAY + timedelta(days=60)
    soon = [s for s in stories if any(TODAY <= d <= horizon for d in s.key_dates.values())]
    assert len(soon) >= 5


def test_each_case_has_three_to_six_agencies_whose_contacts_work_on_it(stories):
    for story in stories:
        assert 2 <= len(story.members) <= 5  # besides the lead agency
        team = {username for username, _ in story.team}
        assert all(member.contact in team for member in story.members)
        assert all(member.starts_on <= TODAY for member in story.members)


def test_xavier_is_never_on_a_case_and_the_working_personas_often_are(stories):
    on_cases = [u for s in stories for u, _ in s.team] + [s.coordinator for s in stories]
    assert "xavier" not in on_cases
    for persona in ("petra", "ivo", "omar", "clara"):
        assert on_cases.count(persona) >= 5


def test_the_plan_is_the_same_for_the_same_seed_and_day():
    first, second = plan_stories(seed=7, today=TODAY), plan_stories(seed=7, today=TODAY)
    assert [s.phases for s in first] == [s.phases for s in second]
    assert [s.key_dates for s in first] == [s.key_dates for s in second]
    assert [[i.data for i in s.items] for s in first] == [[i.data for i in s.items] for s in second]
    assert [s.consents for s in first] == [s.consents for s in second]


def test_items_are_dated_within_the_phase_they_are_written_in_by_someone_working_the_case(stories):
    for story in stories:
        team = {username for username, _ in story.team} | {story.coordinator}
        for planned in story.items:
            phase, start, _ = story.phases[planned.position]
            end = story.phases[planned.position + 1][1] if planned.position + 1 < len(story.phases) else TODAY
            assert start <= planned.data["fact_date"] <= max(start, end) and planned.data["fact_date"] <= TODAY
            assert planned.author in team and "{" not in planned.data["title"] + planned.data["body"]


def test_every_agreement_party_has_an_administrator_to_sign_for_it():
    admins = {p.username: p for p in PEOPLE if p.role == "agency_admin"}
    for spec in SPECS:
        for terms in spec.versions:
            for party in terms.parties:
                assert admins[SIGNATORIES[party]].agency == party


def test_clients_are_born_between_1975_and_2005_and_some_face_deportation():
    assert all(date(1975, 1, 1) <= c.born <= date(2005, 12, 31) for c in CLIENTS)
    assert sum(c.residency == "deportation_order" for c in CLIENTS) >= 2
    assert len({(c.given, c.family) for c in CLIENTS}) == len(CLIENTS) >= 30


def test_demo_names_are_unique_and_the_personas_exist():
    usernames = [p.username for p in PEOPLE]
    assert len(set(usernames)) == len(usernames) >= 40
    assert set(PERSONAS) <= set(usernames)
    assert len({a.name for a in AGENCIES}) == len(AGENCIES)


def test_the_shared_demo_password_passes_the_password_validators_for_every_account():
    for spec in PEOPLE:
        person = Practitioner(username=spec.username, first_name=spec.first, last_name=spec.last,
                              email=f"{spec.username}@example.test")
        validate_password(DEMO_PASSWORD, person)
