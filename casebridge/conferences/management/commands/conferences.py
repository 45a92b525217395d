"""`casebridge conferences propose`: propose the conferences every open case calls for today.

Dates come closer without anyone touching a case (an earliest release eight weeks ahead, three
months after release, the periodic review), so run it daily (a systemd timer or cron, docs/
conferences.md). Each case is refreshed in a transaction of its own, with its audit events; a run
that stops half-way leaves every case it finished proposed, and the next run goes on from there.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from casebridge.cases import services as cases
from casebridge.cases.models import Case, Phase
from casebridge.conferences import proposals


class Command(BaseCommand):
    help = "propose [--date YYYY-MM-DD] [--quiet]: propose the conferences the open cases call for"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["propose"])
        parser.add_argument("--date", help="Propose as of this day (default: today).")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, action, date=None, quiet=False, **options):
        try:
            today = _day(date) if date else cases.today()
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date (YYYY-MM-DD)") from None
        ids = list(Case.objects.exclude(phase=Phase.CLOSED).order_by("pk").values_list("pk", flat=True))
        made = 0
        for case_id in tqdm(ids, desc="Proposing conferences", unit=" cases", disable=quiet or None):
            with transaction.atomic():
                made += len(proposals.refresh(cases.load_case(case_id, lock=True), today))
        self.stdout.write(f"{made} conference(s) proposed on {len(ids)} open case(s), as of {today.isoformat()}.")


def _day(value: str) -> date:
    day = date.fromisoformat(value)
    if not date(2000, 1, 1) <= day <= date(2999, 12, 31):
        raise ValueError(value)
    return day
