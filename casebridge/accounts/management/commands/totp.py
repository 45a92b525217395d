"""`casebridge totp USERNAME`: the current second-factor code of an account, to help sign in.

Demo and development only: in production a code must come from the holder's own authenticator
app, or the second factor would be worth no more than database access.
"""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.oath import TOTP

from casebridge.accounts.services import confirmed_device
from casebridge.agencies.models import Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.ops.operator import cli_detail
from casebridge.vocabulary import Purpose


class Command(BaseCommand):
    help = "Print the current TOTP code of an account (demo and development mode only)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.MODE == "production":
            raise CommandError("totp is refused in production mode: codes come from the account holder's "
                               "authenticator app")
        person = Practitioner.objects.filter(username__iexact=username).first()
        if person is None:
            raise CommandError(f"no account named {username!r}")
        device = confirmed_device(person)
        if device is None:
            raise CommandError(f"{person.username} has no authenticator yet: the first sign-in enrols one")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        code = f"{totp.token():0{device.digits}d}"
        # Reading someone's second factor is a security-relevant act even in a demo: leave a trace.
        with transaction.atomic():
            record(actor=None, operation=Operation.READ, obj=device, purpose=Purpose.ADMINISTRATION,
                   detail=cli_detail(account=person.username, what="current second-factor code"))
        seconds_left = device.step - (int(time.time()) - device.t0) % device.step
        self.stdout.write(code)
        sys.stderr.write(f"Code for {person.username}, valid for about {seconds_left} more seconds.\n")
