"""`CaseReading` decides on a case's item facts read once for the request; what is shown is decided
again on the rows as loaded, so a change committed in between (PostgreSQL's READ COMMITTED lets a
request see it) is honoured, never shown on the earlier decision."""

from casebridge.cases import services as cases
from casebridge.conftest import PURPOSE
from casebridge.items import services as items
from casebridge.items.models import InformationItem
from casebridge.items.reading import CaseReading


def test_an_item_changed_after_the_reading_is_decided_again_before_it_is_shown(exchange, cast, case):
    petra, behaviour = cast["petra"], exchange["behaviour"]
    reading = CaseReading(petra, cases.load_case(case.pk), PURPOSE)
    assert behaviour.pk in reading.readable()
    # Raised above Petra's clearance and marked ORCON by its originator after the facts were read.
    InformationItem.objects.filter(pk=behaviour.pk).update(classification=3, orcon=True, body="Now secret.")
    shown, _ = items.timeline(actor=petra, case_id=case.pk, purpose=PURPOSE, reading=reading)
    assert behaviour.pk not in [item.pk for item, _ in shown]
    assert all("Now secret." not in item.body for item, _ in shown)


def test_a_reserved_purpose_is_refused_by_the_reading_itself(exchange, cast, case):
    from casebridge.errors import InvalidInput

    try:
        CaseReading(cast["petra"], cases.load_case(case.pk), "data_protection")
    except InvalidInput as refused:
        assert refused.code == "purpose_reserved"
    else:
        raise AssertionError("a practitioner read a case for data protection oversight")
