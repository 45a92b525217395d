"""Verification on a trail that looks like the product's (casebridge.audit.synthetic): consultations
naming dozens of items with their bases, searches, listings, reads, new items, disclosures. It
verifies, and whatever is changed in an event, its detail, its recipients, the agencies it concerns,
is found at that event: on its stored text (SQLite) as when recomputed, across batch borders, from a
checkpoint on, and however bytes are moved between the stored columns."""

import json
import random
from collections import Counter

import pytest
from django.db import connection

from casebridge.audit import synthetic, verification
from casebridge.audit.models import AuditEvent, AuditEventAgency
from casebridge.audit.tests.tampering import drop_append_only_triggers, raw
from casebridge.audit.verification import checkpoint, verify, verify_trail

EVENTS = 240


@pytest.fixture
def trail(db):
    rng = random.Random(11)
    cast = synthetic.make_cast(rng, agencies=8, people=30, cases=12, items=400)
    synthetic.append(synthetic.Trail(rng, cast, start=synthetic.start_of(2), per_day=EVENTS // 2), EVENTS,
                     batch=60)
    return cast


def _json(value) -> str:
    """A JSON column's new value in SQL: jsonb on PostgreSQL, text on SQLite."""
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def _consultations() -> list:
    """The events that name items with their bases and concern several agencies, in chain order."""
    events = AuditEvent.objects.filter(detail__has_key="items").order_by("seq")
    return [e for e in events if len(e.detail["items"]) > 2 and e.concerned_agencies.count() > 1]


def _consultation(nth: int = 1):
    """The `nth` of `_consultations` (from 1)."""
    return _consultations()[nth - 1]


def _rewritten_detail(event):
    items = dict(event.detail["items"])
    first = next(iter(items))
    items[first] = f"{items[first]}; consent of 2026-01-02"  # a basis claimed after the fact
    return {**event.detail, "items": items}


def test_the_synthetic_trail_is_varied_as_the_product_writes_it(trail):
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) == EVENTS
    kinds = Counter((e.operation, e.object_type) for e in events)
    assert {("read", "cases.case"), ("read", "items.informationitem"), ("list", "items.informationitem"),
            ("search", "items.informationitem"), ("create", "items.informationitem")} <= set(kinds)
    # Nothing a cache could reuse: no two events hold the same detail, nor the same time.
    consultations = [json.dumps(e.detail, sort_keys=True) for e in events if "items" in e.detail]
    assert len(set(consultations)) == len(consultations) > EVENTS // 2
    assert len({e.at for e in events}) == EVENTS
    assert sum(len(d) for d in consultations) / len(consultations) > 800  # bytes: what pages name
    assert AuditEventAgency.objects.count() > EVENTS


def test_a_realistic_trail_verifies(trail):
    result = verify()
    assert (result.ok, result.checked) == (True, EVENTS)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_on_sqlite_a_written_trail_is_verified_on_its_stored_text_without_recomputing(trail, monkeypatch):
    def recomputing(*args):
        raise AssertionError("recomputed an event the stored text vouches for")

    monkeypatch.setattr(verification._Rehash, "__call__", recomputing)
    assert verify().checked == EVENTS


@pytest.mark.parametrize("change", ["detail", "recipients", "concerned items", "concerned agency", "no agency",
                                    "time", "reader"])
@pytest.mark.parametrize("batch_size", [5000, 7])
def test_any_change_to_a_realistic_event_is_found_at_that_event(trail, change, batch_size):
    event = _consultation(2)
    link = event.concerned_agencies.order_by("agency_id").first()
    drop_append_only_triggers()
    statement, params = {
        "detail": (f"UPDATE audit_auditevent SET detail = {_json(0)} WHERE seq = %s",
                   [json.dumps(_rewritten_detail(event)), event.seq]),
        "recipients": (f"UPDATE audit_auditevent SET recipients = {_json(0)} WHERE seq = %s", ["[]", event.seq]),
        "concerned items": (f"UPDATE audit_auditeventagency SET items = {_json(0)} WHERE id = %s",
                            [json.dumps(link.items[:-1] + [link.items[-1] + 1]), link.pk]),
        "concerned agency": ("UPDATE audit_auditeventagency SET agency_id = agency_id + 1000 WHERE id = %s", [link.pk]),
        "no agency": ("DELETE FROM audit_auditeventagency WHERE id = %s", [link.pk]),
        "time": ("UPDATE audit_auditevent SET at = %s WHERE seq = %s", [event.at.replace(microsecond=1), event.seq]),
        "reader": ("UPDATE audit_auditevent SET actor_username = %s WHERE seq = %s", ["Xavier", event.seq]),
    }[change]
    raw(statement, params)
    result = verify(batch_size=batch_size)
    assert (result.ok, result.broken_seq, result.checked) == (False, event.seq, event.seq - 1)
    assert "altered" in result.reason


