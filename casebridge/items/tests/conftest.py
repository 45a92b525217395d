"""Items with a source and a method that other agencies can read: the test of "source and method
are visible to the originating agency only, everywhere, always" needs something to leak."""

import datetime as dt

import pytest
from django.db import transaction

from casebridge.api.tests.conftest import api  # noqa: F401  (a fixture, used by name)
from casebridge.conftest import PURPOSE
from casebridge.items import services as items
from casebridge.sharing import services as sharing

SECRETS = (b"K-17", b"intercept")


@pytest.fixture
def sourced(exchange, cast, agencies, case):
    """Omar's OPEN item naming its source and method, disclosed to prison, probation and CSO; and a
    sanitised derivative of his SECRET "Travel plans" (whose source is K-17), disclosed the same way."""
    omar = cast["omar"]
    with transaction.atomic():
        item = items.record_item(actor=omar, case_id=case.pk, purpose=PURPOSE, data={
            "category": "risk_and_needs_assessment", "nature": "fact", "title": "Contact with a recruiter",
            "body": "Two phone calls with a known recruiter in May.", "fact_date": dt.date(2025, 5, 20),
            "classification": 0, "source_text": "Informant K-17, met in person",
            "method_text": "Telephone intercept under warrant 25/114"})
        derivative = items.derive_item(actor=omar, item_id=exchange["police_secret"].pk, purpose=PURPOSE, data={
            "title": "Possible travel abroad", "body": "The client may plan to travel abroad this summer.",
            "fact_date": dt.date(2025, 6, 1), "classification": 0})
        for shared in (item, derivative):
            for key in ("prison", "probation", "cso"):
                sharing.disclose_item(actor=omar, item_id=shared.pk, recipient_id=agencies[key].pk, purpose=PURPOSE,
                                      justification="Needed for release planning.")
    return {"item": item, "derivative": derivative}
