from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "casebridge.network"
    label = "network"
