from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "casebridge.conferences"
    label = "conferences"

    def ready(self):
        from casebridge.cases.signals import case_moment

        case_moment.connect(_propose, dispatch_uid="conferences-propose")


def _propose(sender, case_id, **kwargs):
    """A case reached a moment that may call for a conference: propose it now, in the same transaction."""
    from casebridge.conferences import proposals

    proposals.refresh_case(case_id)
