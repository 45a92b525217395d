from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _ensure_index(sender, using, **kwargs):
    from casebridge.search import fts

    fts.ensure(connections[using])


def _register_functions(sender, connection, **kwargs):
    from casebridge.search import fts

    fts.register_functions(sender, connection)


class SearchConfig(AppConfig):
    name = "casebridge.search"
    label = "search"

    def ready(self):
        # Every SQLite connection gets the functions the index triggers call, before its first query.
        connection_created.connect(_register_functions, dispatch_uid="casebridge.search.register_functions")
        # After every migrate, not only ours: a later migration of the items or clients table may
        # drop the SQLite triggers that keep the indexes current.
        post_migrate.connect(_ensure_index, sender=self, dispatch_uid="casebridge.search.ensure_index")
