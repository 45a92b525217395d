"""Minutes of a conference: notes, a security part, an executive summary, and the decisions taken.

Minutes are recorded once the conference was held (attendance recorded), by its convener or chair,
and approved by its chair. A version is never edited in place: a correction is a new version, the
earlier ones are kept, and the approved version is what the conference decided. Every text is an
item of the writer's agency under the sharing rule: the notes (RESTRICTED unless chosen), the
security part (CONFIDENTIAL unless chosen, for the cleared), each decision with its rationale, the
options considered and any dissent, and the executive summary (OPEN, without third parties or
anything confidential), which is what the client's subject access may hold: on approval the chair's
agency, if it wrote the summary, releases it for the subject access answers of the agencies that
received it.
"""

from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import services as cases
from casebridge.conferences import services as conferences
from casebridge.conferences.models import ConferenceDecision, Minutes, MinutesNote, MinutesStatus, Status
from casebridge.errors import Conflict, Forbidden, InvalidInput
from casebridge.items import services as items
from casebridge.items.models import Carrier
from casebridge.items.reading import confirmed_records
from casebridge.policy import Perm

MAX_DECISIONS = 20
CONFIDENTIAL = 2


def record_minutes(*, actor, conference_id, notes: str, summary: str, purpose: str, security_notes: str = "",
                   decisions=(), classification=None, security_classification=None, item_notes=None) -> Minutes:
    """Record a new version of the minutes (the convener or chair), of a conference that was held.
    `item_notes` maps agenda item ids to their notes; each note is at least as classified as its item."""
    conference, _decision = conferences.get_conference(actor=actor, conference_id=conference_id,
                                                       perm=Perm.CONFERENCE_RUN, lock=True)
    if conference.status != Status.HELD:
        raise Conflict(_("Record the attendance first: minutes are of a conference that took place."))
    decisions = list(decisions or [])
    if len(decisions) > MAX_DECISIONS:
        raise InvalidInput(_("At most %(n)d decisions.") % {"n": MAX_DECISIONS}, field="decisions")
    case, day = conference.case, timezone.localdate(conference.starts_at)
    title = _("Minutes of the %(kind)s of %(day)s") % {"kind": conference.kind_label,
                                                       "day": formats.date_format(day, "DATE_FORMAT")}

    def text(value, field, heading, carrier=Carrier.CONFERENCE_MINUTES, level=classification, required=True):
        return items.record_carried_text(
            actor=actor, case=case, carrier=carrier, text=cases.text(value, field, required=required), title=heading,
            fact_date=day, purpose=purpose, field=field, classification=level)

    notes_item = text(notes, "notes", title)
    summary_item = text(summary, "summary", _("Executive summary: %(title)s") % {"title": title},
                        Carrier.CONFERENCE_SUMMARY, level=0)
    security_item = None
    if (security_notes or "").strip():
        level = security_classification if security_classification not in (None, "") \
            else min(CONFIDENTIAL, actor.clearance)
        security_item = text(security_notes, "security_notes", _("Security part: %(title)s") % {"title": title},
                             level=level)
    number = (conference.minutes.aggregate(last=Max("number"))["last"] or 0) + 1
    minutes = Minutes.objects.create(conference=conference, number=number, notes_item=notes_item,
                                     summary_item=summary_item, security_item=security_item, recorded_by=actor,
                                     recorded_at=timezone.now())
    _item_notes(actor, conference, minutes, item_notes or {}, classification, text)
    made = []
    for position, entry in enumerate(decisions, 1):
        if not isinstance(entry, dict):
            raise InvalidInput(_("Each decision needs what was decided and why."), field="decisions")
        parts = [text(entry.get("decision"), "decisions", _("Decision of the conference"), Carrier.CONFERENCE_DECISION),
                 text(entry.get("rationale"), "decisions", _("Rationale of a decision"), Carrier.CONFERENCE_DECISION)]
        parts += [text(entry.get(name), "decisions", heading, Carrier.CONFERENCE_DECISION, required=False)
                  for name, heading in (("options", _("Options considered")), ("dissent", _("Dissent")))]
        made.append(ConferenceDecision.objects.create(minutes=minutes, position=position, text_item=parts[0],
                                                      rationale_item=parts[1], options_item=parts[2],
                                                      dissent_item=parts[3]))
    record(actor=actor, operation=Operation.CREATE, obj=minutes, case_id=case.pk, purpose=purpose,
           detail={"conference": conference.pk, "number": number, "notes_item": notes_item.pk,
                   "summary_item": summary_item.pk, "security_item": security_item.pk if security_item else None,
                   "decisions": [d.pk for d in made]})
    return minutes


