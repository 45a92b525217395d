"""A practitioner's visits to a case page: what is "new since your last visit".

Each opening of the case page records when (`CaseVisit.seen_at`). What others added after the
practitioner's previous visit is new to them. Openings less than `SITTING` apart are one sitting:
paging through the timeline, filtering it or saving a form re-opens the page, and the news must not
vanish on the second click. So the row also keeps `since`, the last opening before the current
sitting, and that is what "new" compares with. In the first sitting there is none: nothing is
announced as new to someone who has never seen the case.

The visit is written in the transaction that appends the page's audit event
(`appending.write_with_trail`): on SQLite a read request stays a read snapshot until then.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from casebridge.audit.appending import write_with_trail
from casebridge.cases.models import CaseVisit

SITTING = timedelta(minutes=30)  # openings closer than this are one sitting; a longer break starts a new one


@dataclass(frozen=True)
class Visit:
    """This opening of the case page: when, and the last opening before this sitting (None: the first)."""

    at: datetime
    since: datetime | None

    @property
    def first(self) -> bool:
        return self.since is None


def open_case_page(*, actor, case) -> Visit:
    """Record that `actor` opens the case page now (the caller has decided they may see the case) and
    return the visit, whose `since` says what is new to them."""
    now = timezone.now()
    row = CaseVisit.objects.filter(case=case, practitioner=actor).values_list("seen_at", "since").first()
    if row is None:
        since = None
    else:
        seen_at, since = row
        if now - seen_at >= SITTING:
            since = seen_at  # a new sitting: what came after the last one is new
    _save(case.pk, actor.pk, now, since)
    return Visit(now, since)


def _save(case_id: int, practitioner_id: int, seen_at: datetime, since: datetime | None) -> None:
    """Insert or replace the row in one statement (two tabs opening the case at once both succeed:
    the later wins). Raw SQL because it may run inside the commit (`write_with_trail`), where the
    ORM's own atomic blocks cannot open."""
    ops, meta = connection.ops, CaseVisit._meta
    columns = [meta.get_field(name).column for name in ("case", "practitioner", "seen_at", "since")]
    stamp = meta.get_field("seen_at")
    quoted = [ops.quote_name(c) for c in columns]
    sql = (f"INSERT INTO {ops.quote_name(meta.db_table)} ({', '.join(quoted)}) VALUES (%s, %s, %s, %s) "
           f"ON CONFLICT ({quoted[0]}, {quoted[1]}) DO UPDATE SET "
           f"{quoted[2]} = excluded.{quoted[2]}, {quoted[3]} = excluded.{quoted[3]}")
    write_with_trail(sql, [case_id, practitioner_id, stamp.get_db_prep_save(seen_at, connection),
                           stamp.get_db_prep_save(since, connection)])


def last_seen(actor, case_ids) -> dict[int, datetime]:
    """{case id: when the actor last opened its page} for the cases of `case_ids` they have opened."""
    return dict(CaseVisit.objects.filter(practitioner=actor, case_id__in=case_ids).values_list("case_id", "seen_at"))
