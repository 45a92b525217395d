"""Parties acting on one agreement at the same moment: the last two signatures put it in force,
two suspensions suspend it once, a withdrawal and a signature do not both happen.

The writers run at once on their own connections (casebridge.tests.concurrency), each having
read the agreement before either writes.
"""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.conftest import PURPOSE
from casebridge.errors import InvalidInput
from casebridge.sharing import agreements
from casebridge.sharing.models import AgreementParty, AgreementStatus, AgreementVersion
from casebridge.tests.concurrency import Race, refused, succeeded

pytestmark = pytest.mark.django_db(transaction=True)


class _PausingClock:
    """The agreements module's clock, pausing a racing writer when it first asks the time (after it
    has read the version and checked its status, before it writes)."""

    def __init__(self, race, clock):
        self.now = race.pausing(clock.now)


@pytest.fixture
def draft(cast, agencies):
    """A draft between the probation service and the police, drafted by Adam; nobody has signed."""
    a = agencies
    with transaction.atomic():
        return agreements.draft_agreement(actor=cast["adam"], purpose=PURPOSE, data={
            "title": "Westmark risk exchange", "legal_basis": "Regional protocol 2026/1",
            "parties": [a["probation"].pk, a["police"].pk], "purposes": ["risk_assessment"],
            "valid_from": dt.date(2026, 1, 1), "valid_to": None,
            "rules": [{"originator": a["police"].pk, "recipient": a["probation"].pk,
                       "categories": ["risk_and_needs_assessment"], "max_classification": 1}]})


def _sign(actor, version):
    return lambda: agreements.sign_agreement(actor=actor, version_id=version.pk, purpose=PURPOSE)


def test_the_last_two_parties_signing_at_the_same_moment_put_the_agreement_in_force(draft, cast, monkeypatch):
    race = Race()
    # Each signs for its party, then looks whether every party has signed.
    monkeypatch.setattr(AgreementParty, "save", race.pausing(AgreementParty.save, after=True))
    outcomes = race.run(_sign(cast["adam"], draft), _sign(cast["sam"], draft))
    assert len(succeeded(outcomes)) == 2
    stored = AgreementVersion.objects.get(pk=draft.pk)
    assert stored.status == AgreementStatus.ACTIVE
    assert all(p.signed_at is not None for p in stored.parties.all())


@pytest.fixture
def in_force(draft, cast):
    for signer in ("adam", "sam"):
        with transaction.atomic():
            agreements.sign_agreement(actor=cast[signer], version_id=draft.pk, purpose=PURPOSE)
    return draft


def test_two_parties_suspending_at_the_same_moment_suspend_it_once_for_the_first(in_force, cast, monkeypatch):
    race = Race()
    monkeypatch.setattr(agreements, "text", race.pausing(agreements.text))

    def suspend(actor):
        return lambda: agreements.set_suspended(actor=cast[actor], version_id=in_force.pk, suspended=True,
                                                reason="Data breach under review.", purpose=PURPOSE)

    outcomes = race.run(suspend("adam"), suspend("sam"))
    [done] = succeeded(outcomes)
    [clash] = refused(outcomes, InvalidInput)
    assert "can be suspended" in clash.message
    stored = AgreementVersion.objects.get(pk=in_force.pk)
    assert stored.status == AgreementStatus.SUSPENDED and stored.suspended_by_agency_id == done.suspended_by_agency_id


def test_a_withdrawal_and_the_last_signature_at_the_same_moment_do_not_both_happen(draft, cast, monkeypatch):
    with transaction.atomic():
        agreements.sign_agreement(actor=cast["adam"], version_id=draft.pk, purpose=PURPOSE)
    race = Race()
    monkeypatch.setattr(agreements, "timezone", _PausingClock(race, agreements.timezone))

    def withdraw():
        return agreements.withdraw_draft(actor=cast["adam"], version_id=draft.pk, purpose=PURPOSE)

    outcomes = race.run(withdraw, _sign(cast["sam"], draft))
    assert len(succeeded(outcomes)) == 1 and len(refused(outcomes, InvalidInput)) == 1
    stored = AgreementVersion.objects.get(pk=draft.pk)
    signed = all(p.signed_at is not None for p in stored.parties.all())
    assert (stored.status, signed) in {(AgreementStatus.WITHDRAWN, False), (AgreementStatus.ACTIVE, True)}


def test_two_amendments_at_the_same_moment_draft_one_new_version(in_force, cast, agencies, monkeypatch):
    race = Race()
    monkeypatch.setattr(agreements, "_terms", race.pausing(agreements._terms))
    a = agencies
    terms = {"legal_basis": "Regional protocol 2026/2", "parties": [a["probation"].pk, a["police"].pk],
             "purposes": ["risk_assessment"], "valid_from": dt.date(2026, 6, 1), "valid_to": None,
             "rules": [{"originator": a["police"].pk, "recipient": a["probation"].pk,
                        "categories": ["risk_and_needs_assessment"], "max_classification": 1}]}

    def amend(actor):
        return lambda: agreements.amend_agreement(actor=cast[actor], agreement_id=in_force.agreement_id, data=terms,
                                                  purpose=PURPOSE)

    outcomes = race.run(amend("adam"), amend("sam"))
    assert len(succeeded(outcomes)) == 1
    [clash] = refused(outcomes, InvalidInput)
    assert "already waiting for sign-off" in clash.message
    assert AgreementVersion.objects.filter(agreement_id=in_force.agreement_id).count() == 2
