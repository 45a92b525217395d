"""The application's database role cannot alter the trail: on PostgreSQL it may only insert and
read audit rows and, owning nothing, cannot drop or disable the append-only triggers; on SQLite
(one file, no roles) the triggers refuse every update and delete."""

import uuid
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

from casebridge.audit.models import AuditEvent, AuditEventAgency, ItemRead, Operation
from casebridge.audit.roles import AUDIT_TABLES, grant_statements
from casebridge.audit.services import record
from casebridge.audit.tests.tampering import raw
from casebridge.conftest import PURPOSE

ITEM = "items.informationitem"


def _attacks() -> list[str]:
    attacks = [f"UPDATE {table} SET id = id" for table in AUDIT_TABLES]
    attacks += [f"DELETE FROM {table}" for table in AUDIT_TABLES]
    if connection.vendor == "postgresql":
        attacks += [f"TRUNCATE {table}" for table in AUDIT_TABLES]
        attacks += ["DROP TRIGGER audit_event_no_change ON audit_auditevent",
                    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
                    "DROP TABLE audit_itemread",
                    "DROP FUNCTION audit_event_append_only() CASCADE",
                    # The server-side append (migration audit 0006) cannot be replaced or dropped either.
                    "CREATE OR REPLACE FUNCTION casebridge_audit_append(batch jsonb) RETURNS jsonb "
                    "LANGUAGE sql AS $$ SELECT '{}'::jsonb $$",
                    "DROP FUNCTION casebridge_audit_append(jsonb)"]
    return attacks


@contextmanager
def application_role():
    """On PostgreSQL, act as an application role granted what `casebridge audit grants` prints
    (a new role each run, gone with the test's transaction); SQLite has no roles."""
    if connection.vendor != "postgresql":
        yield
        return
    role = f"casebridge_app_test_{uuid.uuid4().hex[:12]}"
    raw(f"CREATE ROLE {role} NOLOGIN")
    for statement in grant_statements(role):
        raw(statement)
    raw(f"SET ROLE {role}")
    try:
        yield
    finally:
        raw("RESET ROLE")


def _trail():
    record(actor=None, operation=Operation.READ, object_type=ITEM, object_id=7, purpose=PURPOSE,
           detail={"basis": "originator"}, concerning=[type("Item", (), {"pk": 7, "originating_agency_id": 1})()])


def test_the_application_role_can_append_and_read_the_trail(db):
    _trail()
    with application_role():
        with transaction.atomic():
            _trail()
        assert AuditEvent.objects.count() == 2
        assert AuditEventAgency.objects.count() == 2 and ItemRead.objects.count() == 2


def test_the_application_role_cannot_update_delete_truncate_or_unprotect_the_trail(db):
    _trail()
    with application_role():
        refused = []
        for attack in _attacks():
            try:
                with transaction.atomic():
                    raw(attack)
            except DatabaseError:
                refused.append(attack)
        assert refused == _attacks()
    assert (AuditEvent.objects.count(), AuditEventAgency.objects.count(), ItemRead.objects.count()) == (1, 1, 1)
