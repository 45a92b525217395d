"""The audit trail for data protection officers and system administrators: searching it, a
report per case, one event, and verifying the hash chain. What each reader sees is scoped by
casebridge.policy.audit; every read of the trail is itself recorded by the services called here."""

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from casebridge.audit import detail, reading, verification
from casebridge.audit.display import Namer
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
    The auditor need not be on the case team: the case is named by its reference, and linked, only
    for a reader who may see it under the rule; anyone else reads its number (audit.display)."""
    return _event_list(request, "audit/case_report.html", case_id=case_id)


@requires(Perm.AUDIT_READ)
def event(request, seq):
    """One event with its full references and hash; a 404 outside the reader's scope."""
    with transaction.atomic():  # NotVisible is a 404
        found = reading.get_event(actor=request.user, seq=seq, purpose=request.purpose)
    return render(request, "audit/event.html", {"event": _displayed(request, [found])[0]})


def _event_list(request, template, case_id=None):
    form = EventFilterForm(request.GET, actor=request.user, case_id=case_id)
    context = {"form": form, "case_id": case_id, "case": _case_named(request, case_id)}
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
    context.update(events=_displayed(request, found), page=page)
    return render(request, template, context)


def _case_named(request, case_id):
    if case_id is None:
        return None
    return Namer(request.user, request.purpose, [], cases={case_id}).case(case_id)


def _displayed(request, found):
    """Each event in words: its object and case named as the reader may know them (audit.display),
    its detail as lines (audit.detail), and whether the actor is a service account, not a person."""
    robots = _service_accounts({e.actor_id for e in found if e.actor_id is not None})
    namer = Namer(request.user, request.purpose, found)
    for event in found:
        event.object_named = namer.object(event)
        event.case_named = namer.case(event.case_id) if event.case_id is not None else None
        event.detail_rows = detail.rows(event.detail, event.object_type)
        event.detail_summary, event.detail_more = detail.summary(event.detail, event.object_type)
        event.recipients_text = ", ".join(r if isinstance(r, str) else _recipient(r) for r in event.recipients)
        event.by_service_account = event.actor_id in robots
    return found


def _recipient(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{row.label}: {row.text}" for row in detail.rows(value))
    return detail.words("recipients", value)


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


@requires(Perm.AUDIT_READ)
@require_http_methods(["GET", "POST"])
def verify(request):
    """GET explains and offers the check; POST recomputes every hash and records that it did."""
    result = None
    if request.method == "POST":
        with transaction.atomic():
            result = verification.verify_and_record(actor=request.user, purpose=request.purpose, sign=False)
    return render(request, "audit/verify.html", {"result": result})
