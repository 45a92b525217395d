"""Pages of information items: the item page, attachments, who read an item, and what another
agency would see of ours (the case page's timeline is in casebridge.items.timeline).

Every item reaches a template through items.services, which asks the policy; an item the actor
may not read is a 404 here exactly as on the API. Source and method are read from the database and
put in the context only for the originating agency (`services.load_source_and_method`), never
hidden in a form the template leaves out.
"""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casebridge import policy
from casebridge.cases import membership
from casebridge.cases import services as cases
from casebridge.cases.forms import with_notice
from casebridge.errors import DomainError
from casebridge.items import attachments, forms, readership, services
from casebridge.items.facts import facts_for
from casebridge.permissions import requires
from casebridge.policy import Perm

USE_RIGHTS = [(Perm.ITEM_READ, _("Read")), (Perm.ITEM_RESHARE, _("Pass on to a third agency")),
              (Perm.ITEM_USE_IN_DECISION, _("Use as the basis of a formal decision")),
              (Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS, _("Include in the client's subject access copy"))]


def show_refusal(form, exc: DomainError) -> None:
    """A service's refusal, on the field it names or above the form (`casebridge.forms.Form`)."""
    form.add_domain_error(exc)


def highest(levels) -> int | None:
    """The level for the page's classification banner: the highest shown, None when none is."""
    return max(levels, default=None)


@requires(Perm.ITEM_READ)
@require_GET
def item_detail(request, item_id):
    return render_item_page(request, item_id)


def render_item_page(request, item_id, *, bound=None, notice: tuple[str, str] | None = None, status: int = 200):
    """The item page; `bound` is a submitted form to show, open at its errors, in its place;
    `notice` (prefix, message) opens the page's own form of that prefix with the message above it."""
    item, decision = services.get_item(actor=request.user, item_id=item_id, purpose=request.purpose)
    # Read from the database for the originator only (the item was loaded without them).
    own = services.load_source_and_method(request.user, item)
    derivatives = services.readable_derivatives(request.user, item, request.purpose)
    context = {
        "item": item, "decision": decision, "own": own, "derivatives": derivatives,
        "use_rights": _use_rights(request, item, item.case), "attachments": item.attachments.all(),
        "forms": _originator_forms(request, item, item.case) if own else {},
    }
    if own:
        context["versions"] = item.versions.select_related("replaced_by")
        context["disclosures"] = item.disclosures.select_related("recipient", "disclosed_by", "revoked_by")
        context["source_text"], context["method_text"] = item.source_text, item.method_text
    if bound is not None:
        context["forms"][bound.prefix] = bound
    if notice is not None and notice[0] in context["forms"]:
        with_notice(context["forms"][notice[0]], notice[1])
    request.page_classification = highest([item.classification, *(d.classification for d in derivatives)])
    return render(request, "items/item.html", context, status=status)


def _use_rights(request, item, case) -> list:
    """What the viewer may do with the item, and why (or why not), in the policy's words."""
    rights, world = [], facts_for(request.user, [item])
    for perm, label in USE_RIGHTS:
        if perm == Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS and not policy.role_allows(request.user, perm):
            continue  # only data protection officers compile subject access copies
        rights.append((label, services.decide(request.user, perm, item, request.purpose, case, world)))
    return rights


def member_agencies(case, actor) -> list[tuple[int, str]]:
    """The other agencies active on the case now and listed to the actor, as options."""
    now = cases.today()
    return [(m.agency_id, m.agency.name) for m in membership.listed_members(actor=actor, case=case)
            if m.is_active(now) and m.agency_id != actor.agency_id]


def _originator_forms(request, item, case) -> dict:
    if item.retracted:
        return {"revoke": forms.RevokeForm()}
    agencies = member_agencies(case, request.user)
    found = {
        "amend": forms.AmendForm(actor=request.user, item=item),
        "retract": forms.RetractForm(),
        "disclose": forms.DiscloseForm(agencies=agencies),
        "revoke": forms.RevokeForm(),
        "attach": forms.AttachForm(),
        "preview": forms.PreviewForm(agencies=agencies),
    }
    if not item.is_derivative:
        found["derive"] = forms.DeriveForm(actor=request.user, item=item)
    return found


@requires(Perm.ITEM_READ)
@require_GET
def download(request, attachment_id):
    """An attachment of an item the actor may read; 404 otherwise. Audited as a read."""
    attachment = attachments.open_attachment(actor=request.user, attachment_id=attachment_id,
                                             purpose=request.purpose)
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    response["Cache-Control"] = "no-store, private"
    return response


@requires(Perm.ITEM_READ)
@require_GET
def readers(request, item_id):
    """Who read an item of the actor's agency, when and on which basis (403 for other agencies)."""
    with transaction.atomic():
        item, _ = services.get_item(actor=request.user, item_id=item_id, purpose=request.purpose, audit=False)
        events = readership.item_readers(actor=request.user, item_id=item.pk, purpose=request.purpose)
    rows = readership.reader_rows(events, {item.pk})
    if request.htmx:
        return render(request, "items/_readers.html", {"item": item, "rows": rows})
    request.page_classification = item.classification
    return render(request, "items/readers.html", {"item": item, "rows": rows})


@requires(Perm.ITEM_DISCLOSE)
@require_GET
def preview(request, case_id):
    """Before disclosing: which of our items on the case another agency would see, and why."""
    case, _ = cases.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    form = forms.PreviewForm(request.GET or None, agencies=member_agencies(case, request.user))
    context, status = {"case": case, "form": form}, 200
    if form.is_bound and form.is_valid():
        try:
            with transaction.atomic():
                agency, member, rows = readership.preview_as(actor=request.user, case_id=case.pk, purpose=request.purpose,
                                                           agency_id=form.cleaned_data["agency"])
        except DomainError as exc:
            show_refusal(form, exc)
            status = exc.status
        else:
            context.update(agency=agency, member=member, rows=rows,
                           visible=sum(1 for _, basis in rows if basis))
            request.page_classification = highest(i.classification for i, _ in rows)
    elif form.is_bound:
        status = 400
    return render(request, "items/preview.html", context, status=status)
