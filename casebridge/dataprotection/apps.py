from django.apps import AppConfig


class DataprotectionConfig(AppConfig):
    name = "casebridge.dataprotection"
    label = "dataprotection"
