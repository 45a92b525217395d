"""The briefing pack as a PDF: the same pack the page shows, so the PDF cannot carry more.

Every page carries, at the top and the bottom, the highest classification of what the pack holds,
the convening agency, and whom it was prepared for ("do not pass on"), so a page that leaves the pack
still says what it is and whose it was (the base: casebridge.documents.pdf).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.documents.pdf import Document, day
from casebridge.vocabulary import classification_label


def pack_pdf(pack) -> bytes:
    conference, person = pack.conference, pack.person
    banner = classification_label(max(pack.levels, default=0))
    recipient = _("Prepared for %(name)s, %(agency)s. Do not pass on.") % {
        "name": person.display_name, "agency": person.agency.name}
    pdf = Document(_("Briefing pack: %(kind)s, case %(reference)s") % {
        "kind": pack.kind.label if pack.kind else conference.kind, "reference": conference.case.reference},
        agency=conference.convening_agency.name, banner=banner, note=recipient)
    pdf.paragraph(day(timezone.localtime(conference.starts_at))
                  + (f" – {conference.place}" if conference.place else ""), size=10)
    pdf.paragraph(recipient, style="B", size=10)
    case = conference.case
    pdf.heading(_("The case"))
    pdf.pairs([(_("Phase"), case.get_phase_display()),
               *[(label, day(when)) for _key, label, when in case.key_dates() if when]])
    if pack.summary:
        pdf.heading(_("Case summary"), size=11)
        _item(pdf, *pack.summary)
    pdf.heading(_("Agenda"))
    for number, point in enumerate(pack.agenda, 1):
        pdf.paragraph(f"{number}. {point.text.title} ({point.text.classification_label})", style="B")
        if point.text.body != point.text.title:
            pdf.paragraph(point.text.body, indent=4)
        for item, basis in point.linked:
            _item(pdf, item, basis, indent=4)
    pdf.heading(_("Open actions"))
    for action in pack.actions:
        pdf.paragraph(f"{action.text.body} – {action.owner.display_name} ({action.owner.agency.name}), "
                      + _("due %(day)s") % {"day": day(action.due_on)})
    pdf.heading(_("Recorded since %(day)s") % {"day": day(pack.since)})
    for item, basis in pack.recent:
        _item(pdf, item, basis)
    return pdf.render()


def _item(pdf, item, basis: str, indent: float = 0) -> None:
    pdf.paragraph(f"{item.title} ({item.classification_label}; {item.originating_agency.name}, "
                  f"{day(item.fact_date)})", style="B", indent=indent)
    pdf.paragraph(item.body, indent=indent)
    pdf.paragraph(_("Visible because: %(basis)s") % {"basis": basis}, size=8, indent=indent)


def attendee_pdf(pack) -> bytes:
    """The plain-language pack of an attendee who is not a user, to print."""
    conference = pack.conference
    who = pack.name.body if pack.name else str(pack.attendee.get_relation_display())
    recipient = _("For %(name)s. Please keep this to yourself.") % {"name": who}
    pdf = Document(_("Your meeting, %(day)s") % {"day": day(timezone.localtime(conference.starts_at))},
                   agency=conference.convening_agency.name,
                   banner=classification_label(max((i.classification for i in pack.items()), default=0)),
                   note=recipient)
    pdf.pairs([(_("When"), day(timezone.localtime(conference.starts_at))), (_("Where"), conference.place or "–")])
    pdf.heading(_("What this meeting is for"))
    pdf.paragraph(str(pack.kind.purpose) if pack.kind else "")
    pdf.heading(_("What we will talk about"))
    for number, item in enumerate(pack.agenda, 1):
        pdf.paragraph(f"{number}. {item.title}" + (f": {item.body}" if item.body != item.title else ""))
    if not pack.agenda:
        pdf.paragraph(_("The chair will tell you the subjects at the start of the meeting."))
    if pack.summaries:
        pdf.heading(_("What was agreed before"))
        for item in pack.summaries:
            pdf.paragraph(item.body)
    pdf.heading(_("Your rights"))
    pdf.paragraph(_("You may ask each agency what information it keeps about you. Ask the chair of the meeting how."))
    return pdf.render()
