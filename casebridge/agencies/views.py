"""Administration: agencies, their practitioners, second factors and API tokens.

Agency administrators reach their own agency only, system administrators every agency. The
services raise a 404 for anything else, so these views never decide access themselves: they parse
a form, call one service inside a savepoint, and render.
"""

from django.contrib import messages
from django.db import transaction
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from casebridge.accounts import services as accounts
from casebridge.agencies import services
from casebridge.audit import services as audit
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.accounts.forms import TokenForm
from casebridge.agencies.forms import AgencyForm, EditPractitionerForm, NewPractitionerForm, NewServiceAccountForm
from casebridge.errors import DomainError, StaleVersion
from casebridge.forms import posted
from casebridge.permissions import requires
from casebridge.policy import Perm
from casebridge.vocabulary import Role

AGENCY_FIELDS = list(services.AGENCY_FIELDS)


def _attempt(form, call):
    """Run `call(form)` in a savepoint if the form is valid. On a refusal, nothing it wrote is kept
    and its message lands on the form; returns None in both failure cases."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            return call(form)
    except StaleVersion as exc:
        form.stale = exc  # the page shows the record as it now stands, with who changed it
        return None
    except DomainError as exc:
        form.add_domain_error(exc)
        form.status = exc.status  # 403 for a change beyond the actor's authority, 400 for bad input
        return None


def _status(*forms) -> int:
    """The page's status: a refusal's own (403, 400), 400 for invalid input, else 200."""
    return next((f.status for f in forms if getattr(f, "status", None)), 400 if any(f.errors for f in forms) else 200)


def _manages_all(user) -> bool:
    return user.role == Role.SYSTEM_ADMIN


@requires(Perm.PRACTITIONER_MANAGE)
def home(request):
    """System administrators see every agency; an agency administrator has only one to go to."""
    user = request.user
    if not _manages_all(user):
        return redirect("agencies:agency", agency_id=user.agency_id)
    form = AgencyForm(posted(request))
    if request.method == "POST":
        agency = _attempt(form, lambda f: services.create_agency(
            actor=user, data=f.cleaned_data, purpose=request.purpose))
        if agency is not None:
            messages.success(request, _("Agency %(name)s created.") % {"name": agency.name})
            return redirect("agencies:agency", agency_id=agency.pk)
    agencies = services.administered_agencies(actor=user, purpose=request.purpose)
    return render(request, "agencies/home.html", {"agencies": agencies, "form": form},
                  status=400 if form.errors else 200)


@requires(Perm.PRACTITIONER_MANAGE)
def agency(request, agency_id):
    """The agency's details (editable on POST) and its people."""
    form = None
    if request.method == "POST":
        form = AgencyForm(request.POST, may_switch_active=_manages_all(request.user))
        updated = _attempt(form, lambda f: services.update_agency(
            actor=request.user, agency_id=agency_id, data=f.cleaned_data, purpose=request.purpose,
            expected_version=f.cleaned_data.get("version")))
        if updated is not None:
            messages.success(request, _("Agency details saved."))
            return redirect("agencies:agency", agency_id=updated.pk)
        if getattr(form, "stale", None):
            return _agency_page(request, agency_id, stale=form.stale)
    return _agency_page(request, agency_id, agency_form=form)


@requires(Perm.PRACTITIONER_MANAGE)
@require_POST
def create_practitioner(request, agency_id):
    agency = services.get_agency(actor=request.user, agency_id=agency_id, purpose=request.purpose, manage=True)
    form = NewPractitionerForm(request.POST, actor=request.user, agency=agency)
    person = _attempt(form, lambda f: services.create_practitioner(
        actor=request.user, agency_id=agency.pk, username=f.cleaned_data["username"],
        password=f.cleaned_data["password"], data=f.service_data(), purpose=request.purpose))
    if person is None:
        return _agency_page(request, agency_id, person_form=form)
    messages.success(request, _("Account %(username)s created. At first sign-in they will set up an "
                                "authenticator app.") % {"username": person.username})
    return redirect("agencies:practitioner", practitioner_id=person.pk)


@requires(Perm.PRACTITIONER_MANAGE)
@require_POST
def create_service_account(request, agency_id):
    """An account for a system integration of the agency: API tokens only, never a web sign-in."""
    agency = services.get_agency(actor=request.user, agency_id=agency_id, purpose=request.purpose, manage=True)
    form = NewServiceAccountForm(request.POST, actor=request.user, agency=agency, prefix="service")
    account = _attempt(form, lambda f: services.create_practitioner(
        actor=request.user, agency_id=agency.pk, username=f.cleaned_data["username"], password="",
        data=f.service_data(), purpose=request.purpose, service_account=True))
    if account is None:
        return _agency_page(request, agency_id, service_form=form)
    messages.success(request, _("Service account %(name)s created. Issue its API token below; it can never sign "
                                "in on the web.") % {"name": account.username})
    return redirect("agencies:practitioner", practitioner_id=account.pk)


