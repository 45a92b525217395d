"""The forms that change items: recording, amending, deriving, retracting, disclosing, revoking and
attaching. Each posts to its own URL and redirects to the item page; a refusal re-renders the page
with the form open at its error (400, or 409 when someone amended the item meanwhile).

Whether the actor may do this to this item is the services' decision: 404 for an item they may
not read, 403 for one they read but do not own.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casebridge.cases import services as cases
from casebridge.errors import DomainError, InvalidInput, StaleVersion
from casebridge.forms import posted
from casebridge.items import attachments, forms, readership, services
from casebridge.items.audience import who_will_see
from casebridge.items.views import member_agencies, render_item_page, show_refusal
from casebridge.permissions import requires
from casebridge.policy import Perm
from casebridge.sharing import services as sharing


@requires(Perm.ITEM_RECORD)
@require_http_methods(["GET", "POST"])
def record(request, case_id):
    """Record information on a case. The form sits on the case page; this page shows it again
    with its errors, or alone for a browser without the case page at hand. Its "Preview who will
    see this" button (for a browser without JavaScript) shows it again as typed, unsaved, with the
    preview."""
    case, _decision = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    form = forms.RecordItemForm(posted(request), actor=request.user)
    if "audience" in request.POST:
        return render(request, "items/record.html", {
            "case": case, "form": form.unchecked(), "audience": _audience(request, case, request.POST)})
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    item = services.record_item(actor=request.user, case_id=case.pk, data=form.service_data(),
                                                purpose=request.purpose)
            except DomainError as exc:
                show_refusal(form, exc)
                status = exc.status
            else:
                messages.success(request, _("“%(title)s” recorded. Attach files or disclose it below.") % {"title": item.title})
                return redirect("items:detail", item_id=item.pk)
    # Back with its errors, the form still says who would read the item as marked so far.
    audience = _audience(request, case, request.POST) if form.is_bound else None
    return render(request, "items/record.html", {"case": case, "form": form, "audience": audience}, status=status)


@requires(Perm.ITEM_RECORD)
@require_GET
def audience(request, case_id):
    """Who on the team would read the item being written, as its author changes its category,
    classification and markings: the recording form's htmx partial, or (opened as a page) the
    form again with the preview. 404 for a case the actor may not see, before anything is read."""
    case, _ = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    found = _audience(request, case, request.GET)
    if request.htmx:
        return render(request, "items/_audience.html", {"audience": found})
    form = forms.RecordItemForm(request.GET, actor=request.user).unchecked()
    return render(request, "items/record.html", {"case": case, "form": form, "audience": found})


def _audience(request, case, data):
    """The preview for the markings in `data`, or None while they are incomplete."""
    form = forms.AudienceForm(data, actor=request.user)
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            return who_will_see(actor=request.user, case_id=case.pk, draft=form.draft(), purpose=request.purpose)
    except InvalidInput:
        return None


def _load(request, item_id):
    """The item, to fill the form's options; refuses (404) before anything is parsed."""
    item, _decision = services.get_item(actor=request.user, item_id=item_id, purpose=request.purpose, audit=False)
    return item


def _submit(request, item, form, call, *, done: str, anchor: str, to=None):
    """Validate, run the service in a savepoint, then redirect to the item page (or the page of
    the item `to(result)` names), or re-render with the error.

    The savepoint matters: the request is one transaction that commits the re-rendered page's
    audit event, so a service refusing half-way must leave nothing of its own behind.
    """
    if form.is_valid():
        try:
            with transaction.atomic():
                result = call(form.cleaned_data)
        except StaleVersion as exc:
            # Someone amended the item meanwhile: its forms come back filled as it now stands, with who
            # changed it and when above this one; nothing of this change was saved.
            return render_item_page(request, item.pk, notice=(form.prefix, exc.message), status=exc.status)
        except DomainError as exc:
            show_refusal(form, exc)
            return render_item_page(request, item.pk, bound=form, status=exc.status)
        target = to(result) if to else item.pk
        messages.success(request, done)
        return redirect(f"{reverse('items:detail', args=[target])}#{anchor}")
    return render_item_page(request, item.pk, bound=form, status=400)


