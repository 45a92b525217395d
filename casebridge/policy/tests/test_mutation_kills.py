"""Rule conditions of the policy that only mutation testing showed untested (docs/testing.md,
"Mutation testing"): each test here kills mutants that survived the policy's scenario tests.
Every filter is checked against its single-record decision, row by row."""

import datetime as dt
from types import SimpleNamespace

import pytest

from casebridge import policy
from casebridge.errors import NotVisible
from casebridge.policy import admin
from casebridge.policy.core import Perm
from casebridge.vocabulary import Role


def person(pk, role="practitioner", agency=1, active=True, service=False, clearance=3):
    return SimpleNamespace(pk=pk, id=pk, role=role, agency_id=agency, is_active=active, is_service_account=service,
                           clearance=clearance)


ADAM = person(1, "agency_admin")            # administers agency 1
SAM = person(2, "system_admin", agency=2)   # system administrator, works at agency 2
NORA = person(3)                            # a practitioner of agency 1
IDLE = person(7, "agency_admin", active=False)


@pytest.mark.parametrize("actor, service_account, expected", [
    (SAM, False, set(Role.values)),
    (SAM, True, {Role.PRACTITIONER, Role.COORDINATOR}),
    (ADAM, False, set(Role.values) - {Role.DPO, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN}),
    (ADAM, True, {Role.PRACTITIONER, Role.COORDINATOR}),
])
def test_the_forms_offer_exactly_the_roles_the_administrator_may_give(actor, service_account, expected):
    assert set(admin.assignable_roles(actor, service_account=service_account)) == expected


@pytest.mark.parametrize("ceiling, levels, expected", [
    (None, 4, [0, 1, 2, 3]),  # no ceiling: up to the deployment's highest level
    (1, 4, [0, 1]),
    (0, 4, [0]),
    (9, 4, [0, 1, 2, 3]),     # a ceiling above the highest level is the highest level
])
def test_the_forms_offer_clearances_from_zero_up_to_the_agency_s_ceiling(ceiling, levels, expected):
    assert list(admin.assignable_clearances(ceiling, levels)) == expected


@pytest.mark.parametrize("actor, agency_id, allowed", [
    (ADAM, 1, True), (ADAM, 2, False), (SAM, 1, True), (NORA, 1, False), (IDLE, 1, False)])
def test_require_administer_raises_a_404_exactly_when_the_decision_refuses(actor, agency_id, allowed):
    if allowed:
        assert admin.require_administer(actor, Perm.PRACTITIONER_MANAGE, agency_id)
    else:
        with pytest.raises(NotVisible):
            admin.require_administer(actor, Perm.PRACTITIONER_MANAGE, agency_id)


@pytest.mark.parametrize("actor, owner_id, agency_id, allowed", [
    (NORA, 3, 1, True), (NORA, 1, 1, False), (ADAM, 3, 1, True), (ADAM, 9, 2, False), (SAM, 9, 1, True),
    (person(3, active=False), 3, 1, False)])
def test_require_revoke_token_raises_a_404_exactly_when_the_decision_refuses(actor, owner_id, agency_id, allowed):
    if allowed:
        assert admin.require_revoke_token(actor, owner_id=owner_id, agency_id=agency_id)
    else:
        with pytest.raises(NotVisible):
            admin.require_revoke_token(actor, owner_id=owner_id, agency_id=agency_id)


@pytest.mark.parametrize("who", ["adam", "sam", "nora", "petra", "dora"])
def test_the_administered_filter_selects_exactly_the_practitioners_the_decision_allows(cast, who):
    from casebridge.agencies.models import Practitioner

    actor = cast[who]
    listed = {perm: set(Practitioner.objects.filter(admin.administered(actor, perm)).values_list("pk", flat=True))
              for perm in (Perm.PRACTITIONER_MANAGE, Perm.AGENCY_VIEW)}
    decided = {perm: {p.pk for p in Practitioner.objects.all() if admin.decide_administer(actor, perm, p.agency_id)}
               for perm in listed}
    assert listed == decided
    assert listed[Perm.AGENCY_VIEW]  # everyone sees their own agency's people at least
    assert bool(listed[Perm.PRACTITIONER_MANAGE]) == (who in ("adam", "sam"))


@pytest.mark.parametrize("who", ["adam", "sam", "nora", "omar", "dora"])
def test_the_revocable_tokens_filter_selects_exactly_the_tokens_the_decision_allows(cast, who):
    import datetime as dt

    from casebridge.accounts.models import ApiToken

    expires = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    for n, owner in enumerate(("nora", "omar", "adam", "ivo")):
        ApiToken.objects.create(name="system", practitioner=cast[owner], agency_id=cast[owner].agency_id,
                                key_id=f"{n:016d}", secret_hash="0" * 64, created_by=cast[owner],
                                expires_at=expires)
    actor = cast[who]
    listed = set(ApiToken.objects.filter(admin.revocable_tokens(actor)).values_list("pk", flat=True))
    decided = {t.pk for t in ApiToken.objects.all()
               if admin.decide_revoke_token(actor, owner_id=t.practitioner_id, agency_id=t.agency_id)}
    assert listed == decided
    assert listed or who == "dora"  # each but the DPO holds or administers one of them


