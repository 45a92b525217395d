"""PDF renderings of the subject access export and the transparency notice (fpdf2).

Rendered from the same documents the JSON and the pages show, so the PDF cannot carry more. Uses
the PDF core font, which every reader has and which needs no font file on the server; it covers
Latin-1, so other letters are written without their accents (the JSON export keeps them exactly).
"""

import unicodedata
from datetime import date, datetime

from django.http import HttpResponse
from fpdf import FPDF
from fpdf.enums import XPos, YPos

_TYPOGRAPHY = str.maketrans({"→": "->", "—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'",
                             "…": "...", "•": "-", "\u00a0": " ",
                             # Letters that Unicode does not split into a base letter and an accent.
                             "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Œ": "OE",
                             "œ": "oe"})


def latin(text) -> str:
    """`text` as the core font can write it: typography simplified, accents dropped only when needed."""
    return "".join(_latin_letter(c) for c in unicodedata.normalize("NFC", str(text).translate(_TYPOGRAPHY)))


def _latin_letter(letter: str) -> str:
    if ord(letter) < 256:
        return letter
    plain = "".join(c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c))
    return plain if plain and all(ord(c) < 256 for c in plain) else "?"


def day(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d %B %Y, %H:%M")
    return value.strftime("%d %B %Y") if isinstance(value, date) else "-"


class Document(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        self.document_title = latin(title)
        self.set_title(self.document_title)
        self.set_creator("Casebridge")
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.add_page()
        self.set_font("Helvetica", "B", 17)
        self.multi_cell(0, 9, self.document_title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, f"{self.document_title} - page {self.page_no()} of {{nb}}", align="C")

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, 7, latin(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, *, style: str = "", size: int = 10, indent: float = 0) -> None:
        self.set_font("Helvetica", style, size)
        self.set_x(self.l_margin + indent)
        # Left-aligned: justified lines stretch the spaces and are harder to read.
        self.multi_cell(0, 5, latin(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def pairs(self, rows) -> None:
        for label, value in rows:
            self.set_font("Helvetica", "B", 10)
            self.cell(48, 5, latin(label))
            self.set_font("Helvetica", "", 10)
            self.multi_cell(0, 5, latin(value or "-"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def render(self) -> bytes:
        return bytes(self.output())


def as_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def subject_access_pdf(document: dict) -> bytes:
    pdf = Document(document["title"])
    pdf.paragraph(f"Provided by {document['provided_by']} on {day(document['generated_at'])}.", size=9)
    client = document["client"]
    pdf.heading("About you")
    pdf.pairs([("Name", f"{client['given_name']} {client['family_name']}"),
               ("Other names", ", ".join(client["aliases"])), ("Date of birth", day(client["date_of_birth"])),
               ("Nationalities", ", ".join(client["nationalities"])), ("Languages", ", ".join(client["languages"])),
               ("Residence status", client["residency_status"])])
    pdf.heading("Your cases")
    for case in document["cases"]:
        _case(pdf, case)
    pdf.heading(f"Information recorded about you ({len(document['items'])})")
    for item in document["items"]:
        _item(pdf, item)
    pdf.heading("About this copy", size=11)
    pdf.paragraph(f"This copy holds what {document['provided_by']} processes about you: what it recorded, and "
                  "what other agencies shared with it and released for this copy. Each other agency on your case "
                  "answers for what it holds; ask its data protection officer. Where the law allows it, some "
                  "information can be left out of this copy. Intelligence, and anything about the sources or "
                  "methods by which information was obtained, is never included.", size=9)
    return pdf.render()


def _case(pdf: Document, case: dict) -> None:
    pdf.paragraph(f"Case {case['reference']}", style="B", size=11)
    pdf.pairs([("Opened on", day(case["opened_on"])), ("Current stage", case["current_phase"]),
               ("Coordinated by", case["lead_agency"])])
    pdf.paragraph("Stages:", style="B")
    for phase in case["phases"]:
        pdf.paragraph(f"- {phase['phase']}, from {day(phase['since'])}", indent=4)
    pdf.paragraph("Agencies on the case:", style="B")
    for member in case["member_agencies"]:
        until = f" until {day(member['ends_on'])}" if member["ends_on"] else ""
        pdf.paragraph(f"- {member['name']} ({member['kind']}), from {day(member['starts_on'])}{until}", indent=4)
    pdf.ln(2)


def _item(pdf: Document, item: dict) -> None:
    pdf.ln(2)
    pdf.paragraph(item["title"], style="B", size=11)
    summary = " (a shortened version of another record)" if item["sanitised_summary_of_another_record"] else ""
    pdf.paragraph(f"{item['nature']} of {day(item['date_of_fact'])} - {item['category']} - recorded by "
                  f"{item['recorded_by_agency']} on case {item['case_reference']}{summary}", size=8)
    pdf.paragraph(item["text"])
    for attachment in item["attachments"]:
        pdf.paragraph(f"Attached file: {attachment['filename']} ({attachment['size_bytes']} bytes)", size=8)


def transparency_pdf(notice) -> bytes:
    pdf = Document("How information about you is shared")
    pdf.paragraph(f"For {notice.client_name}, case {notice.case_reference}, as of {day(notice.generated_on)}.", size=9)
    pdf.paragraph(str(notice.need_to_know))
    pdf.paragraph(str(notice.consent))
    pdf.paragraph(str(notice.audited))
    for agency in notice.agencies:
        _agency(pdf, agency)
    pdf.paragraph(notice.disclosures_counted, size=9)
    pdf.heading("What is never shared", size=11)
    pdf.paragraph(str(notice.never_shared))
    return pdf.render()


def _agency(pdf: Document, agency) -> None:
    role = " - coordinates your case" if agency.lead else ("" if agency.active else " - no longer on your case")
    pdf.heading(f"{agency.name} ({agency.kind}){role}", size=12)
    if agency.active and not agency.shares:
        pdf.paragraph("Shares nothing through agreements with the other agencies named here.")
    for share in agency.shares:
        pdf.paragraph(f"May share with {share.recipient}:", style="B")
        for terms in share.categories:
            pdf.paragraph(f"- {terms.sentence}", indent=4)
        for basis in share.bases:
            pdf.paragraph(f"Agreed in {basis}.", size=9, indent=4)
    if agency.disclosures:
        made = ", ".join(f"{d.count} to {d.recipient}" for d in agency.disclosures)
        pdf.paragraph(f"One-off disclosures, each made with a written reason: {made}.")
    else:
        pdf.paragraph("No one-off disclosures counted.")
