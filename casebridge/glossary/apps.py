from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "casebridge.glossary"
    label = "glossary"

    def ready(self):
        # Load the glossary and the categorisations once at start: a deployment's bad file stops
        # Casebridge with its one-line reason (ImproperlyConfigured) instead of failing a page later.
        from casebridge.glossary import terms

        terms.glossary()
