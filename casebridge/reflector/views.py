"""The CaseReflector pages: a case's reflectors, one reflector (factors, goals, progress, summary), a session."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casebridge import charts
from casebridge.cases import services as cases
from casebridge.errors import DomainError
from casebridge.items.views import highest, show_refusal
from casebridge.permissions import requires
from casebridge.policy import Perm
from casebridge.reflector import progress, services, summary
from casebridge.reflector.factors import GROUPS, GoalStatus
from casebridge.reflector.forms import GoalForm, GoalStatusForm, SessionForm, ShareForm


@requires(Perm.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def case_reflectors(request, case_id):
    """The reflectors of a case the reader may see something of; its own agency starts one here."""
    with transaction.atomic():
        case, _decision = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
        if request.method == "POST":
            reflector = services.start_reflector(actor=request.user, case_id=case.pk, purpose=request.purpose)
            return redirect(reverse("reflector:detail", args=[reflector.pk]))
        found = services.case_reflectors(actor=request.user, case_id=case.pk, purpose=request.purpose)
    keeps = services.keeps_reflectors(request.user)
    return render(request, "reflector/case.html", {
        "case": case, "found": found, "may_start": keeps and not any(v.keeps for v in found)})


def _conferences(actor, case_id):
    from casebridge.conferences import viewing

    return [(c, f"{c.kind_label}, {formats.date_format(c.starts_at, 'DATE_FORMAT')}")
            for c, invitation in viewing.upcoming_for(actor, days=180)
            if c.case_id == case_id and invitation.reply != "declined"]


def _page(request, view, status=200, **forms):
    reflector = view.reflector
    last = summary.last_shared(reflector) if view.keeps else None
    context = {
        "view": view, "reflector": reflector, "case": reflector.case, "groups": GROUPS, "current": view.current(),
        "summary": summary.summary_lines(view, last.state if last else None) if view.sessions else [],
        "last_shared": last, "table": progress.table(view), "goal_statuses": GoalStatus.choices,
        "goal_form": forms.get("goal_form") or GoalForm(actor=request.user, initial={"agreed_on": cases.today()}),
        "share_form": forms.get("share_form") or ShareForm(actor=request.user,
                                                           conferences=_conferences(request.user, reflector.case_id)),
    }
    request.page_classification = highest([s.note.classification for s in view.sessions]
                                          + [item.classification for _goal, item in view.goals])
    return render(request, "reflector/detail.html", context, status=status)


@requires(Perm.CASE_VIEW)
@require_http_methods(["GET"])
def detail(request, reflector_id):
    with transaction.atomic():
        view = services.read_reflector(actor=request.user, reflector_id=reflector_id, purpose=request.purpose)
    return _page(request, view)


@requires(Perm.REFLECTOR_KEEP)
@require_http_methods(["GET", "POST"])
def new_session(request, reflector_id):
    with transaction.atomic():
        view = services.read_reflector(actor=request.user, reflector_id=reflector_id, purpose=request.purpose,
                                       audit=request.method == "GET")  # the form shows the current ratings
    if not view.keeps:
        return redirect(reverse("reflector:detail", args=[view.reflector.pk]))
    form = SessionForm(request.POST if request.method == "POST" else None, actor=request.user, current=view.current(),
                       initial={"held_on": cases.today()})
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    session = services.record_session(
                        actor=request.user, reflector_id=view.reflector.pk, held_on=data["held_on"], note=data["note"],
                        ratings=form.ratings(), classification=data["classification"],
                        keep_in_agency=data["keep_in_agency"], purpose=request.purpose)
            except DomainError as exc:
                show_refusal(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Session %(n)d recorded.") % {"n": session.number})
                return redirect(reverse("reflector:detail", args=[view.reflector.pk]) + "#progress")
    return render(request, "reflector/session.html", {"view": view, "case": view.reflector.case, "form": form},
                  status=status)


@requires(Perm.REFLECTOR_KEEP)
@require_POST
def add_goal(request, reflector_id):
    form = GoalForm(request.POST, actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.set_goal(actor=request.user, reflector_id=reflector_id, text=data["text"],
                                  factor=data["factor"], agreed_on=data["agreed_on"],
                                  classification=data["classification"], keep_in_agency=data["keep_in_agency"],
                                  purpose=request.purpose)
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Goal recorded."))
            return redirect(reverse("reflector:detail", args=[reflector_id]) + "#goals")
    with transaction.atomic():
        view = services.read_reflector(actor=request.user, reflector_id=reflector_id, purpose=request.purpose)
    return _page(request, view, status=400, goal_form=form)


def _goal_page(goal_id) -> str:
    """Where a goal's status form returns to: its reflector (a 404 there if the goal is not the reader's)."""
    from casebridge.reflector.models import Goal

    reflector_id = Goal.objects.filter(pk=goal_id).values_list("reflector_id", flat=True).first()
    return reverse("reflector:detail", args=[reflector_id or 0]) + "#goals"


@requires(Perm.REFLECTOR_KEEP)
@require_POST
def goal_status(request, goal_id):
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the goal's status."))
        return redirect(_goal_page(goal_id))
    try:
        with transaction.atomic():
            goal = services.change_goal(actor=request.user, goal_id=goal_id, status=form.cleaned_data["status"],
                                        expected_version=form.cleaned_data["version"], purpose=request.purpose)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_goal_page(goal_id))
    messages.success(request, _("Goal updated."))
    return redirect(reverse("reflector:detail", args=[goal.reflector_id]) + "#goals")


@requires(Perm.REFLECTOR_KEEP)
@require_POST
def share(request, reflector_id):
    with transaction.atomic():
        reflector = services.own_reflector(request.user, reflector_id, request.purpose)
    form = ShareForm(request.POST, actor=request.user, conferences=_conferences(request.user, reflector.case_id))
    if form.is_valid():
        try:
            with transaction.atomic():
                shared = summary.share_summary(actor=request.user, reflector_id=reflector.pk,
                                               classification=form.cleaned_data["classification"],
                                               conference_id=form.cleaned_data["conference"] or None,
                                               purpose=request.purpose)
        except DomainError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Summary shared as an item of the case."))
            return redirect(reverse("items:detail", args=[shared.item_id]))
    with transaction.atomic():
        view = services.read_reflector(actor=request.user, reflector_id=reflector.pk, purpose=request.purpose)
    return _page(request, view, status=400, share_form=form)


@requires(Perm.CASE_VIEW)
@require_http_methods(["GET"])
def chart(request, reflector_id):
    """The progress over sessions as an SVG image."""
    with transaction.atomic():
        view = services.read_reflector(actor=request.user, reflector_id=reflector_id, purpose=request.purpose)
    return charts.svg_response(progress.chart(view))
