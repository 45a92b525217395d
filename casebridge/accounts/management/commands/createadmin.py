"""`casebridge createadmin`: create a system administrator (the first one needs no one else)."""

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casebridge.ops.bootstrap import create_system_admin
from casebridge.vocabulary import AgencyKind

PASSWORD_ENV = "CASEBRIDGE_ADMIN_PASSWORD"


def _password() -> str:
    """From the environment (scripts) or asked twice on the terminal, never on the command line."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise CommandError(f"no terminal to ask for the password: set {PASSWORD_ENV}")
    first = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("Password again: ") != first:
        raise CommandError("the two passwords differ; nothing was created")
    return first


class Command(BaseCommand):
    help = (f"Create a system administrator, and their agency if it does not exist. The password comes from "
            f"{PASSWORD_ENV} or is asked for twice.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--agency", required=True, help="name of the administrator's agency")
        parser.add_argument("--agency-kind", default=AgencyKind.OTHER, choices=AgencyKind.values,
                            help="kind of agency, if it has to be created (default other)")
        parser.add_argument("--country", default="BE", help="ISO country code of a new agency (default BE)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, **options):
        password = _password()
        with transaction.atomic():
            person, agency, created = create_system_admin(
                username=options["username"], email=options["email"], password=password,
                agency_name=options["agency"], agency_kind=options["agency_kind"], country=options["country"],
                first_name=options["first_name"], last_name=options["last_name"])
        where = f"new agency {agency.name!r}" if created else f"agency {agency.name!r}"
        self.stdout.write(f"Created system administrator {person.username!r} in {where}.")
        self.stdout.write("At the first sign-in Casebridge asks to enrol an authenticator app (TOTP): scan the "
                          "QR code it shows, then enter the six-digit code.")
