from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "casebridge.imports"
    label = "imports"
