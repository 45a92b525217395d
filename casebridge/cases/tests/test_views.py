"""The case record's pages: who reaches what, the dashboard, opening a case, the case page."""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import formats

from casebridge.agencies.models import Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import membership, services
from casebridge.cases.models import Case, Client
from casebridge.conftest import PURPOSE, sign_in

PERSONAS = ["petra", "ivo", "omar", "clara", "nora", "xavier"]
SEES = {"petra": 200, "ivo": 200, "omar": 200, "clara": 200, "nora": 404, "xavier": 404}
MANAGES = {"petra": 302, "ivo": 403, "omar": 403, "clara": 403, "nora": 404, "xavier": 404}

# For each page or endpoint, the status each persona gets. Nora (same agency as Petra, not on
# the team) and Xavier (agency not on the case) never learn the case exists: 404, never 403.
EXPECTED = {
    "dashboard": dict.fromkeys(PERSONAS, 200),
    "open a case": {**dict.fromkeys(PERSONAS, 404), "petra": 200},
    "case page": SEES,
    "contact options": {**MANAGES, "petra": 200},
    "transition": MANAGES,
    "key dates": MANAGES,
    "client": MANAGES,
    "add membership": MANAGES,
    "end membership": MANAGES,
    "assign": MANAGES,
    "liaison": MANAGES,
    "release Omar": {**MANAGES, "omar": 302},
    "release Ivo": {**MANAGES, "ivo": 302},
}


@pytest.fixture
def ines(agencies):
    """A second prison case manager, to take over from Ivo."""
    return Practitioner.objects.create_user("ines", "ines@example.test", "x", agency=agencies["prison"],
                                            first_name="Ines", last_name="Idrissi")


def _requests(case, cast, agencies, ines) -> dict:
    today = services.today().isoformat()
    url = lambda name: reverse(f"cases:{name}", args=[case.pk])  # noqa: E731
    place = {a.practitioner.username: a.pk for a in case.team.select_related("practitioner")}
    return {
        "dashboard": ("get", reverse("cases:dashboard"), {}),
        "open a case": ("get", reverse("cases:open"), {}),
        "case page": ("get", url("detail"), {}),
        "contact options": ("get", url("contact_options"), {"membership-agency": agencies["housing"].pk}),
        "transition": ("post", url("transition"), {
            "transition-to_phase": "release_preparation", "transition-effective_on": today,
            "transition-handover_note": "Release plan agreed at the conference.", "transition-version": case.version,
            "confirmed": "1"}),
        "key dates": ("post", url("key_dates"), {
            "dates-sentence_start": "2025-03-01", "dates-earliest_release": "2027-02-01",
            "dates-sentence_end": "2028-03-01", "dates-version": case.version}),
        "client": ("post", url("edit_client"), {
            "client-given_name": "Test", "client-family_name": "Client-One", "client-date_of_birth": "1996-05-17",
            "client-nationalities": "be, ma", "client-languages": "nl, fr, ar",
            "client-residency_status": "deportation_order", "client-version": case.version}),
        "add membership": ("post", url("add_membership"), {
            "membership-agency": agencies["housing"].pk, "membership-point_of_contact": cast["xavier"].pk,
            "membership-phases": ["release_preparation", "supervised_release"],
            "membership-participation": "on_request", "membership-starts_on": today}),
        "end membership": ("post", url("end_membership"), {
            "end-membership": case.memberships.get(agency=agencies["cso"]).pk,
            "end-reason": "Client ended the programme.", "end-ends_on": today, "confirmed": "1"}),
        "assign": ("post", url("assign"), {"assign-practitioner": cast["nora"].pk, "assign-role_on_case": "Deputy"}),
        "liaison": ("post", url("liaison"), {"liaison-continuity_liaison": cast["clara"].pk}),
        "release Omar": ("post", url("release"), {
            "release-assignment": place["omar"], "release-handover_note": "Handed to Sam.",
            "release-successor": cast["sam"].pk}),
        "release Ivo": ("post", url("release"), {
            "release-assignment": place["ivo"], "release-handover_note": "Ines takes over the prison side.",
            "release-successor": ines.pk}),
    }


