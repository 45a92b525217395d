"""Writing a batch's rows in bulk: ids reserved in one statement, items with one prepared INSERT, the
full-text index in one statement a batch (SQLite), the mapping rows with multi-row INSERTs.

Per-row ORM saves and per-row queries would cost more than the database's own work at the rates an
import must reach (docs/benchmarks.md, "Ingest"); everything here is one statement per batch and
table, inside the batch's transaction.
"""

from contextlib import contextmanager

from django.db import connection

from casebridge.items.models import InformationItem
from casebridge.search import fts


def reserve_ids(model, count: int) -> list[int]:
    """`count` new primary keys of `model`'s table, for rows this transaction is about to insert.

    PostgreSQL: drawn from the table's sequence (other writers draw theirs in between: the ids
    need not follow each other). SQLite: the transaction holds the database's one write lock from
    its start (IMMEDIATE), so the ids after the highest ever given (AUTOINCREMENT's sequence
    included) are this transaction's, and they follow each other."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT max(id) FROM {connection.ops.quote_name(table)}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        first = max(highest, row[0] if row else 0) + 1
    return list(range(first, first + count))


class ItemWriter:
    """Items with one prepared INSERT a batch. bulk_create compiles SQL for every few dozen rows and
    prepares every value through its field, which costs more than SQLite's own work; here dates and
    times are adapted by the connection as the fields would, and defaults come from the fields."""

    def __init__(self):
        ops = connection.ops
        self.fields = InformationItem._meta.concrete_fields
        self.names = [f.attname for f in self.fields]
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            ops.quote_name(InformationItem._meta.db_table), ", ".join(ops.quote_name(f.column) for f in self.fields),
            ", ".join(["%s"] * len(self.fields)))
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        kinds = {f.attname: f.get_internal_type() for f in self.fields}
        self.dates = [n for n, f in enumerate(self.fields) if kinds[f.attname] == "DateField"]
        self.times = [n for n, f in enumerate(self.fields) if kinds[f.attname] == "DateTimeField"]
        self.adapted: dict = {None: None}

    def _time(self, value):
        if value not in self.adapted:
            self.adapted[value] = connection.ops.adapt_datetimefield_value(value)
        return self.adapted[value]

    def write(self, drafts: list[dict]) -> None:
        """Insert the items (each a dict of attnames, `id` included); missing fields take their defaults."""
        names, defaults, rows = self.names, self.defaults, []
        adapt_date = connection.ops.adapt_datefield_value
        for draft in drafts:
            row = [draft.get(name, defaults[name]) for name in names]
            for n in self.dates:
                row[n] = adapt_date(row[n])
            for n in self.times:
                row[n] = self._time(row[n])
            rows.append(row)
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)


@contextmanager
def indexed_per_batch(first: int, last: int):
    """Full-text index the items of ids `first`..`last` with one statement instead of row by row.

    SQLite keeps its FTS5 index current with a row trigger, and FTS5 flushes its in-memory buffer
    at the end of every trigger statement: 35-40 µs of CPU an item, more than the item and its
    audit event together (docs/benchmarks.md). Inside the batch's transaction the insert trigger is
    lifted and the batch indexed in one INSERT ... SELECT. DDL is transactional in SQLite: other
    connections see the old state with its trigger, or the new rows indexed with the trigger back;
    a batch that fails rolls the DROP back with everything else. PostgreSQL's GIN index is kept by
    the insert itself."""
    if connection.vendor != "sqlite":
        yield
        return
    name = "search_item_fts_insert"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}")
        yield
        cursor.execute(fts.SQLITE_INDEX_RANGE, [first, last])
        cursor.execute(fts.SQLITE_TRIGGERS[name])