def _agency_page(request, agency_id, agency_form=None, person_form=None, service_form=None, stale=None):
    user = request.user
    # Loaded first: for an agency outside the actor's reach this is the 404, before anything else.
    with transaction.atomic(), audit.consultation(actor=user, purpose=request.purpose):  # one event: agency, people
        agency = services.get_agency(actor=user, agency_id=agency_id, purpose=request.purpose, manage=True)
        people = services.agency_practitioners(actor=user, agency=agency, purpose=request.purpose)
    agency_form = agency_form or AgencyForm(initial=model_to_dict(agency, fields=[*AGENCY_FIELDS, "version"]),
                                            may_switch_active=_manages_all(user))
    if stale is not None:
        agency_form.with_notice(stale.message).status = stale.status
    person_form = person_form or NewPractitionerForm(actor=user, agency=agency)
    service_form = service_form or NewServiceAccountForm(actor=user, agency=agency, prefix="service")
    forms = (agency_form, person_form, service_form)
    return render(request, "agencies/agency.html", {
        "agency": agency, "people": people, "agency_form": agency_form, "person_form": person_form,
        "service_form": service_form, "manages_all": _manages_all(user),
    }, status=_status(*forms))


@requires(Perm.PRACTITIONER_MANAGE)
def practitioner(request, practitioner_id):
    """One person's account: role, clearance, contact, second factor and API tokens."""
    form = None
    if request.method == "POST":
        target = services.get_practitioner(actor=request.user, practitioner_id=practitioner_id,
                                           purpose=request.purpose, lock=True)
        form = EditPractitionerForm(request.POST, actor=request.user, agency=target.agency, person=target)
        person = _attempt(form, lambda f: services.update_practitioner(
            actor=request.user, practitioner_id=practitioner_id, data=f.service_data(), purpose=request.purpose,
            expected_version=f.cleaned_data.get("version")))
        if person is not None:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": person.display_name})
            return redirect("agencies:practitioner", practitioner_id=person.pk)
        if getattr(form, "stale", None):
            return _practitioner_page(request, practitioner_id, stale=form.stale)
    return _practitioner_page(request, practitioner_id, edit_form=form)


@requires(Perm.PRACTITIONER_MANAGE)
@require_POST
def reset_second_factor(request, practitioner_id):
    with transaction.atomic():
        accounts.reset_second_factor(actor=request.user, practitioner_id=practitioner_id, purpose=request.purpose)
    messages.success(request, _("Second factor removed. At their next sign-in the person sets up a new "
                              "authenticator app."))
    return redirect("agencies:practitioner", practitioner_id=practitioner_id)


@requires(Perm.TOKEN_MANAGE)
@require_POST
def issue_service_token(request, practitioner_id):
    """Issue a service account's token (shown on this response only). A person's token is never
    issued here: people issue their own from their account page (policy.decide_issue_token)."""
    form = TokenForm(request.POST)
    issued = _attempt(form, lambda f: accounts.issue_token(
        actor=request.user, owner_id=practitioner_id, name=f.cleaned_data["name"],
        valid_until=f.cleaned_data["valid_until"], second_factor=request.user.is_verified(),
        purpose=request.purpose))
    if issued is None:
        return _practitioner_page(request, practitioner_id, token_form=form)
    response = _practitioner_page(request, practitioner_id, issued=issued)
    # The secret is in this page: no browser or proxy may keep a copy.
    add_never_cache_headers(response)
    return response


@requires(Perm.TOKEN_MANAGE)
@require_POST
def revoke_token(request, token_id):
    with transaction.atomic():
        token = accounts.revoke_token(actor=request.user, token_id=token_id, purpose=request.purpose)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("agencies:practitioner", practitioner_id=token.practitioner_id)


def _practitioner_page(request, practitioner_id, edit_form=None, token_form=None, issued=None, stale=None):
    user = request.user
    person = services.get_practitioner(actor=user, practitioner_id=practitioner_id, purpose=request.purpose)
    edit_form = edit_form or EditPractitionerForm(
        initial=model_to_dict(person, fields=[*services.PRACTITIONER_FIELDS, "version"]), actor=user,
        agency=person.agency, person=person)
    if stale is not None:
        edit_form.with_notice(stale.message).status = stale.status
    token_form = token_form or TokenForm()
    token, plain = issued or (None, None)
    forms = (edit_form, token_form)
    return render(request, "agencies/practitioner.html", {
        "person": person, "edit_form": edit_form, "token_form": token_form,
        "has_second_factor": accounts.confirmed_device(person) is not None,
        "tokens": accounts.revocable_tokens(user).filter(practitioner=person),
        "may_issue": bool(policy.decide_issue_token(user, person, second_factor=user.is_verified())),
        "issued_token": token, "issued_secret": plain, "now": timezone.now(),
    }, status=_status(*forms))
