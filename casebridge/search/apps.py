from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _ensure_index(sender, using, **kwargs):
    from casebridge.search import fts

    fts.ensure(connections[using])


class SearchConfig(AppConfig):
    name = "casebridge.search"
    label = "search"

    def ready(self):
        # After every migrate, not only ours: a later migration of the items table may drop the
        # SQLite triggers that keep the index current.
        post_migrate.connect(_ensure_index, sender=self, dispatch_uid="casebridge.search.ensure_index")
