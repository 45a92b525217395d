"""The search indexes, per database engine: item text, and clients' names (docs/search.md).

Item text: only an item's title and body are indexed. Source and method text must never be: a
match on them would tell a recipient that the words are there even if the snippet hid them. Each
word is indexed folded (without case or accents) and stemmed in the interface languages; a query
word matches its own prefix or one of its stems.
  SQLite: a contentless FTS5 table of each item's terms (casebridge.search.stems), kept in step by
    triggers calling the Python function `casebridge_terms` (registered on every connection). Every
    term is indexed twice: as itself, and within the item's case ("_12_tenancy", `in_case`), so
    that a search asks for the matching items of the searcher's cases only (`match_q`).
  PostgreSQL: the item's text read with five text search configurations (none, English, Dutch,
    French and German Snowball stemming), each removing accents first, stored without positions
    in a column kept by a trigger, with a GIN index: a rare word is found through the index, and a
    common one is tested on the few rows of the searcher's cases without parsing their text again.

Why the case: a common word matches most of a million items; matching it first and filtering
after costs the whole match on every search. Everyone searches within the cases they may see
(casebridge.policy.cases: their own team's), a few thousand items at most, so the search starts
from those cases and the match only tests their items (docs/search.md, "Performance").

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

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from casebridge.cases.names import indexed_text
from casebridge.search import stems

ITEMS, CLIENTS = "items_informationitem", "cases_client"
SQLITE_TABLE, SQLITE_NAMES, SQLITE_STATE = "search_item_fts", "search_client_fts", "search_index_state"

# Contentless: the terms are computed, not a column of a table, and a 'delete' passes the same
# computed terms back. The terms are folded already; unicode61 splits them, and keeps "_" in a
# word only so that a term within its case (`in_case`) stays one word no query can type.
SQLITE_CREATE = {
    SQLITE_TABLE: f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(terms, content='', "
                  "tokenize=\"unicode61 remove_diacritics 2 tokenchars '_'\")",
    SQLITE_NAMES: f"CREATE VIRTUAL TABLE {SQLITE_NAMES} USING fts5(names, content='', "
                  "tokenize='unicode61 remove_diacritics 2', prefix='1 2')",
    SQLITE_STATE: f"CREATE TABLE {SQLITE_STATE} (name TEXT PRIMARY KEY, signature TEXT NOT NULL)",
}
_ITEM_TERMS = "casebridge_terms({row}.title, {row}.body, {row}.case_id)"
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
    **_triggers("search_item_fts", ITEMS, SQLITE_TABLE, "terms", _ITEM_TERMS, "title, body, case_id"),
    **_triggers("search_client_fts", CLIENTS, SQLITE_NAMES, "names", _CLIENT_NAMES, "given_name, family_name, aliases"),
}
SQLITE_INDEX_RANGE = (f"INSERT INTO {SQLITE_TABLE}(rowid, terms) SELECT id, {_ITEM_TERMS.format(row=ITEMS)} "
                      f"FROM {ITEMS} WHERE id BETWEEN %s AND %s")
SQLITE_MATCH = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"
SQLITE_NAME_MATCH = f"SELECT rowid FROM {SQLITE_NAMES} WHERE {SQLITE_NAMES} MATCH %s"
# What the SQLite terms are computed with. When it changes the index is rebuilt (`ensure`): a
# 'delete' must pass back the very terms that were indexed.
SIGNATURE = f"terms-2 snowballstemmer-{version('snowballstemmer')}"

PG_CONFIGS = {"casebridge_simple": "simple", "casebridge_english": "english_stem",
              "casebridge_dutch": "dutch_stem", "casebridge_french": "french_stem",
              "casebridge_german": "german_stem"}
PG_INDEX, PG_NAME_INDEX = "search_item_fts", "search_client_names"
# The item's text in every configuration, without positions (no search asks for them): kept in a
# column by a trigger rather than generated, as a generated column would forbid altering the type
# of `title` or `body` (a longer title is an ALTER TYPE) and tie the configurations to the table.
PG_COLUMN, PG_TRIGGER, PG_FUNCTION = "search_document", "search_item_document", "casebridge_item_document"
PG_DOCUMENT = "strip(" + " || ".join(
    f"to_tsvector('{c}'::regconfig, coalesce({{row}}title, '') || ' ' || coalesce({{row}}body, ''))"
    for c in PG_CONFIGS) + ")"
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


def match_q(vendor: str, words: list[str], cases: list[int] | None = None) -> Q:
    """Items whose title or body contains every word: as itself, as a prefix (3 letters or more),
    or by its stem in one of the interface languages; with `cases`, only the items of those cases,
    which the engine then tests alone instead of matching the words across every item."""
    if not words or cases == []:
        return Q(pk__in=[])
    words = [word for word in words if stems.alternatives(word)[0]]
    if not words:
        return Q(pk__in=[])
    within = Q() if cases is None else Q(case_id__in=cases)
    if vendor == "postgresql":
        params = []
        for word in words:
            folded, prefix, _ = stems.alternatives(word)
            params += [f"'{folded}'" + (":*" if prefix else "")] + [word] * (len(PG_CONFIGS) - 1)
        query = " && ".join([_PG_WORD] * len(words))
        # A condition on the row itself, not an IN over the whole match: the planner tests it on
        # the rows of the given cases, or goes through the index when the words are rare.
        return within & Q(RawSQL(f'"{ITEMS}"."{PG_COLUMN}" @@ ({query})', params, output_field=BooleanField()))
    # Each alternative as an FTS5 string literal ("a"* for a prefix): nothing the user typed is syntax.
    groups = [_sqlite_group(word, cases) for word in words]
    return within & Q(pk__in=RawSQL(SQLITE_MATCH, [" AND ".join(groups)]))


def _sqlite_group(word: str, cases: list[int] | None) -> str:
    """One query word's alternatives as an FTS5 expression: anywhere, or in one of `cases` (its
    prefix then spans the terms of those cases' items alone, not those of a million items)."""
    folded, prefix, stemmed = stems.alternatives(word)
    star = "*" if prefix else ""
    if cases is None:
        options = [_literal(folded) + star] + [_literal(s) for s in stemmed]
    else:
        options = [_literal(in_case(case, folded)) + star for case in cases]
        options += [_literal(in_case(case, s)) for case in cases for s in stemmed]
    return "(" + " OR ".join(options) + ")"


