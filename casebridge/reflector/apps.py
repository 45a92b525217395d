from django.apps import AppConfig


class ReflectorConfig(AppConfig):
    name = "casebridge.reflector"
    verbose_name = "CaseReflector"
