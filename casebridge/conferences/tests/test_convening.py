"""Convening conferences: who may convene which kind, who is invited, what the invitation says."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from casebridge.audit.models import AuditEvent
from casebridge.conferences import kinds, services, viewing
from casebridge.conferences.models import Conference, Participant, Reply
from casebridge.conferences.tests.conftest import committed, convene, soon
from casebridge.conftest import PURPOSE
from casebridge.errors import Conflict, Forbidden, InvalidInput, NotVisible, StaleVersion
from casebridge.items import services as items

pytestmark = pytest.mark.django_db


def test_the_four_default_kinds_say_who_convenes_chairs_attends_and_their_phases():
    every = kinds.all_kinds()
    assert {kinds.SECURITY, kinds.SOCIAL_NETWORK, kinds.RELEASE_PLANNING, kinds.REVIEW} <= set(every)
    security, network = every[kinds.SECURITY], every[kinds.SOCIAL_NETWORK]
    assert security.confidential and not security.client_attends and not security.family_attends
    assert security.may_convene("police") and not security.may_convene("cso")
    assert network.requires_consent and network.client_attends and network.family_attends
    assert [str(p) for p in network.phases] == ["Referral", "Preparation", "Information", "Family-only time",
                                                "Decision", "Release and review"]
    assert "client" not in security.attendee_relations and "family" in network.attendee_relations


def test_a_deployment_adds_a_kind_and_replaces_a_default_from_its_file(tmp_path, settings):
    path = tmp_path / "kinds.json"
    path.write_text('[{"code": "review", "label": "Quarterly review", "conveners": ["probation"], '
                    '"chairs": ["probation"], "core": ["coordinator"], "phases": ["Review"]}, '
                    '{"code": "housing_panel", "label": "Housing panel", "conveners": ["housing"], '
                    '"chairs": ["housing"], "core": ["lead", "housing"], '
                    '"agenda": [{"heading": "Offers", "audience": "professionals"}]}]')
    settings.CASEBRIDGE_CONFERENCE_KINDS = str(path)
    every = kinds.all_kinds()
    assert str(every["review"].label) == "Quarterly review" and every["review"].phases == ("Review",)
    assert every["housing_panel"].agenda[0].audience == "professionals"
    assert kinds.SECURITY in every


@pytest.mark.parametrize("content, reason", [
    ("{", "CASEBRIDGE_CONFERENCE_KINDS="),
    ('{"code": "x"}', "expected a JSON list"),
    ('[{"code": "x", "label": "X", "conveners": ["spies"]}]', "unknown agency kind 'spies'"),
    ('[{"label": "no code"}]', "conference kind 1"),
    ('[{"code": "x", "label": "X", "agenda": [{"heading": "A", "audience": "all"}]}]', "audience"),
])
def test_a_bad_kinds_file_refuses_with_a_one_line_reason(tmp_path, settings, content, reason):
    path = tmp_path / "kinds.json"
    path.write_text(content)
    settings.CASEBRIDGE_CONFERENCE_KINDS = str(path)
    with pytest.raises(ImproperlyConfigured) as refused:
        kinds.all_kinds()
    assert reason in str(refused.value) and "\n" not in str(refused.value)


def test_convening_invites_the_core_members_mails_each_an_ics_with_the_reference_only(conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["clara"]])
    invited = {p.practitioner_id: p for p in conference.participants.all()}
    # A review always invites the coordinator; Clara was chosen; the convener has accepted already.
    assert set(invited) == {cast["petra"].pk, cast["clara"].pk}
    assert invited[cast["petra"].pk].reply == Reply.ACCEPTED and invited[cast["clara"].pk].reply == Reply.PENDING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [cast["clara"].email]
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    text = message.subject + message.body + content
    assert case.reference in message.subject and case.reference in str(event["SUMMARY"])
    assert event["DTSTART"].dt == conference.starts_at and str(event["UID"]) == f"conference-{conference.pk}@127.0.0.1"
    assert mimetype.startswith("text/calendar") and f"/conferences/{conference.pk}/" in text
    assert "Client-One" not in text
    assert [e.text_item.title for e in conference.agenda.all()] == [str(t.heading) for t in kinds.kind("review").agenda]
    event = AuditEvent.objects.filter(object_type="conferences.conference", object_id=str(conference.pk)).get()
    assert event.operation == "create" and sorted(event.detail["participants"]) == sorted(invited)


def test_the_invitation_never_names_the_client(conferencing, cast, case):
    convene(cast["petra"], case, participants=[cast["clara"], cast["ivo"]])
    for message in mail.outbox:
        everything = message.subject + message.body + message.attachments[0][1]
        assert case.client.family_name not in everything and case.client.given_name not in everything


def test_a_conference_rolled_back_sends_no_invitation(conferencing, cast, case):
    start, end = soon()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        services.convene(actor=cast["petra"], case_id=case.pk, kind="review", starts_at=start, ends_at=end,
                         chair_id=cast["petra"].pk, participant_ids=[cast["clara"].pk], purpose=PURPOSE, place="Room 2")
        raise RuntimeError("something later failed")
    assert mail.outbox == [] and not Conference.objects.exists()


def test_only_the_kinds_conveners_convene_it(conferencing, cast, case):
    with pytest.raises(Forbidden):
        convene(cast["clara"], case, kind="security", chair=cast["omar"])


def test_a_security_conference_takes_only_cleared_people_and_is_unknown_to_everyone_else(conferencing, cast, case):
    with pytest.raises(InvalidInput) as refused:  # the prison takes part, but Ivo is cleared RESTRICTED
        convene(cast["omar"], case, kind="security", participants=[cast["ivo"]])
    assert "is not cleared for a Security conference" in refused.value.message
    with pytest.raises(InvalidInput) as refused:  # an exit programme never takes part
        convene(cast["omar"], case, kind="security", participants=[cast["clara"]])
    assert "does not take part" in refused.value.message
    conference = convene(cast["omar"], case, kind="security")
    for outsider in ("clara", "ivo", "petra"):  # on the team, not invited: a 404, the conference does not exist
        if cast[outsider].pk not in {p.practitioner_id for p in conference.participants.all()}:
            with pytest.raises(NotVisible):
                services.get_conference(actor=cast[outsider], conference_id=conference.pk)
            assert conference not in viewing.case_conferences(actor=cast[outsider], case=case)
    assert services.get_conference(actor=cast["omar"], conference_id=conference.pk)[0] == conference


def test_a_social_network_conference_needs_the_clients_consent_on_record(exchange, cast, case):
    with pytest.raises(Conflict) as refused:
        convene(cast["petra"], case, kind="social_network", chair=cast["petra"])
    assert "consent" in refused.value.message
    assert not Conference.objects.exists()


def test_family_attend_a_social_network_conference_by_name_and_relation_their_names_are_items(
        conferencing, cast, case):
    conference = convene(cast["petra"], case, kind="social_network", participants=[cast["clara"]],
                         attendees=[{"name": "Mira Client-One", "relation": "family"},
                                    {"name": "Test Client-One", "relation": "client"}])
    guests = Participant.objects.filter(conference=conference, practitioner__isnull=True).select_related("name_item")
    assert sorted(g.relation for g in guests) == ["client", "family"]
    assert {g.name_item.body for g in guests} == {"Mira Client-One", "Test Client-One"}
    assert all(g.name_item.carrier == "conference_attendee" and g.name_item.originating_agency_id
               == cast["petra"].agency_id for g in guests)
    with pytest.raises(InvalidInput):  # a security conference admits no family
        convene(cast["omar"], case, kind="security", attendees=[{"name": "Mira", "relation": "family"}])


@pytest.mark.parametrize("change, field", [
    ({"starts_at": "tomorrow"}, "starts_at"),
    ({"place": ""}, "place"),
    ({"online_link": "http://meet.example.test/x"}, "online_link"),
    ({"kind": "tea_party"}, "kind"),
])
def test_bad_convening_input_is_refused_on_its_field(conferencing, cast, case, change, field):
    kind = change.pop("kind", "review")
    with pytest.raises(InvalidInput) as refused:
        convene(cast["petra"], case, kind=kind, **change)
    assert refused.value.field == field
    assert not Conference.objects.exists()


def test_a_conference_in_the_past_or_ending_before_it_starts_is_refused(conferencing, cast, case):
    start, end = soon(days=-2)
    with pytest.raises(InvalidInput):
        convene(cast["petra"], case, starts_at=start, ends_at=end)
    start, end = soon()
    with pytest.raises(InvalidInput):
        convene(cast["petra"], case, starts_at=start, ends_at=start - dt.timedelta(hours=1))


def test_someone_not_on_the_team_cannot_be_invited(conferencing, cast, case):
    with pytest.raises(InvalidInput) as refused:
        convene(cast["petra"], case, participants=[cast["nora"]])
    assert "team" in refused.value.message


def test_replies_accept_decline_and_delegate_to_a_colleague_who_can_take_part(conferencing, cast, case):
    from casebridge.cases import membership

    conference = convene(cast["petra"], case, participants=[cast["ivo"], cast["clara"]])
    with transaction.atomic():
        services.reply(actor=cast["ivo"], conference_id=conference.pk, answer="declined", purpose=PURPOSE)
    with pytest.raises(InvalidInput), transaction.atomic():  # to another agency: no
        services.reply(actor=cast["clara"], conference_id=conference.pk, answer="delegated",
                       delegate_id=cast["ivo"].pk, purpose=PURPOSE)
    with pytest.raises(InvalidInput), transaction.atomic():  # Nora (probation) is not on the team
        services.reply(actor=cast["petra"], conference_id=conference.pk, answer="delegated",
                       delegate_id=cast["nora"].pk, purpose=PURPOSE)
    with transaction.atomic():
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["nora"].pk,
                                  purpose=PURPOSE)
    mail.outbox.clear()
    with committed(), transaction.atomic():
        services.reply(actor=cast["petra"], conference_id=conference.pk, answer="delegated",
                       delegate_id=cast["nora"].pk, purpose=PURPOSE)
    replies = {p.practitioner_id: p for p in Participant.objects.filter(conference=conference)}
    assert replies[cast["ivo"].pk].reply == "declined" and replies[cast["petra"].pk].reply == "delegated"
    assert replies[cast["nora"].pk].delegated_from_id == replies[cast["petra"].pk].pk
    assert [m.to for m in mail.outbox] == [[cast["nora"].email]]


def test_a_reply_from_a_stale_page_is_refused(conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    with transaction.atomic():
        services.reply(actor=cast["ivo"], conference_id=conference.pk, answer="accepted", purpose=PURPOSE,
                       expected_version=1)
    with pytest.raises(StaleVersion), transaction.atomic():
        services.reply(actor=cast["ivo"], conference_id=conference.pk, answer="declined", purpose=PURPOSE,
                       expected_version=1)
    assert Participant.objects.get(conference=conference, practitioner=cast["ivo"]).reply == "accepted"


def test_someone_not_invited_cannot_reply(conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    with pytest.raises(InvalidInput), transaction.atomic():
        services.reply(actor=cast["omar"], conference_id=conference.pk, answer="accepted", purpose=PURPOSE)


def test_only_the_convener_or_chair_adds_to_the_agenda_and_a_follow_up_starts_with_the_open_actions(
        conferencing, cast, case):
    first = convene(cast["petra"], case, participants=[cast["ivo"]])
    with pytest.raises(Forbidden), transaction.atomic():
        services.add_agenda_item(actor=cast["ivo"], conference_id=first.pk, heading="Mine", audience="everyone",
                                 purpose=PURPOSE)
    with transaction.atomic():
        entry = services.add_agenda_item(actor=cast["petra"], conference_id=first.pk, heading="Education plan",
                                         audience="professionals", purpose=PURPOSE,
                                         linked_item_ids=[conferencing["programme"].pk])
    assert list(entry.linked.all()) == [conferencing["programme"]] and entry.text_item.classification == 1
    with pytest.raises(InvalidInput), transaction.atomic():  # Petra may not read the police intelligence
        services.add_agenda_item(actor=cast["petra"], conference_id=first.pk, heading="X", audience="everyone",
                                 purpose=PURPOSE, linked_item_ids=[conferencing["police_secret"].pk])
    follow_up = convene(cast["petra"], case, participants=[cast["ivo"]], follows_id=first.pk)
    opening = follow_up.agenda.order_by("position").first()
    assert opening.reviews_actions and opening.text_item.title == str(kinds.FOLLOW_UP_HEADING)


def test_a_confidential_conferences_texts_are_not_found_by_search_or_opened_as_items_by_others(
        conferencing, cast, case):
    from casebridge.search import services as search

    conference = convene(cast["omar"], case, kind="security")
    with transaction.atomic():
        entry = services.add_agenda_item(actor=cast["omar"], conference_id=conference.pk, audience="professionals",
                                         heading="Contacts since the last review", purpose=PURPOSE, classification=1)
    # The agreement lets probation read police conference records up to RESTRICTED, but Petra does not take part:
    # she must not learn of the conference through its texts.
    with transaction.atomic():
        results, total = search.search_items(actor=cast["petra"], query="contacts", purpose=PURPOSE)
        own, _total = search.search_items(actor=cast["omar"], query="contacts", purpose=PURPOSE)
    assert entry.text_item_id not in [r.item.pk for r in results] and total == len(results)
    assert entry.text_item_id not in [r.item.pk for r in own]  # found on the conference's page, by anyone
    with pytest.raises(NotVisible), transaction.atomic():
        items.get_item(actor=cast["petra"], item_id=entry.text_item_id, purpose=PURPOSE)
    with transaction.atomic():
        assert items.get_item(actor=cast["omar"], item_id=entry.text_item_id, purpose=PURPOSE)[0] == entry.text_item


def test_only_the_agencies_a_kind_names_take_part_in_it(conferencing, cast, case, agencies):
    from casebridge.cases import membership

    with transaction.atomic():  # a housing office on the case: it takes part in release planning, not security
        membership.add_membership(actor=cast["petra"], case_id=case.pk, agency_id=agencies["housing"].pk,
                                  point_of_contact_id=cast["xavier"].pk, phases=["custody"], purpose=PURPOSE,
                                  starts_on=case.opened_on)
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["xavier"].pk,
                                  purpose=PURPOSE)
    with pytest.raises(InvalidInput) as refused:
        convene(cast["omar"], case, kind="security", participants=[cast["xavier"]])
    assert "does not take part in a Security conference" in refused.value.message
    planned = convene(cast["petra"], case, kind="release_planning", participants=[cast["xavier"]])
    assert cast["xavier"].pk in {p.practitioner_id for p in planned.participants.all()}
