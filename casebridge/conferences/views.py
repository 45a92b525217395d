"""Pages of conferences: convening, the conference page (replies, agenda, attendance, actions),
the participant's briefing pack, and the forms that act on proposals and actions.

Every page reads through the services, which decide through the policy; what a page shows of case
content (agenda texts, attendee names, actions) is recorded as one consultation event.
"""

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casebridge.audit import services as audit
from casebridge.cases import membership, services as cases
from casebridge.conferences import actions, forms, kinds, minutes, packs, pdf, proposals, running, services, viewing
from casebridge.documents.pdf import as_response
from casebridge.conferences.models import ActionStatus, AgendaEntry, Reply, Status
from casebridge.errors import DomainError
from casebridge.forms import Form, posted
from casebridge.items import services as items
from casebridge.items.views import highest, show_refusal
from casebridge.permissions import requires
from casebridge.policy import Perm

LINKABLE = 200  # the newest readable items offered as links of an agenda item


def _convene_form(request, case, data=None):
    kind = kinds.kind(request.GET.get("kind", "") or (data or {}).get("convene-kind", "")) \
        or kinds.kind(kinds.REVIEW)
    people = services.candidates(case, kind, request.user)
    chairs = [p for p in people if kind.may_chair(p.agency_kind)]
    return forms.ConveneForm(data, people=people, chairs=chairs, kind=request.GET.get("kind"),
                             proposal=request.GET.get("proposal"), follows=request.GET.get("follows"))


