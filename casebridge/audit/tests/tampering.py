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


def rechain_from(seq: int) -> None:
    """What an insider who knows the hashing does after editing event #seq: recompute its hash and
    every later one, so that the chain alone verifies again."""
    from casebridge.audit.models import AuditEvent
    from casebridge.audit.services import compute_hash
    from casebridge.audit.verification import _FIELDS

    appending.flush()
    previous = AuditEvent.objects.filter(seq=seq - 1).values_list("hash", flat=True).first() or "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq").prefetch_related("concerned_agencies"):
        concerns = {c.agency_id: c.items for c in event.concerned_agencies.all()}
        fields = {name: getattr(event, name) for name in _FIELDS}
        fields["prev_hash"] = previous
        previous = compute_hash(**fields, concerns=concerns)
        raw("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s", [fields["prev_hash"], previous,
                                                                                      event.seq])
