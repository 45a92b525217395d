"""Two people of the originating agency changing the same item at the same moment: one change is
saved, the other refused (stale, or clashing with the first); nothing lost, nothing half-written.

The writers run at once on their own connections (casebridge.tests.concurrency), both having
read the item before either writes.
"""

import datetime as dt

import pytest

from casebridge.cases import services as cases
from casebridge.conftest import PURPOSE
from casebridge.errors import InvalidInput, StaleVersion
from casebridge.items import readership, services as items
from casebridge.items.models import InformationItem, ItemVersion
from casebridge.sharing import services as sharing
from casebridge.sharing.models import Disclosure
from casebridge.tests.concurrency import Race, refused, succeeded

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_amendments_from_the_same_version_keep_one_and_refuse_the_other_as_stale(exchange, cast, monkeypatch):
    item = exchange["behaviour"]
    race = Race()
    monkeypatch.setattr(items, "item_fields", race.pausing(items.item_fields))
    data = {name: getattr(item, name) for name in items.EDITABLE}

    def amend(body):
        return lambda: items.amend_item(actor=cast["ivo"], item_id=item.pk, data={**data, "body": body},
                                        change_note="Corrected.", expected_version=1, purpose=PURPOSE)

    outcomes = race.run(amend("Attends education daily."), amend("Works in the kitchen."))
    assert len(succeeded(outcomes)) == 1
    [stale] = refused(outcomes, StaleVersion)
    assert stale.current_version == 2 and "Ivo Ivanov" in stale.message
    stored = InformationItem.objects.get(pk=item.pk)
    assert stored.version == 2 and stored.body == succeeded(outcomes)[0].body
    assert ItemVersion.objects.filter(item=item).count() == 1


def test_the_same_item_disclosed_twice_at_once_to_one_agency_is_disclosed_once(exchange, cast, agencies,
                                                                               monkeypatch):
    race = Race()
    monkeypatch.setattr(items, "get_item", race.pausing(items.get_item, after=True))

    def disclose():
        return sharing.disclose_item(actor=cast["omar"], item_id=exchange["police_orcon"].pk,
                                     recipient_id=agencies["probation"].pk, justification="Release risk plan.",
                                     purpose=PURPOSE)

    outcomes = race.run(disclose, disclose)
    assert len(succeeded(outcomes)) == 1
    [clash] = refused(outcomes, InvalidInput)
    assert clash.field == "recipient" and "already disclosed" in clash.message
    assert Disclosure.objects.filter(item=exchange["police_orcon"], revoked_at__isnull=True).count() == 1


def test_a_derivative_made_while_its_original_is_retracted_is_refused_or_retracted_with_it(exchange, cast,
                                                                                          monkeypatch):
    original = exchange["police_secret"]
    race = Race()
    # Both read the original and find it not retracted, then write: the derivative, the retraction.
    monkeypatch.setattr(cases, "text", race.pausing(cases.text))

    def derive():
        return items.derive_item(actor=cast["omar"], item_id=original.pk, purpose=PURPOSE, data={
            "title": "Possible travel", "body": "Indications of travel.", "fact_date": dt.date(2025, 6, 1),
            "classification": 1})

    def retract():
        return readership.retract_item(actor=cast["omar"], item_id=original.pk, reason="Source withdrew.",
                                       purpose=PURPOSE)

    outcomes = race.run(derive, retract)
    assert not isinstance(outcomes[1], BaseException), outcomes[1]
    assert InformationItem.objects.filter(derived_from=original, retracted_at__isnull=True).count() == 0
