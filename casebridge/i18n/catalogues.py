"""The message catalogues: made from the code, filled from the translation table, checked, compiled.

`update()` runs Django's makemessages (GNU gettext's xgettext and msgmerge, a developer's tool) over
the package into casebridge/locale/<lang>/LC_MESSAGES/django.po, then fills the translations from
the table (casebridge.i18n.table). `compile_catalogues()` writes the .mo files Django reads, with
polib, so an install needs no gettext tools. The options below keep the files stable: locations by
file only (no line numbers that shift with every edit), no wrapping, no obsolete entries.
"""

import os
import re
import shutil
import tempfile
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

from casebridge.i18n import table

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
DOMAIN = "django"
# Not part of the interface: tests, the load and benchmark tools, the catalogues themselves.
IGNORED = ["tests", "locale", "static", "load", "bench", "conftest.py"]
MAKE_OPTIONS = {"domain": DOMAIN, "add_location": "file", "no_wrap": True, "no_obsolete": True,
                "ignore_patterns": IGNORED, "verbosity": 0}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{\w*\}")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def translated_languages() -> list[str]:
    """The interface languages that need a catalogue: all but the one the code is written in."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def po_path(language: str, locale: Path = LOCALE) -> Path:
    return locale / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def make(locale: Path = LOCALE, source: Path = ROOT, languages=None) -> None:
    """Extract every marked string of `source` into the .po files under `locale` (new strings are
    added untranslated, removed ones dropped, the others keep their translation)."""
    with chdir(source), override_settings(LOCALE_PATHS=[locale]):
        call_command("makemessages", locale=list(languages or translated_languages()), **MAKE_OPTIONS)


def update(languages=None) -> dict[str, table.Applied]:
    """makemessages, then the translations of the table: the one command after changing strings."""
    languages = languages or translated_languages()
    before = {language: _dated(po_path(language)) for language in languages}
    make(languages=languages)
    applied = {language: table.apply(po_path(language), language) for language in languages}
    for language in languages:
        _keep_date(po_path(language), *before[language])
    return applied


def _dated(path: Path) -> tuple[str, str]:
    """A catalogue's text without its creation date, and that date."""
    if not path.exists():
        return "", ""
    text = path.read_text(encoding="utf-8")
    date = re.search(r'^"POT-Creation-Date: [^"]*"$', text, re.M)
    return text.replace(date.group(0), "") if date else text, date.group(0) if date else ""


def _keep_date(path: Path, old_text: str, old_date: str) -> None:
    # makemessages stamps every run; a catalogue whose messages did not change keeps its old stamp,
    # so that running the update changes no file (and causes no merge conflict) when nothing changed.
    text, date = _dated(path)
    if old_date and date and text == old_text:
        path.write_text(path.read_text(encoding="utf-8").replace(date, old_date), encoding="utf-8")


def fresh_msgids(languages=None) -> dict[str, set[str]]:
    """The message ids the code has now, per language, made in a copy (the repository is untouched)."""
    with tempfile.TemporaryDirectory(prefix="casebridge-messages-") as tmp:
        source = Path(tmp) / "casebridge"
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "*.pyc"))
        make(locale=Path(tmp) / "locale", source=source, languages=languages)
        return {language: {table.key(e) for e in polib.pofile(str(po_path(language, Path(tmp) / "locale")))}
                for language in languages or translated_languages()}


@dataclass(frozen=True)
class Problem:
    language: str
    msgid: str
    what: str

    def __str__(self):
        return f"{self.language}: {self.what}: {self.msgid[:100]!r}"


def problems(language: str, locale: Path = LOCALE) -> list[Problem]:
    """What keeps a catalogue from being complete: untranslated or fuzzy entries, and translations
    whose placeholders or HTML tags differ from the original's."""
    path = po_path(language, locale)
    if not path.exists():
        return [Problem(language, "", f"no catalogue at {path}")]
    found = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(Problem(language, entry.msgid, "fuzzy"))
        elif not entry.translated():
            found.append(Problem(language, entry.msgid, "untranslated"))
        else:
            found += [Problem(language, entry.msgid, what) for what in _mismatches(entry)]
    return found


def _mismatches(entry) -> list[str]:
    """A translation must keep the original's placeholders (it would fail or lose a value otherwise)
    and its HTML tags. A plural form may leave out the count (Dutch "één item"), nothing else."""
    found = []
    if entry.msgid_plural:
        originals = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
        for translation in entry.msgstr_plural.values():
            if not _placeholders(translation) <= originals or originals - _COUNTS - _placeholders(translation):
                found.append("placeholders differ")
    elif sorted(_PLACEHOLDER.findall(entry.msgid)) != sorted(_PLACEHOLDER.findall(entry.msgstr)):
        found.append("placeholders differ")
    translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
    if any(sorted(_HTML_TAG.findall(entry.msgid)) != sorted(_HTML_TAG.findall(t)) for t in translations):
        found.append("HTML tags differ")
    return found


_COUNTS = {"%(count)s", "%(counter)s", "%d", "%s"}


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def compile_catalogues(locale: Path = LOCALE, stale_only: bool = False) -> list[Path]:
    """Write each .po file's .mo file (translated, non-fuzzy entries only); with `stale_only`, only
    where the .mo is missing or older. Written to a temporary file first: another process reading
    the catalogue never sees half of one. Returns the files written."""
    written = []
    for po in sorted(locale.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if stale_only and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with tempfile.NamedTemporaryFile(dir=mo.parent, prefix=".tmp-", suffix=".mo", delete=False) as tmp:
            pass
        try:
            polib.pofile(str(po)).save_as_mofile(tmp.name)
            os.replace(tmp.name, mo)
        finally:
            Path(tmp.name).unlink(missing_ok=True)
        written.append(mo)
    return written
