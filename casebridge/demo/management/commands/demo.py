"""`casebridge demo`: build the demo world once, in one transaction, with a progress bar."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from casebridge.demo import world
from casebridge.demo.people import DEMO_PASSWORD
from casebridge.ops.health import require_migrated


class Command(BaseCommand):
    help = "Build the demo world (synthetic agencies, people and cases). Does nothing if it is already there."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=world.SEED, help=f"random seed (default {world.SEED})")

    def handle(self, *args, seed, **options):
        if settings.MODE == "production":
            raise CommandError("the demo world is refused in production mode: its accounts share a published password")
        require_migrated()
        if world.is_present():
            self.stdout.write("The demo world is already present: nothing changed.")
            return
        started = time.monotonic()
        with tqdm(total=world.total_steps(), desc="Building the demo world", unit=" steps") as bar, \
                transaction.atomic():
            built = world.build(seed=seed, progress=bar.update)
        self.stdout.write(
            f"Demo world built in {time.monotonic() - started:.1f} s: {built.agencies} agencies in "
            f"{built.countries} countries, {built.practitioners} practitioners, {built.cases} cases, "
            f"{built.items} information items, {built.agreements} sharing agreements, "
            f"{built.audit_events} audit events.")
        self.stdout.write(f"Sign in as petra (or ivo, omar, clara, xavier, adam, dora, sam) with the password "
                          f"{DEMO_PASSWORD}; `casebridge totp petra` prints the second-factor code.")
