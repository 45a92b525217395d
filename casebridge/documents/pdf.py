"""The base of every PDF Casebridge produces (fpdf2): subject access copies, transparency notices,
briefing packs, the demo's consent forms.

- Text is written in DejaVu Sans (casebridge.documents.fonts), embedded, with text shaping (HarfBuzz,
  through uharfbuzz) and the Unicode bidirectional algorithm: "Hodžić", Greek, Cyrillic and Arabic
  come out as written, Arabic joined and right to left. Shaping is costly (fpdf2 shapes each word
  again while it breaks lines: a notice took seconds), so a left-to-right document shapes only the
  texts that need it: a letter of a right-to-left script (Hebrew, Arabic…) or a mark (an accent
  typed as a separate character, the vowel signs of the Indic scripts). Latin with its precomposed
  diacritics, Greek and Cyrillic are set glyph by glyph.
- Every page carries the classification banner at its top and its bottom, and in its footer the
  agency that produced the document, the title and the page number: a page that leaves the document
  still says how it is marked and whose it is.
- A right-to-left document (an Arabic notice) sets every paragraph right to left and aligns it on the
  right; in a left-to-right document a paragraph that starts in a right-to-left script (an Arabic
  item text) is set right to left too.
"""

import unicodedata
from contextlib import contextmanager
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.bidi import auto_detect_base_direction
from fpdf.enums import TextDirection, XPos, YPos

from casebridge.documents.fonts import FAMILY, font_files

LINE = 5  # mm, body text line height
LABEL_WIDTH = 48  # mm, the label column of `pairs`
BANNER_HEIGHT = 6  # mm
DARK, WHITE, BLACK = (30, 30, 30), (255, 255, 255), (0, 0, 0)
RIGHT_TO_LEFT = {"R", "AL", "AN"}  # Unicode bidirectional classes of right-to-left letters and Arabic digits


def needs_shaping(text: str) -> bool:
    """Whether `text` must be shaped to come out right: a right-to-left letter, or a mark."""
    return any(ord(ch) > 0x7F and (unicodedata.bidirectional(ch) in RIGHT_TO_LEFT
                                   or unicodedata.category(ch).startswith("M")) for ch in text)


def day(value) -> str:
    """A date (or date and time) in the active language's words, e.g. 12 March 2026."""
    if isinstance(value, datetime):
        return formats.date_format(value, "j F Y, H:i")
    return formats.date_format(value, "j F Y") if isinstance(value, date) else "–"


def as_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def default_page_label(page: int, pages: str) -> str:
    return _("page %(page)s of %(pages)s") % {"page": page, "pages": pages}


