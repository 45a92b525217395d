"""The pack of an attendee who is not a user (the client, family): only what was released for the client."""

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.conferences import packs, services
from casebridge.conferences.tests.conftest import convene
from casebridge.conftest import PURPOSE, sign_in
from casebridge.dataprotection import services as dataprotection
from casebridge.errors import Forbidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(conferencing, cast, case):
    conference = convene(cast["petra"], case, kind="social_network", participants=[cast["clara"]],
                         attendees=[{"name": "Test Client-One", "relation": "client"}])
    with transaction.atomic():
        entry = services.add_agenda_item(actor=cast["petra"], conference_id=conference.pk, audience="everyone",
                                         heading="Your plan for housing", purpose=PURPOSE, classification=0)
    conference.entry = entry
    conference.client_attendee = conference.participants.get(relation="client")
    return conference


def pack(person, conference):
    with transaction.atomic():
        return packs.attendee_pack(actor=person, conference_id=conference.pk,
                                   participant_id=conference.client_attendee.pk)


def test_the_clients_pack_holds_an_agenda_item_only_once_its_originator_released_it(network, cast, case):
    assert network.entry.text_item not in pack(cast["petra"], network).agenda
    with transaction.atomic():  # probation's data protection officer releases it for the client
        dataprotection.release_for_subject_access(actor=cast["dora"], client_id=case.client_id,
                                                  item_id=network.entry.text_item_id, purpose="data_protection")
    found = pack(cast["petra"], network)
    assert [i.title for i in found.agenda] == ["Your plan for housing"]
    assert found.name.body == "Test Client-One"
    # Everything in it passes the subject access rules: released, no intelligence, nothing withheld.
    assert all(hasattr(i, "subject_access_release") and not i.intelligence for i in (*found.agenda, *found.summaries))


def test_a_withheld_item_never_reaches_the_clients_pack(network, cast, case):
    with transaction.atomic():
        dataprotection.release_for_subject_access(actor=cast["dora"], client_id=case.client_id,
                                                  item_id=network.entry.text_item_id, purpose="data_protection")
        dataprotection.withhold_item(actor=cast["dora"], client_id=case.client_id, item_id=network.entry.text_item_id,
                                legal_reason="Protects a third party.", purpose="data_protection")
    assert pack(cast["petra"], network).agenda == []


def test_only_the_convener_or_chair_prepares_an_attendees_pack(client, network, cast):
    with pytest.raises(Forbidden):
        pack(cast["clara"], network)
    page = sign_in(client, cast["petra"]).get(
        reverse("conferences:attendee_pack", args=[network.pk, network.client_attendee.pk]))
    assert page.status_code == 200 and "What this meeting is for" in page.content.decode()
    printed = client.get(reverse("conferences:attendee_pack_pdf", args=[network.pk, network.client_attendee.pk]))
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