@pytest.mark.parametrize("endpoint", EXPECTED)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reaches_each_case_page_and_form_as_the_table_says(client, cast, agencies, case, ines,
                                                                        persona, endpoint):
    method, url, data = _requests(case, cast, agencies, ines)[endpoint]
    sign_in(client, cast[persona])
    response = getattr(client, method)(url, data)
    assert response.status_code == EXPECTED[endpoint][persona]
    if response.status_code == 302:
        assert response.url.startswith(("/cases/", "/?", "/#")) or response.url == "/"


def test_signed_out_visitors_are_sent_to_sign_in(client, case):
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_an_unknown_or_malformed_case_id_is_not_found(client, cast, case):
    sign_in(client, cast["petra"])
    assert client.get("/cases/999999/").status_code == 404
    assert client.get("/cases/abc/").status_code == 404
    assert client.post("/cases/999999/phase/", {}).status_code == 404


def test_management_urls_only_take_posts(client, cast, case):
    sign_in(client, cast["petra"])
    assert client.get(reverse("cases:transition", args=[case.pk])).status_code == 405


# --- Dashboard --------------------------------------------------------------------------------

def _second_case(petra, **client_fields):
    with transaction.atomic():
        return services.open_case(
            actor=petra, purpose=PURPOSE, phase="remand", phase_date=dt.date(2026, 1, 5),
            client={"given_name": "Other", "family_name": "Client-Two", "date_of_birth": dt.date(1990, 1, 1),
                    **client_fields})


def test_dashboard_lists_only_the_cases_the_user_may_see(client, cast, case):
    other = _second_case(cast["petra"])
    petra = sign_in(client, cast["petra"]).get("/").content.decode()
    assert case.reference in petra and other.reference in petra
    ivo = sign_in(client, cast["ivo"]).get("/").content.decode()
    assert case.reference in ivo and other.reference not in ivo and "Client-Two" not in ivo


def test_dashboard_shows_phase_lead_agency_coordinator_and_next_key_date(client, cast, case):
    page = sign_in(client, cast["omar"]).get("/").content.decode()
    assert 'class="badge phase-custody"' in page
    assert "Westmark Probation Service" in page and "Petra Peeters" in page
    assert "Earliest release" in page  # the next key date of the fixture case


def test_dashboard_filters_by_phase(client, cast, case):
    _second_case(cast["petra"])
    sign_in(client, cast["petra"])
    custody = client.get("/", {"phase": "custody"}).content.decode()
    assert case.reference in custody and "Client-Two" not in custody
    assert "None of your cases is in this phase" in client.get("/", {"phase": "aftercare"}).content.decode()


def test_an_unknown_phase_filter_is_refused_with_a_message_not_a_crash(client, cast, case):
    response = sign_in(client, cast["petra"]).get("/", {"phase": "nonsense"})
    assert response.status_code == 400
    assert "Select a phase from the list" in response.content.decode()


def test_someone_on_no_case_team_sees_an_empty_state(client, cast, case):
    page = sign_in(client, cast["nora"]).get("/").content.decode()
    assert "You are not on the team of any case yet" in page
    assert case.reference not in page


def test_dashboard_highlights_key_dates_within_two_weeks(client, cast, case):
    today = services.today()
    with transaction.atomic():
        services.set_key_dates(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE, dates={
            "sentence_start": dt.date(2025, 3, 1), "earliest_release": today + dt.timedelta(days=5),
            "sentence_end": today + dt.timedelta(days=40)})
    page = sign_in(client, cast["clara"]).get("/").content.decode()
    reminders = re.findall(r'<li class="work key_date( due-soon)?">(.*?)</li>', page[page.index("Coming up"):], re.S)
    assert [(bool(soon), "Earliest release" in text, "in 5 days" in text) for soon, text in reminders][0] == \
        (True, True, True)
    assert [(bool(soon), "Sentence end" in text, "in 40 days" in text) for soon, text in reminders][1] == \
        (False, True, True)


