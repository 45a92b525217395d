from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "casebridge.sharing"
    label = "sharing"