@requires(Perm.CONFERENCE_CONVENE)
@require_http_methods(["GET", "POST"])
def convene(request, case_id):
    case, _decision = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    form = _convene_form(request, case, posted(request))
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    conference = services.convene(
                        actor=request.user, case_id=case.pk, kind=data["kind"], starts_at=data.get("starts_at"),
                        ends_at=data.get("ends_at"), chair_id=data["chair"], participant_ids=data["participants"],
                        place=data["place"], online_link=data["online_link"], attendees=data["attendees"],
                        proposal_id=data["proposal"], follows_id=data["follows"], purpose=request.purpose)
            except DomainError as exc:
                show_refusal(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Conference convened; the invitations are on their way."))
                return redirect("conferences:detail", conference_id=conference.pk)
    return render(request, "conferences/convene.html", {
        "case": case, "form": form, "kinds": kinds.all_kinds().values()}, status=status)


@requires(Perm.CONFERENCE_VIEW)
@require_GET
def detail(request, conference_id):
    return render_conference(request, conference_id)


def render_conference(request, conference_id, *, bound=None, status: int = 200):
    """The conference page; `bound` is a submitted form to show in its place with its errors."""
    with transaction.atomic(), audit.consultation(actor=request.user, purpose=request.purpose):
        view = viewing.read_conference(actor=request.user, conference_id=conference_id, purpose=request.purpose)
        conference = view.conference
        spec = kinds.kind(conference.kind)
        page_forms = _page_forms(request, conference, conference.case, spec, view.mine, view.runs,
                                 [(entry.pk, text.title) for entry, text, _linked in view.agenda])
    if bound is not None:
        _keep_options(bound, page_forms.get(bound.prefix))
        page_forms[bound.prefix] = bound
    request.page_classification = highest(view.levels)
    return render(request, "conferences/conference.html", {
        "view": view, "conference": conference, "case": conference.case, "kind": spec, "decision": view.decision,
        "runs": view.runs, "mine": view.mine, "forms": page_forms, "today": cases.today(),
        "phases": [(i, str(p)) for i, p in enumerate(spec.phases if spec else ())],
        "people": view.people, "guests": view.guests, "agenda": view.agenda, "actions": view.actions,
        "minutes": view.minutes,
        "action_statuses": ActionStatus.choices,
    }, status=status)


def _keep_options(bound, fresh) -> None:
    """A form back with its errors offers the page's options again, with their names: its view set
    them to what was posted, to check the choice against the service's rule."""
    for name, field in bound.fields.items():
        if fresh is not None and name in fresh.fields and hasattr(field, "choices"):
            field.choices = fresh.fields[name].choices


def _page_forms(request, conference, case, spec, mine, runs, agenda=()) -> dict:
    found = {}
    actor = request.user
    if mine is not None and conference.status == Status.SCHEDULED:
        colleagues = [p for p in services.candidates(case, spec or kinds.kind(kinds.REVIEW), actor)
                      if p.agency_id == actor.agency_id and p.pk != actor.pk]
        found["reply"] = forms.ReplyForm(colleagues=colleagues, initial={
            "answer": mine.reply if mine.reply != Reply.PENDING else None, "version": mine.version})
    if runs and conference.status != Status.CANCELLED:
        people = [a.practitioner for a in membership.listed_team_members(actor=actor, case=case) if a.active]
        found["action"] = forms.ActionForm(actor=actor, people=people)
        if conference.status == Status.SCHEDULED:
            with transaction.atomic():
                readable, _total = items.timeline(actor=actor, case_id=case.pk, purpose=request.purpose,
                                                  limit=LINKABLE)
            found["agenda"] = forms.AgendaForm(actor=actor, items=[item for item, _d in readable])
        if conference.status == Status.HELD:
            found["minutes"] = forms.MinutesForm(actor=actor, agenda=agenda)
        found["attendance"] = forms.AttendanceForm(participants=[
            (p, p.practitioner.display_name if p.practitioner_id else p.get_relation_display())
            for p in conference.participants.all()])
    return found


def _act(request, conference_id, form, call, done: str, anchor: str = ""):
    """Run `call(form.cleaned_data)` in a transaction if the form is valid; on success back to the
    conference page, else the page again with the form and its errors."""
    if form.is_valid():
        try:
            with transaction.atomic():
                call(form.cleaned_data)
        except DomainError as exc:
            show_refusal(form, exc)
            return render_conference(request, conference_id, bound=form, status=exc.status)
        messages.success(request, done)
        return redirect(reverse("conferences:detail", args=[conference_id]) + anchor)
    return render_conference(request, conference_id, bound=form, status=400)


@requires(Perm.CONFERENCE_VIEW)
@require_POST
def reply(request, conference_id):
    form = forms.ReplyForm(request.POST, colleagues=[])
    form.fields["delegate"].choices = [("", ""), *[(v, v) for v in request.POST.getlist("reply-delegate") if v]]
    return _act(request, conference_id, form, lambda d: services.reply(
        actor=request.user, conference_id=conference_id, answer=d["answer"], delegate_id=d.get("delegate"),
        expected_version=d["version"], purpose=request.purpose), _("Reply recorded."), "#reply")


@requires(Perm.CONFERENCE_RUN)
@require_POST
def add_agenda_item(request, conference_id):
    form = forms.AgendaForm(request.POST, actor=request.user)
    form.fields["linked"].choices = [(v, v) for v in request.POST.getlist("agenda-linked")]
    return _act(request, conference_id, form, lambda d: services.add_agenda_item(
        actor=request.user, conference_id=conference_id, heading=d["heading"], notes=d["notes"],
        audience=d["audience"], linked_item_ids=d["linked"], classification=d["classification"],
        purpose=request.purpose), _("Agenda item added."), "#agenda")


@requires(Perm.CONFERENCE_RUN)
@require_POST
def set_action(request, conference_id):
    form = forms.ActionForm(request.POST, actor=request.user)
    form.fields["owner"].choices = [(v, v) for v in request.POST.getlist("action-owner")]
    return _act(request, conference_id, form, lambda d: actions.set_action(
        actor=request.user, conference_id=conference_id, text=d["text"], owner_id=d["owner"], due_on=d["due_on"],
        classification=d["classification"], purpose=request.purpose), _("Action set."), "#actions")


@requires(Perm.CONFERENCE_RUN)
@require_POST
def attendance(request, conference_id):
    conference, _decision = services.get_conference(actor=request.user, conference_id=conference_id,
                                                    perm=Perm.CONFERENCE_RUN)
    form = forms.AttendanceForm(request.POST, participants=[(p, "") for p in conference.participants.all()])
    return _act(request, conference_id, form, lambda d: running.record_attendance(
        actor=request.user, conference_id=conference_id, attendance=form.attendance(), purpose=request.purpose),
        _("Attendance recorded; the conference is marked as held."), "#attendance")


@requires(Perm.CONFERENCE_RUN)
@require_POST
def record_minutes(request, conference_id):
    # The fields of the notes by agenda item; the service checks each belongs to this conference.
    entries = AgendaEntry.objects.filter(conference_id=conference_id).values_list("pk", flat=True)
    form = forms.MinutesForm(request.POST, actor=request.user, agenda=[(pk, "") for pk in entries])
    return _act(request, conference_id, form, lambda d: minutes.record_minutes(
        actor=request.user, conference_id=conference_id, notes=d["notes"], summary=d["summary"],
        item_notes=d["item_notes"],
        security_notes=d["security_notes"], decisions=d["decisions"], classification=d["classification"],
        security_classification=d["security_classification"], purpose=request.purpose),
        _("Minutes recorded; the chair approves them."), "#minutes")


@requires(Perm.CONFERENCE_RUN)
@require_POST
def approve_minutes(request, conference_id):
    form = _NumberForm(request.POST)
    return _act(request, conference_id, form, lambda d: minutes.approve_minutes(
        actor=request.user, conference_id=conference_id, number=d["number"], purpose=request.purpose),
        _("Minutes approved."), "#minutes")


class _NumberForm(Form):
    prefix = "approve"
    number = django_forms.IntegerField(min_value=1)


@requires(Perm.CONFERENCE_RUN)
@require_POST
def advance(request, conference_id):
    form = _StepForm(request.POST)
    return _act(request, conference_id, form, lambda d: running.advance(
        actor=request.user, conference_id=conference_id, expected_step=d["step"], purpose=request.purpose),
        _("The conference moved on to its next phase."))


@requires(Perm.CONFERENCE_RUN)
@require_POST
def cancel(request, conference_id):
    form = _StepForm(request.POST)
    return _act(request, conference_id, form, lambda d: running.cancel(
        actor=request.user, conference_id=conference_id, purpose=request.purpose),
        _("Conference cancelled; the participants are told."))


class _StepForm(Form):
    prefix = "step"
    step = django_forms.IntegerField(min_value=0, required=False)


@requires(Perm.CONFERENCE_VIEW)
@require_GET
def pack(request, conference_id):
    with transaction.atomic():
        briefing = packs.briefing_pack(actor=request.user, conference_id=conference_id)
    request.page_classification = highest(briefing.levels)
    return render(request, "conferences/pack.html", {"pack": briefing, "case": briefing.conference.case,
                                                      "today": cases.today(), "action_statuses": ActionStatus.choices})


@requires(Perm.CONFERENCE_VIEW)
@require_GET
def pack_pdf(request, conference_id):
    with transaction.atomic():
        briefing = packs.briefing_pack(actor=request.user, conference_id=conference_id, fmt="pdf")
    return as_response(pdf.pack_pdf(briefing), f"briefing-pack-{briefing.conference.case.reference}.pdf")


@requires(Perm.CONFERENCE_RUN)
@require_GET
def attendee_pack(request, conference_id, participant_id):
    with transaction.atomic():
        found = packs.attendee_pack(actor=request.user, conference_id=conference_id, participant_id=participant_id)
    request.page_classification = highest([i.classification for i in found.items()])
    return render(request, "conferences/attendee_pack.html", {"pack": found})


@requires(Perm.CONFERENCE_RUN)
@require_GET
def attendee_pack_pdf(request, conference_id, participant_id):
    with transaction.atomic():
        found = packs.attendee_pack(actor=request.user, conference_id=conference_id, participant_id=participant_id)
    return as_response(pdf.attendee_pdf(found), f"meeting-{found.conference.case.reference}.pdf")


@requires(Perm.CONFERENCE_VIEW)
@require_POST
def update_action(request, action_id):
    form = forms.ActionUpdateForm(request.POST)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None) or not back.startswith("/"):
        back = reverse("cases:dashboard")
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                actions.update_action(actor=request.user, action_id=action_id, status=data["status"],
                                      note=data["note"], expected_version=data["version"], purpose=request.purpose)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(request, _("Action updated."))
        return redirect(back)
    messages.error(request, _("Choose a status, and reload the page if it is out of date."))
    return redirect(back)


