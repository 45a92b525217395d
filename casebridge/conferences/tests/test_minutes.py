"""Minutes: recorded once the conference was held, approved by the chair, versioned not edited, every part
under the sharing rule (the security part for the cleared), the executive summary kept for subject access."""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.conferences import minutes, running, services, viewing
from casebridge.conferences.models import Conference, Minutes
from casebridge.conferences.tests.conftest import convene
from casebridge.conftest import PURPOSE
from casebridge.errors import Conflict, Forbidden, InvalidInput

pytestmark = pytest.mark.django_db

DECISION = {"decision": "Move to a lower security regime in March", "rationale": "Six months of calm behaviour",
            "options": "Keep the regime; move now", "dissent": "Police prefer to wait for the next assessment"}


@pytest.fixture
def held(conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"], cast["clara"], cast["omar"]])
    Conference.objects.filter(pk=conference.pk).update(starts_at=conference.starts_at - dt.timedelta(days=8),
                                                       ends_at=conference.ends_at - dt.timedelta(days=8))
    with transaction.atomic():
        running.record_attendance(actor=cast["petra"], conference_id=conference.pk, purpose=PURPOSE, attendance={
            p.pk: "present" for p in conference.participants.all()})
    return conference


def record(person, conference, **extra):
    with transaction.atomic():
        return minutes.record_minutes(actor=person, conference_id=conference.pk, purpose=PURPOSE,
                                      notes=extra.pop("notes", "Everyone reported; the plan holds."),
                                      summary=extra.pop("summary", "The team met and agreed the next steps."),
                                      **extra)


def read(person, conference):
    with transaction.atomic():
        return viewing.read_conference(actor=person, conference_id=conference.pk, purpose=PURPOSE).minutes


def test_minutes_wait_for_the_conference_to_have_taken_place(conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    with pytest.raises(Conflict):
        record(cast["petra"], conference)


def test_minutes_hold_decisions_with_rationale_options_and_dissent(held, cast):
    record(cast["petra"], held, decisions=[DECISION])
    latest = read(cast["petra"], held)[0]
    assert latest.minutes.number == 1 and latest.minutes.status == "draft"
    decision = latest.decisions[0]
    assert (decision.text.body, decision.rationale.body, decision.options.body, decision.dissent.body) == \
        tuple(DECISION.values())


def test_the_security_part_is_read_only_by_the_cleared_whose_agency_receives_it(held, cast):
    record(cast["petra"], held, security_notes="Contact with a known recruiter reported", security_classification=2)
    assert read(cast["petra"], held)[0].security.body.startswith("Contact")  # her own agency, cleared 2
    ivo = read(cast["ivo"], held)[0]  # the prison receives conference records up to RESTRICTED
    assert ivo.security is None and ivo.notes is not None
    clara = read(cast["clara"], held)[0]  # the CSO receives conference records up to OPEN: the summary only
    assert clara.security is None and clara.notes is None and clara.summary is not None


def test_only_the_chair_approves_and_a_correction_is_a_new_version(held, cast):
    first = record(cast["petra"], held)
    with pytest.raises(Forbidden), transaction.atomic():
        minutes.approve_minutes(actor=cast["ivo"], conference_id=held.pk, number=1, purpose=PURPOSE)
    with transaction.atomic():
        minutes.approve_minutes(actor=cast["petra"], conference_id=held.pk, number=1, purpose=PURPOSE)
    with pytest.raises(Conflict), transaction.atomic():
        minutes.approve_minutes(actor=cast["petra"], conference_id=held.pk, number=1, purpose=PURPOSE)
    second = record(cast["petra"], held, notes="Corrected: the plan holds, with one change.")
    assert second.number == 2 and Minutes.objects.get(pk=first.pk).status == "approved"
    assert Minutes.objects.get(pk=first.pk).notes_item.body == "Everyone reported; the plan holds."  # kept
    with pytest.raises(Conflict), transaction.atomic():  # only the newest version is approved
        minutes.approve_minutes(actor=cast["petra"], conference_id=held.pk, number=1, purpose=PURPOSE)


def test_approval_releases_the_executive_summary_for_subject_access(held, cast):
    made = record(cast["petra"], held)
    assert not hasattr(made.summary_item, "subject_access_release")
    with transaction.atomic():
        minutes.approve_minutes(actor=cast["petra"], conference_id=held.pk, number=1, purpose=PURPOSE)
    summary = Minutes.objects.get(pk=made.pk).summary_item
    assert summary.classification == 0 and summary.subject_access_release.released_by_id == cast["petra"].pk


def test_a_decision_without_its_rationale_is_refused_on_the_form(client, held, cast):
    from django.urls import reverse

    from casebridge.conftest import sign_in

    answer = sign_in(client, cast["petra"]).post(reverse("conferences:minutes", args=[held.pk]), {
        "minutes-notes": "Notes", "minutes-summary": "Summary", "minutes-decision_0": "Move to a lower regime"})
    assert answer.status_code == 400 and "Say why this was decided." in answer.content.decode()
    assert not Minutes.objects.exists()


def test_minutes_through_the_api(api, held, cast):
    made = api(cast["petra"]).post(f"/api/conferences/{held.pk}/minutes", {
        "notes": "Everyone reported.", "summary": "The team met.", "decisions": [DECISION]})
    assert made.status_code == 201, made.content
    approved = api(cast["petra"]).post(f"/api/conferences/{held.pk}/minutes/1/approve")
    assert approved.status_code == 200
    shown = api(cast["ivo"]).get(f"/api/conferences/{held.pk}").json()["minutes"]
    assert shown[0]["status"] == "approved" and shown[0]["decisions"][0]["dissent"]["text"] == DECISION["dissent"]


def test_notes_by_agenda_item_are_at_least_as_classified_as_their_item(conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["clara"]])
    with transaction.atomic():
        risk = services.add_agenda_item(actor=cast["petra"], conference_id=conference.pk, heading="Risk factors",
                                        audience="professionals", purpose=PURPOSE, classification=1)
    Conference.objects.filter(pk=conference.pk).update(starts_at=conference.starts_at - dt.timedelta(days=8))
    with transaction.atomic():
        running.record_attendance(actor=cast["petra"], conference_id=conference.pk, purpose=PURPOSE, attendance={})
    first = conference.agenda.order_by("position").first()
    made = record(cast["petra"], conference, classification=0,
                  item_notes={first.pk: "Progress: course attendance regular.", risk.pk: "Risk unchanged.",
                              conference.agenda.order_by("position")[1].pk: ""})
    notes = {n.entry_id: n.text_item for n in made.item_notes.select_related("text_item")}
    assert set(notes) == {first.pk, risk.pk}  # an empty note is no note
    assert notes[first.pk].classification == 0 and notes[risk.pk].classification == 1  # raised to its item's
    shown = read(cast["clara"], conference)[0]  # the exit programme receives conference records up to OPEN
    assert [note.body for _position, note in shown.item_notes] == ["Progress: course attendance regular."]


def test_notes_for_an_item_of_another_conference_are_refused(held, conferencing, cast, case):
    other = convene(cast["petra"], case, participants=[cast["ivo"]])
    with pytest.raises(InvalidInput):
        record(cast["petra"], held, item_notes={other.agenda.first().pk: "Misfiled"})
    assert not Minutes.objects.exists()
