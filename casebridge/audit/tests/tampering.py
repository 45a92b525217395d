"""Simulating an attacker with direct database access: drop the append-only triggers first."""

from django.db import connection

from casebridge.audit import appending


def drop_append_only_triggers():
    appending.flush()  # what the test recorded is written before the attacker looks
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_event_no_change ON audit_auditevent")
            cursor.execute("DROP TRIGGER audit_event_agency_no_change ON audit_auditeventagency")
        else:
            for name in ("audit_event_no_update", "audit_event_no_delete", "audit_event_agency_no_update",
                         "audit_event_agency_no_delete"):
                cursor.execute(f"DROP TRIGGER {name}")


def raw(sql, params=()):
    appending.flush()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
