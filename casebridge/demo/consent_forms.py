"""Synthetic signed consent forms for the demo world: a one-page PDF naming the (synthetic) client,
the recipient, the categories and the date, the kind of scan a practitioner would attach."""

from datetime import date

from fpdf import FPDF

from casebridge.vocabulary import Category


def signed_form(*, client: str, recipient: str, categories, given_on: date, number: int) -> tuple[str, bytes]:
    """(file name, PDF bytes) of consent form CF-<number>."""
    pdf = FPDF(format="A4")
    pdf.set_creator("Casebridge demo")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 12, f"Consent to share information - form CF-{number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    lines = [
        f"I, {client}, agree that information about me may be shared with: {recipient}.",
        "Categories: " + ", ".join(str(Category(c).label) for c in categories) + ".",
        "I was told I may withdraw this consent at any time, with any member of my case team.",
        f"Signed on {given_on.day} {given_on:%B %Y}.",
        "",
        "Signature of the client: [signed]      Witness: [signed]",
        "",
        "SYNTHETIC DEMO DOCUMENT - no real person.",
    ]
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return f"consent-form-CF-{number}.pdf", bytes(pdf.output())
