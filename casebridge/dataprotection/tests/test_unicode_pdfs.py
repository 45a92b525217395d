"""The client's name comes out of every PDF the client receives as it is written: Latin letters with
diacritics, Greek, Cyrillic and Arabic, the Arabic joined and right to left (docs/documents.md).

The text is read back with pdfium, as a reader's PDF software does (pdftext.py says what to know about
Arabic there): a name in Latin, Greek or Cyrillic letters is found whole. An Arabic name is checked in
three ways that do not rely on how pdfium orders a line mixing directions: each word is found intact;
the words and the letters of each word are drawn right to left (by their positions on the page); and
the embedded font draws the joined forms of its letters, which only text shaping chooses.
"""

import pytest
from django.db import transaction

from casebridge.cases.models import Client
from casebridge.conftest import PURPOSE
from casebridge.dataprotection import export, pdf
from casebridge.dataprotection.tests.pdftext import embedded_characters, pdf_text, word_boxes
from casebridge.dataprotection.transparency import transparency_notice

# Synthetic names, one per script.
NAMES = {"latin": ("Emir", "Hodžić"), "greek": ("Ελένη", "Παπαδοπούλου"), "cyrillic": ("Адлан", "Идрисов"),
         "arabic": ("طارق", "منصور")}
# The joined forms of "طارق منصور": tah initial, alef final; meem initial, noon medial, sad medial, waw final
# (alef and waw join only to the letter before them, so reh and qaf stand alone: no joined form).
JOINED = {"\ufec3", "\ufe8e", "\ufee3", "\ufee8", "\ufebc", "\ufeee"}


@pytest.fixture
def named(case):
    def rename(script: str, languages: list[str]):
        given, family = NAMES[script]
        Client.objects.filter(pk=case.client_id).update(given_name=given, family_name=family, languages=languages)
        return given, family
    return rename


def _subject_access(cast, case) -> bytes:
    with transaction.atomic():
        document = export.subject_access_export(actor=cast["dora"], client_id=case.client_id, purpose=PURPOSE,
                                                fmt="pdf")
    return pdf.subject_access_pdf(document)


def _notice(cast, case, language=None) -> bytes:
    with transaction.atomic():
        notice = transparency_notice(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE, fmt="pdf",
                                     language=language)
    return pdf.transparency_pdf(notice)


@pytest.mark.parametrize("script, language", [("latin", "nl"), ("greek", "en"), ("cyrillic", "de")])
def test_a_name_in_latin_greek_or_cyrillic_letters_is_intact_in_the_copy_and_the_notice(
        exchange, cast, case, named, script, language):
    given, family = named(script, [language])
    assert f"{given} {family}" in pdf_text(_subject_access(cast, case))
    assert f"{given} {family}" in pdf_text(_notice(cast, case))


def _drawn_right_to_left(content: bytes, given: str, family: str) -> bool:
    """Every place the given name is drawn, its letters go right to left and the family name follows
    on its left, on the same line."""
    givens, families = word_boxes(content, given), word_boxes(content, family)
    assert givens, f"{given} is not in the PDF"
    for page, first, last in givens:
        assert first[0] > last[0], "the letters of the given name are drawn left to right"
        follows = [f for p, f, _ in families if p == page and abs(f[1] - first[1]) < 1 and f[2] <= last[0]]
        assert follows, "the family name is not drawn to the left of the given name on its line"
    return True


@pytest.mark.parametrize("document, language", [("copy", "ar"), ("notice", "ar"), ("notice", "en")])
def test_an_arabic_name_is_intact_joined_and_right_to_left(exchange, cast, case, named, document, language):
    given, family = named("arabic", [language])
    content = _subject_access(cast, case) if document == "copy" else _notice(cast, case)
    words = pdf_text(content)
    assert given in words and family in words
    assert _drawn_right_to_left(content, given, family)
    assert JOINED <= embedded_characters(content), "the letters are not joined: the text was not shaped"


def test_the_arabic_notice_says_the_name_in_its_arabic_sentence(exchange, cast, case, named):
    given, family = named("arabic", ["ar"])
    # In a right-to-left line pdfium gives the logical order back: the name whole, after "to" (إلى).
    assert f"إلى {given} {family}" in pdf_text(_notice(cast, case))


def test_without_shaping_an_arabic_name_comes_out_reversed_and_unjoined(exchange, cast, case, named, monkeypatch):
    """What the checks above catch: the same notice written without text shaping (and so without the
    bidirectional algorithm) draws the letters left to right, each standing alone."""
    from casebridge.documents.pdf import Document

    given, family = named("arabic", ["ar"])
    monkeypatch.setattr(Document, "set_text_shaping", lambda self, *args, **kwargs: None)
    content = _notice(cast, case)
    words = pdf_text(content)
    assert given not in words and given[::-1] in words
    assert not JOINED & embedded_characters(content)
