"""The case of the shared cast, ready for conferences.

The agreement of `exchange` also serves case conferences, and shares conference records (agendas,
actions) among its parties up to RESTRICTED (to the CSO up to OPEN). The client consents to what
the CSO receives being used in conferences too.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from casebridge.api.tests.conftest import api  # noqa: F401  (a fixture, used by name)
from casebridge.conferences import services
from casebridge.conftest import PURPOSE
from casebridge.sharing.models import AgreementPurpose, AgreementRule

CONFERENCE = "case_conference"


def soon(days=7, hour=10):
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + dt.timedelta(days=days)
    return start, start + dt.timedelta(hours=2)


@pytest.fixture
def conferencing(exchange, agencies, cast, case):
    from casebridge.sharing import services as sharing

    version = exchange["version"]
    AgreementPurpose.objects.create(version=version, purpose=CONFERENCE)
    parties = ("probation", "prison", "police", "cso")
    for origin in parties:
        for to in parties:
            if origin != to:
                AgreementRule.objects.create(version=version, originator=agencies[origin], recipient=agencies[to],
                                             category="conference_record", max_classification=0 if to == "cso" else 1,
                                             consent_required=False)
    with transaction.atomic():
        exchange["conference_consent"] = sharing.give_consent(
            actor=cast["petra"], case_id=case.pk, purpose=PURPOSE,
            data={"recipient_agency": agencies["cso"].pk, "categories": ["programme_and_intervention"],
                  "purpose": CONFERENCE, "evidence": "Signed form CF-13", "given_on": dt.date(2025, 5, 1)})
    return exchange


def committed():
    """Run what waits for the commit (e-mails) when the block ends, as a real commit would: the test's
    own transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def convene(actor, case, kind="review", participants=(), chair=None, **extra):
    start, end = soon()
    with committed(), transaction.atomic():
        return services.convene(actor=actor, case_id=case.pk, kind=kind, starts_at=extra.pop("starts_at", start),
                                ends_at=extra.pop("ends_at", end), chair_id=(chair or actor).pk,
                                participant_ids=[p.pk for p in participants], purpose=PURPOSE,
                                place=extra.pop("place", "Westmark Probation, room 2"), **extra)
