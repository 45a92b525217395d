"""Synthetic signed consent forms for the demo world: a one-page PDF naming the (synthetic) client,
the recipient, the categories and the date, the kind of scan a practitioner would attach. Written
on the same base as every Casebridge PDF (casebridge.documents.pdf), so a client's name in any script
comes out as written."""

from datetime import date

from casebridge.documents.pdf import Document
from casebridge.vocabulary import Category, classification_label


def signed_form(*, client: str, recipient: str, categories, given_on: date, number: int,
                agency: str) -> tuple[str, bytes]:
    """(file name, PDF bytes) of consent form CF-<number>, on the paper of `agency`."""
    pdf = Document(f"Consent to share information – form CF-{number}", agency=agency, banner=classification_label(0))
    lines = [
        f"I, {client}, agree that information about me may be shared with: {recipient}.",
        "Categories: " + ", ".join(str(Category(c).label) for c in categories) + ".",
        "I was told I may withdraw this consent at any time, with any member of my case team.",
        f"Signed on {given_on.day} {given_on:%B %Y}.",
        "",
        "Signature of the client: [signed]      Witness: [signed]",
        "",
        "SYNTHETIC DEMO DOCUMENT – no real person.",
    ]
    for line in lines:
        pdf.paragraph(line, size=11)
    return f"consent-form-CF-{number}.pdf", pdf.render()