@pytest.mark.parametrize("where", [-1, 0, 1])
def test_a_change_at_a_batch_border_is_found_there(trail, where):
    batch = 50
    seq = 2 * batch + 1 + where  # the last of a batch, the first of the next, the one after
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET purpose = 'supervision_x' WHERE seq = %s", [seq])
    result = verify(batch_size=batch)
    assert (result.ok, result.broken_seq, result.checked) == (False, seq, seq - 1)


def test_a_missing_event_and_a_broken_link_are_told_apart(trail):
    gone = AuditEvent.objects.filter(seq__gt=100, concerned_agencies=None, item_reads=None).first().seq
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = 90", ["0" * 64])
    assert verify().reason == "event #90 does not link to event #89"
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [gone])
    assert verify().broken_seq == 90
    raw("UPDATE audit_auditevent SET prev_hash = (SELECT hash FROM audit_auditevent WHERE seq = 89) WHERE seq = 90")
    assert verify().reason == f"event #{gone} is missing (next is #{gone + 1})"


def test_incremental_verification_checks_only_what_came_after_the_checkpoint_and_finds_a_change_there(trail):
    signed = checkpoint().signed
    rng = random.Random(12)
    later = synthetic.Trail(rng, trail, start=synthetic.start_of(1), per_day=100)
    synthetic.append(later, 100)
    result = verify_trail(incremental=True)
    assert (result.ok, result.start, result.checked) == (True, signed.seq, 101)
    event = next(e for e in _consultations() if e.seq > signed.seq)
    drop_append_only_triggers()
    raw(f"UPDATE audit_auditevent SET detail = {_json(0)} WHERE seq = %s", [json.dumps(_rewritten_detail(event)),
                                                                            event.seq])
    result = verify_trail(incremental=True)
    assert (result.ok, result.broken_seq, result.checked) == (False, event.seq, event.seq - signed.seq)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_bytes_moved_from_the_detail_into_the_recipients_are_found(trail):
    """The stored texts, side by side, still read as the written text; each column no longer
    holds its own value."""
    event = _consultation(1)
    recipients, detail = raw_columns(event.seq)
    cut = detail.index(',"')
    drop_append_only_triggers()
    raw("PRAGMA ignore_check_constraints = ON")  # each JSON column must hold valid JSON: not for an insider
    raw("UPDATE audit_auditevent SET recipients = %s, detail = %s WHERE seq = %s",
        [f"{recipients},{detail[:cut]}", detail[cut + 1:], event.seq])
    result = verify()
    assert (result.ok, result.broken_seq) == (False, event.seq)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.parametrize("into", ["items", "agency"])
def test_two_concerned_agencies_merged_into_one_row_are_found(trail, into):
    """One agency's row made to carry the next one's, written out the same: its DPO no longer finds it."""
    event = _consultation(1)
    second, first = event.concerned_agencies.order_by("-agency_id")[:2]  # the last two: the order holds
    compact = {"separators": (",", ":")}
    drop_append_only_triggers()
    raw("PRAGMA ignore_check_constraints = ON")
    raw("DELETE FROM audit_auditeventagency WHERE id = %s", [second.pk])
    if into == "items":
        merged = f"{json.dumps(first.items, **compact)}],[{second.agency_id},{json.dumps(second.items, **compact)}"
        raw("UPDATE audit_auditeventagency SET items = %s WHERE id = %s", [merged, first.pk])
    else:
        merged = f"{first.agency_id},{json.dumps(first.items, **compact)}],[{second.agency_id}"
        raw("UPDATE audit_auditeventagency SET agency_id = %s, items = %s WHERE id = %s",
            [merged, json.dumps(second.items, **compact), first.pk])
    result = verify()
    assert (result.ok, result.broken_seq) == (False, event.seq)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_rows_stored_in_another_json_form_are_recomputed_and_still_verify(trail, monkeypatch):
    """Trails written before the JSON was stored in the chain's canonical form verify as before, and
    the events written since are checked on their stored text again."""
    drop_append_only_triggers()
    for seq, detail in AuditEvent.objects.filter(seq__in=[3, 4, 5]).values_list("seq", "detail"):
        raw("UPDATE audit_auditevent SET detail = %s WHERE seq = %s", [json.dumps(detail), seq])
    recomputed, rehash = [], verification._Rehash.__call__
    monkeypatch.setattr(verification._Rehash, "__call__", lambda self, row, *a: recomputed.append(row[0])
                        or rehash(self, row, *a))
    assert verify(batch_size=10).checked == EVENTS
    assert recomputed == list(range(3, 13))  # from the first the text does not vouch for, one batch
    event = _consultation(3)
    raw("UPDATE audit_auditevent SET detail = %s WHERE seq = %s", [json.dumps(_rewritten_detail(event)), event.seq])
    assert verify().broken_seq == event.seq


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_value_sqlite_cannot_write_out_as_json_is_found_as_an_alteration(trail):
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET actor_username = CAST(actor_username AS BLOB) WHERE seq = 77")
    result = verify()
    assert (result.ok, result.broken_seq, result.checked) == (False, 77, 76)


def raw_columns(seq: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipients, detail FROM audit_auditevent WHERE seq = %s", [seq])
        return cursor.fetchone()