def test_listing_the_dashboard_is_audited(client, cast, case):
    sign_in(client, cast["ivo"]).get("/")
    assert AuditEvent.objects.filter(operation=Operation.LIST, actor_id=cast["ivo"].pk).exists()


# --- Opening a case ---------------------------------------------------------------------------

OPEN = {
    "given_name": "Nadia", "family_name": "Example", "aliases": "N. E., Umm Test", "date_of_birth": "1999-02-03",
    "nationalities": "be, ma", "languages": "nl, ar", "residency_status": "permanent_resident",
    "residency_note": "", "phase": "remand", "phase_date": "2026-10-01", "summary": "Arrested in October.",
    "sentence_start": "", "earliest_release": "", "conditional_release": "", "sentence_end": "",
    "supervision_end": "",
}


def test_opening_a_case_through_the_form_creates_it(client, cast, agencies):
    response = sign_in(client, cast["petra"]).post("/cases/open/", OPEN)
    case = Case.objects.get(client__family_name="Example")
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    assert case.client.aliases == ["N. E.", "Umm Test"] and case.client.nationalities == ["BE", "MA"]
    assert case.phase == "remand" and case.lead_agency == agencies["probation"] and case.coordinator == cast["petra"]
    page = client.get(response.url).content.decode()
    assert f"Case {case.reference} opened" in page and "Arrested in October." in page


@pytest.mark.parametrize("change, field_error", [
    ({"nationalities": "Belgium"}, "not a two-letter ISO 3166 country code"),
    ({"date_of_birth": "2999-01-01"}, "Date of birth must be in the past"),
    ({"date_of_birth": "not a date"}, "date of birth must be a real date"),
    ({"phase": "closed"}, "Select the starting phase from the list"),
    ({"phase_date": "2999-01-01"}, "cannot be in the future"),
    ({"sentence_start": "2027-01-01", "sentence_end": "2026-01-01"}, "cannot be before sentence start"),
    ({"given_name": ""}, "Enter the client&#x27;s given name"),  # its apostrophe escaped in the page
    ({"given_name": "x" * 121}, "given name must be 120 characters or fewer"),
])
def test_opening_a_case_with_bad_input_explains_why_and_creates_nothing(client, cast, change, field_error):
    response = sign_in(client, cast["petra"]).post("/cases/open/", {**OPEN, **change})
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Client.objects.filter(family_name="Example").exists()


def test_only_coordinators_see_the_open_a_case_form(client, cast):
    assert sign_in(client, cast["ivo"]).get("/cases/open/").status_code == 404
    assert sign_in(client, cast["petra"]).get("/cases/open/").status_code == 200


# --- The case page ----------------------------------------------------------------------------

def test_case_page_shows_client_phases_members_team_and_why(client, cast, case):
    page = sign_in(client, cast["clara"]).get(f"/cases/{case.pk}/").content.decode()
    born = formats.date_format(dt.date(1996, 5, 17), "DATE_FORMAT")  # in the locale's format, never ISO
    assert "Test Client-One" in page and born in page and "1996-05-17<" not in page and "nl, fr" in page
    assert '<li class="current" aria-current="step">Custody</li>' in page
    assert '<li class="past">Trial &amp; sentencing</li>' in page
    assert "Westmark Prison" in page and "ivo@example.test" in page and "Open Door Exit Programme" in page
    assert "Why can I see this case?" in page and "On the case team; your agency is a core member in the phase Custody" in page
    assert "Earliest release" in page and "Case opened." in page


def test_reading_the_case_page_writes_an_audit_read_event(client, cast, case):
    sign_in(client, cast["omar"]).get(f"/cases/{case.pk}/")
    event = AuditEvent.objects.filter(operation=Operation.READ, case_id=case.pk, actor_id=cast["omar"].pk).get()
    assert event.purpose == PURPOSE and "on the case team" in event.detail["basis"]


