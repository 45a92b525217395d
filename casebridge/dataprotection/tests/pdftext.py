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

import io
import unicodedata

import pypdfium2


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
