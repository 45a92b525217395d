"""The search indexes, per database engine: item text, and clients' names (docs/search.md).

Item text: only an item's title and body are indexed. Source and method text must never be: a
match on them would tell a recipient that the words are there even if the snippet hid them. Each
word is indexed folded (without case or accents) and stemmed in the interface languages; a query
word matches its own prefix or one of its stems.
  SQLite: a contentless FTS5 table of each item's terms (casebridge.search.stems), kept in step by
    triggers calling the Python function `casebridge_terms` (registered on every connection).
  PostgreSQL: a GIN index over the item's text read with five text search configurations (none,
    English, Dutch, French and German Snowball stemming), each removing accents first.

Clients' names and aliases, folded, word by word: each query word finds the names with a word of
its first letter, and casebridge.cases.names then decides which of them match (a prefix, a typo)
and how well, the same way on both engines, so both find the same clients. Blocking on the first
letter rather than on trigrams also finds the typos that break most trigrams: "Hozdic" finds
"Hodžić" (a typo in the first letter is not found).
  SQLite: a contentless FTS5 table of each client's folded name words (`casebridge_names`), kept
    by triggers, with a prefix index for one and two letters.
  PostgreSQL: a GIN index over the folded names as a text search vector.

PostgreSQL needs the `unaccent` extension. It is "trusted" (PostgreSQL 13 and later): the
database's owner may create it, no superuser needed. Create the database with a UTF-8 LC_CTYPE:
under the C locale, lower() folds only Latin letters.
"""

import re
from importlib.metadata import version

from django.db.models import Q
from django.db.models.expressions import RawSQL

from casebridge.cases.names import indexed_text
from casebridge.search import stems

ITEMS, CLIENTS = "items_informationitem", "cases_client"
SQLITE_TABLE, SQLITE_NAMES, SQLITE_STATE = "search_item_fts", "search_client_fts", "search_index_state"

