"""Which backend to use for one of Django's engines (imported by the settings: no Django here)."""

ENGINES = {
    "django.db.backends.postgresql": "casebridge.audit.backends.postgresql",
    "django.db.backends.sqlite3": "casebridge.audit.backends.sqlite3",
}


def engine_for(engine: str) -> str:
    """The deferring backend for one of Django's engines (any other engine is kept as it is)."""
    return ENGINES.get(engine, engine)
