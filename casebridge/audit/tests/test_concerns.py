"""The agencies an event concerns are written with it, chained into its hash, and append-only."""

import json
from hashlib import sha256
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, transaction

from casebridge.audit.models import AuditEvent, AuditEventAgency, Operation
from casebridge.audit.services import record, record_many
from casebridge.audit.verification import verify
from casebridge.audit.tests.tampering import drop_append_only_triggers, raw
from casebridge.conftest import PURPOSE


def _items(*agency_ids, item=9):
    """Stand-ins for items of these originating agencies."""
    return [SimpleNamespace(pk=item + n, originating_agency_id=a) for n, a in enumerate(agency_ids)]


def _read(actor, concerning, n=1):
    with transaction.atomic():
        for _ in range(n):
            record(actor=actor, operation=Operation.READ, object_type="items.informationitem", object_id="9",
                   case_id=1, purpose=PURPOSE, concerning=concerning)
    return list(AuditEvent.objects.order_by("-seq")[:n])[::-1]


def test_an_event_records_each_concerned_agency_once_with_its_items(cast, agencies):
    police, prison = agencies["police"].pk, agencies["prison"].pk
    event, = _read(cast["petra"], _items(police, prison, police) + _items(police))
    assert dict(event.concerned_agencies.values_list("agency_id", "items")) == {police: [9, 11], prison: [10]}


def test_bulk_events_record_their_agencies_too(cast, agencies):
    with transaction.atomic():
        record_many([{"actor": cast["omar"], "operation": Operation.CREATE, "object_type": "x", "object_id": n,
                      "concerning": _items(agencies["police"].pk)} for n in range(3)])
    assert AuditEventAgency.objects.filter(agency_id=agencies["police"].pk).count() == 3
    assert verify().ok


@pytest.mark.parametrize("tamper", [
    "DELETE FROM audit_auditeventagency WHERE event_seq = 2",
    "UPDATE audit_auditeventagency SET agency_id = agency_id + 1000 WHERE event_seq = 2",
    "UPDATE audit_auditeventagency SET items = '[9, 10]' WHERE event_seq = 2",
    "INSERT INTO audit_auditeventagency (event_seq, agency_id, items) VALUES (3, 424242, '[]')",
])
def test_hiding_an_event_from_a_dpo_breaks_the_chain_at_that_event(cast, agencies, tamper):
    _read(cast["omar"], _items(agencies["probation"].pk), n=4)
    assert verify().ok
    drop_append_only_triggers()
    raw(tamper)
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 2 if "event_seq = 2" in tamper else 3)


def test_the_database_refuses_to_change_or_remove_a_concerned_agency(cast, agencies):
    _read(cast["omar"], _items(agencies["probation"].pk))
    for statement in ("DELETE FROM audit_auditeventagency", "UPDATE audit_auditeventagency SET agency_id = 1"):
        with pytest.raises(DatabaseError), transaction.atomic():
            raw(statement)
    with pytest.raises(TypeError):
        AuditEventAgency.objects.all().delete()
    assert AuditEventAgency.objects.count() == 1 and AuditEvent.objects.count() == 1


def test_an_event_without_agencies_hashes_as_before(cast):
    event, = _read(cast["petra"], [])
    values = [event.seq, event.at.isoformat(), event.operation, event.purpose, event.actor_id, event.actor_username,
              event.agency_id, event.agency_name, event.object_type, event.object_id, event.case_id,
              event.recipients, event.detail, event.prev_hash]
    canonical = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert event.hash == sha256(canonical.encode()).hexdigest()  # chains written before this still verify