# Contentless: the terms are computed, not a column of a table, and a 'delete' passes the same
# computed terms back. The terms are folded already; unicode61 splits them.
SQLITE_CREATE = {
    SQLITE_TABLE: f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(terms, content='', "
                  "tokenize='unicode61 remove_diacritics 2')",
    SQLITE_NAMES: f"CREATE VIRTUAL TABLE {SQLITE_NAMES} USING fts5(names, content='', "
                  "tokenize='unicode61 remove_diacritics 2', prefix='1 2')",
    SQLITE_STATE: f"CREATE TABLE {SQLITE_STATE} (name TEXT PRIMARY KEY, signature TEXT NOT NULL)",
}
_ITEM_TERMS = "casebridge_terms({row}.title, {row}.body)"
_CLIENT_NAMES = "casebridge_names({row}.given_name, {row}.family_name, {row}.aliases)"


def _triggers(name: str, table: str, index: str, column: str, value: str, watched: str) -> dict[str, str]:
    add = f"INSERT INTO {index}(rowid, {column}) VALUES (new.id, {value.format(row='new')});"
    remove = f"INSERT INTO {index}({index}, rowid, {column}) VALUES ('delete', old.id, {value.format(row='old')});"
    return {
        f"{name}_insert": f"CREATE TRIGGER IF NOT EXISTS {name}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"{name}_delete": f"CREATE TRIGGER IF NOT EXISTS {name}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"{name}_update": f"CREATE TRIGGER IF NOT EXISTS {name}_update AFTER UPDATE OF {watched} ON {table} "
                          f"BEGIN {remove} {add} END",
    }


SQLITE_TRIGGERS = {
    **_triggers("search_item_fts", ITEMS, SQLITE_TABLE, "terms", _ITEM_TERMS, "title, body"),
    **_triggers("search_client_fts", CLIENTS, SQLITE_NAMES, "names", _CLIENT_NAMES, "given_name, family_name, aliases"),
}
SQLITE_INDEX_RANGE = (f"INSERT INTO {SQLITE_TABLE}(rowid, terms) SELECT id, {_ITEM_TERMS.format(row=ITEMS)} "
                      f"FROM {ITEMS} WHERE id BETWEEN %s AND %s")
SQLITE_MATCH = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"
SQLITE_NAME_MATCH = f"SELECT rowid FROM {SQLITE_NAMES} WHERE {SQLITE_NAMES} MATCH %s"
# What the SQLite terms are computed with. When it changes the index is rebuilt (`ensure`): a
# 'delete' must pass back the very terms that were indexed.
SIGNATURE = f"terms-1 snowballstemmer-{version('snowballstemmer')}"

PG_CONFIGS = {"casebridge_simple": "simple", "casebridge_english": "english_stem",
              "casebridge_dutch": "dutch_stem", "casebridge_french": "french_stem",
              "casebridge_german": "german_stem"}
PG_INDEX, PG_NAME_INDEX = "search_item_fts", "search_client_names"
PG_DOCUMENT = "(" + " || ".join(f"to_tsvector('{c}'::regconfig, title || ' ' || body)" for c in PG_CONFIGS) + ")"
PG_NAMES = "to_tsvector('simple'::regconfig, casebridge_fold(given_name || ' ' || family_name || ' ' || aliases::text))"
# Every query word: its prefix (or itself) without stemming, or its stem in one of the languages.
_PG_WORD = "(to_tsquery('casebridge_simple'::regconfig, %s) || " + " || ".join(
    f"plainto_tsquery('{c}'::regconfig, %s)" for c in list(PG_CONFIGS)[1:]) + ")"

MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+")  # letters and digits, as FTS5's unicode61 tokenizer splits them


def terms(query: str) -> list[str]:
    """The words of a user's query, with every operator and quote dropped: users type words,
    and FTS syntax in their input must never reach the engine as syntax."""
    return _WORD.findall(query or "")[:MAX_TERMS]


def match_q(vendor: str, words: list[str]) -> Q:
    """Items whose title or body contains every word: as itself, as a prefix (3 letters or more),
    or by its stem in one of the interface languages."""
    if not words:
        return Q(pk__in=[])
    words = [word for word in words if stems.alternatives(word)[0]]
    if not words:
        return Q(pk__in=[])
    if vendor == "postgresql":
        params = []
        for word in words:
            folded, prefix, _ = stems.alternatives(word)
            params += [f"'{folded}'" + (":*" if prefix else "")] + [word] * (len(PG_CONFIGS) - 1)
        query = " && ".join([_PG_WORD] * len(words))
        return Q(pk__in=RawSQL(f"SELECT id FROM {ITEMS} WHERE {PG_DOCUMENT} @@ ({query})", params))
    # Each alternative as an FTS5 string literal ("a"* for a prefix): nothing the user typed is syntax.
    groups = []
    for word in words:
        folded, prefix, stemmed = stems.alternatives(word)
        options = [_literal(folded) + ("*" if prefix else "")] + [_literal(s) for s in stemmed]
        groups.append("(" + " OR ".join(options) + ")")
    return Q(pk__in=RawSQL(SQLITE_MATCH, [" AND ".join(groups)]))


def clients_raw(vendor: str, words: list[str]) -> RawSQL:
    """The ids of the clients whom every (folded) word may name: a superset, narrowed by the name
    index (a word of the same first letter), of those casebridge.cases.names then finds named."""
    if not words:
        return RawSQL(f"SELECT id FROM {CLIENTS} WHERE 1 = 0", [])
    if vendor == "postgresql":
        first = " & ".join(f"'{word[0]}':*" for word in words)  # a letter or digit: never syntax
        return RawSQL(f"SELECT id FROM {CLIENTS} WHERE {PG_NAMES} @@ to_tsquery('simple'::regconfig, %s)", [first])
    # Each word's first letter: every name a prefix or a typo of it could be (not a typo in that letter).
    return RawSQL(SQLITE_NAME_MATCH, [" AND ".join(_literal(word[0]) + "*" for word in words)])


def _literal(text: str) -> str:
    return '"{}"'.format(text.replace('"', '""'))


def register_functions(sender=None, connection=None, **kwargs) -> None:
    """The Python functions the SQLite index triggers call, on every new connection (connection_created)."""
    if connection is not None and connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("casebridge_terms", 2, stems.document_terms, deterministic=True)
        raw.create_function("casebridge_names", 3, indexed_text, deterministic=True)


def install(connection) -> None:
    """Create (or re-create and fill) the indexes: idempotent, and it replaces the indexes of
    earlier versions."""
    if connection.vendor == "postgresql":
        _install_postgresql(connection)
    elif connection.vendor == "sqlite":
        uninstall(connection)
        with connection.cursor() as cursor:
            for statement in (*SQLITE_CREATE.values(), *SQLITE_TRIGGERS.values()):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {SQLITE_TABLE}(rowid, terms) SELECT id, {_ITEM_TERMS.format(row=ITEMS)} "
                           f"FROM {ITEMS}")
            cursor.execute(f"INSERT INTO {SQLITE_NAMES}(rowid, names) SELECT id, {_CLIENT_NAMES.format(row=CLIENTS)} "
                           f"FROM {CLIENTS}")
            cursor.execute(f"INSERT INTO {SQLITE_STATE}(name, signature) VALUES ('terms', %s)", [SIGNATURE])


