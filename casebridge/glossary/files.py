"""The glossary's data files: the two Casebridge ships (`terms.json`, `categorisations.json`) and every
`*.json` in the deployment's CASEBRIDGE_GLOSSARY_DIR, read in that order so a deployment's file adds to
or overrides the shipped ones. Each file is a JSON object with any of `terms`, `vocabularies` and
`mappings` (docs/shared-language.md); anything else refuses with a one-line reason naming the file.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HERE = Path(__file__).resolve().parent
SHIPPED = ("terms.json", "categorisations.json")
PARTS = frozenset({"terms", "vocabularies", "mappings"})


def _read(path: Path) -> dict:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{path}: {exc}") from None
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(f"{path}: expected a JSON object with terms, vocabularies or mappings")
    unknown = sorted(set(raw) - PARTS)
    if unknown:
        raise ImproperlyConfigured(f"{path}: unknown part {unknown[0]!r}; expected terms, vocabularies or mappings")
    for part, value in raw.items():
        if not isinstance(value, list):
            raise ImproperlyConfigured(f"{path}: {part} must be a list")
    return raw


@cache
def _documents(own: str) -> tuple[tuple[str, dict], ...]:
    if own and not Path(own).is_dir():
        raise ImproperlyConfigured(f"CASEBRIDGE_GLOSSARY_DIR={own}: not a directory")
    paths = [HERE / name for name in SHIPPED] + (sorted(Path(own).glob("*.json")) if own else [])
    return tuple((str(path), _read(path)) for path in paths)


def shipped(path: str) -> bool:
    return Path(path).parent == HERE


def own_dir() -> str:
    return str(settings.CASEBRIDGE_GLOSSARY_DIR or "")


def documents() -> tuple[tuple[str, dict], ...]:
    """(path, parsed file) for the shipped files, then the deployment's, in order."""
    return _documents(own_dir())


def entries(part: str):
    """Every (path, number, entry) of one part across the files, numbered from 1 within each file."""
    for path, raw in documents():
        for number, entry in enumerate(raw.get(part, ()), 1):
            if not isinstance(entry, dict):
                raise ImproperlyConfigured(f"{path}: {part} entry {number} must be a JSON object")
            yield path, number, entry


def clear() -> None:
    """Forget what was read (tests that change CASEBRIDGE_GLOSSARY_DIR's files)."""
    _documents.cache_clear()
