"""Pages of the case record: the dashboard, opening a case, the case page and its HTMX partial.

The management forms that post to a case live in views_manage; they re-render the case page
through `render_case_page` when a service refuses.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casebridge.audit import services as audit
from casebridge.audit.fingerprint import fingerprint
from casebridge.cases import duplicates, forms, membership, overview, services, visits, worklist
from casebridge.cases.models import KeyDate, Phase
from casebridge.conferences import views as conference_pages
from casebridge.decisions import views as decision_pages
from casebridge.errors import DomainError
from casebridge.forms import posted
from casebridge.items import services as items, views as item_pages
from casebridge.items.reading import CaseReading
from casebridge.items.timeline import case_timeline
from casebridge.permissions import requires
from casebridge.policy import Perm, role_allows


def add_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal on the field it names, or above the form (`casebridge.forms.Form`)."""
    form.add_domain_error(exc)


@requires(Perm.DASHBOARD_VIEW)
@require_GET
def dashboard(request):
    """The reader's work list (overdue first), what is new on their cases, and the cases themselves,
    the most urgent first and the closed ones apart."""
    phase_filter = forms.PhaseFilterForm(request.GET or None)
    phase = phase_filter.cleaned_data["phase"] if phase_filter.is_valid() else ""
    now = services.today()
    # One consultation event for the page: the cases listed and the action texts shown.
    with transaction.atomic(), audit.consultation(actor=request.user, purpose=request.purpose):
        cases = services.list_cases(actor=request.user, purpose=request.purpose)
        work = conference_pages.dashboard_section(request)
        todo = worklist.work_list(now, {case.pk: case for case in cases}, work)
        rows = worklist.case_rows(request.user, request.purpose, now, cases, todo)
    status = 400 if phase_filter.is_bound and not phase_filter.is_valid() else 200
    request.page_classification = item_pages.highest(
        [a.text.classification for a in (*work["my_actions"], *work["overdue_elsewhere"])])
    shown = [r for r in rows if not phase or r.case.phase == phase]
    return render(request, "cases/dashboard.html", {
        "phase_filter": phase_filter, "phase": phase, "today": now, "soon_days": overview.SOON_DAYS,
        "overdue": [w for w in todo if w.overdue], "coming": [w for w in todo if not w.overdue],
        "news": [r for r in rows if r.news_total], "rows": [r for r in shown if r.case.phase != Phase.CLOSED],
        "closed": [r for r in shown if r.case.phase == Phase.CLOSED], "any_cases": bool(rows),
        "proposals": work["proposals"], "dismiss_form": work["dismiss_form"],
        "action_statuses": work["action_statuses"],
    }, status=status)


