"""Conference proposals: the moments of a case that call for one, proposed once, convened or
dismissed with a reason by those who manage the case."""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.audit.models import AuditEvent
from casebridge.cases import services as cases
from casebridge.conferences import proposals, triggers
from casebridge.conferences.models import Proposal, ProposalStatus, Trigger
from casebridge.conferences.tests.conftest import convene
from casebridge.conftest import PURPOSE
from casebridge.errors import Conflict, Forbidden
from casebridge.items import services as items

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def moments(**facts):
    base = dict(phase="custody", opened_on=TODAY - dt.timedelta(days=30), earliest_release=None, phase_changes=(),
                assessments=(), leave_decisions=(), last_conference=None)
    return {(m.trigger, m.key): m for m in triggers.moments(triggers.CaseMoments(**{**base, **facts}), TODAY,
                                                             release_weeks=8, review_days=182)}


@pytest.mark.parametrize("facts, expected, due", [
    (dict(phase_changes=((1, "trial", "custody", TODAY - dt.timedelta(days=3)),)),
     (Trigger.SENTENCING, "phase-change-1"), TODAY + dt.timedelta(days=25)),
    (dict(assessments=((7, TODAY - dt.timedelta(days=10)),)), (Trigger.RISK_ASSESSMENT, "item-7"),
     TODAY + dt.timedelta(days=18)),
    (dict(leave_decisions=((4, TODAY),)), (Trigger.TEMPORARY_RELEASE, "decision-4"), TODAY + dt.timedelta(days=14)),
    (dict(earliest_release=TODAY + dt.timedelta(weeks=7)), (Trigger.RELEASE_APPROACHING, "release-2026-07-20"),
     TODAY + dt.timedelta(weeks=7) - dt.timedelta(days=14)),
    (dict(phase="supervised_release", phase_changes=((2, "release_preparation", "supervised_release",
                                                      TODAY - dt.timedelta(days=85)),)),
     (Trigger.AFTER_RELEASE, "phase-change-2"), TODAY + dt.timedelta(days=6)),
    (dict(last_conference=TODAY - dt.timedelta(days=175)), (Trigger.PERIODIC_REVIEW, "review-2026-06-08"),
     dt.date(2026, 6, 8)),
])
def test_each_trigger_proposes_its_moment_with_a_date_to_hold_it_by(facts, expected, due):
    found = moments(**facts)
    assert expected in found and found[expected].due_on == due


@pytest.mark.parametrize("facts", [
    dict(phase_changes=((1, "trial", "custody", TODAY - dt.timedelta(days=200)),)),  # long ago
    dict(phase_changes=((1, "trial", "custody", TODAY - dt.timedelta(days=3)),),  # discussed since
         last_conference=TODAY - dt.timedelta(days=1)),
    dict(earliest_release=TODAY + dt.timedelta(weeks=9)),  # not yet within 8 weeks
    dict(earliest_release=TODAY + dt.timedelta(weeks=2), phase="supervised_release"),  # released already
    dict(phase="closed", assessments=((7, TODAY),)),
    dict(last_conference=TODAY - dt.timedelta(days=100)),  # review not due
])
def test_moments_that_do_not_call_for_a_conference_are_not_proposed(facts):
    assert not moments(**facts)


def test_entering_custody_from_sentencing_proposes_a_conference_to_the_coordinator_once(conferencing, cast, case):
    for phase in ("trial", "custody"):  # an appeal, then the final sentence
        with transaction.atomic():
            cases.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase=phase, effective_on=cases.today(),
                                   handover_note="Judgment.", purpose=PURPOSE)
    change = case.phase_changes.latest("pk")
    proposal = Proposal.objects.get(trigger=Trigger.SENTENCING)
    assert proposal.key == f"phase-change-{change.pk}" and proposal.kind == "review"
    with transaction.atomic():
        assert proposals.refresh(cases.load_case(case.pk, lock=True)) == []  # proposed once
    assert proposals.open_proposals(cast["ivo"]) == []  # Ivo does not manage the case
    assert proposal in proposals.open_proposals(cast["petra"])
    event = AuditEvent.objects.get(object_type="conferences.proposal", object_id=str(proposal.pk))
    assert event.actor_id is None and event.detail["trigger"] == "sentencing"  # proposed by Casebridge itself


