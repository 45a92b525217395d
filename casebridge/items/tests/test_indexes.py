"""The item table carries the indexes its lookups use, and no more: each is written for every item
(migration items 0007, docs/benchmarks.md "Ingest")."""

import pytest
from django.db import connection

from casebridge.items.models import InformationItem
from casebridge.search import fts

pytestmark = pytest.mark.django_db

TABLE = InformationItem._meta.db_table


def _indexes():
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    return {name: tuple(info["columns"]) for name, info in found.items() if info["index"] and not info["primary_key"]}


def test_lookups_by_case_and_agency_use_the_composite_indexes_only():
    indexes = _indexes()
    single = sorted(columns for columns in indexes.values() if len(columns) == 1 and columns != (fts.PG_COLUMN,))
    assert single == [("author_id",), ("derived_from_id",), ("retracted_by_id",)]
    assert indexes["item_case_timeline"] == ("case_id", "fact_date", "id")
    assert indexes["item_originator_category"] == ("originating_agency_id", "category")


def test_derived_and_retracted_are_indexed_only_where_set():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [TABLE])
        else:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        definitions = dict(cursor.fetchall())
    assert "IS NOT NULL" in definitions["item_derived_from"]
    assert "IS NOT NULL" in definitions["item_retracted_by"]


def test_the_full_text_triggers_survive_the_migration():
    """Altering a foreign key rebuilds an SQLite table and drops its triggers: the migration must not."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE])
        triggers = {name for (name,) in cursor.fetchall()}
    expected = {name for name in fts.SQLITE_TRIGGERS if name.startswith("search_item")} if connection.vendor == "sqlite" else {fts.PG_TRIGGER}
    assert expected and expected <= triggers
