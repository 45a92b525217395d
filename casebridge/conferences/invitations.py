"""Invitations to a conference by e-mail, with an iCalendar entry (`icalendar`).

An invitation and its calendar entry carry the case reference, the kind of conference, when and
where, and the link to the conference page: never the client's name or anything said about them.
A mailbox and a calendar are outside the sharing rule, so nothing in them may need it. Mail goes
through Django's mail framework (the console in the demo, SMTP by settings) once the transaction
has committed, so a rolled-back convening sends nothing; a mail server that fails is logged and
does not undo the conference (the invitation is in Casebridge, where people reply).
"""

import logging
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.conferences import kinds

logger = logging.getLogger(__name__)


def conference_url(conference) -> str:
    return settings.CASEBRIDGE_BASE_URL + reverse("conferences:detail", args=[conference.pk])


def _title(conference) -> str:
    spec = kinds.kind(conference.kind)
    return _("%(kind)s, case %(reference)s") % {"kind": spec.label if spec else conference.kind,
                                                 "reference": conference.case.reference}


def calendar(conference, *, cancelled: bool = False) -> bytes:
    """The conference as an iCalendar file (RFC 5545): a request, or its cancellation."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Casebridge//Case conferences//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    host = urlsplit(settings.CASEBRIDGE_BASE_URL).hostname or "casebridge"
    event.add("uid", f"conference-{conference.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", conference.starts_at)
    event.add("dtend", conference.ends_at)
    event.add("sequence", conference.version)
    event.add("summary", _title(conference))
    event.add("location", conference.place or conference.online_link)
    event.add("url", conference_url(conference))
    event.add("description", _("Case conference on case %(reference)s. The agenda, your briefing pack and your "
                               "reply are in Casebridge: %(url)s") % {"reference": conference.case.reference,
                                                                      "url": conference_url(conference)})
    event.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()


def message(conference, person, *, cancelled: bool = False) -> EmailMessage:
    when = timezone.localtime(conference.starts_at)
    lines = [
        _("Dear %(name)s,") % {"name": person.display_name}, "",
        (_("The conference below was cancelled.") if cancelled
         else _("You are invited to a case conference. Please reply in Casebridge.")), "",
        _title(conference),
        _("When: %(start)s to %(end)s") % {"start": when.strftime("%d %b %Y %H:%M"),
                                           "end": timezone.localtime(conference.ends_at).strftime("%H:%M")},
    ]
    if conference.place:
        lines.append(_("Where: %(place)s") % {"place": conference.place})
    if conference.online_link:
        lines.append(_("Online: %(link)s") % {"link": conference.online_link})
    lines += ["", _("Agenda, briefing pack and reply: %(url)s") % {"url": conference_url(conference)}, "",
              _("This message names the case by its reference only. Do not forward it.")]
    subject = (_("Cancelled: %(title)s") if cancelled else _("Invitation: %(title)s")) % {
        "title": _title(conference)}
    mail = EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [person.email])
    mail.attach("conference.ics", calendar(conference, cancelled=cancelled),
                f"text/calendar; method={'CANCEL' if cancelled else 'REQUEST'}; charset=utf-8")
    return mail


def send_on_commit(conference, participants, *, cancelled: bool = False) -> None:
    """E-mail each invited practitioner who has an address, once the transaction has committed."""
    mails = [message(conference, p.practitioner, cancelled=cancelled) for p in participants
             if p.practitioner_id and p.practitioner.email]
    if mails:
        transaction.on_commit(lambda: _send(mails))


def _send(mails) -> None:
    try:
        get_connection().send_messages(mails)
    except Exception:  # noqa: BLE001 - the conference stands; people see their invitation in Casebridge
        logger.exception("conference invitations could not be sent")
