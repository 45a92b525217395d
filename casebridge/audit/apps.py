from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "casebridge.audit"
    label = "audit"

    def ready(self):
        from django.conf import settings

        if settings.CASEBRIDGE_LOCK_TIMES:
            from casebridge.audit import appending

            appending.log_holds(settings.CASEBRIDGE_LOCK_TIMES)
