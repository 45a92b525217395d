"""The audit trail for data protection officers and system administrators: searching it, a
report per case, one event, and verifying the hash chain. What each reader sees is scoped by
casebridge.policy.audit; every read of the trail is itself recorded by the services called here."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from casebridge.audit import reading, verification
from casebridge.audit.forms import EventFilterForm
from casebridge.errors import DomainError
from casebridge.permissions import requires
from casebridge.policy import Perm


@requires(Perm.AUDIT_READ)
def events(request):
    return _event_list(request, "audit/events.html")


@requires(Perm.AUDIT_READ)
def case_report(request, case_id):
    """Who did what on one case, when, and for which purpose, within the reader's audit scope.
    Only the case number is shown: the auditor need not be on the case team, so nothing is read
    from the case itself."""
    return _event_list(request, "audit/case_report.html", case_id=case_id)


@requires(Perm.AUDIT_READ)
def event(request, seq):
    """One event with its full references and hash; a 404 outside the reader's scope."""
    with transaction.atomic():  # NotVisible is a 404
        found = reading.get_event(actor=request.user, seq=seq, purpose=request.purpose)
    return render(request, "audit/event.html", {"event": _displayed([found])[0]})


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
            found, page = reading.list_events(actor=request.user, purpose=request.purpose, filters=filters)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, template, context, status=400)
    context.update(events=_displayed(found), page=page)
    return render(request, template, context)


def _displayed(found):
    """Attach one-line renderings of the JSON fields (the full detail stays in a tooltip) and
    whether the actor is a service account rather than a person."""
    robots = _service_accounts({e.actor_id for e in found if e.actor_id is not None})
    for event in found:
        event.detail_text = _compact(event.detail) if event.detail else ""
        event.recipients_text = ", ".join(r if isinstance(r, str) else _compact(r) for r in event.recipients)
        event.by_service_account = event.actor_id in robots
    return found


def _service_accounts(actor_ids: set[int]) -> set[int]:
    """Which of these actors are service accounts (system integrations), where the deployment
    distinguishes them (the `is_service_account` flag of the practitioner)."""
    model = get_user_model()
    try:
        model._meta.get_field("is_service_account")
    except FieldDoesNotExist:
        return set()
    if not actor_ids:
        return set()
    return set(model.objects.filter(pk__in=actor_ids, is_service_account=True).values_list("pk", flat=True))


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


@requires(Perm.AUDIT_READ)
@require_http_methods(["GET", "POST"])
def verify(request):
    """GET explains and offers the check; POST recomputes every hash and records that it did."""
    result = None
    if request.method == "POST":
        with transaction.atomic():
            result = verification.verify_and_record(actor=request.user, purpose=request.purpose, sign=False)
    return render(request, "audit/verify.html", {"result": result})