def test_an_inactive_account_revokes_no_token_even_its_own(cast):
    from casebridge.accounts.models import ApiToken

    import datetime as dt
    nora = cast["nora"]
    ApiToken.objects.create(name="system", practitioner=nora, agency_id=nora.agency_id, key_id="0" * 16,
                            secret_hash="0" * 64, created_by=nora,
                            expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    nora.is_active = False
    assert not ApiToken.objects.filter(admin.revocable_tokens(nora)).exists()
    assert not admin.decide_revoke_token(nora, owner_id=nora.pk, agency_id=nora.agency_id)


# --- Discreet memberships: the listing filter against the decision on a fixed world ------------------

def _member(agency, core=False, discreet=False, starts=-10, ends=None):
    from casebridge.policy.tests.test_listing_property import PHASES, TODAY
    day = TODAY + dt.timedelta(days=starts)
    return {"agency": agency, "starts_on": day, "phases": frozenset(PHASES), "core": core, "discreet": discreet,
            "ends_on": None if ends is None else TODAY + dt.timedelta(days=ends)}


def _listing_world():
    from casebridge.policy.tests.test_listing_property import PHASES
    people = [(0, Role.COORDINATOR, True), (1, Role.PRACTITIONER, True), (2, Role.PRACTITIONER, True),
              (3, Role.PRACTITIONER, True), (2, Role.COORDINATOR, True), (0, Role.PRACTITIONER, False),
              (1, Role.PRACTITIONER, True)]
    return {"people": people, "cases": [
        # Agency 3 is discreet; agency 1 is core; agency 2 is on request, its core membership has
        # ended and another has not started yet; p5 is inactive and p6 released from the team.
        {"phase": PHASES[0], "lead": 0, "coordinator": 0, "team": {0: False, 1: False, 2: False, 3: False,
                                                                   5: False, 6: True},
         "memberships": [_member(0, core=True), _member(1, core=True), _member(2), _member(2, core=True, ends=-1),
                         _member(2, core=True, starts=1), _member(3, discreet=True)]},
        # The coordinator works for agency 2, an on-request member: its agency sees the discreet one.
        {"phase": PHASES[0], "lead": 1, "coordinator": 4, "team": {1: False, 4: False, 0: False, 3: False},
         "memberships": [_member(1, core=True), _member(2), _member(0), _member(3, discreet=True)]},
        # Agency 3 is not discreet here: listed to everyone on the case.
        {"phase": PHASES[0], "lead": 0, "coordinator": 0, "team": {0: False, 1: False, 3: False},
         "memberships": [_member(0, core=True), _member(1), _member(3)]},
    ]}


def test_the_listing_filter_agrees_with_the_decision_on_a_world_built_to_tell_each_condition_apart(db, monkeypatch):
    from casebridge.policy.tests import test_listing_property
    from casebridge.policy.tests.test_listing_property import _answers, _build

    monkeypatch.setattr(test_listing_property, "event", lambda label: None)  # a Hypothesis statistic
    _build(_listing_world())
    answers = _answers()
    assert [row for row in answers if row[1] != row[2]] == []
    allowed = {label for label, by_rule, _ in answers if by_rule}
    assert len(allowed) > 10 and len(allowed) < len(answers)  # the world lists and hides


# --- Subject access: the decision against the filter, item by item, as releases arrive ---------------

def test_the_subject_access_decision_includes_exactly_what_the_filter_lists_as_releases_arrive(exchange, cast):
    from casebridge.conftest import PURPOSE
    from casebridge.dataprotection.models import SubjectAccessRelease
    from casebridge.items import services as items
    from casebridge.items.models import InformationItem

    def answers(who):
        listed = set(InformationItem.objects.filter(policy.subject_access_items(cast[who], items.today()))
                     .values_list("title", flat=True))
        decided = {i.title for i in InformationItem.objects.all()
                   if items.decide(cast[who], Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS, i, PURPOSE)}
        return listed, decided

    listed, decided = answers("dora")
    assert listed == decided == {"Mentoring sessions started"}  # probation's own; nothing released yet
    SubjectAccessRelease.objects.create(item=exchange["behaviour"], released_by=cast["ivo"],
                                        released_at=dt.datetime.now(dt.timezone.utc))
    listed, decided = answers("dora")
    assert listed == decided == {"Mentoring sessions started", "Calm on the wing"}  # received and released
    assert answers("nora") == (set(), set())  # a practitioner compiles no subject access


# --- Administrative authority: inactive accounts and the lowest clearance ------------------------------

def test_an_inactive_administrator_issues_no_token_for_an_active_service_account():
    sync = person(6, service=True)
    assert not admin.decide_issue_token(IDLE, sync, second_factor=True)
    assert not admin.decide_issue_token(person(1, "agency_admin"), person(6, service=True, active=False),
                                        second_factor=True)


def test_an_inactive_administrator_resumes_no_agreement_even_one_their_agency_suspended():
    assert admin.decide_resume(ADAM, suspended_by_agency_id=1)
    assert not admin.decide_resume(IDLE, suspended_by_agency_id=1)


@pytest.mark.parametrize("clearance, allowed", [(-1, False), (0, True), (1, True), (2, False)])
def test_the_lowest_clearance_is_zero_and_the_highest_the_ceiling(clearance, allowed):
    decision = admin.decide_clearance(ADAM, NORA, clearance, agency_ceiling=1, levels=4)
    assert bool(decision) is allowed or clearance == NORA.clearance
