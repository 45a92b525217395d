"""The assessments of a case side by side in the common language, and the form recording one."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casebridge import charts
from casebridge.assessments import instruments, services
from casebridge.assessments.forms import AssessmentForm
from casebridge.cases import services as cases
from casebridge.errors import DomainError
from casebridge.items.views import highest, show_refusal
from casebridge.permissions import requires
from casebridge.policy import Perm


def _tool(request):
    chosen = request.POST.get("assessment-instrument") or request.GET.get("instrument") or ""
    return instruments.get(chosen) or next(iter(instruments.registry().values()))


@requires(Perm.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def side_by_side(request, case_id):
    case, _decision = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    form = AssessmentForm(request.POST if request.method == "POST" else None, actor=request.user, tool=_tool(request))
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.record_assessment(
                        actor=request.user, case_id=case.pk, instrument=data["instrument"],
                        assessed_on=data["assessed_on"], valid_until=data["valid_until"], overall=data["overall"],
                        formulation=data["formulation"], domain_ratings=form.domain_ratings(),
                        categorisations=form.categorisations(),
                        classification=data["classification"], purpose=request.purpose)
            except DomainError as exc:
                show_refusal(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Assessment recorded."))
                return redirect(reverse("assessments:case", args=[case.pk]))
    with transaction.atomic():
        shown = services.readable_assessments(actor=request.user, case_id=case.pk, purpose=request.purpose)
    request.page_classification = highest([r.formulation.classification for r in shown])
    walk = instruments.crosswalk()
    rows = [(code, name, [(r, r.common.get(code, [])) for r in shown]) for code, name in walk.common]
    common = request.GET.get("domain") if request.GET.get("domain") in dict(walk.common) else None
    return render(request, "assessments/side_by_side.html", {
        "case": case, "shown": shown, "rows": rows, "crosswalk": walk, "form": form, "domain": common,
        "domain_name": dict(walk.common).get(common), "charted": bool(services.trend(shown, common))}, status=status)


@requires(Perm.CASE_VIEW)
@require_http_methods(["GET"])
def chart(request, case_id):
    """The readable assessments over time as an SVG image: the overall judgement, or one common domain."""
    walk = instruments.crosswalk()
    common = request.GET.get("domain") or None
    if common is not None and common not in dict(walk.common):
        raise Http404
    with transaction.atomic():
        shown = services.readable_assessments(actor=request.user, case_id=case_id, purpose=request.purpose)
    title = dict(walk.common)[common] if common else _("Overall judgement")
    svg = charts.dated_lines(
        title=_("%(what)s over time (position on each instrument's own scale)") % {"what": title},
        series=services.trend(shown, common), range_=(0, 1),
        y_labels=[(0, _("lowest")), (0.5, _("middle")), (1, _("highest"))])
    return charts.svg_response(svg)


@requires(Perm.CASE_LIST)
@require_http_methods(["GET"])
def crosswalk(request):
    """The crosswalk as data, for review: every instrument's domains under the common domain each maps to."""
    walk = instruments.crosswalk()
    tools = list(instruments.registry().values())
    rows = [(code, name, [(tool, [d for d in tool.domains if walk.common_of(tool, d.code) == code]) for tool in tools])
            for code, name in walk.common]
    return render(request, "assessments/crosswalk.html", {"crosswalk": walk, "tools": tools, "rows": rows})