@requires(Perm.CASE_MANAGE)
@require_POST
def dismiss(request, proposal_id):
    form = forms.DismissForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                proposal = proposals.dismiss(actor=request.user, proposal_id=proposal_id,
                                             reason=form.cleaned_data["reason"], purpose=request.purpose)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("cases:dashboard")
        messages.success(request, _("Proposal dismissed."))
        return redirect(reverse("cases:detail", args=[proposal.case_id]) + "#conferences")
    messages.error(request, _("Say why no conference is needed."))
    return redirect("cases:dashboard")


def case_section(request, case, reading) -> dict:
    """What the case page shows of conferences: the next one, the history, the case's actions (open
    first, overdue marked), and the open proposals for those who manage the case."""
    actor = request.user
    found = viewing.case_conferences(actor=actor, case=case)
    now = timezone.now()
    upcoming = [c for c in found if c.status == Status.SCHEDULED and c.ends_at >= now]
    manager = cases.allows(actor, Perm.CASE_MANAGE, case)
    return {
        "conferences": sorted(found, key=lambda c: c.starts_at, reverse=True),
        "next_conference": upcoming[0] if upcoming else None,
        "case_actions": actions.case_actions(actor=actor, case=case, purpose=request.purpose, reading=reading),
        "proposals": proposals.case_proposals(case) if manager else [],
        "dismiss_form": forms.DismissForm(),
        "may_convene": any(k.may_convene(actor.agency_kind) for k in kinds.all_kinds().values()),
        "action_statuses": ActionStatus.choices,
    }


def dashboard_section(request) -> dict:
    """What a practitioner's dashboard shows of conferences: their open actions (overdue first), their
    upcoming conferences, the proposals on the cases they manage and the actions overdue there (the
    caller gathers the page's events into one consultation)."""
    actor = request.user
    mine = actions.my_actions(actor, request.purpose)
    elsewhere = actions.overdue_on_managed_cases(actor, request.purpose)
    return {
        "my_actions": mine,
        "overdue_count": sum(1 for a in mine if a.overdue(cases.today())),
        "my_conferences": viewing.upcoming_for(actor),
        "proposals": proposals.open_proposals(actor),
        "overdue_elsewhere": elsewhere,
        "action_statuses": ActionStatus.choices,
        "dismiss_form": forms.DismissForm(),
    }
