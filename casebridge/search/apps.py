from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "casebridge.search"
    label = "search"
