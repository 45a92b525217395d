"""CaseReflectors of the demo world: the exit programme's distancing work with two clients, session by
session, with goals agreed with them and a non-personal summary shared with the team (recorded through
the real services, audited). Sessions and goals stay with the exit programme (ORCON)."""

from datetime import timedelta

from casebridge.cases import services as cases
from casebridge.reflector import services, summary
from casebridge.vocabulary import Purpose

WORK = Purpose.CASE_MANAGEMENT

K, S, U = "known", "suspected", "unknown"
RES, NEU, CHA = "resource", "neutral", "challenge"

FIRST = [  # (days ago, note, {factor: (knowledge, valence, priority, note)})
    (84, "First meeting in the visiting room. Wary, but came back to the family several times.", {
        "family_of_origin": (K, CHA, 3, "Mother visits; father cut contact."),
        "motivation_to_leave": (S, NEU, 3, "Says he is tired of the group."),
        "scene_contact": (K, CHA, 3, "Two former contacts on the same wing."),
        "employment": (U, NEU, 1, ""), "beliefs_values": (S, CHA, 2, "")}),
    (56, "Talked about the course and what a day outside would look like.", {
        "education_training": (K, RES, 2, "Enrolled in the kitchen course."),
        "motivation_to_leave": (K, RES, 3, "Names the day he decided to stop."),
        "reflectivity": (S, RES, 1, "")}),
    (28, "Family session prepared; sister agreed to take part.", {
        "family_of_origin": (K, RES, 2, "Sister back in contact; mother steady."),
        "home_environment": (S, NEU, 2, "Where to live after release is open."),
        "online_life": (S, CHA, 2, "")}),
    (7, "Looked back at three months. Fewer contacts with the old group on the wing.", {
        "scene_contact": (K, NEU, 2, "Moved to another wing."), "wellbeing": (K, RES, 1, ""),
        "beliefs_values": (K, NEU, 2, "Questions the group's reading of events.")}),
]
SECOND = [
    (60, "Introductory session after referral by probation.", {
        "friends": (K, CHA, 2, "Friends mostly from the scene."), "financial_situation": (K, CHA, 2, "Debts."),
        "motivation_to_leave": (S, NEU, 2, ""), "stigmatisation": (S, CHA, 1, "")}),
    (30, "Budget plan made with the debt counsellor.", {
        "financial_situation": (K, NEU, 2, "Repayment plan agreed."), "leisure": (K, RES, 1, "Football again."),
        "support_services": (K, RES, 1, "")}),
    (10, "Talked about a job interview and how to answer questions about prison.", {
        "employment": (S, RES, 3, "Interview at a warehouse."), "stigmatisation": (K, CHA, 2, "")}),
]
GOALS = [  # (plan index, text, factor, status)
    (0, "Finish the kitchen course before release.", "education_training", "in_progress"),
    (0, "A family day with mother and sister in the visiting room.", "family_of_origin", "reached"),
    (0, "Ask for a move away from the former contacts.", "scene_contact", "reached"),
    (1, "Keep to the repayment plan for three months.", "financial_situation", "in_progress"),
    (1, "Go to football practice every week.", "leisure", "open"),
]


def _sessions(person, reflector, plan) -> None:
    today = cases.today()
    for days, note, ratings in plan:
        services.record_session(
            actor=person, reflector_id=reflector.pk, held_on=today - timedelta(days=days), note=note, purpose=WORK,
            ratings={code: {"knowledge": k, "valence": v, "priority": p, "note": n}
                     for code, (k, v, p, n) in ratings.items()})


def build(people, shared_cases) -> int:
    """Two reflectors of the exit programme (Clara) on the first two shared cases; returns how many."""
    clara = people["clara"]
    made = []
    for case, plan in zip(shared_cases[:2], (FIRST, SECOND)):
        reflector = services.start_reflector(actor=clara, case_id=case.pk, purpose=WORK)
        _sessions(clara, reflector, plan)
        made.append(reflector)
    for index, text, factor, status in GOALS:
        if index >= len(made):
            continue
        goal = services.set_goal(actor=clara, reflector_id=made[index].pk, text=text, factor=factor,
                                 agreed_on=cases.today() - timedelta(days=40), purpose=WORK)
        if status != "open":
            services.change_goal(actor=clara, goal_id=goal.pk, status=status, purpose=WORK)
    if made:
        summary.share_summary(actor=clara, reflector_id=made[0].pk, classification=0, purpose=WORK)
    return len(made)
