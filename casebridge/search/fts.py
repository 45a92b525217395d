"""The full-text index over information items, per database engine.

Only an item's title and body are indexed. Source and method text must never be: a match on them
would tell a recipient that the words are there even if the snippet hid them.

SQLite: an FTS5 table with the items table as external content, kept in step by triggers.
PostgreSQL: a GIN index on the same expression the match uses, so the planner can use it.
"""

import re

from django.db.models import Q
from django.db.models.expressions import RawSQL

SQLITE_TABLE = "search_item_fts"
# remove_diacritics 2: "Şahin" finds "Sahin", as practitioners type names from other alphabets.
SQLITE_CREATE = f"""CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(
    title, body, content='items_informationitem', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2')"""
SQLITE_TRIGGERS = {
    "search_item_fts_insert": f"""CREATE TRIGGER IF NOT EXISTS search_item_fts_insert
        AFTER INSERT ON items_informationitem BEGIN
        INSERT INTO {SQLITE_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    "search_item_fts_delete": f"""CREATE TRIGGER IF NOT EXISTS search_item_fts_delete
        AFTER DELETE ON items_informationitem BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        END""",
    "search_item_fts_update": f"""CREATE TRIGGER IF NOT EXISTS search_item_fts_update
        AFTER UPDATE OF title, body ON items_informationitem BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO {SQLITE_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
}
SQLITE_REBUILD = f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('rebuild')"
SQLITE_MATCH = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"

PG_DOCUMENT = "to_tsvector('simple', title || ' ' || body)"
PG_INDEX = "search_item_fts"
PG_CREATE = f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON items_informationitem USING GIN (({PG_DOCUMENT}))"
PG_MATCH = f"SELECT id FROM items_informationitem WHERE {PG_DOCUMENT} @@ plainto_tsquery('simple', %s)"

MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+")  # letters and digits, as FTS5's unicode61 tokenizer splits them


def terms(query: str) -> list[str]:
    """The words of a user's query, with every operator and quote dropped: users type words,
    and FTS syntax in their input must never reach the engine as syntax."""
    return _WORD.findall(query or "")[:MAX_TERMS]


def match_q(vendor: str, words: list[str]) -> Q:
    """Items whose title or body contains every word."""
    if not words:
        return Q(pk__in=[])
    if vendor == "postgresql":
        return Q(pk__in=RawSQL(PG_MATCH, [" ".join(words)]))
    # Each word as an FTS5 string literal: "a" "b" means a AND b, and nothing inside is syntax.
    expression = " ".join('"{}"'.format(w.replace('"', '""')) for w in words)
    return Q(pk__in=RawSQL(SQLITE_MATCH, [expression]))


def install(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_CREATE)
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_CREATE)
            for statement in SQLITE_TRIGGERS.values():
                cursor.execute(statement)
            cursor.execute(SQLITE_REBUILD)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")


def ensure(connection) -> bool:
    """Restore the SQLite triggers if a migration of the items table dropped them (SQLite rebuilds a
    table to alter it, and its triggers go with it), then re-index. Returns whether it had to."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN (%s, %s, %s, %s)",
                       [SQLITE_TABLE, *SQLITE_TRIGGERS])
        present = {row[0] for row in cursor.fetchall()}
    if SQLITE_TABLE not in present or present >= set(SQLITE_TRIGGERS):
        return False  # not migrated yet, or intact
    install(connection)
    return True
