"""PDF renderings of the subject access export and the transparency notice.

Rendered from the same documents the JSON and the pages show, so the PDF cannot carry more. The
base (casebridge.documents.pdf) embeds a Unicode font with text shaping and puts the classification
banner and the producing agency on every page. The subject access copy is marked with the highest
classification of what it holds; the notice holds no case content and carries the lowest level.
"""

from django.utils.translation import gettext as _

from casebridge.documents.pdf import Document, day
from casebridge.vocabulary import classification_label


def subject_access_pdf(document: dict) -> bytes:
    pdf = Document(document["title"], agency=document["provided_by"], banner=document["classification"])
    pdf.paragraph(_("Provided by %(agency)s on %(day)s.") % {"agency": document["provided_by"],
                                                             "day": day(document["generated_at"])}, size=9)
    client = document["client"]
    pdf.heading(_("About you"))
    pdf.pairs([(_("Name"), f"{client['given_name']} {client['family_name']}"),
               (_("Other names"), ", ".join(client["aliases"])), (_("Date of birth"), day(client["date_of_birth"])),
               (_("Nationalities"), ", ".join(client["nationalities"])),
               (_("Languages"), ", ".join(client["languages"])), (_("Residence status"), client["residency_status"])])
    pdf.heading(_("Your cases"))
    for case in document["cases"]:
        _case(pdf, case)
    pdf.heading(_("Information recorded about you (%(count)d)") % {"count": len(document["items"])})
    for item in document["items"]:
        _item(pdf, item)
    pdf.heading(_("About this copy"), size=11)
    pdf.paragraph(_("This copy holds what %(agency)s processes about you: what it recorded, and what other agencies "
                    "shared with it and released for this copy. Each other agency on your case answers for what it "
                    "holds; ask its data protection officer. Where the law allows it, some information can be left "
                    "out of this copy. Intelligence, and anything about the sources or methods by which information "
                    "was obtained, is never included.") % {"agency": document["provided_by"]}, size=9)
    return pdf.render()


def _case(pdf: Document, case: dict) -> None:
    pdf.paragraph(_("Case %(reference)s") % {"reference": case["reference"]}, style="B", size=11)
    pdf.pairs([(_("Opened on"), day(case["opened_on"])), (_("Current stage"), case["current_phase"]),
               (_("Coordinated by"), case["lead_agency"])])
    pdf.paragraph(_("Stages:"), style="B")
    for phase in case["phases"]:
        pdf.paragraph(_("– %(phase)s, from %(day)s") % {"phase": phase["phase"], "day": day(phase["since"])},
                      indent=4)
    pdf.paragraph(_("Agencies on the case:"), style="B")
    for member in case["member_agencies"]:
        values = {"name": member["name"], "kind": member["kind"], "start": day(member["starts_on"]),
                  "end": day(member["ends_on"])}
        line = (_("– %(name)s (%(kind)s), from %(start)s until %(end)s") if member["ends_on"]
                else _("– %(name)s (%(kind)s), from %(start)s"))
        pdf.paragraph(line % values, indent=4)
    pdf.ln(2)


def _item(pdf: Document, item: dict) -> None:
    pdf.ln(2)
    pdf.paragraph(item["title"], style="B", size=11)
    about = _("%(nature)s of %(day)s – %(category)s – recorded by %(agency)s on case %(reference)s") % {
        "nature": item["nature"], "day": day(item["date_of_fact"]), "category": item["category"],
        "agency": item["recorded_by_agency"], "reference": item["case_reference"]}
    if item["sanitised_summary_of_another_record"]:
        about += " " + _("(a shortened version of another record)")
    pdf.paragraph(about, size=8)
    pdf.paragraph(item["text"])
    for attachment in item["attachments"]:
        pdf.paragraph(_("Attached file: %(name)s (%(size)d bytes)") % {"name": attachment["filename"],
                                                                       "size": attachment["size_bytes"]}, size=8)


def transparency_pdf(notice) -> bytes:
    """The notice in its own language and direction (an Arabic notice right to left)."""
    texts = notice.texts
    pdf = Document(notice.title, agency=notice.issuer.name if notice.issuer else "", banner=classification_label(0),
                   direction=notice.direction, language=notice.language, page_label=notice.page_label)
    pdf.paragraph(notice.prepared_for, size=9)
    if notice.given_by:
        pdf.paragraph(notice.given_by, size=9)
    for text in (notice.need_to_know, notice.consent, notice.audited):
        pdf.ln(1.5)
        pdf.paragraph(text)
    pdf.heading(texts["agencies_heading"])
    for agency in notice.agencies:
        _agency(pdf, texts, agency)
    pdf.paragraph(notice.disclosures_counted, size=9)
    pdf.heading(texts["never_heading"], size=12)
    pdf.paragraph(notice.never_shared)
    _rights(pdf, notice)
    return pdf.render()


def _contact(pdf: Document, label: str, first: str, lines: str, missing: str) -> None:
    pdf.paragraph(label, style="B", size=9, indent=4)
    if first:
        pdf.paragraph(first, size=9, indent=8, own=True)
    if lines.strip():
        pdf.lines(lines, size=9, indent=8)
    else:
        pdf.paragraph(missing, size=9, indent=8)


def _agency(pdf: Document, texts: dict, agency) -> None:
    pdf.heading(f"{agency.name} ({agency.kind})" + (f" – {agency.role}" if agency.role else ""), size=12)
    _contact(pdf, texts["controller"], agency.controller, agency.controller_contact, texts["not_recorded"])
    _contact(pdf, texts["dpo"], "", agency.dpo_contact, texts["not_recorded"])
    _contact(pdf, texts["authority"], "", agency.authority, texts["not_recorded"])
    pdf.ln(1)
    if agency.active and not agency.shares:
        pdf.paragraph(texts["shares_nothing"])
    for share in agency.shares:
        pdf.paragraph(share.heading, style="B")
        for terms in share.categories:
            pdf.paragraph(f"– {terms.sentence}", indent=4)
        for sentence in share.agreed_in:
            pdf.paragraph(sentence, size=9, indent=4)
    pdf.paragraph(agency.disclosures_sentence)


def _rights(pdf: Document, notice) -> None:
    texts = notice.texts
    pdf.heading(texts["rights_heading"], size=12)
    pdf.paragraph(texts["rights_intro"])
    for right in notice.rights:
        pdf.paragraph(f"– {right['sentence']}", indent=4)
    pdf.paragraph(notice.rights_limits, size=9)
    pdf.heading(texts["complain_heading"], size=12)
    pdf.paragraph(notice.complain)
    if notice.issuer:
        pdf.paragraph(notice.complain_here, style="B")
        _contact(pdf, texts["authority"], "", notice.issuer.authority, texts["not_recorded"])
