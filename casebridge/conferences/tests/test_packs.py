"""Briefing packs: each participant's own, exactly what the sharing rule lets them read for the
purpose case conference, and never kept: a withdrawal or an ended membership changes the next pack."""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.audit.models import AuditEvent, ItemRead
from casebridge.cases import membership
from casebridge.conferences import kinds, packs, services
from casebridge.conferences.tests.conftest import convene
from casebridge.conftest import PURPOSE
from casebridge.errors import Forbidden, NotVisible
from casebridge.items import services as items

pytestmark = pytest.mark.django_db


def record(person, category, title, **marks):
    data = {"category": category, "nature": "fact", "title": title, "body": f"{title}: for the conference.",
            "fact_date": dt.date.today(), **marks}
    with transaction.atomic():
        return items.record_item(actor=person, case_id=case_of(person), data=data, purpose=PURPOSE)


def case_of(person):
    return person.assignments.filter(released_at__isnull=True).values_list("case_id", flat=True).first()


@pytest.fixture
def recent(conferencing, cast):
    """Items recorded this week, one of each kind the packs must tell apart."""
    return {
        "police_intel": record(cast["omar"], "intelligence", "Contact with a recruiter", classification=2,
                               intelligence=True),
        "prison_behaviour": record(cast["ivo"], "custody_behaviour_and_security", "Quiet week", classification=1),
        "programme": record(cast["petra"], "programme_and_intervention", "Mentor matched", classification=0),
        "health": record(cast["ivo"], "health_and_mental_health", "Sleep clinic referral"),
    }


@pytest.fixture
def conference(conferencing, cast, case, recent):
    made = convene(cast["petra"], case, participants=[cast["ivo"], cast["omar"], cast["clara"]])
    with transaction.atomic():
        services.add_agenda_item(actor=cast["petra"], conference_id=made.pk, heading="Mentoring", audience="everyone",
                                 purpose=PURPOSE, linked_item_ids=[recent["programme"].pk], classification=0)
    return made


def titles(pack):
    return {item.title for item, _basis in pack.items()}


def pack_of(person, conference):
    with transaction.atomic():
        return packs.briefing_pack(actor=person, conference_id=conference.pk)


# Who finds which recent item in their pack, as the rule says (agreement of `exchange`, + case conference):
#   police intelligence: police only (no rule shares intelligence);
#   prison custody behaviour: prison, and probation (prison -> probation up to RESTRICTED);
#   probation programme: probation, and the CSO (consent for case conferences on record);
#   prison health: prison only.
PACK_TABLE = [
    ("omar", {"Contact with a recruiter"}, {"Quiet week", "Mentor matched", "Sleep clinic referral"}),
    ("ivo", {"Quiet week", "Sleep clinic referral"}, {"Contact with a recruiter", "Mentor matched"}),
    ("petra", {"Quiet week", "Mentor matched"}, {"Contact with a recruiter", "Sleep clinic referral"}),
    ("clara", {"Mentor matched"}, {"Contact with a recruiter", "Quiet week", "Sleep clinic referral"}),
]


@pytest.mark.parametrize("person, present, absent", PACK_TABLE)
def test_each_participants_pack_holds_exactly_what_the_rule_lets_them_read(cast, conference, person, present,
                                                                            absent):
    pack = pack_of(cast[person], conference)
    assert present <= titles(pack) and not (absent & titles(pack))
    assert all(basis for _item, basis in pack.items())  # each with the reason it may be read


def test_two_participants_packs_differ_the_police_liaisons_intelligence_never_in_the_exit_workers(cast, conference):
    police, exit_worker = pack_of(cast["omar"], conference), pack_of(cast["clara"], conference)
    assert "Contact with a recruiter" in titles(police) and "Contact with a recruiter" not in titles(exit_worker)
    assert not any(item.intelligence for item, _b in exit_worker.items())


