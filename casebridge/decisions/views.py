"""Formal decisions: the case page's section listing them, and the page recording one.

A decision's basis is chosen among the case's items the actor may read; the service refuses
intelligence and NO-DECISION items (unless their originator lifted that for the actor's agency)
and the form shows its reason.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casebridge.cases import services as cases
from casebridge.decisions import services
from casebridge.decisions.forms import DecisionForm
from casebridge.errors import DomainError
from casebridge.forms import posted
from casebridge.items import services as items
from casebridge.items.views import highest, show_refusal
from casebridge.permissions import requires
from casebridge.policy import Perm
from casebridge.policy.roles import require_agency_kind

BASIS_OPTIONS = 500  # the newest readable items offered as a basis


def case_decisions(request, case, reading) -> tuple[list, list[int]]:
    """The decisions on the case, each with the basis items the actor may read, and the levels of
    those items (for the page's classification banner)."""
    with transaction.atomic():
        rows = services.decisions_for_case(actor=request.user, case_id=case.pk, purpose=request.purpose,
                                           reading=reading)
    return rows, [item.classification for d, basis in rows for item in (d.text_item, *basis)]


@requires(Perm.DECISION_RECORD)
@require_http_methods(["GET", "POST"])
def record(request, case_id):
    case, _decision = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    require_agency_kind(request.user, Perm.DECISION_RECORD)  # no form for an agency that takes no decisions
    form = DecisionForm(posted(request), actor=request.user)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.record_decision(actor=request.user, case_id=case.pk, kind=data["kind"], text=data["text"],
                                             decided_on=data["decided_on"], basis_item_ids=data["basis"],
                                             category=data["category"] or None,
                                             classification=data["classification"], purpose=request.purpose)
            except DomainError as exc:
                show_refusal(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Decision recorded."))
                return redirect(f"{reverse('cases:detail', args=[case.pk])}#decisions")
    # The options are item titles: listed (and audited) only when the form is shown.
    with transaction.atomic():
        readable, _shown = items.timeline(actor=request.user, case_id=case.pk, purpose=request.purpose,
                                     limit=BASIS_OPTIONS)
    form.offer([item for item, _ in readable])
    request.page_classification = highest(item.classification for item, _ in readable)
    return render(request, "decisions/record.html", {"case": case, "form": form}, status=status)
