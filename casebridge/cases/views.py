"""Pages of the case record: the dashboard, opening a case, the case page and its HTMX partial.

The management forms that post to a case live in views_manage; they re-render the case page
through `render_case_page` when a service refuses.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from casebridge.audit import services as audit
from casebridge.cases import forms, membership, services
from casebridge.cases.models import KeyDate, Phase
from casebridge.conferences import views as conference_pages
from casebridge.decisions import views as decision_pages
from casebridge.errors import DomainError
from casebridge.forms import posted
from casebridge.items import services as items, views as item_pages
from casebridge.items.forms import RecordItemForm
from casebridge.items.reading import CaseReading
from casebridge.permissions import requires
from casebridge.policy import Perm, role_allows

SOON_DAYS = 14  # key dates this close stand out: two weeks is the time to prepare a release


@dataclass(frozen=True)
class Due:
    """A key date seen from today."""

    label: str
    when: date | None
    today: date
    case: object = None

    @property
    def days(self) -> int | None:
        return None if self.when is None else (self.when - self.today).days

    @property
    def soon(self) -> bool:
        return self.days is not None and 0 <= self.days <= SOON_DAYS

    @property
    def phrase(self) -> str:
        if self.days is None:
            return "not set"
        if self.days == 0:
            return "today"
        unit = "day" if abs(self.days) == 1 else "days"
        return f"in {self.days} {unit}" if self.days > 0 else f"{-self.days} {unit} ago"


def add_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal on the field it names, or above the form (`casebridge.forms.Form`)."""
    form.add_domain_error(exc)


@requires(Perm.DASHBOARD_VIEW)
@require_GET
def dashboard(request):
    phase_filter = forms.PhaseFilterForm(request.GET or None)
    phase = phase_filter.cleaned_data["phase"] if phase_filter.is_valid() else ""
    # One consultation event for the page: the cases listed and the action texts shown.
    with transaction.atomic(), audit.consultation(actor=request.user, purpose=request.purpose):
        cases = services.list_cases(actor=request.user, purpose=request.purpose, phase=phase or None)
        work = conference_pages.dashboard_section(request)
    now = services.today()
    rows = [(case, case.next_key_date(now)) for case in cases]
    reminders = [Due(label, when, now, case)
                 for case, label, when in services.upcoming_key_dates(actor=request.user)]
    status = 400 if phase_filter.is_bound and not phase_filter.is_valid() else 200
    request.page_classification = item_pages.highest(
        [a.text.classification for a in (*work["my_actions"], *work["overdue_elsewhere"])])
    return render(request, "cases/dashboard.html", {
        "rows": rows, "phase_filter": phase_filter, "phase": phase, "reminders": reminders,
        "soon_days": SOON_DAYS, "today": now, **work,
    }, status=status)


@requires(Perm.CASE_OPEN)
@require_http_methods(["GET", "POST"])
def open_case(request):
    form = forms.OpenCaseForm(posted(request))
    if not form.is_bound:
        return render(request, "cases/open.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                case = services.open_case(
                    actor=request.user, purpose=request.purpose, phase=data["phase"],
                    phase_date=data["phase_date"], summary=data["summary"],
                    client={name: data[name] for name in forms.ClientForm.base_fields},
                    key_dates={kd.value: data[kd.value] for kd in KeyDate})
        except DomainError as exc:
            add_domain_error(form, exc)
            return render(request, "cases/open.html", {"form": form}, status=exc.status)
        messages.success(request, f"Case {case.reference} opened. Add the member agencies and the team next.")
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/open.html", {"form": form}, status=400)


@requires(Perm.CASE_VIEW)
@require_GET
def case_detail(request, case_id):
    return render_case_page(request, case_id)


def render_case_page(request, case_id, *, bound=None, status: int = 200):
    """The case page; `bound` is a submitted form to show (open, with its errors) in its place."""
    # One consultation event for the page: the case, and the items its timeline, decisions and
    # carried texts show, each with its basis.
    with transaction.atomic(), audit.consultation(actor=request.user, purpose=request.purpose):
        case, decision = services.get_case(actor=request.user, case_id=case_id, purpose=request.purpose)
        reading = CaseReading(request.user, case, request.purpose)  # the case's items, decided once for the page
        timeline = item_pages.case_timeline(request, case, reading)
        decisions, decision_levels = decision_pages.case_decisions(request, case, reading)
        content = items.readable_carried(actor=request.user, case=case, purpose=request.purpose, reading=reading)
        conferences = conference_pages.case_section(request, case, reading)
    manager = services.allows(request.user, Perm.CASE_MANAGE, case)
    case_forms = _case_forms(case, request.user, manager)
    if bound is not None:
        case_forms[bound.prefix] = bound
    now = services.today()
    # Members and team as listed to this reader: a discreet member only to its own agency and the core members.
    members = membership.listed_members(actor=request.user, case=case)
    team = membership.listed_team_members(actor=request.user, case=case)
    listed = {m.agency_id for m in members}
    _fill_residency_note(case_forms, case, content)
    # The banner names the highest classification of anything shown: items, texts, decision bases.
    request.page_classification = item_pages.highest(
        [*timeline.levels, *decision_levels, *(i.classification for i in content.values()),
         *(a.text.classification for a in conferences["case_actions"])])
    return render(request, "cases/case.html", {
        "case": case, "decision": decision, "manager": manager, "forms": case_forms, "content": content,
        "phase_track": _phase_track(case.phase),
        "timeline": timeline, "decisions": decisions,
        "record_form": RecordItemForm(actor=request.user) if role_allows(request.user, Perm.ITEM_RECORD) else None,
        "members": [(m, m.is_active(now), [(p, Phase(p).label) for p in m.phases]) for m in members],
        "any_discreet": any(m.discreet for m in members),
        "liaison": case.continuity_liaison if case.continuity_liaison and case.continuity_liaison.agency_id in listed
        else None,
        "active_team": [a for a in team if a.active],
        "former_team": [a for a in team if not a.active],
        "key_dates": [Due(label, when, now) for _, label, when in case.key_dates()],
        "today": now, **conferences,
    }, status=status if timeline.valid else 400)


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
