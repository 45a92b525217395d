"""The audit trail is append-only and hash-chained; tampering is found at the first broken link."""

import pytest
from django.db import DatabaseError, connection, transaction

from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.services import GENESIS, record
from casebridge.audit.verification import verify
from casebridge.audit.tests.tampering import drop_append_only_triggers, raw
from casebridge.cases import services
from casebridge.cases.models import Case
from casebridge.conftest import PURPOSE


def _events(n, actor=None):
    for i in range(n):
        record(actor=actor, operation=Operation.READ, object_type="cases.case", object_id=i, purpose=PURPOSE,
               detail={"i": i, "when": "2026-01-01"})


def test_an_untouched_chain_verifies_and_links_every_row(db):
    _events(5)
    result = verify()
    assert result.ok and result.checked == 5
    rows = list(AuditEvent.objects.values_list("prev_hash", "hash"))
    assert rows[0][0] == GENESIS
    assert all(rows[i][0] == rows[i - 1][1] for i in range(1, len(rows)))


def test_editing_a_row_is_detected_at_that_row(db):
    _events(5)
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET purpose = 'supervision' WHERE seq = 3")
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 3)
    assert "altered" in result.reason


def test_deleting_a_row_is_detected_where_it_was(db):
    _events(5)
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq = 2")
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 2)
    assert "missing" in result.reason


def test_inserting_a_forged_row_is_detected(db):
    _events(3)
    drop_append_only_triggers()
    last = AuditEvent.objects.get(seq=3)
    raw("UPDATE audit_auditevent SET seq = seq + 1 WHERE seq = 3")
    forged = AuditEvent(seq=3, at=last.at, operation="read", purpose="", object_type="x", object_id="1",
                        recipients=[], detail={}, prev_hash=AuditEvent.objects.get(seq=2).hash, hash="f" * 64)
    forged.save()
    result = verify()
    assert not result.ok and result.broken_seq == 3


def test_rewriting_a_hash_to_match_an_edit_breaks_the_next_link(db):
    _events(4)
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET hash = %s WHERE seq = 2", ["a" * 64])
    result = verify()
    assert not result.ok and result.broken_seq in (2, 3)


def test_no_code_path_updates_or_deletes_an_event(db):
    _events(1)
    event = AuditEvent.objects.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(purpose="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("statement", ["UPDATE audit_auditevent SET purpose = 'x'", "DELETE FROM audit_auditevent"])
def test_the_database_itself_refuses_changes_to_events(db, statement):
    _events(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(statement)
    assert AuditEvent.objects.count() == 1


def test_recording_outside_a_transaction_is_refused(db, monkeypatch):
    monkeypatch.setattr(type(connection), "in_atomic_block", False, raising=False)
    with pytest.raises(RuntimeError):
        record(actor=None, operation=Operation.READ, object_type="x")


def test_an_operation_whose_audit_event_cannot_be_written_does_not_happen(cast, monkeypatch):
    import datetime as dt

    from casebridge.cases import services as case_services

    def broken(**kwargs):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(case_services, "record", broken)
    with pytest.raises(DatabaseError), transaction.atomic():
        services.open_case(actor=cast["petra"], phase="custody", phase_date=dt.date(2025, 1, 1), purpose=PURPOSE,
                           client={"given_name": "A", "family_name": "B", "date_of_birth": dt.date(1990, 1, 1)})
    assert Case.objects.count() == 0


def test_events_carry_the_article_25_fields(case, cast):
    services.get_case(actor=cast["ivo"], case_id=case.pk, purpose="release_planning")
    event = AuditEvent.objects.last()
    assert event.operation == Operation.READ
    assert (event.actor_username, event.agency_name) == ("ivo", cast["ivo"].agency.name)
    assert event.purpose == "release_planning"
    assert (event.object_type, event.object_id, event.case_id) == ("cases.case", str(case.pk), case.pk)
    assert event.at is not None and "basis" in event.detail
    team_event = AuditEvent.objects.filter(object_type="cases.teamassignment").first()
    assert team_event.recipients  # the agency whose practitioner gained access


def test_the_template_the_database_hashes_gives_the_chain_s_own_hash():
    """PostgreSQL hashes sha256("[" seq middle '"' prev_hash '"' tail) in the server
    (casebridge_audit_append); it must equal `compute_hash` for every event shape."""
    import datetime as dt
    import random
    from hashlib import sha256

    from casebridge.audit.chain import compute_hash, hash_template

    rng = random.Random(7)
    texts = ["", "plain", "Emir Hodžić", "Ελένη", "Сергей", "نور", "𝔘𝔫𝔦 😀", "quote \" back\\slash",
             "line\nbreak\ttab\x01\u2028\u2029"]
    for _ in range(500):
        fields = dict(
            at=dt.datetime(2026, 1, 1, rng.randrange(24), tzinfo=dt.timezone.utc)
            + dt.timedelta(microseconds=rng.choice([0, rng.randrange(1, 10**6)])),
            operation=rng.choice(["read", "list"]), purpose=rng.choice(["", "case_management"]),
            actor_id=rng.choice([None, 5]), actor_username=rng.choice(texts), agency_id=rng.choice([None, 3]),
            agency_name=rng.choice(texts), object_type="cases.case", object_id=str(rng.randrange(100)),
            case_id=rng.choice([None, 7]), recipients=rng.choice([[], [rng.choice(texts)]]),
            detail=rng.choice([{}, {"items": {"3": rng.choice(texts)}, "n": [1, 2.5, None, True]}]))
        concerns = rng.choice([None, {}, {3: [5, 1], 1: [2]}])
        seq, prev = rng.randrange(1, 10**12), "%064x" % rng.getrandbits(256)
        middle, tail = hash_template(**fields, concerns=concerns)
        assert sha256(f'[{seq}{middle}"{prev}"{tail}'.encode()).hexdigest() == compute_hash(
            seq=seq, **fields, prev_hash=prev, concerns=concerns)
