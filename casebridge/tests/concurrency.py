"""Two writers at the same moment, each on its own database connection, for the concurrency tests.

`Race.run(first, second)` starts both in threads released by one `threading.Barrier`. Each runs
in its own transaction on its own connection (closed when the thread ends) and the outcome of
each, its result or the exception it raised, is returned in order.

A writer's read and its write are what a race interleaves, so the tests wrap a function the code
under test calls between the two with `race.pausing(func)`: the first writer to get there waits
until the other has got there too, or is blocked by a lock (which is what a correct service does
when it locks the record first), or has finished. Without locks both writers read the same state
before either writes: that is the lost update the tests must catch, reproduced every time rather
than by chance.

PostgreSQL runs the writers truly at once; a writer is "blocked" when its backend waits for a
lock (pg_stat_activity). On SQLite a write transaction holds the whole database (IMMEDIATE), and
the in-memory test database's shared cache would refuse the second writer instead of making it
wait, so the writers take turns here, in the order given, which is what SQLite does to them on a
file: the second starts after the first has committed, and must then be refused or see its change.
"""

import threading
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations

PATIENCE = 20  # seconds a writer waits for the other before the test gives up on it


class Race:
    def __init__(self):
        self._local = threading.local()
        self._states: dict[int, str] = {}
        self._pids: dict[int, int] = {}
        self._changed = threading.Condition()  # a writer paused or finished
        self._turns = threading.Condition()  # SQLite only: one writer at a time, in the order given
        self._turn = 0
        self._monitor = None

    # --- inside the code under test -----------------------------------------------------------

    def pausing(self, func, *, after: bool = False, yielding: bool = False):
        """`func`, pausing its caller the first time a racing writer calls it (before the call, or
        after it with `after`); calls from outside the race pass straight through. With `yielding`
        the caller lets the others go first: it waits until each has finished or is blocked."""
        def paused(*args, **kwargs):
            if not after:
                self.pause(yielding=yielding)
            result = func(*args, **kwargs)
            if after:
                self.pause(yielding=yielding)
            return result
        return paused

    def pause(self, *, yielding: bool = False) -> None:
        """Wait (once per writer) until every other writer has paused too, or is blocked by a lock,
        or has finished; with `yielding`, until each has finished or is blocked."""
        me = getattr(self._local, "index", None)
        if me is None or self._states.get(me) != "running":
            return
        deadline = time.monotonic() + PATIENCE
        with self._changed:
            self._states[me] = "paused"
            self._changed.notify_all()  # writers paused together are released together
            while not all(self._waiting(other, yielding) for other in self._states if other != me):
                if time.monotonic() > deadline:
                    break
                self._changed.wait(0.005)  # or look again whether the other is blocked by a lock
            self._states[me] = "resumed"

    def _waiting(self, other: int, yielding: bool) -> bool:
        state = self._states[other]
        if state in ("done", "queued") or (state in ("paused", "resumed") and not yielding):
            return True
        return state in ("running", "resumed") and self._blocked(other)

    def _blocked(self, other: int) -> bool:
        if self._monitor is None or other not in self._pids:
            return False
        with self._monitor.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [self._pids[other]])
            row = cursor.fetchone()
        return bool(row) and row[0] == "Lock"

    # --- the test's side ----------------------------------------------------------------------

    def run(self, *writers, atomic: bool = True) -> list:
        """Run the writers at once; each outcome is the writer's result or the exception it raised.
        With `atomic` each writer runs in its own transaction (as a request or a command does)."""
        outcomes: list = [None] * len(writers)
        barrier = threading.Barrier(len(writers))
        self._states = {i: "starting" for i in range(len(writers))}
        if connection.vendor == "postgresql":
            import psycopg
            self._monitor = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        threads = [threading.Thread(target=self._writer, args=(i, w, atomic, barrier, outcomes), daemon=True)
                   for i, w in enumerate(writers)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(PATIENCE * 2)
            assert not any(t.is_alive() for t in threads), "a writer never finished: the writers deadlocked"
        finally:
            if self._monitor is not None:
                self._monitor.close()
        return outcomes

    def _writer(self, index, writer, atomic: bool, barrier, outcomes) -> None:
        self._local.index = index
        try:
            connection.ensure_connection()
            if connection.vendor == "postgresql":
                self._pids[index] = connection.connection.info.backend_pid
            barrier.wait(PATIENCE)
            sqlite = connection.vendor == "sqlite"
            if sqlite:
                self._states[index] = "queued"
                with self._turns:
                    self._turns.wait_for(lambda: self._turn == index, PATIENCE)
            self._states[index] = "running"
            try:
                if atomic:
                    with transaction.atomic():
                        outcomes[index] = writer()
                else:
                    outcomes[index] = writer()
            finally:
                if sqlite:
                    with self._turns:
                        self._turn += 1
                        self._turns.notify_all()
        except Exception as exc:  # the outcome the test asserts on
            outcomes[index] = exc
        finally:
            with self._changed:
                self._states[index] = "done"
                self._changed.notify_all()
            connection.close()


def refused(outcomes, kind) -> list:
    """The outcomes that are exceptions of `kind`."""
    return [o for o in outcomes if isinstance(o, kind)]


def succeeded(outcomes) -> list:
    return [o for o in outcomes if not isinstance(o, BaseException)]


# --- Ending a transactional test ------------------------------------------------------------------
# A test whose writers commit (`django_db(transaction=True)`) ends with Django's flush, which empties
# every table, the audit trail included, and the append-only triggers rightly refuse that. In the
# test run, the flush alone goes past them: PostgreSQL with triggers off for its own session while it
# runs (the tests connect as the database's owner), SQLite by dropping the triggers and putting them
# back, in the flush's transaction.

@contextmanager
def _triggers_lifted(ops):
    with ops.connection.cursor() as cursor:
        if ops.connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                yield
            finally:
                cursor.execute("RESET session_replication_role")
            return
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            for _, sql in triggers:
                cursor.execute(sql)


def _flush_past_append_only(flush):
    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias):
            with _triggers_lifted(self):
                flush(self, sql_list)
    execute_sql_flush.lifts_append_only = True
    return execute_sql_flush


if not getattr(BaseDatabaseOperations.execute_sql_flush, "lifts_append_only", False):
    BaseDatabaseOperations.execute_sql_flush = _flush_past_append_only(BaseDatabaseOperations.execute_sql_flush)
