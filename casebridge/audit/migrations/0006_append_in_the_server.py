"""PostgreSQL: the audit chain is appended by one function in the server (casebridge_audit_append),
called in the same round trip as the COMMIT, so the chain lock is never held while the server
waits for the application (docs/architecture.md, "Appending just before commit").

The function takes the chain lock, reads the chain's end (each statement of a function sees what
has committed by then), hashes each event from the canonical form Python prepared around its
place (`chain.hash_template`: sha256 of "[" seq middle '"' prev_hash '"' tail, exactly
`chain.compute_hash`), and inserts the events, their concerned agencies and their item reads. It
runs with the caller's rights (the application role's INSERT on the audit tables, nothing more),
on a fixed search path, and refuses any isolation level but READ COMMITTED (Django's default).
SQLite needs none of this: its writer holds the database's one lock already."""

from django.db import migrations

LOCK_KEY = 727_274_001  # the chain lock: the advisory lock every append takes (the same key as before 0006)

APPEND = f"""
CREATE OR REPLACE FUNCTION casebridge_audit_append(batch jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public AS $fn$
DECLARE
    last_seq bigint;
    prev text;
    granted double precision;
    event jsonb;
    n integer := 0;
    prevs text[] := ARRAY[]::text[];
    hashes text[] := ARRAY[]::text[];
BEGIN
    -- The chain's end must be read after the lock is granted: each statement of the function then
    -- sees what has committed by then, which READ COMMITTED gives and a transaction snapshot does not.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'casebridge_audit_append needs READ COMMITTED, not %',
            current_setting('transaction_isolation');
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK_KEY});
    granted := extract(epoch FROM clock_timestamp());
    SELECT seq, hash INTO last_seq, prev FROM audit_auditevent ORDER BY seq DESC LIMIT 1;
    IF last_seq IS NULL THEN
        last_seq := 0;
        prev := repeat('0', 64);
    END IF;
    FOR event IN SELECT value FROM jsonb_array_elements(batch) LOOP
        n := n + 1;
        prevs := prevs || prev;
        prev := encode(sha256(convert_to(
            '[' || (last_seq + n)::text || (event->>'middle') || '"' || prev || '"' || (event->>'tail'), 'UTF8')),
            'hex');
        hashes := hashes || prev;
    END LOOP;
    INSERT INTO audit_auditevent (seq, at, operation, purpose, actor_id, actor_username, agency_id, agency_name,
                                  object_type, object_id, case_id, recipients, detail, prev_hash, hash)
    SELECT last_seq + e.i, (e.value->>'at')::timestamptz, e.value->>'operation', e.value->>'purpose',
           (e.value->>'actor_id')::bigint, e.value->>'actor_username', (e.value->>'agency_id')::bigint,
           e.value->>'agency_name', e.value->>'object_type', e.value->>'object_id', (e.value->>'case_id')::bigint,
           e.value->'recipients', e.value->'detail', prevs[e.i::integer], hashes[e.i::integer]
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS e(value, i);
    INSERT INTO audit_auditeventagency (event_seq, agency_id, items)
    SELECT last_seq + e.i, (l.value->>0)::bigint, l.value->1
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS e(value, i), jsonb_array_elements(e.value->'links') AS l(value);
    INSERT INTO audit_itemread (event_seq, item_id, basis)
    SELECT last_seq + e.i, (r.value->>0)::bigint, r.value->>1
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS e(value, i), jsonb_array_elements(e.value->'reads') AS r(value);
    RETURN jsonb_build_object('first', last_seq + 1, 'prev', prevs[1], 'hashes', to_jsonb(hashes),
                              'granted', granted, 'appended', extract(epoch FROM clock_timestamp()));
END
$fn$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND, params=None)  # no placeholders: RAISE formats with %


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS casebridge_audit_append(jsonb)")


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_audit_item_reads")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
