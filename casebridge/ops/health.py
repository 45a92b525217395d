"""Facts about an installation that `casebridge check` reports and `casebridge serve` relies on."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def pending_migrations() -> list[str]:
    """Migrations not yet applied to the database, as `app.name`, in the order they would run."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def require_migrated() -> None:
    """Refuse to go on against a database whose tables are missing or out of date."""
    from django.core.management.base import CommandError

    pending = pending_migrations()
    if pending:
        raise CommandError(f"the database lacks {len(pending)} migration(s) (first: {pending[0]}): "
                           "run `casebridge migrate` first")


def require_pdf_fonts() -> None:
    """Refuse to go on when no PDF could be made (the fonts are missing), with the one-line reason."""
    from django.core.management.base import CommandError

    from casebridge.documents.fonts import FontsMissing, require_fonts

    try:
        require_fonts()
    except FontsMissing as exc:
        raise CommandError(str(exc)) from None


def database_description() -> str:
    """The database in use, without its password."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {db['NAME']}"
    host = db.get("HOST") or "local socket"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    user = f"{db['USER']}@" if db.get("USER") else ""
    return f"{connection.display_name} {user}{host}{port}/{db['NAME']}"