def in_case(case_id, term: str) -> str:
    """A term of the SQLite index as it stands for the items of one case: "_12_tenancy". A query word
    is letters and digits only (`terms`, `stems.alternatives`), so none can spell it: "_" is a word
    character for this index alone (SQLITE_CREATE), and only `match_q` asks for these terms."""
    return f"_{int(case_id)}_{term}"


def item_terms(title, body, case_id) -> str:
    """What the SQLite index holds for an item: its words and stems, and each again within its case."""
    found = stems.document_terms(title, body)
    return f"{found} {' '.join(in_case(case_id, term) for term in found.split())}"


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
        raw.create_function("casebridge_terms", 3, item_terms, deterministic=True)
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
        # Filled once here (every item's text parsed), then kept by the trigger on every write.
        cursor.execute(f"ALTER TABLE {ITEMS} ADD COLUMN {PG_COLUMN} tsvector")
        cursor.execute(f"UPDATE {ITEMS} SET {PG_COLUMN} = {PG_DOCUMENT.format(row='')}")
        cursor.execute(f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       f"NEW.{PG_COLUMN} := {PG_DOCUMENT.format(row='NEW.')}; RETURN NEW; END $$")
        cursor.execute(f"CREATE TRIGGER {PG_TRIGGER} BEFORE INSERT OR UPDATE OF title, body ON {ITEMS} "
                       f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()")
        cursor.execute(f"CREATE INDEX {PG_INDEX} ON {ITEMS} USING GIN ({PG_COLUMN})")
        cursor.execute(f"CREATE INDEX {PG_NAME_INDEX} ON {CLIENTS} USING GIN (({PG_NAMES}))")


def _uninstall_postgresql(cursor) -> None:
    cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    cursor.execute(f"DROP INDEX IF EXISTS {PG_NAME_INDEX}")
    cursor.execute(f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {ITEMS}")
    cursor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    cursor.execute(f"ALTER TABLE {ITEMS} DROP COLUMN IF EXISTS {PG_COLUMN}")
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
