"""The support-network page of a case: the picture, the same ties as a table, and the forms.

Everything on the page comes from `services.readable_network`: a tie whose item the reader may not
read is in neither the picture nor the table, nor counted in the legend or the page's title.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casebridge.cases import services as cases
from casebridge.errors import DomainError, NotVisible
from casebridge.forms import posted
from casebridge.items.views import highest, show_refusal
from casebridge.network import picture, services
from casebridge.network.forms import ChangeForm, EndForm, TieForm
from casebridge.network.models import Tie
from casebridge.permissions import requires
from casebridge.policy import Perm


def _controls(request, shown) -> list:
    """(reading, change form, end form) for each current tie of the reader's agency."""
    found = []
    for r in shown:
        if r.tie.current and r.tie.agency_id == request.user.agency_id:
            ids = f"id_tie{r.tie.pk}_%s"
            found.append((r, ChangeForm(initial={"stance": r.tie.stance, "strength": r.tie.strength,
                                                 "notes": r.notes, "version": r.tie.version}, auto_id=ids),
                          EndForm(initial={"version": r.tie.version}, auto_id=ids)))
    return found


def _page(request, case, *, form=None, notice: str = "", status: int = 200):
    with transaction.atomic():
        shown = services.readable_network(actor=request.user, case_id=case.pk, purpose=request.purpose)
    request.page_classification = highest([r.item.classification for r in shown])
    return render(request, "network/network.html", {
        "case": case, "shown": shown, "current": [r for r in shown if r.tie.current],
        "ended": [r for r in shown if not r.tie.current], "nodes": picture.layout(shown), "legend": picture.legend(),
        "size": picture.SIZE, "centre": picture.CENTRE, "form": form or TieForm(actor=request.user),
        "controls": _controls(request, shown), "notice": notice}, status=status)


@requires(Perm.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def network(request, case_id):
    case, _decision = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    form = TieForm(posted(request), actor=request.user)
    if not form.is_bound:
        return _page(request, case)
    if not form.is_valid():
        return _page(request, case, form=form, status=400)
    try:
        with transaction.atomic():
            services.map_tie(actor=request.user, case_id=case.pk, purpose=request.purpose, **form.cleaned_data)
    except DomainError as exc:
        show_refusal(form, exc)
        return _page(request, case, form=form, status=exc.status)
    messages.success(request, _("Tie mapped."))
    return redirect(reverse("network:case", args=[case.pk]))


def _act(request, tie_id, form, call, done: str):
    """Run a change or an end in a savepoint, then back to the page; a refusal is shown above the
    picture (a stale version says who changed the tie; nothing of this change was saved)."""
    case_id = Tie.objects.filter(pk=tie_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotVisible("no such tie")
    case, _decision = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    if not form.is_valid():
        services.readable_tie(actor=request.user, tie_id=tie_id, purpose=request.purpose)  # 404 before anything
        errors = "; ".join(f"{form.fields[name].label or name}: {' '.join(e)}" for name, e in form.errors.items())
        return _page(request, case, notice=errors, status=400)
    try:
        with transaction.atomic():
            call(form.cleaned_data)
    except DomainError as exc:
        return _page(request, case, notice=exc.message, status=exc.status)
    messages.success(request, done)
    return redirect(reverse("network:case", args=[case.pk]))


@requires(Perm.CASE_VIEW)
@require_POST
def change(request, tie_id):
    def call(data):
        return services.change_tie(actor=request.user, tie_id=tie_id, expected_version=data["version"],
                                   stance=data["stance"], strength=data["strength"], notes=data["notes"],
                                   purpose=request.purpose)
    return _act(request, tie_id, ChangeForm(request.POST), call, _("Tie changed."))


@requires(Perm.CASE_VIEW)
@require_POST
def end(request, tie_id):
    def call(data):
        return services.end_tie(actor=request.user, tie_id=tie_id, expected_version=data["version"],
                                reason=data["reason"], purpose=request.purpose)
    return _act(request, tie_id, EndForm(request.POST), call, _("Tie ended; it stays on record below the picture."))
