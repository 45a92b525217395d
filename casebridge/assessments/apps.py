from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "casebridge.assessments"
    label = "assessments"