def test_a_deportation_order_stands_out(client, cast, case):
    with transaction.atomic():
        services.update_client(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE, data={
            "given_name": "Test", "family_name": "Client-One", "date_of_birth": dt.date(1996, 5, 17),
            "residency_status": "deportation_order", "residency_note": "Order of 3 June, under appeal."})
    page = sign_in(client, cast["ivo"]).get(f"/cases/{case.pk}/").content.decode()
    assert '<strong class="flag">Subject to a deportation order</strong>' in page
    # The note is the lead agency's legal and residency item: no agreement gives it to the prison.
    assert "Order of 3 June, under appeal." not in page
    assert "Order of 3 June, under appeal." in sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/").content.decode()


def test_team_members_see_no_management_controls_but_may_leave(client, cast, case):
    page = sign_in(client, cast["ivo"]).get(f"/cases/{case.pk}/").content.decode()
    for control in ("Move to the next phase", "Add a member agency", "Edit the key dates", "Add someone to the team"):
        assert control not in page
    assert "Leave this case team" in page


def test_the_coordinator_sees_every_management_control(client, cast, case):
    page = sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/").content.decode()
    for control in ("Move to the next phase", "Correct the client", "Edit the key dates", "Name the continuity liaison",
                    "Add a member agency", "End an agency", "Add someone to the team", "Release someone"):
        assert control in page
    assert 'value="release_preparation"' in page and 'value="trial"' in page  # the allowed next phases


def test_only_allowed_next_phases_are_offered(client, cast, case):
    page = sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/").content.decode()
    form = page[page.index('name="transition-to_phase"'):]
    form = form[:form.index("</select>")]
    assert 'value="release_preparation"' in form and 'value="trial"' in form
    assert 'value="closed"' not in form and 'value="aftercare"' not in form


def test_contact_options_list_the_people_of_the_chosen_agency(client, cast, agencies, case):
    sign_in(client, cast["petra"])
    response = client.get(reverse("cases:contact_options", args=[case.pk]),
                          {"membership-agency": agencies["housing"].pk})
    page = response.content.decode()
    assert response.status_code == 200 and "Xavier Xhaferi" in page and "Petra" not in page
    assert 'hx-swap-oob="innerHTML:#id_membership-deputy"' in page


def test_contact_options_for_no_or_a_bogus_agency_are_empty_not_an_error(client, cast, case):
    sign_in(client, cast["petra"])
    for agency in ("", "abc", "999999"):
        response = client.get(reverse("cases:contact_options", args=[case.pk]), {"membership-agency": agency})
        assert response.status_code == 200 and "Choose an agency first" in response.content.decode()


def test_the_membership_form_fetches_contacts_when_the_agency_changes(client, cast, case):
    page = sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/").content.decode()
    assert f'hx-get="/cases/{case.pk}/contact-options/"' in page
    assert 'hx-target="#id_membership-point_of_contact"' in page


def test_the_page_has_no_inline_script_or_style(client, cast, case):
    page = sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/").content.decode()
    assert "<style" not in page and " style=" not in page and " on" + "click=" not in page
    scripts = [chunk.split(">", 1)[0] for chunk in page.split("<script")[1:]]
    assert all(" src=" in attrs for attrs in scripts)


def test_a_practitioner_who_left_the_team_no_longer_sees_the_case(client, cast, case):
    with transaction.atomic():
        place = membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["nora"].pk,
                                          purpose=PURPOSE)
    assert sign_in(client, cast["nora"]).get(f"/cases/{case.pk}/").status_code == 200
    with transaction.atomic():
        membership.release_from_team(actor=cast["petra"], case_id=case.pk, assignment_id=place.pk,
                                     handover_note="Cover ended.", successor_id=None, purpose=PURPOSE)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
