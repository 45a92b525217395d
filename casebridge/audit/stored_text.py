"""SQLite: an event's hash checked on the text the database holds, without decoding its JSON.

SQLite keeps the text it is given, and the trail's JSON columns hold the chain's canonical form
(`appending.insert`). So the database can write out the very text an event's hash covers, in
C: its values JSON-quoted, the JSON columns as stored, the concerned agencies joined in order, all
in one `printf`. Python then only hashes it. Decoding and encoding a consultation's 1-3 KB of JSON
again, as `verification._Rehash` does, costs ten times more.

This check only ever answers "the same as recomputing" or "look closer": any row it does not
accept is recomputed by `_Rehash` (which also gives the reason). It accepts a row only when the
SHA-256 of the text below equals the stored hash. For a hash Casebridge wrote, that text is then the
one it hashed (SHA-256 has no known collisions), and the values `_Rehash` reads back from the row
give that same text, so recomputing accepts the row too:

- the values are written out as JSON that reads back as exactly the stored values (`json_quote`;
  a time as its ISO form, the stored UTC time with "T" and "+00:00", which `_Rehash` gives from it);
- a JSON column is used as it stands, so where it ends must be certain, or bytes moved from one
  column into the next would go unnoticed. The recipients must be one valid JSON value
  (`json_valid`), so the detail starts where it started. The detail ends where it ended because
  what follows it has exactly two quotation marks, around the previous hash (64 hexadecimal
  digits), as in the written text: the concerned agencies hold only numbers;
- each concerned agency's row must on its own be an integer and one list whose only "]" ends it
  (in SQL), and all of them together `[agency,[item,...]]` of integers in canonical form (`LINKS`),
  ordered by agency and by item as `chain.hash_values` orders them: rows merged or split, their text
  together unchanged, are refused.

An insider who rewrites a row and computes its new hash (and every later one) fools the chain
alone either way; the signed checkpoints find them (casebridge.audit.checkpoints). This check
would also take such a rewrite stored in another JSON form, which recomputing refuses: that
changes how they would forge, not whether they can.

Rows written before the JSON was stored in canonical form, or stored in another time zone, are not
accepted here and are recomputed: older trails verify as before, at the speed they did.
"""

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from hashlib import sha256

from django.conf import settings
from django.db import connection

from casebridge.audit.models import AuditEvent, AuditEventAgency

_SCALARS = ("operation", "purpose", "actor_id", "actor_username", "agency_id", "agency_name", "object_type",
            "object_id", "case_id")
# What the concerned agencies of one event look like in the written text, without the brackets
# around them all: [agency,[item,...]] of integers, joined by commas.
_PAIR = rb"\[-?\d+,\[(?:-?\d+(?:,-?\d+)*)?\]\]"
LINKS = re.compile(rb"(?:%s(?:,%s)*)?" % (_PAIR, _PAIR))
HEX = re.compile(r"[0-9a-f]{64}")


@dataclass
class Place:
    """Where verification has got to: the next event expected, the hash it must link to (None: any,
    for the event a checkpoint vouches for), how many events were found intact so far."""

    seq: int
    prev: str | None
    checked: int = 0


def usable(conn) -> bool:
    """Whether this connection's rows can be checked on their text: SQLite, storing times in UTC
    (the default), so that an ISO time is the stored one with "T" and the offset."""
    return conn.vendor == "sqlite" and (not settings.USE_TZ or conn.timezone_name == "UTC")


