from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "casebridge.items"
    label = "items"