@requires(Perm.CASE_OPEN)
@require_http_methods(["GET", "POST"])
def open_case(request):
    form = forms.OpenCaseForm(posted(request))
    if not form.is_bound:
        return render(request, "cases/open.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        client = {name: data[name] for name in forms.ClientForm.base_fields}
        try:
            with transaction.atomic():
                case = services.open_case(
                    actor=request.user, purpose=request.purpose, phase=data["phase"],
                    phase_date=data["phase_date"], summary=data["summary"], client=client,
                    key_dates={kd.value: data[kd.value] for kd in KeyDate},
                    confirm_possible_duplicate=data["confirm_possible_duplicate"]
                    and data["warned_for"] == _warning_key(client))
        except duplicates.PossibleDuplicate as warning:
            with transaction.atomic():
                duplicates.record_warning(actor=request.user, warning=warning, purpose=request.purpose)
            return _possible_duplicate(request, warning, _warning_key(client))
        except DomainError as exc:
            add_domain_error(form, exc)
            return render(request, "cases/open.html", {"form": form}, status=exc.status)
        messages.success(request, _("Case %(reference)s opened. Add the member agencies and the team next.")
                         % {"reference": case.reference})
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/open.html", {"form": form}, status=400)


def _warning_key(client: dict) -> str:
    """What a confirmation answers: the names, aliases and birthday warned about (a fingerprint)."""
    return fingerprint(repr((client["given_name"], client["family_name"], client.get("aliases") or [],
                             str(client["date_of_birth"]))))


def _possible_duplicate(request, warning, key: str):
    """The form again, with what the rule lets this coordinator know of the possible match and the
    box to tick to open a new case all the same."""
    data = request.POST.copy()
    data["warned_for"], data["confirm_possible_duplicate"] = key, ""
    form = forms.OpenCaseForm(data)
    form.is_valid()
    client = warning.client
    return render(request, "cases/open.html", {
        "form": form, "possible": warning.found,
        "asked": {"given_name": client["given_name"], "family_name": client["family_name"],
                  "date_of_birth": client["date_of_birth"].isoformat()},
    }, status=warning.status)


@requires(Perm.CASE_VIEW)
@require_GET
def case_detail(request, case_id):
    return render_case_page(request, case_id)


def render_case_page(request, case_id, *, bound=None, status: int = 200):
    """The case page; `bound` is a submitted form to show (open, with its errors) in its place."""
    actor = request.user
    # One consultation event for the page: the case, and the items its timeline, decisions and
    # carried texts show, each with its basis. The visit is recorded with it (cases.visits).
    with transaction.atomic(), audit.consultation(actor=actor, purpose=request.purpose):
        case, decision = services.get_case(actor=actor, case_id=case_id, purpose=request.purpose)
        visit = visits.open_case_page(actor=actor, case=case)
        reading = CaseReading(actor, case, request.purpose)  # the case's items, decided once for the page
        changes = list(case.phase_changes.select_related("recorded_by"))
        new_ids = reading.new_since(visit.since) if visit.since else None
        timeline = case_timeline(request, case, reading, changes=changes, new_ids=new_ids)
        decisions, decision_levels = decision_pages.case_decisions(request, case, reading)
        content = items.readable_carried(actor=actor, case=case, purpose=request.purpose, reading=reading)
        conferences = conference_pages.case_section(request, case, reading)
    now = services.today()
    # The banner names the highest classification of anything shown: items, texts, decision bases.
    request.page_classification = item_pages.highest(
        [*timeline.levels, *decision_levels, *(i.classification for i in content.values()),
         *(a.text.classification for a in conferences["case_actions"])])
    return render(request, "cases/case.html", {
        "case": case, "decision": decision, "content": content, "timeline": timeline, "decisions": decisions,
        "glance": overview.build(actor=actor, case=case, today=now, since=visit.since, new_ids=new_ids,
                                 changes=changes, conferences=conferences),
        "phase_track": _phase_track(case.phase), "key_dates": overview.key_dates(case, now),
        "may_record": role_allows(actor, Perm.ITEM_RECORD), "today": now,
        **_people(actor, case, now), **_management(case, actor, content, bound), **conferences,
    }, status=status if timeline.valid else 400)


def _people(actor, case, today) -> dict:
    """Members and team as listed to this reader: a discreet member only to its own agency and the
    core members; the continuity liaison only when their agency is listed."""
    members = membership.listed_members(actor=actor, case=case)
    team = membership.listed_team_members(actor=actor, case=case)
    listed = {m.agency_id for m in members}
    liaison = case.continuity_liaison
    return {
        "members": [(m, m.is_active(today), [(p, Phase(p).label) for p in m.phases]) for m in members],
        "any_discreet": any(m.discreet for m in members),
        "liaison": liaison if liaison and liaison.agency_id in listed else None,
        "active_team": [a for a in team if a.active], "former_team": [a for a in team if not a.active],
    }


def _management(case, actor, content: dict, bound) -> dict:
    """Whether the reader manages the case, and the forms they may use on it."""
    manager = services.allows(actor, Perm.CASE_MANAGE, case)
    case_forms = _case_forms(case, actor, manager)
    if bound is not None:
        case_forms[bound.prefix] = bound
    _fill_residency_note(case_forms, case, content)
    return {"manager": manager, "forms": case_forms}


def _fill_residency_note(case_forms: dict, case, content: dict) -> None:
    """The client form starts from the residency note its user may read (none if they may not)."""
    form = case_forms.get(forms.ClientForm.prefix)
    if form is not None and not form.is_bound:
        note = content.get(case.client.residency_item_id)
        form.initial["residency_note"] = note.body if note else ""


def _case_forms(case, actor, manager: bool) -> dict:
    """The forms this actor may use on this case, by prefix (as the templates name them)."""
    found = {}
    on_team = any(a.active and a.practitioner_id == actor.pk for a in case.team.all())
    if manager or on_team:
        found["release"] = forms.ReleaseForm(case=case, actor=actor, manager=manager)
    if manager:
        for form_class in (forms.TransitionForm, forms.KeyDatesForm, forms.ClientForm, forms.MembershipForm,
                           forms.EndMembershipForm, forms.DiscreetForm, forms.AssignForm, forms.LiaisonForm):
            found[form_class.prefix] = form_class(case=case, actor=actor)
    return found


def _phase_track(current: str) -> list[tuple[str, str, str]]:
    """Every phase in order, marked past, current or (blank) still ahead."""
    order = list(Phase.values)
    here = order.index(current)
    return [(value, Phase(value).label, "current" if i == here else "past" if i < here else "")
            for i, value in enumerate(order)]


@requires(Perm.CASE_MANAGE)
@require_GET
def contact_options(request, case_id):
    """HTMX partial: the point-of-contact and deputy options for the agency chosen in the form."""
    case, _ = services.get_case(actor=request.user, case_id=case_id, purpose=request.purpose,
                                perm=Perm.CASE_MANAGE, audit=False)
    agency_id = forms.as_int(request.GET.get(f"{forms.MembershipForm.prefix}-agency"))
    people = list(membership.active_practitioners(agency_id)) if agency_id else []
    return render(request, "cases/_contact_options.html", {
        "case": case, "people": people, "deputy_id": f"id_{forms.MembershipForm.prefix}-deputy",
    })
