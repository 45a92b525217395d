"""Every PDF Casebridge produces: its fonts are embedded, and every page says how the document is
marked and which agency produced it. Pages are rendered to PNG as test artefacts (artifacts/pdfs/)."""

import datetime as dt
import io
import os
from pathlib import Path

import pypdfium2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from casebridge.conftest import PURPOSE
from casebridge.dataprotection import export, pdf
from casebridge.dataprotection.tests.pdftext import pdf_pages
from casebridge.dataprotection.transparency import transparency_notice
from casebridge.demo.consent_forms import signed_form
from casebridge.documents.fonts import FontsMissing
from casebridge.documents.pdf import Document, needs_shaping
from casebridge.items import services as items

ARTIFACTS = Path(os.environ.get("CASEBRIDGE_ARTIFACTS", "artifacts")) / "pdfs"


def _many_items(cast, case, count=12):
    for number in range(count):
        with transaction.atomic():
            items.record_item(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE, data={
                "category": "programme_and_intervention", "nature": "fact", "title": f"Session {number}",
                "body": "Attended the mentoring session; talked about work and family. " * 10,
                "fact_date": dt.date(2025, 6, 1), "classification": 1})


def _every_page_marked(content: bytes, banner: str, agency: str, name: str) -> int:
    """Each page starts and ends with the banner and names the agency in its footer; saved as PNG."""
    pages = pdf_pages(content)
    for number, text in enumerate(pages, 1):
        lines = text.splitlines()
        assert lines[0] == lines[-1] == banner, f"page {number}: the banner is not at its top and bottom"
        assert lines[-2].startswith(f"{agency} · ") and lines[-2].endswith(f"{number} of {len(pages)}"), (
            f"page {number}: the footer does not name the agency and the page")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    for index in range(len(document)):
        document[index].render(scale=1.2).to_pil().save(ARTIFACTS / f"{name}-page-{index + 1}.png")
    document.close()
    return len(pages)


def test_every_page_of_a_long_subject_access_copy_carries_its_marking_and_agency(exchange, cast, case):
    _many_items(cast, case)
    with transaction.atomic():
        document = export.subject_access_export(actor=cast["dora"], client_id=case.client_id, purpose=PURPOSE,
                                                fmt="pdf")
    assert document["classification"] == "RESTRICTED"  # the highest level of what the copy holds
    pages = _every_page_marked(pdf.subject_access_pdf(document), "RESTRICTED", "Westmark Probation Service",
                               "subject-access")
    assert pages >= 3


def test_every_page_of_the_notice_carries_the_lowest_marking_and_the_agency_giving_it(exchange, cast, case):
    with transaction.atomic():
        notice = transparency_notice(actor=cast["ivo"], case_id=case.pk, purpose=PURPOSE, language="en")
    assert _every_page_marked(pdf.transparency_pdf(notice), "OPEN", "Westmark Prison", "notice") >= 2


def test_the_demo_consent_form_is_written_on_the_same_base():
    _name, content = signed_form(client="Emir Hodžić", recipient="Open Door Exit Programme",
                                 categories=["programme_and_intervention"], given_on=dt.date(2025, 4, 1), number=7,
                                 agency="Westmark Probation Service")
    (text,) = pdf_pages(content)
    assert "I, Emir Hodžić, agree" in " ".join(text.split())
    assert text.splitlines()[-2].startswith("Westmark Probation Service · Consent to share information")


def test_the_font_is_embedded_not_referred_to():
    content = Document("Emir Hodžić", agency="Westmark Police", banner="OPEN").render()
    assert b"/FontFile2" in content and b"DejaVuSans" in content
    assert b"/Helvetica" not in content  # no core font, which covers only Latin-1


def test_without_the_fonts_no_pdf_is_made_and_the_reason_is_one_line(settings, tmp_path):
    settings.CASEBRIDGE_PDF_FONT_DIR = str(tmp_path)
    with pytest.raises(FontsMissing) as refused:
        Document("A title", agency="Westmark Police", banner="OPEN")
    reason = str(refused.value)
    assert "\n" not in reason and "DejaVuSans.ttf" in reason and "fonts-dejavu-core" in reason
    assert f"CASEBRIDGE_PDF_FONT_DIR={tmp_path}" in reason


def test_casebridge_check_and_serve_refuse_to_start_without_the_fonts(db, settings, tmp_path):
    settings.CASEBRIDGE_PDF_FONT_DIR = str(tmp_path)
    for command in ("check_config", "serve"):
        with pytest.raises(CommandError, match="the PDF font DejaVuSans.ttf is not in CASEBRIDGE_PDF_FONT_DIR"):
            call_command(command)


@pytest.mark.parametrize("text, shaped", [
    ("Emir Hodžić – Ελληνικά – Кириллица", False),  # precomposed letters: set glyph by glyph
    ("Hodz\u030cic\u0301", True),  # accents typed as separate characters are placed by shaping
    ("Karim عبد الله", True), ("שלום", True), ("٣ ١٢", True),  # right-to-left letters, Arabic digits
])
def test_a_left_to_right_document_shapes_the_texts_that_need_it(text, shaped):
    assert needs_shaping(text) is shaped

