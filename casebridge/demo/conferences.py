"""The conferences of the demo world, played through the real services after the walk.

On the cases where the personas work together: a review held five weeks ago (attendance, approved
minutes with a decision, actions,
one done, one overdue, one open), its follow-up next week with replies (its first agenda item
reviews the open actions), a security conference the police liaison convenes (confidential: the exit
worker never sees it), a social-network conference the exit worker convenes with the client's consent
(the client and a family member attend), a cancelled one, and the proposals the daily command makes
(`casebridge conferences propose`). A conference held in the past is convened for next week and then
dated back: the world is built in one moment, as if over months.
"""

from datetime import timedelta

from django.utils import timezone

from casebridge.cases import services as cases
from casebridge.cases.models import Case, Phase
from casebridge.demo import assessments
from casebridge.demo import network as support_network
from casebridge.demo import reflectors
from casebridge.conferences import actions, minutes, proposals, running, services
from casebridge.conferences.models import Action, Conference
from casebridge.policy import Perm
from casebridge.sharing import services as sharing
from casebridge.vocabulary import Purpose

WORK = Purpose.CASE_MANAGEMENT
TEAM = ("ivo", "omar", "clara")


def _at(days: int, hour: int = 10):
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return start, start + timedelta(hours=2)


def _shared_cases(people) -> list[Case]:
    """Petra's cases in custody or release preparation with Ivo, Omar and Clara all able to see them."""
    found = []
    for case in Case.objects.filter(coordinator=people["petra"], phase__in=[Phase.CUSTODY, Phase.RELEASE_PREPARATION]
                                    ).order_by("pk"):
        loaded = cases.load_case(case.pk)
        if all(cases.allows(people[name], Perm.CASE_VIEW, loaded) for name in TEAM):
            found.append(loaded)
    return found


def _convene(person, case, kind, days, participants, **extra):
    start, end = _at(days, extra.pop("hour", 10))
    return services.convene(actor=person, case_id=case.pk, kind=kind, starts_at=start, ends_at=end,
                            chair_id=extra.pop("chair", person).pk, participant_ids=[p.pk for p in participants],
                            purpose=WORK, place=extra.pop("place", "Westmark Probation, meeting room 2"), **extra)


def _date_back(conference, days: int) -> None:
    shift = timedelta(days=days)
    Conference.objects.filter(pk=conference.pk).update(starts_at=conference.starts_at - shift,
                                                       ends_at=conference.ends_at - shift)
    conference.refresh_from_db()


def build(people) -> int:
    """Play the conferences; returns how many were convened."""
    shared = _shared_cases(people)
    if not shared:
        return 0
    petra, ivo, omar, clara = (people[n] for n in ("petra", "ivo", "omar", "clara"))
    case = shared[0]
    assessments.build(people, case)  # three instruments by three agencies, for the side-by-side view
    support_network.build(people, shared[:2])  # support-network maps by four agencies, one tie for the police only
    reflectors.build(people, shared[:2])  # the exit programme's distancing work with two clients
    held = _convene(petra, case, "review", 7, [ivo, omar, clara])
    services.add_agenda_item(actor=petra, conference_id=held.pk, heading="Education and work in custody",
                             notes="Course options for the coming term.", audience="everyone", purpose=WORK,
                             classification=0)
    _date_back(held, 42)
    running.record_attendance(actor=petra, conference_id=held.pk, purpose=WORK, attendance={
        p.pk: "apologies" if p.practitioner_id == omar.pk else "present" for p in held.participants.all()})
    minutes.record_minutes(
        actor=petra, conference_id=held.pk, purpose=WORK,
        notes="Prison: calm on the wing, course attendance regular. Exit programme: weekly sessions, family "
              "contact restored with the mother. Police: nothing new to report.",
        summary="The team reviewed the progress in custody and agreed the next steps towards release planning.",
        decisions=[{"decision": "Prepare release planning from January.",
                    "rationale": "Earliest release in January; housing and work take three months to arrange.",
                    "options": "Wait for the next risk assessment; start now.",
                    "dissent": "Police would rather wait for the next risk assessment."}])
    minutes.approve_minutes(actor=petra, conference_id=held.pk, number=1, purpose=WORK)
    due = cases.today() + timedelta(days=14)
    done = actions.set_action(actor=petra, conference_id=held.pk, text="Enrol the client in the vocational course.",
                              owner_id=ivo.pk, due_on=due, purpose=WORK)
    actions.update_action(actor=ivo, action_id=done.pk, status="done", note="Enrolled; classes start Monday.",
                          purpose=WORK)
    late = actions.set_action(actor=petra, conference_id=held.pk, text="Plan a first family meeting with the "
                              "mentor.", owner_id=clara.pk, due_on=due, purpose=WORK, classification=0)
    Action.objects.filter(pk=late.pk).update(due_on=cases.today() - timedelta(days=6))  # the weeks went by
    actions.set_action(actor=petra, conference_id=held.pk, text="Ask the housing office about a first address.",
                       owner_id=petra.pk, due_on=cases.today() + timedelta(days=9), purpose=WORK)
    follow_up = _convene(petra, case, "review", 8, [ivo, omar, clara], follows_id=held.pk)
    services.reply(actor=ivo, conference_id=follow_up.pk, answer="accepted", purpose=WORK)
    services.reply(actor=omar, conference_id=follow_up.pk, answer="declined", purpose=WORK)
    security = _convene(omar, case, "security", 4, [petra, ivo], place="Westmark Police, secure room B")
    services.add_agenda_item(actor=omar, conference_id=security.pk, heading="Contacts since the last review",
                             audience="cleared", purpose=WORK, classification=2)
    made = 3
    if len(shared) > 1:
        other = shared[1]
        # Recorded by the exit programme, which shares the family's names with probation under it.
        sharing.give_consent(actor=clara, case_id=other.pk, purpose=WORK, data={
            "recipient_agency": petra.agency_id, "categories": ["family_and_social_network"],
            "purpose": Purpose.CASE_CONFERENCE, "evidence": "Agreed in the prison interview; signed form SN-1.",
            "given_on": cases.today() - timedelta(days=10)})
        network = _convene(clara, other, "social_network", 12, [petra, ivo], chair=clara,
                           place="Open Door, Station Street 4", attendees=[
                               {"name": other.client.full_name, "relation": "client"},
                               {"name": f"Nadia {other.client.family_name}", "relation": "family"}])
        services.reply(actor=petra, conference_id=network.pk, answer="accepted", purpose=WORK)
        cancelled = _convene(petra, other, "release_planning", 20, [ivo, clara])
        running.cancel(actor=petra, conference_id=cancelled.pk, purpose=WORK)
        made += 2
    for loaded in Case.objects.exclude(phase=Phase.CLOSED).order_by("pk"):
        proposals.refresh(cases.load_case(loaded.pk, lock=True))
    return made
