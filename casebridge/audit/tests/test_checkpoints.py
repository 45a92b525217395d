"""Signed checkpoints kept outside the database let `audit verify` find what an insider with
database access does to the trail: truncate it, delete from it, rewrite it and recompute every
later hash, or drop the append-only triggers and edit it."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casebridge import cli
from casebridge.audit import checkpoints
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.services import record
from casebridge.audit.tests.tampering import drop_append_only_triggers, raw, rechain_from
from casebridge.audit.verification import checkpoint, verify, verify_trail
from casebridge.conftest import PURPOSE


def _events(n):
    for i in range(n):
        record(actor=None, operation=Operation.READ, object_type="cases.case", object_id=i, purpose=PURPOSE,
               detail={"i": i})


def _verify(*args) -> str:
    """`casebridge audit verify`'s output; CommandError (a non-zero exit) when it finds a break."""
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _head():
    return AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()


def test_verify_prints_the_head_and_the_checkpoint_it_signs_outside_the_database(db, audit_checkpoints):
    _events(4)
    seq, digest = _head()
    out = _verify()
    assert f"Head: #{seq} {digest}" in out and "Last checkpoint: none yet" in out
    assert f"Signed checkpoint: #{seq} {digest}" in out
    written, = audit_checkpoints.glob("*.json")
    assert json.loads(written.read_text())["hash"] == digest
    second = _verify()
    assert f"Last checkpoint: #{seq} {digest}" in second  # the next run checks against it


def test_deleting_the_newest_events_after_a_checkpoint_is_detected(db):
    _events(6)
    signed = checkpoint().signed
    assert signed.seq == 6
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq > 3")
    assert verify().ok  # what is left still chains: only the checkpoint can tell
    with pytest.raises(CommandError, match="events were deleted from its end"):
        _verify()


def test_deleting_an_event_in_the_middle_is_detected(db):
    _events(6)
    checkpoint()
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq = 4")
    with pytest.raises(CommandError, match="#4"):
        _verify()


def test_rewriting_a_row_and_rechaining_the_rest_is_detected(db):
    _events(6)
    checkpoint()
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET purpose = 'supervision' WHERE seq = 2")
    rechain_from(2)
    assert verify().ok  # the chain alone is fooled
    with pytest.raises(CommandError, match="differs from checkpoint #6 .*rewritten"):
        _verify()
    with pytest.raises(CommandError, match="rewritten"):
        _verify("--incremental")


def test_dropping_the_triggers_as_the_owner_and_editing_is_detected(db):
    _events(5)
    checkpoint()
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET object_id = '99' WHERE seq = 3")
    with pytest.raises(CommandError, match="Audit chain broken at event #3: event #3 was altered"):
        _verify()


def test_a_tampered_trail_exits_non_zero_with_a_one_line_reason(db, capsys):
    _events(5)
    checkpoint()
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq = 5")
    assert cli.main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("casebridge: ") and "deleted" in err and err.count("\n") == 1


def test_incremental_verification_recomputes_only_from_the_newest_checkpoint(db):
    _events(5)
    checkpoint()
    _events(3)
    result = verify_trail(incremental=True)
    assert (result.ok, result.start, result.checked) == (True, 5, 4)
    assert verify_trail().checked == 8


def test_incremental_verification_finds_an_edit_after_the_checkpoint(db):
    _events(5)
    checkpoint()
    _events(3)
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET purpose = 'supervision' WHERE seq = 7")
    result = verify_trail(incremental=True)
    assert (result.ok, result.broken_seq) == (False, 7)


def test_a_checkpoint_file_edited_to_match_a_rewritten_trail_is_refused(db, audit_checkpoints):
    _events(4)
    checkpoint()
    drop_append_only_triggers()
    raw("UPDATE audit_auditevent SET purpose = 'supervision' WHERE seq = 1")
    rechain_from(1)
    written, = audit_checkpoints.glob("*.json")
    body = json.loads(written.read_text())
    written.write_text(json.dumps({**body, "hash": _head()[1]}))
    with pytest.raises(CommandError, match="does not carry a valid signature"):
        _verify()


def test_a_timer_never_signs_a_trail_that_disagrees_with_the_checkpoints(db, audit_checkpoints):
    _events(4)
    call_command("audit", "checkpoint", stdout=StringIO())
    drop_append_only_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq > 2")
    _events(3)  # new events hide the truncation by length, not by hash
    with pytest.raises(CommandError, match="no checkpoint signed"):
        call_command("audit", "checkpoint")
    assert len(list(audit_checkpoints.glob("*.json"))) == 1


def test_production_refuses_to_sign_without_a_key_made_on_purpose(db, settings, tmp_path):
    settings.MODE = "production"
    settings.CASEBRIDGE_AUDIT_SIGNING_KEY = tmp_path / "absent.pem"
    _events(1)
    with pytest.raises(CommandError, match="casebridge audit keygen"):
        call_command("audit", "checkpoint")
    call_command("audit", "keygen", stdout=StringIO())
    assert checkpoint().signed.seq == 1
    with pytest.raises(CommandError, match="never replaced"):
        call_command("audit", "keygen")


def test_the_signing_key_and_checkpoints_live_only_in_files(db, settings):
    _events(2)
    signed = checkpoint().signed
    key_pem = settings.CASEBRIDGE_AUDIT_SIGNING_KEY.read_text()
    assert oct(settings.CASEBRIDGE_AUDIT_SIGNING_KEY.stat().st_mode & 0o777) == "0o600"
    assert "PRIVATE KEY" in key_pem and signed.signature not in str(list(AuditEvent.objects.values_list()))
    assert checkpoints.load() == [signed]