class Document(FPDF):
    """A Casebridge PDF. `banner` is the classification marking of the whole document (its highest
    level), `agency` the agency that produced it, `note` an optional line above each footer (whom a
    pack was prepared for). `direction` is "rtl" for a document in a right-to-left language."""

    def __init__(self, title: str, *, agency: str, banner: str, note: str = "", direction: str = "ltr",
                 language: str = "", page_label=default_page_label):
        super().__init__(format="A4")
        self.document_title, self.agency, self.banner, self.note = title, agency, banner, note
        self.rtl = direction == "rtl"
        self.page_label = page_label
        for style, path in font_files().items():
            self.add_font(FAMILY, style, str(path))
        # Forced right to left for an RTL document; otherwise each paragraph's first strong letter decides.
        self.set_text_shaping(True, direction=TextDirection.RTL if self.rtl else None)
        self.set_title(title)
        self.set_author(agency)
        self.set_creator("Casebridge")
        if language:
            self.set_lang(language)
        self.set_margins(18, 18 + BANNER_HEIGHT, 18)
        self.set_auto_page_break(True, margin=26 if note else 21)
        self.add_page()
        self.set_font(FAMILY, "B", 17)
        self.multi_cell(0, 9, title, align=self._align(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def cell(self, *args, **kwargs):
        with self._shaping(args[2] if len(args) > 2 else kwargs.get("text", "")):
            return super().cell(*args, **kwargs)

    def multi_cell(self, *args, **kwargs):
        with self._shaping(args[2] if len(args) > 2 else kwargs.get("text", "")):
            return super().multi_cell(*args, **kwargs)

    @contextmanager
    def _shaping(self, text):
        """Shaping on for this text if it needs it (always, in a right-to-left document); the setting
        before is restored after, so a header or footer written inside a page break decides for itself."""
        before = self.text_shaping
        if not self.rtl:
            self.set_text_shaping(needs_shaping(str(text)))
        try:
            yield
        finally:
            self.text_shaping = before

    def _align(self, text: str) -> str:
        if self.rtl:
            return "R"
        return "R" if auto_detect_base_direction(str(text)) == TextDirection.RTL else "L"

    def _banner(self, y: float) -> None:
        self.set_xy(self.l_margin, y)
        self.set_font(FAMILY, "B", 9)
        self.set_fill_color(*DARK)
        self.set_text_color(*WHITE)
        self.cell(0, BANNER_HEIGHT, self.banner, align="C", fill=True)
        self.set_text_color(*BLACK)

    def header(self):
        self._banner(8)
        self.set_y(self.t_margin)

    def footer(self):
        top = -(BANNER_HEIGHT + 10 + (5 if self.note else 0))
        self.set_y(top)
        if self.note:
            self.set_font(FAMILY, "B", 8)
            self.cell(0, 4, self.note, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 8)
        # {nb} is fpdf2's alias for the page count, filled in when the document is finished.
        where = f"{self.agency} · {self.document_title} · {self.page_label(self.page_no(), '{nb}')}"
        self.cell(0, 4, where, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._banner(self.h - BANNER_HEIGHT - 6)

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(3)
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, 7, str(text), align=self._align(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    @contextmanager
    def _own_direction(self, own: bool):
        """With `own`, the text's first strong letter sets its direction even in a right-to-left
        document: an address or a name in Latin letters reads left to right wherever it stands."""
        if own and self.rtl:
            self.set_text_shaping(True, direction=None)
        try:
            yield
        finally:
            if own and self.rtl:
                self.set_text_shaping(True, direction=TextDirection.RTL)

    def paragraph(self, text: str, *, style: str = "", size: int = 10, indent: float = 0, own: bool = False) -> None:
        """A paragraph (bold with style "B"), indented from the side it starts on; `own`: a name or an
        address, set in its own direction (see _own_direction)."""
        text = str(text)
        self.set_font(FAMILY, style, size)
        width = self.epw - indent
        self.set_x(self.l_margin if self.rtl else self.l_margin + indent)
        with self._own_direction(own):
            # Aligned on one side only: justified lines stretch the spaces and are harder to read.
            self.multi_cell(width, LINE, text, align=self._align(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def pairs(self, rows) -> None:
        """Label and value side by side, the label on the side the text starts from."""
        for label, value in rows:
            value = str(value or "–")
            y = self.get_y()
            if y + LINE > self.page_break_trigger:
                self.add_page()
                y = self.get_y()
            self.set_font(FAMILY, "B", 10)
            self.set_xy(self.l_margin + self.epw - LABEL_WIDTH if self.rtl else self.l_margin, y)
            self.cell(LABEL_WIDTH, LINE, str(label), align="R" if self.rtl else "L")
            self.set_font(FAMILY, "", 10)
            self.set_xy(self.l_margin if self.rtl else self.l_margin + LABEL_WIDTH, y)
            # A value keeps its own direction but lines up with its column (a name in Arabic letters
            # in an English table starts where the other values start).
            with self._own_direction(True):
                self.multi_cell(self.epw - LABEL_WIDTH, LINE, value, align="R" if self.rtl else "L",
                                new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def lines(self, text: str, *, size: int = 10, indent: float = 0) -> None:
        """A block of lines kept as written (an address)."""
        for line in str(text).splitlines():
            if line.strip():
                self.paragraph(line.strip(), size=size, indent=indent, own=True)

    def render(self) -> bytes:
        return bytes(self.output())