def test_the_agenda_item_for_everyone_and_its_linked_item_reach_the_exit_worker(cast, conference):
    pack = pack_of(cast["clara"], conference)
    mentoring = [p for p in pack.agenda if p.text.title == "Mentoring"]
    assert mentoring and [item.title for item, _b in mentoring[0].linked] == ["Mentor matched"]
    # The default agenda is for everyone, so OPEN: the CSO receives conference records up to OPEN.
    assert [p.text.title for p in pack.agenda] == [*(str(t.heading) for t in kinds.kind("review").agenda), "Mentoring"]


def test_a_professionals_only_agenda_item_is_not_in_a_pack_the_audience_excludes(cast, conference):
    with transaction.atomic():
        services.add_agenda_item(actor=cast["petra"], conference_id=conference.pk, heading="Threat review",
                                 audience="cleared", purpose=PURPOSE, classification=1)
    assert "Threat review" not in {p.text.title for p in pack_of(cast["ivo"], conference).agenda}  # clearance 1
    assert "Threat review" in {p.text.title for p in pack_of(cast["petra"], conference).agenda}  # clearance 2


def test_withdrawing_the_consent_removes_the_programme_item_from_the_next_pack(cast, case, conference, conferencing):
    from casebridge.sharing import services as sharing

    assert "Mentor matched" in titles(pack_of(cast["clara"], conference))
    with transaction.atomic():
        sharing.withdraw_consent(actor=cast["petra"], case_id=case.pk, consent_id=conferencing["conference_consent"].pk,
                                 note="Client withdrew", purpose=PURPOSE)
    assert "Mentor matched" not in titles(pack_of(cast["clara"], conference))


def test_ending_a_membership_ends_the_pack_the_conference_is_no_longer_known(cast, case, conference, agencies):
    member = case.memberships.get(agency=agencies["cso"])
    with transaction.atomic():
        membership.end_membership(actor=cast["petra"], case_id=case.pk, membership_id=member.pk,
                                  reason="Programme completed", purpose=PURPOSE, ends_on=dt.date.today())
    with pytest.raises(NotVisible):
        pack_of(cast["clara"], conference)


def test_a_pack_is_only_for_its_participant(cast, case, conference):
    with transaction.atomic():
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["nora"].pk,
                                  purpose=PURPOSE)
    with pytest.raises(Forbidden):  # Nora knows of the conference (the team does) but is not invited
        pack_of(cast["nora"], conference)
    with pytest.raises(NotVisible):  # Xavier is not on the case
        pack_of(cast["xavier"], conference)


def test_every_pack_produced_is_audited_with_the_items_it_contained(cast, conference):
    pack = pack_of(cast["ivo"], conference)
    event = AuditEvent.objects.filter(actor_id=cast["ivo"].pk, object_type="conferences.conference",
                                      object_id=str(conference.pk)).latest("seq")
    assert event.operation == "read" and event.purpose == "case_conference" and event.detail["briefing_pack"]
    assert set(event.detail["items"]) == {str(item.pk) for item, _b in pack.items()}
    assert set(ItemRead.objects.filter(event_id=event.seq).values_list("item_id", flat=True)) == \
        {item.pk for item, _b in pack.items()}


def test_the_pack_lists_the_open_actions_its_reader_may_read(cast, conference):
    from casebridge.conferences import actions

    with transaction.atomic():
        shared = actions.set_action(actor=cast["petra"], conference_id=conference.pk, text="Plan the family meeting",
                                    owner_id=cast["clara"].pk, due_on=dt.date.today(), purpose=PURPOSE,
                                    classification=0)
        actions.set_action(actor=cast["petra"], conference_id=conference.pk, text="Check the release address",
                           owner_id=cast["ivo"].pk, due_on=dt.date.today(), purpose=PURPOSE)  # RESTRICTED
    clara = pack_of(cast["clara"], conference)
    assert [a.text.body for a in clara.actions] == ["Plan the family meeting"]
    assert shared.text_item_id in {item.pk for item, _b in clara.items()}
    assert {a.text.body for a in pack_of(cast["ivo"], conference).actions} == {"Plan the family meeting",
                                                                              "Check the release address"}
