"""Data protection pages: the DPO's subject access page (export, withholding) and the client's
transparency notice. Every document is audited by the service that builds it."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casebridge.dataprotection import export, pdf, services, transparency as notices
from casebridge.dataprotection.forms import WithholdForm
from casebridge.dataprotection.notice_texts import languages as notice_languages
from casebridge.documents.pdf import as_response
from casebridge.errors import DomainError
from casebridge.permissions import requires
from casebridge.policy import Perm


@requires(Perm.SUBJECT_ACCESS)
@require_GET
def clients(request):
    with transaction.atomic():
        found = services.list_clients(actor=request.user, purpose=request.purpose)
    return render(request, "dataprotection/clients.html", {"clients": found})


@requires(Perm.SUBJECT_ACCESS)
@require_GET
def client(request, client_id):
    return _client_page(request, client_id)


def _client_page(request, client_id, *, bound: WithholdForm | None = None, bound_item=None, status: int = 200):
    with transaction.atomic():
        overview = services.subject_access_overview(actor=request.user, client_id=client_id, purpose=request.purpose)
    # Only the originating agency withholds or releases: its DPO gets the forms, others a label.
    rows = [(item, (bound if bound is not None and item.pk == bound_item else WithholdForm.for_item(item.pk))
             if item.originating_agency_id == request.user.agency_id else None) for item in overview.included]
    return render(request, "dataprotection/client.html", {"overview": overview, "rows": rows}, status=status)


@requires(Perm.SUBJECT_ACCESS)
@require_GET
def export_json(request, client_id):
    with transaction.atomic():
        document = export.subject_access_export(actor=request.user, client_id=client_id, purpose=request.purpose)
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{client_id}.json"'
    return response


@requires(Perm.SUBJECT_ACCESS)
@require_GET
def export_pdf(request, client_id):
    with transaction.atomic():
        document = export.subject_access_export(actor=request.user, client_id=client_id, purpose=request.purpose,
                                                fmt="pdf")
    return as_response(pdf.subject_access_pdf(document), f"subject-access-{client_id}.pdf")


@requires(Perm.SUBJECT_ACCESS)
@require_POST
def withhold(request, client_id, item_id):
    form = WithholdForm.for_item(item_id, request.POST)
    if not form.is_valid():
        return _client_page(request, client_id, bound=form, bound_item=item_id, status=400)
    try:
        with transaction.atomic():
            services.withhold_item(actor=request.user, client_id=client_id, item_id=item_id,
                                   legal_reason=form.cleaned_data["legal_reason"], purpose=request.purpose)
    except DomainError as exc:
        form.add_error("legal_reason" if exc.field == "legal_reason" else None, exc.message)
        return _client_page(request, client_id, bound=form, bound_item=item_id, status=exc.status)
    messages.success(request, _("The item is withheld from subject access; the reason is recorded."))
    return redirect("dataprotection:client", client_id=client_id)


@requires(Perm.SUBJECT_ACCESS)
@require_POST
def lift(request, client_id, item_id):
    try:
        with transaction.atomic():
            services.lift_withholding(actor=request.user, client_id=client_id, item_id=item_id,
                                      purpose=request.purpose)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _client_page(request, client_id, status=exc.status)
    messages.success(request, _("The withholding is lifted: the item goes into the next export."))
    return redirect("dataprotection:client", client_id=client_id)


def _act(request, client_id, call, done: str):
    """Run a withholding/release service and come back to the page, or show why it was refused."""
    try:
        with transaction.atomic():
            call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return _client_page(request, client_id, status=exc.status)
    messages.success(request, done)
    return redirect("dataprotection:client", client_id=client_id)


@requires(Perm.SUBJECT_ACCESS)
@require_POST
def release(request, client_id, item_id):
    return _act(request, client_id, lambda: services.release_for_subject_access(
        actor=request.user, client_id=client_id, item_id=item_id, purpose=request.purpose),
        _("Released: the agencies that received the item include it in their subject access answers."))


@requires(Perm.SUBJECT_ACCESS)
@require_POST
def unrelease(request, client_id, item_id):
    return _act(request, client_id, lambda: services.withdraw_release(
        actor=request.user, client_id=client_id, item_id=item_id, purpose=request.purpose),
        _("Release withdrawn: other agencies list the item as awaiting your agency again."))


def _notice(request, case_id, fmt: str):
    """The notice in the language asked for (?language=), else the client's; None and a 400 page
    for a language the notice does not exist in."""
    try:
        with transaction.atomic():
            return notices.transparency_notice(actor=request.user, case_id=case_id, purpose=request.purpose, fmt=fmt,
                                               language=request.GET.get("language") or None), None
    except DomainError as exc:
        return None, HttpResponseBadRequest(render_to_string("400.html", {"where": "language", "why": exc.message},
                                                             request))


@requires(Perm.CASE_VIEW)
@require_GET
def transparency(request, case_id):
    notice, refused = _notice(request, case_id, "html")
    if refused:
        return refused
    others = [(code, texts["language_name"]) for code, texts in notice_languages().items() if code != notice.language]
    return render(request, "dataprotection/transparency.html", {"notice": notice, "case_id": case_id,
                                                                "other_languages": others})


@requires(Perm.CASE_VIEW)
@require_GET
def transparency_pdf(request, case_id):
    notice, refused = _notice(request, case_id, "pdf")
    if refused:
        return refused
    return as_response(pdf.transparency_pdf(notice), f"transparency-{notice.case_reference}-{notice.language}.pdf")