def test_a_risk_assessment_the_coordinator_may_not_read_proposes_nothing(conferencing, cast, case):
    def assess(person, **marks):
        data = {"category": "risk_and_needs_assessment", "nature": "assessment", "title": "Assessment",
                "body": "Scores.", "fact_date": cases.today(), **marks}
        with transaction.atomic():
            return items.record_item(actor=person, case_id=case.pk, data=data, purpose=PURPOSE)

    hidden = assess(cast["omar"], classification=1, orcon=True)  # ORCON: Petra may not read it
    assert not Proposal.objects.filter(trigger=Trigger.RISK_ASSESSMENT).exists()
    shared = assess(cast["ivo"], classification=1)  # prison -> probation risk up to RESTRICTED
    keys = set(Proposal.objects.filter(trigger=Trigger.RISK_ASSESSMENT).values_list("key", flat=True))
    assert keys == {f"item-{shared.pk}"} and f"item-{hidden.pk}" not in keys


def _proposal(case):
    with transaction.atomic():
        return Proposal.objects.create(case=case, kind="review", trigger=Trigger.PERIODIC_REVIEW, key="review-x",
                                       moment=cases.today(), due_on=cases.today(), created_at=dt.datetime.now(dt.UTC))


def test_dismissing_a_proposal_needs_a_reason_recorded_as_an_item_and_is_audited(conferencing, cast, case):
    proposal = _proposal(case)
    with pytest.raises(Forbidden), transaction.atomic():
        proposals.dismiss(actor=cast["ivo"], proposal_id=proposal.pk, reason="Not needed", purpose=PURPOSE)
    with transaction.atomic():
        dismissed = proposals.dismiss(actor=cast["petra"], proposal_id=proposal.pk, reason="Reviewed last week",
                                      purpose=PURPOSE)
    assert dismissed.status == ProposalStatus.DISMISSED and dismissed.reason_item.body == "Reviewed last week"
    assert dismissed.reason_item.carrier == "conference_note"
    event = AuditEvent.objects.filter(object_type="conferences.proposal", object_id=str(proposal.pk)).latest("seq")
    assert event.detail["status"] == "dismissed" and "Reviewed" not in str(event.detail)
    with pytest.raises(Conflict), transaction.atomic():
        proposals.dismiss(actor=cast["petra"], proposal_id=proposal.pk, reason="Again", purpose=PURPOSE)


def test_convening_from_a_proposal_marks_it_convened_and_a_dismissed_one_cannot_be_convened(conferencing, cast,
                                                                                           case):
    proposal = _proposal(case)
    convene(cast["petra"], case, proposal_id=proposal.pk)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.CONVENED
    with pytest.raises(Conflict):
        convene(cast["petra"], case, proposal_id=proposal.pk)


def test_the_daily_command_proposes_a_release_planning_conference_eight_weeks_ahead(conferencing, cast, case,
                                                                                     capsys):
    from casebridge import cli

    # The case's earliest release is 10 Jan 2027: on 20 Nov 2026 it is seven weeks ahead.
    Proposal.objects.all().delete()  # those the fixtures' risk assessments proposed as of today
    assert cli.main(["conferences", "propose", "--date", "2026-11-20", "--quiet"]) == 0
    proposal = Proposal.objects.get(case=case, trigger=Trigger.RELEASE_APPROACHING)
    assert proposal.kind == "release_planning" and proposal.due_on == dt.date(2026, 12, 27)
    made = Proposal.objects.count()
    assert f"{made} conference(s) proposed on 1 open case(s), as of 2026-11-20." in capsys.readouterr().out
    assert cli.main(["conferences", "propose", "--date", "2026-11-20", "--quiet"]) == 0
    assert Proposal.objects.filter(case=case, trigger=Trigger.RELEASE_APPROACHING).count() == 1


def test_the_command_refuses_a_bad_date_with_one_line(capsys, db):
    from casebridge import cli

    assert cli.main(["conferences", "propose", "--date", "20th of May"]) != 0
    assert capsys.readouterr().err.strip() == "casebridge: --date '20th of May' is not a date (YYYY-MM-DD)"


def test_a_conference_the_team_knows_of_answers_the_periodic_review_a_confidential_one_does_not(
        conferencing, cast, case):
    review = Proposal.objects.create(case=case, kind="review", trigger=Trigger.PERIODIC_REVIEW, key="review-y",
                                     moment=cases.today(), due_on=cases.today(), created_at=dt.datetime.now(dt.UTC))
    release = Proposal.objects.create(case=case, kind="release_planning", trigger=Trigger.RELEASE_APPROACHING,
                                      key="release-y", moment=cases.today(), due_on=cases.today(),
                                      created_at=dt.datetime.now(dt.UTC))
    convene(cast["omar"], case, kind="security")  # the coordinator must not learn of it from her proposals
    assert Proposal.objects.get(pk=review.pk).status == ProposalStatus.OPEN
    convene(cast["petra"], case, kind="release_planning")
    assert Proposal.objects.get(pk=review.pk).status == ProposalStatus.CONVENED
    assert Proposal.objects.get(pk=release.pk).status == ProposalStatus.OPEN  # convened only from the proposal
