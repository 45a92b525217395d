"""The forms that change a case, through the web: what they change, and what bad input changes (nothing)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.agencies.models import Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import services
from casebridge.cases.models import Case, Membership, PhaseChange, TeamAssignment
from casebridge.conftest import TOTP_KEY, sign_in


def _post(client, case, name, data, **headers):
    # Confirmed, as after the confirmation page (casebridge/tests/test_confirmation.py tests asking).
    return client.post(reverse(f"cases:{name}", args=[case.pk]), {**data, "confirmed": "1"}, **headers)


def _transition(case, **change):
    return {"transition-to_phase": "release_preparation", "transition-effective_on": services.today().isoformat(),
            "transition-handover_note": "Parole board hearing set; housing needed.", "transition-version": case.version,
            **change}


def _key_dates(case, **change):
    return {"dates-sentence_start": "2025-03-01", "dates-earliest_release": "2027-01-10",
            "dates-sentence_end": "2028-03-01", "dates-version": case.version, **change}


def _unchanged(case) -> bool:
    fresh = Case.objects.get(pk=case.pk)
    return (fresh.phase, fresh.version, fresh.earliest_release, fresh.phase_changes.count()) == \
        (case.phase, case.version, case.earliest_release, 1)


@pytest.fixture
def petra(client, cast):
    return sign_in(client, cast["petra"])


def test_a_phase_transition_through_the_web_appears_on_the_timeline_with_its_handover_note(petra, case):
    response = _post(petra, case, "transition", _transition(case))
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/#phases"
    page = petra.get(response.url).content.decode()
    assert "The case moved to Release preparation." in page
    timeline = page[page.index('id="timeline"'):]
    assert timeline.index("Parole board hearing set; housing needed.") < timeline.index("Case opened.")  # newest first
    assert "Custody → " in timeline and "recorded by Petra Peeters" in timeline
    assert Case.objects.get(pk=case.pk).phase == "release_preparation"


def test_a_disallowed_transition_shows_an_error_and_changes_nothing(petra, case):
    response = _post(petra, case, "transition", _transition(case, **{"transition-to_phase": "closed"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "A case cannot move from Custody to Closed." in page
    assert '<details class="inline-form" open>' in page  # the form stays open at its error
    assert _unchanged(case)


@pytest.mark.parametrize("change, message", [
    ({"transition-handover_note": "   "}, "Enter a handover note"),
    ({"transition-effective_on": "2999-01-01"}, "cannot be in the future"),
    ({"transition-effective_on": "2024-01-01"}, "cannot be before the previous one"),
    ({"transition-to_phase": "purgatory"}, "Select the next phase from the list"),
    ({"transition-version": "abc"}, "This form is out of date"),
])
def test_a_transition_with_bad_input_explains_why_and_changes_nothing(petra, case, change, message):
    response = _post(petra, case, "transition", _transition(case, **change))
    assert response.status_code == 400 and message in response.content.decode()
    assert _unchanged(case)


def test_out_of_order_key_dates_show_an_error_and_change_nothing(petra, case):
    response = _post(petra, case, "key_dates", _key_dates(case, **{"dates-sentence_end": "2026-01-01"}))
    assert response.status_code == 400
    assert "Sentence end (2026-01-01) cannot be before" in response.content.decode()
    assert _unchanged(case)


def test_key_dates_are_saved_and_shown(petra, case):
    response = _post(petra, case, "key_dates", _key_dates(case, **{"dates-conditional_release": "2027-06-01"}))
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).conditional_release == dt.date(2027, 6, 1)
    assert formats.date_format(dt.date(2027, 6, 1), "DATE_FORMAT") in petra.get(f"/cases/{case.pk}/").content.decode()


def test_a_stale_version_gives_409_and_changes_nothing(petra, case):
    stale = case.version
    assert _post(petra, case, "transition", _transition(case)).status_code == 302  # someone else moved it on
    fresh = Case.objects.get(pk=case.pk)
    response = _post(petra, case, "key_dates", _key_dates(case, **{"dates-earliest_release": "2027-02-01",
                                                                      "dates-version": stale}))
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    after = Case.objects.get(pk=case.pk)
    assert (after.version, after.earliest_release) == (fresh.version, fresh.earliest_release)


def test_a_stale_key_dates_form_comes_back_with_who_changed_the_case_and_the_current_dates(petra, case):
    stale = case.version
    assert _post(petra, case, "key_dates", _key_dates(case, **{"dates-earliest_release": "2027-03-15"})).status_code \
        == 302  # someone else (here: Petra in another tab) saved first
    response = _post(petra, case, "key_dates", _key_dates(case, **{"dates-earliest_release": "2027-02-01",
                                                                      "dates-version": stale}))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this case since you opened it: Petra Peeters (Westmark Probation Service)" in page
    assert 'value="2027-03-15"' in page and 'value="2027-02-01"' not in page  # the current dates, not the refused
    assert f'name="dates-version" value="{stale + 1}"' in page
    assert Case.objects.get(pk=case.pk).earliest_release == dt.date(2027, 3, 15)


def test_a_stale_client_edit_gives_409(petra, case):
    stale = case.version
    _post(petra, case, "transition", _transition(case))
    response = _post(petra, case, "edit_client", {
        "client-given_name": "Changed", "client-family_name": "Client-One", "client-date_of_birth": "1996-05-17",
        "client-residency_status": "citizen", "client-version": stale})
    assert response.status_code == 409 and Case.objects.get(pk=case.pk).client.given_name == "Test"


def test_the_client_can_be_corrected(petra, case):
    response = _post(petra, case, "edit_client", {
        "client-given_name": "Test", "client-family_name": "Client-One", "client-date_of_birth": "1996-05-17",
        "client-aliases": "Abu Test", "client-nationalities": "be, ma", "client-languages": "nl",
        "client-residency_status": "deportation_order", "client-version": case.version})
    assert response.status_code == 302
    client = Case.objects.get(pk=case.pk).client
    assert (client.aliases, client.nationalities, client.residency_status) == \
        (["Abu Test"], ["BE", "MA"], "deportation_order")


def test_an_agency_joins_and_its_practitioner_joins_the_team_and_then_sees_the_case(client, petra, cast, agencies,
                                                                                    case):
    response = _post(petra, case, "add_membership", {
        "membership-agency": agencies["housing"].pk, "membership-point_of_contact": cast["xavier"].pk,
        "membership-phases": ["custody", "release_preparation"], "membership-participation": "on_request",
        "membership-responsibilities": "Find housing before release.",
        "membership-starts_on": services.today().isoformat()})
    assert response.status_code == 302
    assert _post(petra, case, "assign", {"assign-practitioner": cast["xavier"].pk,
                                         "assign-role_on_case": "Housing officer"}).status_code == 302
    page = sign_in(client, cast["xavier"]).get(f"/cases/{case.pk}/").content.decode()
    assert "Find housing before release." in page and "Housing officer" in page


def test_a_contact_from_another_agency_is_refused_on_the_field(petra, cast, agencies, case):
    response = _post(petra, case, "add_membership", {
        "membership-agency": agencies["housing"].pk, "membership-point_of_contact": cast["nora"].pk,
        "membership-phases": ["custody"], "membership-participation": "core",
        "membership-starts_on": services.today().isoformat()})
    assert response.status_code == 400
    assert "Choose an active practitioner of the member agency." in response.content.decode()
    assert not Membership.objects.filter(case=case, agency=agencies["housing"]).exists()


def test_ending_a_membership_takes_the_case_away_from_its_people(client, petra, cast, agencies, case):
    cso = case.memberships.get(agency=agencies["cso"])
    response = _post(petra, case, "end_membership", {
        "end-membership": cso.pk, "end-reason": "Client left the programme.",
        "end-ends_on": services.today().isoformat()})
    assert response.status_code == 302
    assert "Client left the programme." in petra.get(f"/cases/{case.pk}/").content.decode()
    assert sign_in(client, cast["clara"]).get(f"/cases/{case.pk}/").status_code == 404


def test_ending_a_membership_before_it_began_is_refused(petra, agencies, case):
    cso = case.memberships.get(agency=agencies["cso"])
    response = _post(petra, case, "end_membership", {"end-membership": cso.pk, "end-reason": "Mistake.",
                                                     "end-ends_on": "2020-01-01"})
    assert response.status_code == 400 and "cannot be before the start date" in response.content.decode()
    assert Membership.objects.get(pk=cso.pk).ends_on is None


def test_a_team_member_hands_over_their_own_place_and_leaves(client, cast, agencies, case):
    ines = Practitioner.objects.create_user("ines", "ines@example.test", "x", agency=agencies["prison"],
                                            first_name="Ines", last_name="Idrissi", clearance=1)
    ivo = sign_in(client, cast["ivo"])
    place = case.team.get(practitioner=cast["ivo"])
    response = _post(ivo, case, "release", {"release-assignment": place.pk, "release-successor": ines.pk,
                                            "release-handover_note": "Weekly sessions on Tuesdays; see plan."})
    assert response.status_code == 302 and response.url == "/"
    assert ivo.get(f"/cases/{case.pk}/").status_code == 404
    page = sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/").content.decode()
    former = page[page.index('class="team former"'):]
    assert "Ivo Ivanov" in former and "Ines Idrissi" in former
    # The note is the prison's item: its successor at the prison reads it, probation has no basis.
    assert "Weekly sessions on Tuesdays; see plan." not in page
    TOTPDevice.objects.create(user=ines, name="test", confirmed=True, key=TOTP_KEY)
    page = sign_in(client, ines).get(f"/cases/{case.pk}/").content.decode()
    assert "Weekly sessions on Tuesdays; see plan." in page[page.index('class="team former"'):]


def test_leaving_under_htmx_navigates_to_the_dashboard(client, cast, agencies, case):
    ines = Practitioner.objects.create_user("ines", "ines@example.test", "x", agency=agencies["prison"])
    place = case.team.get(practitioner=cast["ivo"])
    response = _post(sign_in(client, cast["ivo"]), case, "release", {
        "release-assignment": place.pk, "release-successor": ines.pk, "release-handover_note": "Over to Ines."},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == "/"


def test_a_handover_that_fails_half_way_leaves_nothing_written(petra, cast, case):
    # Releasing Ivo without a successor fails only after the service has started handing over his
    # roles; the savepoint around the service must undo that first part too.
    place = case.team.get(practitioner=cast["ivo"])
    response = _post(petra, case, "release", {"release-assignment": place.pk, "release-handover_note": "Leaving."})
    assert response.status_code == 400
    assert "name a successor from that agency" in response.content.decode()
    assert Case.objects.get(pk=case.pk).version == case.version
    assert TeamAssignment.objects.get(pk=place.pk).released_at is None


def test_a_team_member_cannot_release_someone_else(client, cast, case):
    place = case.team.get(practitioner=cast["ivo"])
    response = _post(sign_in(client, cast["omar"]), case, "release", {
        "release-assignment": place.pk, "release-handover_note": "Not mine to give."})
    assert response.status_code == 403
    assert TeamAssignment.objects.get(pk=place.pk).released_at is None


def test_the_continuity_liaison_is_named_from_the_team(petra, cast, case):
    assert _post(petra, case, "liaison", {"liaison-continuity_liaison": cast["clara"].pk}).status_code == 302
    assert Case.objects.get(pk=case.pk).continuity_liaison == cast["clara"]
    response = _post(petra, case, "liaison", {"liaison-continuity_liaison": cast["nora"].pk})
    assert response.status_code == 400 and "must be on the case team" in response.content.decode()


@pytest.mark.parametrize("name, data, status", [
    ("end_membership", {"end-membership": "999999", "end-reason": "x", "end-ends_on": "2026-01-01"}, 404),
    ("end_membership", {"end-membership": "abc", "end-reason": "x", "end-ends_on": "2026-01-01"}, 400),
    ("add_membership", {"membership-agency": "999999", "membership-point_of_contact": "1",
                        "membership-phases": ["custody"], "membership-participation": "core",
                        "membership-starts_on": "2026-01-01"}, 400),
    ("add_membership", {"membership-agency": "1", "membership-phases": ["limbo"]}, 400),
    ("assign", {"assign-practitioner": "999999"}, 400),
    ("assign", {"assign-practitioner": "-3"}, 400),
    ("release", {"release-assignment": "999999", "release-handover_note": "x"}, 404),
    ("release", {"release-assignment": "1", "release-handover_note": "x", "release-successor": "zz"}, 400),
    ("liaison", {"liaison-continuity_liaison": "1e9"}, 400),
    ("key_dates", {"dates-sentence_start": "2025-02-30", "dates-version": "1"}, 400),
    ("key_dates", {"dates-sentence_start": "99999-01-01", "dates-version": "1"}, 400),
    ("edit_client", {"client-given_name": ["a", "b"], "client-version": "1"}, 400),
    ("transition", {}, 400),
])
def test_bad_input_gets_an_answer_never_a_server_error(petra, case, name, data, status):
    assert _post(petra, case, name, data).status_code == status


def test_text_over_the_configured_limit_is_refused(petra, case, settings):
    settings.CASEBRIDGE_MAX_TEXT = 40
    response = _post(petra, case, "transition", _transition(case, **{"transition-handover_note": "x" * 41}))
    assert response.status_code == 400 and "A handover note must be 40 characters or fewer" in response.content.decode()
    assert _unchanged(case)


def test_an_htmx_post_with_an_error_returns_the_page_with_the_form_open(petra, case):
    response = _post(petra, case, "key_dates", _key_dates(case, **{"dates-sentence_end": "2026-01-01"}),
                     HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<main id="main"' in page and '<details class="inline-form" open>' in page


def test_changes_through_the_web_are_audited_with_the_declared_purpose(petra, case):
    session = petra.session
    session["purpose"] = "release_planning"
    session.save()
    _post(petra, case, "transition", _transition(case))
    change = PhaseChange.objects.get(case=case, to_phase="release_preparation")
    event = AuditEvent.objects.get(operation=Operation.UPDATE, case_id=case.pk, detail__phase_change=change.pk)
    assert event.purpose == "release_planning"
