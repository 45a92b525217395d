"""Two people changing one tie at the same moment (casebridge.tests.concurrency)."""

import pytest
from django.db import transaction

from casebridge.conftest import PURPOSE
from casebridge.errors import StaleVersion
from casebridge.locking import compare_and_set
from casebridge.network import services
from casebridge.network.models import Tie
from casebridge.network.tests.conftest import map_tie
from casebridge.tests.concurrency import Race, refused, succeeded

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_changes_of_one_tie_from_the_same_page_keep_one(networked, cast, case, monkeypatch):
    tie = map_tie(cast["petra"], case, "Maria Synthetica")
    race = Race()
    monkeypatch.setattr(services, "compare_and_set", race.pausing(compare_and_set))

    def change(stance):
        return lambda: services.change_tie(actor=cast["petra"], tie_id=tie.pk, expected_version=1, stance=stance,
                                           purpose=PURPOSE)

    outcomes = race.run(change("ambivalent"), change("opposing"))
    assert len(succeeded(outcomes)) == 1 and len(refused(outcomes, StaleVersion)) == 1
    with transaction.atomic():
        stored = Tie.objects.get(pk=tie.pk)
    assert stored.version == 2 and stored.stance == succeeded(outcomes)[0].stance
