"""`casebridge bench`: the performance benchmark of DESIGN.md §7, in a database of its own; with
`--http`, the load benchmark over HTTP against `casebridge serve --workers N` processes."""

import json
from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from casebridge.ops.bench import Scale, run, trail
from casebridge.ops.bench.report import table, write_json

DEFAULTS = Scale()
SIZES = ("cases", "items", "practitioners", "agreements")


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ArgumentTypeError(f"expected a positive whole number, not {raw!r}")
    return value


def _workers(raw: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in raw.split(","))
    except ValueError:
        counts = ()
    if not counts or any(not 0 < n <= 64 for n in counts):
        raise ArgumentTypeError(f"expected worker counts between 1 and 64, comma-separated, not {raw!r}")
    return counts


def _think(raw: str) -> tuple[float, float] | None:
    """"LEAST,MOST" seconds of pause between a client's requests; "0" for no people-at-work run."""
    if raw.strip() == "0":
        return None
    try:
        least, most = (float(part) for part in raw.split(","))
    except ValueError:
        least = most = -1.0
    if not 0 < least <= most <= 600:
        raise ArgumentTypeError(f"expected LEAST,MOST seconds (0 < LEAST <= MOST <= 600) or 0, not {raw!r}")
    return least, most


def _bar(description: str, total: int) -> tqdm:
    # disable=None: a bar on a terminal, silence in logs and pipes.
    return tqdm(total=total, desc=description, leave=False, disable=None)


class Command(BaseCommand):
    help = ("Build a synthetic world at scale in a new database (never yours) and measure filtered vs unfiltered "
            "timeline and search pages, decisions in Python and Cedar, ingest and audit verification; with --http, "
            "serve it with N worker processes and measure it under concurrent clients.")
    requires_system_checks = []

    def add_arguments(self, parser):
        for name, what in [("cases", "cases"), ("items", "information items"), ("practitioners", "practitioners"),
                           ("agreements", "sharing agreements"),
                           ("timeline_samples", "(practitioner, case) pairs timed on the timeline"),
                           ("search_samples", "searches timed"), ("cedar_decisions", "decisions asked of Cedar"),
                           ("audit_days", "days of people at work recorded on the audit trail, "
                                          f"{trail.EVENTS_PER_PERSON_DAY} events per practitioner each")]:
            default = getattr(DEFAULTS, name)
            parser.add_argument(f"--{name.replace('_', '-')}", type=_positive, default=None,
                                help=f"{what} (default {default:,}; smaller with --http)")
        parser.add_argument("--seed", type=int, default=DEFAULTS.seed, help="random seed (default %(default)s)")
        parser.add_argument("--database-url", default=None,
                            help="an EMPTY database to build the world in, e.g. postgres://user@host/bench "
                                 "(default: a new SQLite file in a temporary directory, removed afterwards)")
        parser.add_argument("--keep", action="store_true",
                            help="keep the temporary SQLite database and print where it is (for profiling)")
        parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE (- for stdout)")
        load = parser.add_argument_group("load benchmark over HTTP (--http)")
        load.add_argument("--http", action="store_true",
                          help="start `casebridge serve --workers N` on the world and drive it with concurrent clients")
        load.add_argument("--workers", type=_workers, default=(1, 2),
                          help="worker processes, one run per count, comma-separated (default 1,2)")
        load.add_argument("--threads", type=_positive, default=1,
                          help="threads per worker process (default 1, as `serve --workers`)")
        load.add_argument("--clients", type=_positive, default=16, help="concurrent clients (default 16)")
        load.add_argument("--seconds", type=_positive, default=30,
                          help="seconds each saturation run lasts (default 30)")
        load.add_argument("--think", type=_think, default=(1.0, 5.0), metavar="LEAST,MOST",
                          help="then a run of people at work on the most workers: each client pauses between "
                               "LEAST and MOST seconds after every answer (default 1,5; 0 skips it)")
        load.add_argument("--user-seconds", type=_positive, default=180,
                          help="seconds the people-at-work run lasts (default 180: about 270 case pages, "
                               "so their p99 is not just the slowest one)")

    def handle(self, *args, **options):
        if options["http"]:
            return self._load(options)
        names = SIZES + ("seed", "timeline_samples", "search_samples", "cedar_decisions", "audit_days")
        scale = Scale(**{name: getattr(DEFAULTS, name) if options[name] is None else options[name] for name in names})
        if scale.items < scale.cases:
            raise CommandError("--items must be at least --cases (every case holds items)")
        results = run(scale=scale, database_url=options["database_url"], keep=options["keep"], progress=_bar)
        self.stdout.write(table(results))
        if options["keep"] and not options["database_url"]:
            self.stdout.write(f"database kept: {results['database']}")
        self._json(results, options["json"])

    def _load(self, options):
        from casebridge.ops import load

        given = {name: options[name] for name in SIZES if options[name] is not None}
        scale = load.LoadScale(**given, seed=options["seed"], clients=options["clients"], seconds=options["seconds"],
                               workers=options["workers"], threads=options["threads"], think=options["think"],
                               user_seconds=options["user_seconds"])
        if scale.items < scale.cases:
            raise CommandError("--items must be at least --cases (every case holds items)")
        try:
            results = load.run(scale=scale, database_url=options["database_url"], keep=options["keep"])
        except RuntimeError as exc:  # a server that would not start, a world too small to act in
            raise CommandError(str(exc)) from None
        self.stdout.write(load.report.table(results))
        if results.get("kept"):
            self.stdout.write(f"database kept in {results['kept']}")
        self._json(results, options["json"])

    def _json(self, results: dict, destination: str | None) -> None:
        if destination == "-":
            self.stdout.write(json.dumps(results, indent=2, default=str))
        elif destination:
            write_json(results, destination)
            self.stdout.write(f"results written to {destination}")
