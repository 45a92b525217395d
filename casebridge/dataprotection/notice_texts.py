"""The texts of the transparency notice, one JSON file per language: the ones Casebridge ships
(`notices/en.json`, `nl`, `fr`, `de`, `ar`) and every `<language>.json` in the deployment's
CASEBRIDGE_NOTICE_DIR, read after them, so a deployment adds a language or overrides some texts of a
shipped one (its file is merged over the shipped file, key by key).

The texts are data, not message catalogues: the notice is the client's, in the client's language,
which need not be one of the interface's languages (Arabic is not). Every language must have every
text of the English file with the same placeholders, and a label for every category, agency kind and
purpose; anything else refuses with a one-line reason naming the file (docs/documents.md).
"""

import json
import re
from functools import cache
from pathlib import Path
from string import Formatter

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from casebridge.vocabulary import AgencyKind, Category, Purpose

HERE = Path(__file__).resolve().parent / "notices"
REFERENCE = "en"
LABELS = {"categories": Category.values, "agency_kinds": AgencyKind.values, "purposes": Purpose.values}
RIGHTS = ("access", "rectification", "erasure", "restriction", "objection", "complaint")
DIRECTIONS = ("ltr", "rtl")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _read(path: Path) -> dict:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{path}: {exc}") from None
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(f"{path}: expected a JSON object of notice texts")
    return raw


def _merge(base: dict, own: dict) -> dict:
    merged = dict(base)
    for key, value in own.items():
        merged[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    return merged


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def _check_text(where: str, key: str, text, expected: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ImproperlyConfigured(f"{where}: {key} must be a non-empty text")
    try:
        found = _placeholders(text)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{where}: {key}: {exc}") from None
    if found != _placeholders(expected):
        names = ", ".join(sorted("{" + n + "}" for n in _placeholders(expected))) or "none"
        raise ImproperlyConfigured(f"{where}: {key} must use the placeholders {names}")


def _check(where: str, texts: dict, reference: dict) -> None:
    """Every text of the reference (English) file, with the same placeholders, and every label."""
    for key, expected in reference.items():
        if key in LABELS or key == "rights":
            continue
        if key == "direction":
            if texts.get(key) not in DIRECTIONS:
                raise ImproperlyConfigured(f"{where}: direction must be ltr or rtl")
            continue
        _check_text(where, key, texts.get(key), expected)
    for right in RIGHTS:
        _check_text(where, f"rights.{right}", (texts.get("rights") or {}).get(right), reference["rights"][right])
    for part, values in LABELS.items():
        for value in values:
            _check_text(where, f"{part}.{value}", (texts.get(part) or {}).get(value), "label")


@cache
def _languages(own: str) -> dict[str, dict]:
    if own and not Path(own).is_dir():
        raise ImproperlyConfigured(f"CASEBRIDGE_NOTICE_DIR={own}: not a directory")
    found: dict[str, tuple[str, dict]] = {}
    for path in sorted(HERE.glob("*.json")) + (sorted(Path(own).glob("*.json")) if own else []):
        if not LANGUAGE.match(path.stem):
            raise ImproperlyConfigured(f"{path}: name the file after its language code, e.g. nl.json")
        previous = found.get(path.stem, ("", {}))[1]
        found[path.stem] = (str(path), _merge(previous, _read(path)))
    reference = found[REFERENCE][1]
    for where, texts in found.values():
        _check(where, texts, reference)
    return {language: texts for language, (_, texts) in found.items()}


def languages() -> dict[str, dict]:
    """Every language the notice exists in: code → its texts."""
    return _languages(str(settings.CASEBRIDGE_NOTICE_DIR or ""))


def clear() -> None:
    """Forget what was read (tests that change CASEBRIDGE_NOTICE_DIR's files)."""
    _languages.cache_clear()


def primary(code: str) -> str:
    """The language of a recorded code: "nl-BE" and "NL" are both Dutch."""
    return str(code).strip().lower().replace("_", "-").split("-")[0]


def default_language() -> str:
    """The deployment's default language, where the notice exists in it; else English."""
    language = primary(settings.LANGUAGE_CODE)
    return language if language in languages() else REFERENCE
