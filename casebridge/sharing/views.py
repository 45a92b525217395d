"""Pages of the information exchange: sharing agreements, and a case's consents and disclosures.

The views parse a form, call one service in a savepoint and render. The services decide who may
see or change what: an agreement or case that is not the actor's to see is a 404, a change they
may not make a 403. A refusal re-renders the page with the form at its error and nothing written.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casebridge.cases.services import get_case, today
from casebridge.confirmation import ask_first, confirm_first
from casebridge.errors import DomainError, Forbidden, NotVisible
from casebridge.forms import summary_of
from casebridge.items import services as items
from casebridge.permissions import requires
from casebridge.policy import Perm
from casebridge.sharing import agreements, forms, services
from casebridge.sharing.models import AgreementStatus, AgreementVersion


def _attempt(form, call, *extra):
    """Run `call(cleaned_data)` in a savepoint when the form (and `extra` forms) are valid.
    Returns (result, status): (None, 400 or the refusal's status) when it did not happen."""
    if not form.is_valid() or not all(f.is_valid() for f in extra):
        return None, 400
    try:
        with transaction.atomic():
            return call(form.cleaned_data), 200
    except DomainError as exc:
        form.add_domain_error(exc)
        return None, exc.status


def _signatures(version) -> tuple[int, int]:
    parties = list(version.parties.all())
    return sum(1 for p in parties if p.signed_at is not None), len(parties)


# --- Agreements --------------------------------------------------------------------------------

@requires(Perm.AGREEMENT_VIEW)
@require_GET
def agreement_list(request):
    now = today()
    rows = [(v, AgreementStatus(v.effective_status(now)), _signatures(v))
            for v in agreements.list_agreements(actor=request.user, purpose=request.purpose)]
    return render(request, "sharing/agreements.html", {"rows": rows})


@requires(Perm.AGREEMENT_VIEW)
@require_GET
def agreement_detail(request, version_id):
    return _agreement_page(request, version_id)


def _agreement_page(request, version_id, *, bound=None, error: str = "", status: int = 200):
    version = agreements.get_version(actor=request.user, version_id=version_id, purpose=request.purpose)
    history = agreements.visible_agreements(request.user).filter(agreement_id=version.agreement_id) \
        .order_by("-number")
    latest = AgreementVersion.objects.filter(agreement_id=version.agreement_id).aggregate(n=Max("number"))["n"]
    actions = agreements.actions_for(request.user, version, latest)
    reasons = {name: forms.ReasonForm(prefix=name) for name in ("suspend", "resume") if name in actions}
    if bound is not None:
        reasons[bound.prefix] = bound
    return render(request, "sharing/agreement.html", {
        "version": version, "status": AgreementStatus(version.effective_status(today())),
        "signatures": _signatures(version), "rules": forms.rule_groups(version), "history": history,
        "actions": actions, "reasons": reasons, "error": error,
    }, status=status)


def _terms_page(request, template: str, form, rules, context: dict, call, done: str):
    """The draft and new-version forms: show, or save through `call(data)` and go to the version."""
    if request.method == "POST":
        version, status = _attempt(
            form, lambda data: call({**data, "rules": [r for f in rules.forms if (r := f.rule())]}), rules)
        if version is not None:
            messages.success(request, done)
            return redirect("sharing:agreement", version_id=version.pk)
    else:
        status = 200
    return render(request, template, {"form": form, "rules": rules, "summary": summary_of(form, rules), **context},
                  status=status)


@requires(Perm.AGREEMENT_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_new(request):
    agencies = forms.agency_choices()
    data = request.POST if request.method == "POST" else None
    return _terms_page(
        request, "sharing/agreement_form.html", forms.AgreementForm(data, agencies=agencies),
        forms.rule_formset(data, agencies=agencies), {"current": None},
        lambda terms: agreements.draft_agreement(actor=request.user, data=terms, purpose=request.purpose),
        "Agreement drafted. It takes effect once an administrator of every party has signed it.")


@requires(Perm.AGREEMENT_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_amend(request, agreement_id):
    current = agreements.visible_agreements(request.user).filter(agreement_id=agreement_id) \
        .order_by("-number").first()
    if current is None:
        raise NotVisible("no such agreement")
    latest = AgreementVersion.objects.filter(agreement_id=agreement_id).aggregate(n=Max("number"))["n"]
    if "amend" not in agreements.actions_for(request.user, current, latest):
        if current.status == AgreementStatus.DRAFT:
            messages.info(request, _("A draft version is already waiting for sign-off."))
            return redirect("sharing:agreement", version_id=current.pk)
        raise Forbidden(_("only an administrator of a party makes a new version"))
    agencies = forms.agency_choices()
    data = request.POST if request.method == "POST" else None
    form = forms.AgreementForm(data, agencies=agencies, with_title=False, initial=forms.initial_terms(current))
    rules = forms.rule_formset(data, agencies=agencies, initial=forms.initial_rules(current))
    return _terms_page(
        request, "sharing/agreement_form.html", form, rules, {"current": current},
        lambda terms: agreements.amend_agreement(actor=request.user, agreement_id=agreement_id, data=terms,
                                                 purpose=request.purpose),
        f"Version {current.number + 1} drafted. Version {current.number} stays as it is until every party "
        f"has signed the new one.")


def _offered(request, version, action: str) -> bool:
    """Whether the page offers `action` now: only then is it worth confirming; otherwise the
    service's refusal (403, or 400 for the wrong state) is the answer."""
    latest = AgreementVersion.objects.filter(agreement_id=version.agreement_id).aggregate(n=Max("number"))["n"]
    return action in agreements.actions_for(request.user, version, latest)


def _parties(version) -> str:
    return ", ".join(p.agency.name for p in version.parties.all())


def _ask_to_sign(request, version):
    unsigned = [p for p in version.parties.all() if p.signed_at is None]
    last = len(unsigned) == 1 and unsigned[0].agency_id == request.user.agency_id
    effect = (_("Yours is the last signature: the agreement takes effect at once, and %(parties)s start "
                "reading each other's items as its rules allow from their next request.") if last
              else _("It takes effect once every party (%(parties)s) has signed."))
    return ask_first(
        request, title=_("Sign “%(title)s” version %(number)d?") % {
            "title": version.agreement.title, "number": version.number},
        consequence=_("You sign for %(agency)s. ") % {"agency": request.user.agency.name}
        + effect % {"parties": _parties(version)},
        confirm_label=_("Sign for %(agency)s") % {"agency": request.user.agency.name},
        cancel_url=reverse("sharing:agreement", args=[version.pk]))


@requires(Perm.AGREEMENT_MANAGE)
@require_POST
def agreement_sign(request, version_id):
    version = agreements.get_version(actor=request.user, version_id=version_id, purpose=request.purpose, audit=False)
    if _offered(request, version, "sign") and (page := _ask_to_sign(request, version)) is not None:
        return page
    try:
        with transaction.atomic():
            version = agreements.sign_agreement(actor=request.user, version_id=version_id, purpose=request.purpose)
    except DomainError as exc:
        return _agreement_page(request, version_id, error=exc.message, status=exc.status)
    signed, total = _signatures(version)
    if version.status == AgreementStatus.ACTIVE:
        messages.success(request, _("Signed for %(agency)s. Every party has signed: the agreement is now in force.")
                         % {"agency": request.user.agency.name})
    else:
        messages.success(request, _("Signed for %(agency)s. %(missing)s of %(total)s parties still to sign.")
                         % {"agency": request.user.agency.name, "missing": total - signed, "total": total})
    return redirect("sharing:agreement", version_id=version.pk)


def _ask_to_suspend_or_resume(request, version, *, suspended: bool):
    names = {"title": version.agreement.title, "number": version.number, "parties": _parties(version),
             "agency": request.user.agency.name}
    if suspended:
        title = _("Suspend “%(title)s” version %(number)d?") % names
        consequence = _("Suspending stops every flow under this agreement at once, for all parties (%(parties)s): "
                        "from their next request, practitioners no longer read what only this agreement let them "
                        "read. Only %(agency)s, the suspending party, can resume it.") % names
    else:
        title = _("Resume “%(title)s” version %(number)d?") % names
        consequence = _("Resuming restores every flow under this agreement at once, for all parties (%(parties)s): "
                        "from their next request, practitioners read again what its rules allow.") % names
    return ask_first(request, title=title, consequence=consequence,
                     confirm_label=_("Suspend the agreement") if suspended else _("Resume the agreement"),
                     cancel_url=reverse("sharing:agreement", args=[version.pk]))


def _suspend_or_resume(request, version_id, *, suspended: bool):
    form = forms.ReasonForm(request.POST, prefix="suspend" if suspended else "resume")
    version = agreements.get_version(actor=request.user, version_id=version_id, purpose=request.purpose, audit=False)
    if form.is_valid() and _offered(request, version, "suspend" if suspended else "resume") \
            and (page := _ask_to_suspend_or_resume(request, version, suspended=suspended)) is not None:
        return page  # a valid reason: ask before acting, so only what would be accepted is confirmed
    version, status = _attempt(form, lambda data: agreements.set_suspended(
        actor=request.user, version_id=version_id, suspended=suspended, reason=data["reason"],
        purpose=request.purpose))
    if version is None:
        return _agreement_page(request, version_id, bound=form, status=status)
    messages.success(request, "Agreement suspended: it gives no access until it is resumed." if suspended
                     else "Agreement resumed: it gives access again.")
    return redirect("sharing:agreement", version_id=version.pk)


@requires(Perm.AGREEMENT_MANAGE)
@require_POST
def agreement_suspend(request, version_id):
    return _suspend_or_resume(request, version_id, suspended=True)


@requires(Perm.AGREEMENT_MANAGE)
@require_POST
def agreement_resume(request, version_id):
    return _suspend_or_resume(request, version_id, suspended=False)


@requires(Perm.AGREEMENT_MANAGE)
@require_POST
def agreement_withdraw(request, version_id):
    """Withdraw a draft awaiting sign-off, after confirming: it can never be signed afterwards."""
    version = agreements.get_version(actor=request.user, version_id=version_id, purpose=request.purpose, audit=False)
    page = _offered(request, version, "withdraw") and ask_first(
        request, title=_("Withdraw the draft “%(title)s” version %(number)d?") % {
            "title": version.agreement.title, "number": version.number},
        consequence=_("A withdrawn draft can never be signed and never takes effect; the signatures it has "
                      "gathered lapse. To share under these terms, draft them again."),
        confirm_label=_("Withdraw the draft"), cancel_url=reverse("sharing:agreement", args=[version.pk]))
    if page:
        return page
    try:
        with transaction.atomic():
            version = agreements.withdraw_draft(actor=request.user, version_id=version_id, purpose=request.purpose)
    except DomainError as exc:
        return _agreement_page(request, version_id, error=exc.message, status=exc.status)
    messages.success(request, _("Draft withdrawn: it can no longer be signed."))
    return redirect("sharing:agreement", version_id=version.pk)


# --- Consents on a case ------------------------------------------------------------------------

@requires(Perm.CASE_VIEW)
@require_GET
def consents(request, case_id):
    return _consents_page(request, case_id)


def _consents_page(request, case_id, *, bound=None, status: int = 200):
    case, found = services.consents_for_case(actor=request.user, case_id=case_id, purpose=request.purpose)
    record_form = None
    if services.may_record_consent(request.user, case):  # offered only to those who may record
        record_form = bound if isinstance(bound, forms.ConsentForm) else forms.ConsentForm(
            agencies=forms.agency_choices(), actor=request.user)
    rows, errors = [], []
    if isinstance(bound, forms.WithdrawForm) or (bound is not None and record_form is None):
        # Shown above the list: the page may not offer the form (then only what names none of its fields).
        errors = bound.error_summary if isinstance(bound, forms.WithdrawForm) else bound.non_field_errors()
    for row in found:
        withdraw = None
        if row.withdraw:
            prefix = f"withdraw-{row.consent.pk}"
            withdraw = bound if bound is not None and bound.prefix == prefix else forms.WithdrawForm(prefix=prefix)
        rows.append((row, withdraw))
    return render(request, "sharing/consents.html", {"case": case, "rows": rows, "form": record_form,
                                                     "errors": errors}, status=status)


def _attempt_consent(form, call):
    """`_attempt`, where a refusal of authority (403) also lands on the form with its reason."""
    try:
        return _attempt(form, call)
    except Forbidden as exc:
        form.add_error(None, str(exc))
        return None, 403


@requires(Perm.CONSENT_MANAGE)
@require_POST
def consent_record(request, case_id):
    form = forms.ConsentForm(request.POST, request.FILES, agencies=forms.agency_choices(), actor=request.user)
    consent, status = _attempt_consent(form, lambda data: services.give_consent(
        actor=request.user, case_id=case_id, data=data, form=form.signed_form(), purpose=request.purpose))
    if consent is None:
        return _consents_page(request, case_id, bound=form, status=status)
    messages.success(request, _("Consent recorded for %(recipient)s.") % {"recipient": consent.recipient_label})
    return redirect("sharing:consents", case_id=case_id)


@requires(Perm.CONSENT_MANAGE)
@require_POST
@confirm_first(title=gettext_lazy("Withdraw this consent?"), consequence=gettext_lazy(
    "Withdrawing acts at once: from the next request, the recipient no longer reads what only this consent "
    "allowed. It cannot be undone; the client's consent would have to be recorded again."),
    confirm_label=gettext_lazy("Withdraw the consent"),
    check=lambda request, case_id, consent_id: get_case(actor=request.user, case_id=case_id, purpose=request.purpose,
                                                        audit=False),
    cancel=lambda request, case_id, consent_id: reverse("sharing:consents", args=[case_id]))
def consent_withdraw(request, case_id, consent_id):
    form = forms.WithdrawForm(request.POST, prefix=f"withdraw-{consent_id}")
    consent, status = _attempt_consent(form, lambda data: services.withdraw_consent(
        actor=request.user, case_id=case_id, consent_id=consent_id, note=data["note"], purpose=request.purpose))
    if consent is None:
        return _consents_page(request, case_id, bound=form, status=status)
    messages.success(request, _("Consent withdrawn. From now on %(recipient)s no longer sees what only this "
                                "consent allowed.") % {"recipient": consent.recipient_label})
    return redirect("sharing:consents", case_id=case_id)


@requires(Perm.CASE_VIEW)
@require_GET
def consent_form_download(request, case_id, consent_id):
    """The signed consent form, for those who may read the consent's evidence; 404 otherwise."""
    document = services.open_consent_form(actor=request.user, case_id=case_id, consent_id=consent_id,
                                          purpose=request.purpose)
    response = HttpResponse(bytes(document.data), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    response["Cache-Control"] = "no-store, private"
    return response


# --- Disclosures on a case ---------------------------------------------------------------------

@requires(Perm.CASE_VIEW)
@require_GET
def disclosures(request, case_id):
    return _disclosures_page(request, case_id)


def _disclosures_page(request, case_id, *, error: str = "", status: int = 200):
    case, found = services.disclosures_for_case(actor=request.user, case_id=case_id, purpose=request.purpose)
    # Revoking is the originator's, as disclosing is: the policy answers per item.
    revocable = {d.pk for d in found if d.revoked_at is None
                 and items.decide(request.user, Perm.ITEM_DISCLOSE, d.item, request.purpose, case=case)}
    # Item titles are shown, so the page carries the marking of the highest item on it.
    request.page_classification = max((d.item.classification for d in found), default=None)
    return render(request, "sharing/disclosures.html", {
        "case": case, "disclosures": found, "revocable": revocable, "error": error}, status=status)


@requires(Perm.ITEM_DISCLOSE)
@require_POST
def disclosure_revoke(request, case_id, disclosure_id):
    try:
        with transaction.atomic():
            disclosure = services.revoke_disclosure(actor=request.user, disclosure_id=disclosure_id, case_id=case_id,
                                                    purpose=request.purpose)
    except DomainError as exc:
        return _disclosures_page(request, case_id, error=exc.message, status=exc.status)
    messages.success(request, _("Disclosure to %(agency)s revoked: they no longer read “%(title)s” on this basis.")
                     % {"agency": disclosure.recipient.name, "title": disclosure.item.title})
    return redirect("sharing:disclosures", case_id=case_id)
