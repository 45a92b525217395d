"""`casebridge bench`: the performance benchmark of DESIGN.md §7, in a database of its own."""

from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from casebridge.ops.bench import Scale, run
from casebridge.ops.bench.report import table, write_json

DEFAULTS = Scale()


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ArgumentTypeError(f"expected a positive whole number, not {raw!r}")
    return value


def _bar(description: str, total: int) -> tqdm:
    # disable=None: a bar on a terminal, silence in logs and pipes.
    return tqdm(total=total, desc=description, leave=False, disable=None)


class Command(BaseCommand):
    help = ("Build a synthetic world at scale in a new database (never yours) and measure filtered vs unfiltered "
            "timeline and search pages, decisions in Python and Cedar, ingest and audit verification.")
    requires_system_checks = []

    def add_arguments(self, parser):
        for name, what in [("cases", "cases"), ("items", "information items"), ("practitioners", "practitioners"),
                           ("agreements", "sharing agreements"),
                           ("timeline_samples", "(practitioner, case) pairs timed on the timeline"),
                           ("search_samples", "searches timed"), ("cedar_decisions", "decisions asked of Cedar")]:
            default = getattr(DEFAULTS, name)
            parser.add_argument(f"--{name.replace('_', '-')}", type=_positive, default=default,
                                help=f"{what} (default {default:,})")
        parser.add_argument("--seed", type=int, default=DEFAULTS.seed, help="random seed (default %(default)s)")
        parser.add_argument("--database-url", default=None,
                            help="an EMPTY database to build the world in, e.g. postgres://user@host/bench "
                                 "(default: a new SQLite file in a temporary directory, removed afterwards)")
        parser.add_argument("--keep", action="store_true",
                            help="keep the temporary SQLite database and print where it is (for profiling)")
        parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")

    def handle(self, *args, **options):
        names = ("cases", "items", "practitioners", "agreements", "seed", "timeline_samples", "search_samples",
                 "cedar_decisions")
        scale = Scale(**{name: options[name] for name in names})
        if scale.items < scale.cases:
            raise CommandError("--items must be at least --cases (every case holds items)")
        results = run(scale=scale, database_url=options["database_url"], keep=options["keep"], progress=_bar)
        self.stdout.write(table(results))
        if options["keep"] and not options["database_url"]:
            self.stdout.write(f"database kept: {results['database']}")
        if options["json"]:
            write_json(results, options["json"])
            self.stdout.write(f"results written to {options['json']}")
