from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running an installation: the web server, the configuration check, the first administrator."""

    name = "casebridge.ops"
    label = "ops"
