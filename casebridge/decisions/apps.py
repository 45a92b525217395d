from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "casebridge.decisions"
    label = "decisions"
