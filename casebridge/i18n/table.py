"""The translation table: per language, a JSON file mapping each English message to its translation.

    casebridge/locale/table/nl.json   {"Sign in": "Inloggen", "%(count)s item": ["%(count)s item", ...]}

A message with a context is keyed "context\\u0004message"; a message with plural forms maps to the
list of its forms, in the language's order. The table is where translations are written: applying
it after makemessages refills every catalogue (casebridge.i18n.catalogues.update), so re-extracting
the strings costs nothing. A translation made in a .po editor and not in the table is kept until the
message changes; `harvest` copies such translations into the table.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import polib

TABLES = Path(__file__).resolve().parent.parent / "locale" / "table"
COMMENT = ("Casebridge's interface. Write translations in casebridge/locale/table/{language}.json and run\n"
           "`casebridge messages update` (docs/i18n.md): a translation made only here is kept until its message changes.")
HEADER = {"Project-Id-Version": "Casebridge", "Last-Translator": "Casebridge", "Language-Team": "Casebridge",
          "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}


@dataclass
class Applied:
    filled: int = 0
    missing: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)


def path(language: str) -> Path:
    return TABLES / f"{language}.json"


def load(language: str) -> dict:
    file = path(language)
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}


def save(language: str, entries: dict) -> None:
    TABLES.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dict(sorted(entries.items())), ensure_ascii=False, indent=1)
    path(language).write_text(text + "\n", encoding="utf-8")


def key(entry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def apply(po_file: Path, language: str) -> Applied:
    """Fill `po_file` from the table of `language`: a message in the table gets its translation
    (and loses a fuzzy mark); the others stay as they are. Returns what was filled, what is still
    missing and which table entries the catalogue no longer has."""
    entries = load(language)
    po = polib.pofile(str(po_file), wrapwidth=0)
    po.metadata.update({**HEADER, "Language": language})
    po.metadata_is_fuzzy = False
    po.header = COMMENT.format(language=language)
    result, seen = Applied(), set()
    for entry in po:
        if entry.obsolete:
            continue
        name = key(entry)
        seen.add(name)
        translation = entries.get(name)
        if translation:
            _fill(entry, translation)
            result.filled += 1
        elif not entry.translated():
            result.missing.append(name)
    result.unused = sorted(set(entries) - seen)
    po.save(str(po_file))
    return result


def _fill(entry, translation) -> None:
    if entry.msgid_plural:
        forms = translation if isinstance(translation, list) else [translation]
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = translation if isinstance(translation, str) else translation[0]
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


def harvest(po_file: Path, language: str) -> int:
    """Copy the translations made in `po_file` (in a .po editor) that the table lacks into the
    table; fuzzy ones are left out. Returns how many were added."""
    entries = load(language)
    added = 0
    for entry in polib.pofile(str(po_file)):
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated() or key(entry) in entries:
            continue
        entries[key(entry)] = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] \
            if entry.msgid_plural else entry.msgstr
        added += 1
    save(language, entries)
    return added
