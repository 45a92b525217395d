"""The audit trail for data protection officers and system administrators: searching it, a
report per case, and verifying the hash chain. Every read of the trail is itself recorded by the
services these views call."""

import json

from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from casebridge.audit import services
from casebridge.audit.forms import EventFilterForm
from casebridge.errors import DomainError
from casebridge.permissions import requires
from casebridge.policy import Perm


@requires(Perm.AUDIT_READ)
def events(request):
    return _event_list(request, "audit/events.html")


@requires(Perm.AUDIT_READ)
def case_report(request, case_id):
    """Who did what on one case, when, and for which purpose. Only the case number is shown:
    the auditor need not be on the case team, so nothing is read from the case itself."""
    return _event_list(request, "audit/case_report.html", case_id=case_id)


def _event_list(request, template, case_id=None):
    form = EventFilterForm(request.GET, case_id=case_id)
    context = {"form": form, "case_id": case_id}
    if not form.is_valid():
        return render(request, template, context, status=400)
    filters = {**form.cleaned_data, "page": request.GET.get("page")}
    if case_id is not None:
        filters["case_id"] = case_id
    try:
        with transaction.atomic():
            found, page = services.list_events(actor=request.user, purpose=request.purpose, filters=filters)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, template, context, status=400)
    context.update(events=[_displayed(event) for event in found], page=page)
    return render(request, template, context)


def _displayed(event):
    """Attach one-line renderings of the JSON fields; the full detail stays in a tooltip."""
    event.detail_text = _compact(event.detail) if event.detail else ""
    event.recipients_text = ", ".join(r if isinstance(r, str) else _compact(r) for r in event.recipients)
    return event


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


@requires(Perm.AUDIT_READ)
@require_http_methods(["GET", "POST"])
def verify(request):
    """GET explains and offers the check; POST recomputes every hash and records that it did."""
    result = None
    if request.method == "POST":
        with transaction.atomic():
            result = services.verify_and_record(actor=request.user, purpose=request.purpose)
    return render(request, "audit/verify.html", {"result": result})
