"""Filling, checking and compiling catalogues (casebridge.i18n.table and .catalogues)."""

import gettext

import polib
import pytest

from casebridge.i18n import catalogues, table

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Sign in"
msgstr ""

#, fuzzy
msgid "Case %(reference)s"
msgstr "Zaak"

msgid "%(count)s item"
msgid_plural "%(count)s items"
msgstr[0] ""
msgstr[1] ""
'''


@pytest.fixture
def locale(tmp_path, monkeypatch):
    po = catalogues.po_path("nl", tmp_path)
    po.parent.mkdir(parents=True)
    po.write_text(PO, encoding="utf-8")
    monkeypatch.setattr(table, "TABLES", tmp_path / "table")
    return tmp_path


def test_applying_the_table_fills_translations_and_clears_the_fuzzy_mark(locale):
    table.save("nl", {"Sign in": "Inloggen", "Case %(reference)s": "Zaak %(reference)s",
                      "%(count)s item": ["%(count)s item", "%(count)s items"], "Gone": "Weg"})
    applied = table.apply(catalogues.po_path("nl", locale), "nl")
    assert (applied.filled, applied.missing, applied.unused) == (3, [], ["Gone"])
    assert catalogues.problems("nl", locale) == []
    entry = polib.pofile(str(catalogues.po_path("nl", locale))).find("Case %(reference)s")
    assert entry.msgstr == "Zaak %(reference)s" and "fuzzy" not in entry.flags


def test_untranslated_fuzzy_and_broken_translations_are_problems(locale):
    table.save("nl", {"Sign in": "<b>Inloggen</b>", "%(count)s item": ["één item", "%(count)s %(x)s"]})
    table.apply(catalogues.po_path("nl", locale), "nl")
    found = {(p.msgid, p.what) for p in catalogues.problems("nl", locale)}
    assert found == {("Sign in", "HTML tags differ"), ("Case %(reference)s", "fuzzy"),
                     ("%(count)s item", "placeholders differ")}


def test_a_translation_that_loses_a_named_value_is_a_problem(locale):
    table.save("nl", {"Case %(reference)s": "Zaak"})
    table.apply(catalogues.po_path("nl", locale), "nl")
    assert ("Case %(reference)s", "placeholders differ") in {(p.msgid, p.what) for p in catalogues.problems("nl", locale)}


def test_a_compiled_catalogue_is_read_by_gettext_and_leaves_out_what_is_not_translated(locale):
    table.save("nl", {"Sign in": "Inloggen", "%(count)s item": ["%(count)s item", "%(count)s items"]})
    table.apply(catalogues.po_path("nl", locale), "nl")
    assert catalogues.compile_catalogues(locale) == [catalogues.po_path("nl", locale).with_suffix(".mo")]
    with open(catalogues.po_path("nl", locale).with_suffix(".mo"), "rb") as mo:
        translations = gettext.GNUTranslations(mo)
    assert translations.gettext("Sign in") == "Inloggen"
    assert translations.gettext("Case %(reference)s") == "Case %(reference)s"  # still fuzzy: English stays
    assert translations.ngettext("%(count)s item", "%(count)s items", 3) == "%(count)s items"


def test_compiling_only_stale_catalogues_leaves_a_fresh_one_alone(locale):
    assert len(catalogues.compile_catalogues(locale)) == 1
    assert catalogues.compile_catalogues(locale, stale_only=True) == []


def test_harvesting_copies_editor_translations_into_the_table_but_not_fuzzy_ones(locale):
    po = polib.pofile(str(catalogues.po_path("nl", locale)))
    po.find("Sign in").msgstr = "Aanmelden"
    po.save()
    assert table.harvest(catalogues.po_path("nl", locale), "nl") == 1
    assert table.load("nl") == {"Sign in": "Aanmelden"}