def select(conn) -> str:
    """One statement, in the driver's own parameter style (sqlite3's "?"): for each event from seq
    ? on, ? at most, in chain order, its
    seq, its written text up to the previous hash, its concerned agencies (the text's end: empty if
    none), its previous hash, its hash, and whether its recipients are one valid JSON value."""
    quote, table = conn.ops.quote_name, AuditEvent._meta.db_table
    column = {f.name: f"e.{quote(f.column)}" for f in AuditEvent._meta.concrete_fields}
    link = {f.name: quote(f.column) for f in AuditEventAgency._meta.concrete_fields}
    offset = "+00:00" if settings.USE_TZ else ""
    values = [f"json_quote(replace({column['at']}, ' ', 'T') || '{offset}')",
              *(f"json_quote({column[name]})" for name in _SCALARS),
              column["recipients"], column["detail"], f"json_quote({column['prev_hash']})"]
    # printf writes the text once (|| would copy it at every step).
    text = "printf('[%s," + ",".join(["%s"] * len(values)) + "', " + ", ".join([column["seq"], *values]) + ")"
    agency, items = link["agency_id"], link["items"]
    # Each row on its own must be one agency and one list (whose only "]" ends it; `LINKS` checks
    # the rest): rows merged or split, their text together unchanged, are refused ("!" never matches).
    pair = (f"CASE WHEN typeof({agency}) = 'integer' AND instr({items}, ']') = length({items}) "
            f"THEN '[' || {agency} || ',' || {items} || ']' ELSE '!' END")
    links = (f"(SELECT group_concat(pair) FROM (SELECT {pair} AS pair FROM {quote(AuditEventAgency._meta.db_table)} "
             f"WHERE {link['event']} = {column['seq']} ORDER BY {agency}))")
    return (f"SELECT {column['seq']}, CAST({text} AS BLOB), CAST(coalesce({links}, '') AS BLOB), "
            f"{column['prev_hash']}, {column['hash']}, "
            f"typeof({column['detail']}) = 'text' AND json_valid({column['recipients']}) "
            f"FROM {quote(table)} e WHERE {column['seq']} >= ? ORDER BY {column['seq']} LIMIT ?")


def written(text: bytes, links: bytes) -> bytes | None:
    """The text the event's hash covers, from `select`'s two parts; None when its concerned agencies
    are not in canonical form."""
    if not links:
        return text + b"]"
    if LINKS.fullmatch(links) is None:
        return None
    return b"".join((text, b",[", links, b"]]"))


def hex_digest(value) -> bool:
    """Whether a previous hash that no earlier event vouches for (the first one checked) is one."""
    return isinstance(value, str) and HEX.fullmatch(value) is not None


def check(place: Place, batch_size: int, progress, since) -> bool:
    """Move `place` over the events from it on whose stored text hashes to their hash and which link
    to the one before (to the checkpoint `since` for the first, if given), up to the first that does
    not. True when that was the end of the trail.

    A thread reads the next batch while this one is hashed: SQLite lets go of Python's lock while it
    writes the texts out, which is most of the work, so on two cores the two overlap."""
    connection.ensure_connection()
    sql, driver = select(connection), connection.connection  # one thread at a time uses it
    signed = (since.seq, since.hash) if since else (None, None)
    with ThreadPoolExecutor(1, thread_name_prefix="audit-verify") as reader:
        fetching = reader.submit(_fetch, driver, sql, place.seq, batch_size)
        while True:
            try:
                rows = fetching.result()
            except sqlite3.Error:  # a value it cannot write out (a BLOB where text belongs): recompute it
                return False
            if len(rows) == batch_size:  # the next batch, read while this one is hashed
                fetching = reader.submit(_fetch, driver, sql, rows[-1][0] + 1, batch_size)
            accepted = _accepted(rows, place, *signed)
            if progress is not None and accepted:
                progress(accepted)
            if accepted < len(rows) or len(rows) < batch_size:
                fetching.result()  # done with the connection before the caller uses it again
                return accepted == len(rows)


def _fetch(driver, sql: str, first: int, size: int) -> list:
    return driver.execute(sql, (first, size)).fetchall()


def _accepted(rows, place: Place, signed_seq: int | None, signed_hash: str | None) -> int:
    """How many of `rows` (`select`'s), from the first, are intact and linked; moves `place`."""
    seq_expected, prev_expected, done = place.seq, place.prev, 0
    for seq, text, links, prev, digest, valid in rows:
        if seq != seq_expected or not valid:
            break
        if prev != prev_expected and (prev_expected is not None or not hex_digest(prev)):
            break
        body = text + b"]" if not links else written(text, links)
        if body is None or sha256(body).hexdigest() != digest or (seq == signed_seq and digest != signed_hash):
            break
        seq_expected, prev_expected, done = seq + 1, digest, done + 1
    place.seq, place.prev, place.checked = seq_expected, prev_expected, place.checked + done
    return done
