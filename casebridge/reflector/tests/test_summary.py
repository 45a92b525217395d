"""The non-personal summary: only the state of the distancing process, shared under the rule."""

import datetime as dt
import re

import pytest
from django.db import transaction

from casebridge.conftest import PURPOSE
from casebridge.errors import InvalidInput
from casebridge.items.models import InformationItem
from casebridge.reflector import services, summary
from casebridge.reflector.tests.conftest import goal, session

pytestmark = pytest.mark.django_db


def read(person, reflector):
    with transaction.atomic():
        return services.read_reflector(actor=person, reflector_id=reflector.pk, purpose=PURPOSE)


def test_the_summary_holds_no_name_date_of_birth_alias_place_or_word_of_the_notes(reflector, cast, case):
    client = case.client
    client.given_name, client.family_name = "Ramiro", "Vandermeulen"  # synthetic, and distinctive
    client.aliases = ["Abu Testa", "T.C."]
    client.place_of_birth = "Eastbrook"
    client.save()
    personal = [client.given_name, client.family_name, "Abu Testa", "Eastbrook", "Kortrijk", "Marta"]
    session(cast["clara"], reflector, {
        "family_of_origin": {"knowledge": "known", "valence": "resource", "priority": 3,
                             "note": f"{client.given_name} {client.family_name} (Abu Testa), born 17/05/1996 in "
                                     "Eastbrook, visited his sister Marta in Kortrijk."},
        "online_life": {"knowledge": "suspected", "valence": "challenge", "priority": 3,
                        "note": "Still in the Telegram group of Abu Testa."}},
        note=f"Session with {client.given_name} at the Kortrijk office; Marta joined.")
    goal(cast["clara"], reflector, "Marta's birthday in Kortrijk without the old friends.", "family_of_origin")
    view = read(cast["clara"], reflector)
    text = "\n".join(summary.summary_lines(view))
    for word in personal:
        assert word.lower() not in text.lower()
    assert not re.search(r"1996|17[./-]0?5|05[./-]17", text)  # no date of birth in any form
    # Nothing it says depends on any text of the reflector: with every note and goal blanked, the same summary.
    for seen in view.sessions:
        seen.note.body = ""
        for rating in seen.ratings.values():
            rating.note = ""
    for _goal, item in view.goals:
        item.body = ""
    assert summary.summary_lines(view) == text.split("\n")
    # What it does state: the process.
    assert "after 3 sessions" in text and "High priorities now: Family of origin, Online life" in text


def test_sharing_the_summary_makes_an_item_a_partner_reads_and_the_next_one_says_what_moved(
        reflector, cast, agencies, exchange):
    from casebridge.sharing.models import AgreementRule

    AgreementRule.objects.create(version=exchange["version"], originator=agencies["cso"],
                                 recipient=agencies["probation"], category="programme_and_intervention",
                                 max_classification=0, consent_required=False)
    with transaction.atomic():
        first = summary.share_summary(actor=cast["clara"], reflector_id=reflector.pk, classification=0,
                                      purpose=PURPOSE)
    item = InformationItem.objects.get(pk=first.item_id)
    assert item.carrier == "record" and not item.orcon and item.category == "programme_and_intervention"
    assert "This is the first summary shared." in item.body
    from casebridge.items import services as items

    with transaction.atomic():
        assert items.get_item(actor=cast["petra"], item_id=item.pk, purpose=PURPOSE)  # under the agreement
    session(cast["clara"], reflector, {"home_environment": {"knowledge": "known", "valence": "resource"}})
    with transaction.atomic():
        services.change_goal(actor=cast["clara"], goal_id=reflector.goals.first().pk, status="reached",
                             purpose=PURPOSE)
        second = summary.share_summary(actor=cast["clara"], reflector_id=reflector.pk, classification=0,
                                       purpose=PURPOSE)
    body = InformationItem.objects.get(pk=second.item_id).body
    assert "Practical life: +1 resources." in body and "Goals reached since: 1." in body
    assert second.through_session == 3


def test_a_summary_is_brought_to_a_coming_conference_only_by_someone_taking_part(reflector, cast, case):
    from casebridge.conferences import services as conferences

    start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=7)
    with transaction.atomic():
        review = conferences.convene(actor=cast["petra"], case_id=case.pk, kind="review", starts_at=start,
                                     ends_at=start + dt.timedelta(hours=1), chair_id=cast["petra"].pk,
                                     participant_ids=[cast["clara"].pk], purpose=PURPOSE, place="Room 2")
    with transaction.atomic():
        summary.share_summary(actor=cast["clara"], reflector_id=reflector.pk, classification=0,
                              conference_id=review.pk, purpose=PURPOSE)
    entry = review.agenda.order_by("-position").first()
    assert entry.audience == "professionals" and "Open Door Exit Programme" in entry.text_item.title
    assert [i.title for i in entry.linked.all()] == ["Distancing process: non-personal summary"]
    # The heading is read as the summary is: the prison, which may not read the summary, does not learn of it.
    assert (entry.text_item.category, entry.text_item.classification) == ("programme_and_intervention", 0)
    from casebridge.conferences import viewing

    with transaction.atomic():
        for person, sees in (("ivo", False), ("clara", True)):
            agenda = viewing.read_conference(actor=cast[person], conference_id=review.pk, purpose=PURPOSE).agenda
            assert any(text.pk == entry.text_item_id for _e, text, _linked in agenda) is sees, person
    other = review.agenda.count()
    with transaction.atomic():
        review.participants.filter(practitioner=cast["clara"]).update(reply="declined")
    with pytest.raises(InvalidInput), transaction.atomic():
        summary.share_summary(actor=cast["clara"], reflector_id=reflector.pk, classification=0,
                              conference_id=review.pk, purpose=PURPOSE)
    assert review.agenda.count() == other
