"""The text of a Casebridge PDF, for tests to search, as a reader's PDF software extracts it (pdfium).

The PDFs embed a TrueType font and shape their text, so the content streams hold glyph numbers, not
letters: the letters come back only through the font's ToUnicode map, which is what pdfium reads.
Two things to know when searching the text of right-to-left scripts (docs/documents.md):
  - an Arabic letter is drawn in its joined form (initial, medial, final); pdfium usually gives back
    the letter itself, but may give a presentation form (U+FB50–U+FEFF): `pdf_text` normalises with
    NFKC, which maps every presentation form to its letter;
  - the extractor rebuilds the reading order of a right-to-left run from the glyphs' positions, and
    may order the words of a line differently from the logical order when a line mixes directions;
    a search for an Arabic name is for a name on a line of its own or starting its line.
"""

import ctypes
import io
import unicodedata

import pypdfium2
from fontTools.ttLib import TTFont


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text, NFKC-normalised; the PDF must start as a PDF does."""
    assert content.startswith(b"%PDF-"), "not a PDF"
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    try:
        return [unicodedata.normalize("NFKC", document[index].get_textpage().get_text_range())
                for index in range(len(document))]
    finally:
        document.close()


def pdf_text(content: bytes) -> str:
    """The whole document's text, pages one after the other, lines joined by a space: a sentence
    the PDF wraps over two lines is found whole."""
    return " ".join(" ".join(page.split()) for page in pdf_pages(content))


def body_text(content: bytes) -> str:
    """`pdf_text` without each page's running header and footer (the banner at the top; the footer
    line and the banner at the bottom, casebridge.documents.pdf): a sentence that runs over a page
    break is found whole."""
    return " ".join(" ".join(" ".join(page.splitlines()[1:-2]).split()) for page in pdf_pages(content))


PUNCTUATION = ".,:;،؛()«»"


def arabic_words(sentence: str) -> list[str]:
    """The words of an Arabic sentence that pdfium gives back as written, without their vowel marks
    and punctuation: pdfium writes a vowel mark (U+064B–U+065F) apart from its letter, and gives the
    two letters of the lam-alef ligature back in the order they are drawn (alef, lam), so words
    holding one are left out. Compare with `found_words` of the document."""
    words = (word.strip(PUNCTUATION) for word in without_marks(sentence).split())
    return [word for word in words if word and not any(pair in word for pair in ("لا", "لأ", "لإ", "لآ"))]


def found_words(text: str) -> set[str]:
    """The words of extracted text, without vowel marks and punctuation."""
    return {word.strip(PUNCTUATION) for word in without_marks(text).split()}


def without_marks(text: str) -> str:
    return "".join(c for c in text if not unicodedata.combining(c))


def embedded_characters(content: bytes) -> set[str]:
    """Every character the PDF's embedded fonts can draw, read from each font's own character map.
    fpdf2 embeds only the glyphs a document uses, so this is what the document draws: after text
    shaping, an Arabic letter is drawn in its joined form, a presentation form (U+FB50–U+FEFF) the
    font maps that glyph to, where unshaped text would use the isolated letter."""
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    found: set[str] = set()
    try:
        for index in range(len(document)):
            for text_object in document[index].get_objects(filter=(pypdfium2.raw.FPDF_PAGEOBJ_TEXT,)):
                found |= _font_characters(text_object)
    finally:
        document.close()
    return found


def _font_characters(text_object) -> set[str]:
    font = pypdfium2.raw.FPDFTextObj_GetFont(text_object.raw)
    size = ctypes.c_size_t()
    pypdfium2.raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size))
    data = (ctypes.c_uint8 * size.value)()
    pypdfium2.raw.FPDFFont_GetFontData(font, data, size.value, ctypes.byref(size))
    return {chr(code) for code in TTFont(io.BytesIO(bytes(data))).getBestCmap()}


def word_boxes(content: bytes, word: str) -> list[tuple[int, tuple, tuple]]:
    """Where a word is drawn: (page index, box of its first letter, box of its last letter) for each
    place pdfium finds it, a box being (left, bottom, right, top) in points. The letters are in the
    word's logical order, so in a right-to-left word the first letter's box is right of the last's."""
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    found = []
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            searcher = textpage.search(word)
            while (hit := searcher.get_next()) is not None:
                start, count = hit
                first, last = textpage.get_charbox(start), textpage.get_charbox(start + count - 1)
                found.append((index, first, last))
    finally:
        document.close()
    return found
