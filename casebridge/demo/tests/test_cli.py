"""The `casebridge` command line: exit codes, one-line reasons, and audited changes."""

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cli import main

STRONG = "a long enough admin passphrase 7"


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("casebridge: "), text
    return lines[0]


def test_an_unknown_command_exits_2_with_the_usage_line(capsys):
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'frobnicate'" in err and err.splitlines()[-1].startswith("usage: casebridge")


def test_no_command_prints_the_usage_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: casebridge" in capsys.readouterr().err


def test_a_missing_option_is_one_line_without_a_traceback(db, capsys):
    assert main(["audit", "report"]) == 1
    assert "--case" in one_line(capsys.readouterr().err)


def test_audit_verify_reports_an_intact_chain_and_records_that_it_looked(case, capsys):
    events = AuditEvent.objects.count()
    assert main(["audit", "verify"]) == 0
    assert f"Audit chain intact: {events} events verified" in capsys.readouterr().out
    assert AuditEvent.objects.filter(operation=Operation.AUDIT_VERIFY).count() == 1


def test_audit_verify_names_the_first_forged_event_and_exits_1(case, capsys):
    last = AuditEvent.objects.order_by("-seq").first()
    # Rows cannot be edited (database triggers), but a forger can still append one with a bad hash.
    AuditEvent.objects.create(seq=last.seq + 1, at=timezone.now(), operation=Operation.READ, object_type="x",
                              prev_hash=last.hash, hash="f" * 64)
    assert main(["audit", "verify"]) == 1
    reason = one_line(capsys.readouterr().err)
    assert f"Audit chain broken at event #{last.seq + 1}" in reason


def test_audit_report_lists_who_did_what_when_and_why_on_a_case(case, capsys):
    assert main(["audit", "report", "--case", case.reference]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Audit report for case {case.reference}")
    assert "petra (Westmark Probation Service)" in out and "purpose=case_management" in out
    assert AuditEvent.objects.filter(operation=Operation.AUDIT_READ, case_id=case.pk).exists()


def test_audit_report_refuses_a_case_that_never_existed(db, capsys):
    assert main(["audit", "report", "--case", "999999"]) == 1
    assert "no case '999999'" in one_line(capsys.readouterr().err)


def test_check_prints_the_configuration_and_ok(db, capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "OK"
    assert "Mode" in out and "Database" in out and "Secure cookies" in out


def test_createadmin_creates_a_system_administrator_and_their_agency_audited(db, capsys, monkeypatch):
    monkeypatch.setenv("CASEBRIDGE_ADMIN_PASSWORD", STRONG)
    assert main(["createadmin", "--username", "root", "--email", "root@example.test",
                 "--agency", "Justice ICT", "--first-name", "Rosa"]) == 0
    person = Practitioner.objects.get(username="root")
    assert person.role == "system_admin" and person.agency.name == "Justice ICT" and person.check_password(STRONG)
    created = AuditEvent.objects.filter(operation=Operation.CREATE, actor_id=None)
    assert {e.object_type for e in created} == {"agencies.agency", "agencies.practitioner"}
    assert all(e.detail["via"] == "command line" for e in created)
    assert "authenticator app" in capsys.readouterr().out


@pytest.mark.parametrize("password", ["short", "password1234"])
def test_createadmin_with_a_weak_password_creates_nothing(db, capsys, monkeypatch, password):
    monkeypatch.setenv("CASEBRIDGE_ADMIN_PASSWORD", password)
    code = main(["createadmin", "--username", "root", "--email", "root@example.test", "--agency", "Justice ICT"])
    assert code == 1
    assert "password refused" in one_line(capsys.readouterr().err)
    assert not Practitioner.objects.exists() and not Agency.objects.exists() and not AuditEvent.objects.exists()


def test_createadmin_refuses_a_username_that_is_taken(cast, capsys, monkeypatch):
    monkeypatch.setenv("CASEBRIDGE_ADMIN_PASSWORD", STRONG)
    assert main(["createadmin", "--username", "Petra", "--email", "p@example.test", "--agency", "X"]) == 1
    assert "taken" in one_line(capsys.readouterr().err)
    assert not Agency.objects.filter(name="X").exists()


def test_totp_prints_the_current_code_of_an_account_in_development(cast, capsys):
    assert main(["totp", "petra"]) == 0
    device = TOTPDevice.objects.get(user=cast["petra"])
    expected = {f"{TOTP(device.bin_key, t0=device.t0, drift=d).token():06d}" for d in (0, 1)}
    assert capsys.readouterr().out.strip() in expected  # the 30-second step may turn while we compare


def test_totp_is_refused_in_production_mode(cast, capsys, settings):
    settings.MODE = "production"
    assert main(["totp", "petra"]) == 1
    assert "refused in production" in one_line(capsys.readouterr().err)


def test_the_demo_world_is_refused_in_production_mode(db, capsys, settings):
    settings.MODE = "production"
    assert main(["demo"]) == 1
    assert "refused in production" in one_line(capsys.readouterr().err)
    assert not Agency.objects.exists()
