"""The lock hold log (CASEBRIDGE_LOCK_TIMES): every commit that appended to the chain writes its
hold, and a log that cannot be written never fails the operation, which has already committed."""

from django.db import connection, transaction

from casebridge.agencies.models import Agency
from casebridge.audit import appending
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.services import record
from casebridge.conftest import PURPOSE


def _commit_one(name: str) -> None:
    with transaction.atomic():
        Agency.objects.create(name=name, kind="probation", country="BE")
        record(actor=None, operation=Operation.READ, object_type="cases.case", object_id=1, purpose=PURPOSE)


def test_each_commit_that_appends_writes_its_hold(committing, tmp_path, monkeypatch):
    monkeypatch.setattr(appending, "_observers", [])
    monkeypatch.setattr(appending, "_server_observers", [])
    appending.log_holds(tmp_path / "holds")
    _commit_one("Eastmoor Probation")
    _commit_one("Westmark Probation")
    with transaction.atomic():  # appends nothing: no hold
        Agency.objects.create(name="Northgate Probation", kind="probation", country="BE")
    found = appending.logged_holds(tmp_path / "holds")
    assert len(found["hold"]) == 2 and all(ms > 0 for ms in found["hold"])
    assert len(found["server"]) == (2 if connection.vendor == "postgresql" else 0)


def test_a_hold_log_that_cannot_be_written_fails_nothing(committing, tmp_path, monkeypatch):
    monkeypatch.setattr(appending, "_observers", [])
    monkeypatch.setattr(appending, "_server_observers", [])
    directory = tmp_path / "holds"
    appending.log_holds(directory)
    directory.rmdir()  # the directory went away (or the disk is full, or its permissions changed)
    _commit_one("Eastmoor Probation")  # no error: the operation and its event are committed
    assert Agency.objects.filter(name="Eastmoor Probation").exists()
    assert AuditEvent.objects.count() == 1
