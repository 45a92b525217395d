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


def test_sharing_withdrawn_after_the_reading_is_honoured_where_later_queries_see_it(exchange, cast, case,
                                                                                   monkeypatch):
    from casebridge.items import reading as readings
    from casebridge.sharing.models import AgreementStatus, AgreementVersion

    petra, behaviour = cast["petra"], exchange["behaviour"]
    reading = CaseReading(petra, cases.load_case(case.pk), PURPOSE)
    assert behaviour.pk in reading.readable()  # shared to probation by the agreement
    AgreementVersion.objects.filter(pk=exchange["version"].pk).update(status=AgreementStatus.SUSPENDED)
    # PostgreSQL (READ COMMITTED): a later query of the request sees the suspension, so must the page.
    monkeypatch.setattr(readings, "_one_snapshot", lambda: False)
    shown, _ = items.timeline(actor=petra, case_id=case.pk, purpose=PURPOSE, reading=reading)
    assert behaviour.pk not in [item.pk for item, _ in shown]
    assert exchange["programme"].pk in [item.pk for item, _ in shown]  # her agency's own, still shown


def test_a_later_section_of_the_page_sees_sharing_withdrawn_after_an_earlier_one(exchange, cast, case,
                                                                                     monkeypatch):
    from casebridge.items import reading as readings
    from casebridge.sharing.models import AgreementStatus, AgreementVersion

    monkeypatch.setattr(readings, "_one_snapshot", lambda: False)  # PostgreSQL's READ COMMITTED
    petra, behaviour = cast["petra"], exchange["behaviour"]
    reading = CaseReading(petra, cases.load_case(case.pk), PURPOSE)
    items.readable_carried(actor=petra, case=case, purpose=PURPOSE, reading=reading, audit=False)  # a first section
    AgreementVersion.objects.filter(pk=exchange["version"].pk).update(status=AgreementStatus.SUSPENDED)
    shown, _ = items.timeline(actor=petra, case_id=case.pk, purpose=PURPOSE, reading=reading)  # a later one
    assert behaviour.pk not in [item.pk for item, _ in shown]


def test_only_a_sqlite_transaction_reads_one_snapshot(db):
    from django.db import connection, transaction

    from casebridge.items import reading as readings

    with transaction.atomic():
        assert readings._one_snapshot() == (connection.vendor == "sqlite")