def _schema_of(cursor, extension: str) -> str:
    cursor.execute("SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                   "WHERE e.extname = %s", [extension])
    return cursor.fetchone()[0]


def _install_postgresql(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        unaccent = _schema_of(cursor, "unaccent")
        _uninstall_postgresql(cursor)
        # Immutable, and schema-qualified so that an index over it reads the same under any search_path.
        cursor.execute("CREATE FUNCTION casebridge_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
                       f"PARALLEL SAFE AS $$ SELECT lower({unaccent}.unaccent('{unaccent}.unaccent'::regdictionary, $1)) $$")
        for config, dictionary in PG_CONFIGS.items():
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.simple)")
            cursor.execute(f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR asciiword, asciihword, "
                           f"hword_asciipart, word, hword, hword_part WITH {unaccent}.unaccent, pg_catalog.{dictionary}")
        cursor.execute(f"CREATE INDEX {PG_INDEX} ON {ITEMS} USING GIN (({PG_DOCUMENT}))")
        cursor.execute(f"CREATE INDEX {PG_NAME_INDEX} ON {CLIENTS} USING GIN (({PG_NAMES}))")


def _uninstall_postgresql(cursor) -> None:
    cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    cursor.execute(f"DROP INDEX IF EXISTS {PG_NAME_INDEX}")
    for config in PG_CONFIGS:
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}")
    cursor.execute("DROP FUNCTION IF EXISTS casebridge_fold(text)")


def uninstall(connection) -> None:
    """Drop the indexes (the PostgreSQL extension stays: other objects may use it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _uninstall_postgresql(cursor)
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for table in SQLITE_CREATE:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")


def ensure(connection) -> bool:
    """Restore the SQLite indexes if a migration of the items or clients table dropped their
    triggers (SQLite rebuilds a table to alter it, and its triggers go with it), or if the terms are
    computed differently now (a new stemmer): re-create and re-fill them. Returns whether it had to."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        expected = [*SQLITE_CREATE, *SQLITE_TRIGGERS]
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN ("
                       + ", ".join(["%s"] * len(expected)) + ")", expected)
        present = {row[0] for row in cursor.fetchall()}
        if SQLITE_TABLE not in present:
            return False  # not migrated yet
        signature = None
        if SQLITE_STATE in present:
            cursor.execute(f"SELECT signature FROM {SQLITE_STATE} WHERE name = 'terms'")
            signature = next(iter(cursor.fetchone() or ()), None)
    if present == set(expected) and signature == SIGNATURE:
        return False
    install(connection)
    return True
