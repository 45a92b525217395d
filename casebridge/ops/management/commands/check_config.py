"""`casebridge check`: is this installation configured and its database ready?"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from casebridge import config
from casebridge.audit.models import AuditEvent
from casebridge.ops.health import database_description, require_migrated, require_pdf_fonts


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class Command(BaseCommand):
    help = "Check the configuration, the database connection and the migrations; print the values in force."
    requires_system_checks = []

    def handle(self, *args, **options):
        values = config.load()
        try:
            connection.ensure_connection()
        except DatabaseError as exc:
            raise CommandError(f"cannot connect to the database ({database_description()}): "
                               f"{_first_line(exc)}") from None
        require_migrated()
        require_pdf_fonts()
        report = [
            ("Mode", settings.MODE),
            ("Database", database_description()),
            ("Data directory", str(values["CASEBRIDGE_DATA_DIR"])),
            ("Allowed hosts", ", ".join(settings.ALLOWED_HOSTS)),
            ("Secure cookies", "yes" if settings.SESSION_COOKIE_SECURE else "no (plain http only)"),
            ("Secret key", "set" if values["CASEBRIDGE_SECRET_KEY"] != config.INSECURE_SECRET
             else "fixed insecure development key"),
            ("Session idle timeout", f"{values['CASEBRIDGE_SESSION_MINUTES']} minutes"),
            ("Lockout", f"{values['CASEBRIDGE_LOCKOUT_FAILURES']} failures, "
                        f"{values['CASEBRIDGE_LOCKOUT_MINUTES']} minutes"),
            ("Classification levels", " < ".join(settings.CASEBRIDGE_CLASSIFICATION_LABELS)),
            ("Time zone", settings.TIME_ZONE),
            ("PDF fonts", str(settings.CASEBRIDGE_PDF_FONT_DIR)),
            ("Demo second-factor hint", "shown" if settings.CASEBRIDGE_DEMO_TOTP_HINT else "off"),
            ("Audit events", str(AuditEvent.objects.count())),
        ]
        width = max(len(label) for label, _ in report)
        for label, value in report:
            self.stdout.write(f"{label:<{width}}  {value}")
        self.stdout.write("OK")
