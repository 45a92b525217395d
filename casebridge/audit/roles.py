"""The PostgreSQL privileges of the application role (docs/architecture.md "Two roles").

Migrations run as the owner of the tables; the web server runs as an application role that owns
nothing. It may read and write the application's tables, but only INSERT and SELECT the audit
tables: it cannot update, delete or truncate the trail, and since only a table's owner may drop
or disable its triggers, it cannot lift the append-only triggers either. `casebridge audit grants`
prints these statements for the owner to run after every migration.
"""

from django.db import connection

# Audit tables: the trail, the agencies each event concerns, the item reads each event showed.
AUDIT_TABLES = ("audit_auditevent", "audit_auditeventagency", "audit_itemread")


def grant_statements(role: str) -> list[str]:
    """SQL, run by the owner, giving `role` what the application needs and nothing more."""
    name = connection.ops.quote_name(role)
    audit = ", ".join(AUDIT_TABLES)
    return [
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
    ]