@requires(Perm.ITEM_RECORD)
@require_POST
def amend(request, item_id):
    item = _load(request, item_id)
    form = forms.AmendForm(request.POST, actor=request.user, item=item)
    return _submit(request, item, form, lambda data: services.amend_item(
        actor=request.user, item_id=item.pk, data=form.service_data(), change_note=data["change_note"],
        expected_version=data["version"], purpose=request.purpose),
        done="Item amended; the previous version is kept.", anchor="versions")


@requires(Perm.ITEM_RECORD)
@require_POST
def derive(request, item_id):
    item = _load(request, item_id)
    form = forms.DeriveForm(request.POST, actor=request.user, item=item)
    return _submit(request, item, form, lambda data: services.derive_item(
        actor=request.user, item_id=item.pk, data=form.service_data(), purpose=request.purpose),
        done="Sanitised derivative created. Recipients will see it, never the original.", anchor="item",
        to=lambda derivative: derivative.pk)


@requires(Perm.ITEM_DISCLOSE)
@require_POST
def disclose(request, item_id):
    item = _load(request, item_id)
    form = forms.DiscloseForm(request.POST, agencies=member_agencies(item.case, request.user))
    return _submit(request, item, form, lambda data: sharing.disclose_item(
        actor=request.user, item_id=item.pk, recipient_id=data["recipient"], justification=data["justification"],
        allow_decision_use=data["allow_decision_use"], purpose=request.purpose),
        done="Disclosed. The recipient agency's case team can read it from now on.", anchor="disclosures")


@requires(Perm.ITEM_DISCLOSE)
@require_POST
def revoke(request, item_id):
    item = _load(request, item_id)
    form = forms.RevokeForm(request.POST)
    return _submit(request, item, form, lambda data: _revoke(request, item, data["disclosure"]),
                   done="Disclosure revoked: the recipient no longer sees the item.", anchor="disclosures")


def _revoke(request, item, disclosure_id):
    # Only this item's disclosures may be revoked from its page; any other id is simply unknown.
    if not item.disclosures.filter(pk=disclosure_id).exists():
        raise InvalidInput(_("No such disclosure of this item."), field="disclosure")
    return sharing.revoke_disclosure(actor=request.user, disclosure_id=disclosure_id, purpose=request.purpose)


@requires(Perm.ITEM_RECORD)
@require_POST
def attach(request, item_id):
    item = _load(request, item_id)
    form = forms.AttachForm(request.POST, request.FILES)
    return _submit(request, item, form, lambda data: attachments.attach(
        actor=request.user, item_id=item.pk, filename=data["file"].name, purpose=request.purpose,
        # Read one byte past the limit, never the whole upload: the service refuses anything longer.
        content=data["file"].read(attachments.MAX_BYTES + 1)),
        done="File attached.", anchor="attachments")


@requires(Perm.ITEM_RECORD)
@require_POST
def retract(request, item_id):
    """Retract, then show who had read the item or its derivatives, so they can be told."""
    item = _load(request, item_id)
    form = forms.RetractForm(request.POST)
    if not form.is_valid():
        return render_item_page(request, item.pk, bound=form, status=400)
    try:
        with transaction.atomic():
            item, events = readership.retract_item(actor=request.user, item_id=item.pk,
                                                 reason=form.cleaned_data["reason"], purpose=request.purpose)
    except DomainError as exc:
        show_refusal(form, exc)
        return render_item_page(request, item.pk, bound=form, status=exc.status)
    family = {item.pk, *item.derivatives.values_list("pk", flat=True)}
    request.page_classification = item.classification
    return render(request, "items/retracted.html", {"item": item, "rows": readership.reader_rows(events, family)})