def _item_notes(actor, conference, minutes, notes: dict, classification, text) -> None:
    entries = {e.pk: e for e in conference.agenda.select_related("text_item")}
    for key, value in notes.items():
        if not (value or "").strip():
            continue
        entry = entries.get(int(key)) if str(key).isdigit() else None
        if entry is None:
            raise InvalidInput(_("Notes are for the items of this conference's agenda."), field="item_notes")
        chosen = classification if classification not in (None, "") else min(1, actor.clearance)
        level = max(chosen, entry.text_item.classification)
        item = text(value, "item_notes", _("Notes on agenda item %(n)d") % {"n": entry.position},
                    level=level)
        MinutesNote.objects.create(minutes=minutes, entry=entry, text_item=item)


def approve_minutes(*, actor, conference_id, number, purpose: str) -> Minutes:
    """The chair approves the newest version of the minutes; it is then what the conference decided."""
    from casebridge.dataprotection.models import SubjectAccessRelease

    conference, _decision = conferences.get_conference(actor=actor, conference_id=conference_id,
                                                       perm=Perm.CONFERENCE_RUN, lock=True)
    if actor.pk != conference.chair_id:
        raise Forbidden(_("The chair approves the minutes."))
    newest = conference.minutes.order_by("-number").first()
    if newest is None or str(number) != str(newest.number):
        raise Conflict(_("Approve the newest version of the minutes."), field="number")
    approved = Minutes.objects.filter(pk=newest.pk, status=MinutesStatus.DRAFT).update(
        status=MinutesStatus.APPROVED, approved_by=actor, approved_at=timezone.now())
    if approved != 1:
        raise Conflict(_("These minutes are approved already."))
    newest.refresh_from_db()
    released = False
    if not conference.confidential and newest.summary_item.originating_agency_id == actor.agency_id:
        items.lock_item(newest.summary_item_id)  # as a release by the data protection officer does
        if not SubjectAccessRelease.objects.filter(item_id=newest.summary_item_id).exists():
            SubjectAccessRelease.objects.create(item_id=newest.summary_item_id, released_by=actor,
                                                released_at=timezone.now())
            released = True
    record(actor=actor, operation=Operation.UPDATE, obj=newest, case_id=conference.case_id, purpose=purpose,
           detail={"status": MinutesStatus.APPROVED, "number": newest.number, "summary_released": released},
           concerning=[newest.summary_item] if released else [])
    return newest


@dataclass
class DecisionView:
    text: object
    rationale: object
    options: object = None
    dissent: object = None


@dataclass
class MinutesView:
    minutes: Minutes
    notes: object = None
    security: object = None
    summary: object = None
    decisions: list = field(default_factory=list)
    item_notes: list = field(default_factory=list)  # (agenda position, note item)

    @property
    def items(self) -> list:
        shown = [self.notes, self.security, self.summary, *(note for _position, note in self.item_notes)]
        shown += [part for d in self.decisions for part in (d.text, d.rationale, d.options, d.dissent)]
        return [item for item in shown if item is not None]


def readable_minutes(conference, reading) -> list[MinutesView]:
    """Every version of the conference's minutes, newest first, with the parts the reader may read (a
    decision only with its text and rationale). The caller records what is shown."""
    found = list(conference.minutes.order_by("-number").prefetch_related("decisions", "item_notes__entry"))
    wanted = [pk for m in found for pk in (m.notes_item_id, m.security_item_id, m.summary_item_id) if pk]
    wanted += [pk for m in found for d in m.decisions.all()
               for pk in (d.text_item_id, d.rationale_item_id, d.options_item_id, d.dissent_item_id) if pk]
    wanted += [n.text_item_id for m in found for n in m.item_notes.all()]
    shown = {pk: item for pk, (item, _d) in confirmed_records(reading, wanted).items()}
    views = []
    for m in found:
        decisions = [DecisionView(shown[d.text_item_id], shown[d.rationale_item_id], shown.get(d.options_item_id),
                                  shown.get(d.dissent_item_id))
                     for d in m.decisions.all() if d.text_item_id in shown and d.rationale_item_id in shown]
        notes = [(n.entry.position, shown[n.text_item_id]) for n in m.item_notes.all() if n.text_item_id in shown]
        views.append(MinutesView(m, shown.get(m.notes_item_id), shown.get(m.security_item_id),
                                 shown.get(m.summary_item_id), decisions, notes))
    return views
