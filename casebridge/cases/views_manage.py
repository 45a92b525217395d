"""The forms that change a case: each posts to its own URL and redirects back to the case page.

The services decide who may do what to the case (404 if it is not visible, 403 if it is visible
but not manageable). A refusal re-renders the case page with the form open at its error: 400,
or 409 when someone else changed the case in the meantime.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect

from casebridge.cases import forms, membership, services
from casebridge.cases.models import KeyDate, Phase
from casebridge.cases.views import add_domain_error, render_case_page
from casebridge.confirmation import ask_first, confirm_first
from casebridge.errors import DomainError, StaleVersion
from casebridge.permissions import requires
from casebridge.policy import Perm


def _back_to(case_id, anchor: str) -> str:
    return f"{reverse('cases:detail', args=[case_id])}#{anchor}"


def _load(request, case_id, perm=Perm.CASE_MANAGE):
    """The case, to fill the form's options; refuses (404/403) before anything is parsed."""
    case, _ = services.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, perm=perm,
                                audit=False)
    return case


def _submit(request, form, call, *, done, anchor: str, leaves=lambda result: False):
    """Validate, run the service in a savepoint, then redirect with `done(result)` or re-render.

    When `leaves(result)` the actor no longer sees the case, so they go back to their dashboard.

    The savepoint matters: the request is one transaction that commits the re-rendered page's
    audit event, so a service refusing half-way must leave nothing of its own behind.
    """
    if form.is_valid():
        try:
            with transaction.atomic():
                result = call(form.cleaned_data)
        except StaleVersion as exc:
            # Someone changed the case meanwhile: the form comes back with the values as they now
            # stand (and the new version), saying who changed them; nothing of this change was saved.
            current = forms.showing_current(type(form), services.load_case(form.case.pk), request.user, exc.message)
            return render_case_page(request, form.case.pk, bound=current, status=exc.status)
        except DomainError as exc:
            add_domain_error(form, exc)
            return render_case_page(request, form.case.pk, bound=form, status=exc.status)
        messages.success(request, done(result))
        if leaves(result):
            # The case page is no longer theirs to see: navigate away for real, under htmx too,
            # rather than swap the dashboard into a page whose address still names the case.
            if request.htmx:
                return HttpResponseClientRedirect(reverse("cases:dashboard"))
            return redirect("cases:dashboard")
        return redirect(f"{reverse('cases:detail', args=[form.case.pk])}#{anchor}")
    return render_case_page(request, form.case.pk, bound=form, status=400)


@requires(Perm.CASE_MANAGE)
@require_POST
def transition(request, case_id):
    form = forms.TransitionForm(request.POST, case=_load(request, case_id), actor=request.user)
    # Checked before asking: an empty or invalid form comes back with its errors at once, and only
    # a transition that would be accepted is confirmed.
    if form.is_valid() and (page := ask_first(
            request, title=gettext("Move the case to another phase?"), consequence=gettext(
                "The new phase applies at once: member agencies whose membership does not cover it lose access to "
                "the case from their next request, and those that cover it gain access."),
            confirm_label=gettext("Record the transition"), cancel_url=_back_to(case_id, "phases"))) is not None:
        return page
    return _submit(request, form, lambda data: services.transition_phase(
        actor=request.user, case_id=form.case.pk, to_phase=data["to_phase"], effective_on=data["effective_on"],
        handover_note=data["handover_note"], category=data["category"] or None, classification=data["classification"],
        expected_version=data["version"], purpose=request.purpose),
        done=lambda change: f"The case moved to {Phase(change.to_phase).label}.", anchor="phases")


@requires(Perm.CASE_MANAGE)
@require_POST
def key_dates(request, case_id):
    form = forms.KeyDatesForm(request.POST, case=_load(request, case_id), actor=request.user)
    return _submit(request, form, lambda data: services.set_key_dates(
        actor=request.user, case_id=form.case.pk, dates={kd.value: data[kd.value] for kd in KeyDate},
        expected_version=data["version"], purpose=request.purpose),
        done=lambda case: "Key dates saved.", anchor="key-dates")


@requires(Perm.CASE_MANAGE)
@require_POST
def edit_client(request, case_id):
    form = forms.ClientForm(request.POST, case=_load(request, case_id), actor=request.user)
    return _submit(request, form, lambda data: services.update_client(
        actor=request.user, case_id=form.case.pk, data={k: data[k] for k in forms.ClientForm.base_fields},
        expected_version=data["version"], purpose=request.purpose),
        done=lambda person: f"Details of {person.full_name} saved.", anchor="client")


@requires(Perm.CASE_MANAGE)
@require_POST
def add_membership(request, case_id):
    form = forms.MembershipForm(request.POST, case=_load(request, case_id), actor=request.user)
    return _submit(request, form, lambda data: membership.add_membership(
        actor=request.user, case_id=form.case.pk, agency_id=data["agency"],
        point_of_contact_id=data["point_of_contact"], deputy_id=data["deputy"], phases=data["phases"],
        participation=data["participation"], responsibilities=data["responsibilities"],
        starts_on=data["starts_on"], discreet=data["discreet"], purpose=request.purpose),
        done=lambda m: f"{m.agency.name} is now a {'discreet ' if m.discreet else ''}member of the case.",
        anchor="members")


@requires(Perm.CASE_MANAGE)
@require_POST
@confirm_first(title=gettext_lazy("End this agency's membership?"), consequence=gettext_lazy(
    "From the end date on, the agency's practitioners lose access to the case and to everything shared on it; "
    "only a new membership would bring them back."),
    confirm_label=gettext_lazy("End the membership"), check=lambda request, case_id: _load(request, case_id),
    cancel=lambda request, case_id: _back_to(case_id, "members"))
def end_membership(request, case_id):
    form = forms.EndMembershipForm(request.POST, case=_load(request, case_id), actor=request.user)
    return _submit(request, form, lambda data: membership.end_membership(
        actor=request.user, case_id=form.case.pk, membership_id=data["membership"], reason=data["reason"],
        ends_on=data["ends_on"], purpose=request.purpose),
        done=lambda m: f"{m.agency.name}'s membership ends on {m.ends_on:%d %b %Y}.", anchor="members")


@requires(Perm.CASE_MANAGE)
@require_POST
def set_discreet(request, case_id):
    form = forms.DiscreetForm(request.POST, case=_load(request, case_id), actor=request.user)
    return _submit(request, form, lambda data: membership.set_discreet(
        actor=request.user, case_id=form.case.pk, membership_id=data["membership"], discreet=data["discreet"],
        purpose=request.purpose),
        done=lambda m: (gettext("%(agency)s is now a discreet member: listed only to its own people and the core "
                                "members.") if m.discreet
                        else gettext("%(agency)s is now listed to everyone on the case.")) % {"agency": m.agency.name},
        anchor="members")


@requires(Perm.CASE_MANAGE)
@require_POST
def assign(request, case_id):
    form = forms.AssignForm(request.POST, case=_load(request, case_id), actor=request.user)
    return _submit(request, form, lambda data: membership.assign_to_team(
        actor=request.user, case_id=form.case.pk, practitioner_id=data["practitioner"],
        role_on_case=data["role_on_case"], purpose=request.purpose),
        done=lambda a: f"{a.practitioner.display_name} joined the case team.", anchor="team")


@requires(Perm.CASE_VIEW)  # a team member may hand over their own place; the service checks the rest
@require_POST
def release(request, case_id):
    case = _load(request, case_id, Perm.CASE_VIEW)
    manager = services.allows(request.user, Perm.CASE_MANAGE, case)
    form = forms.ReleaseForm(request.POST, case=case, actor=request.user, manager=manager)
    return _submit(request, form, lambda data: membership.release_from_team(
        actor=request.user, case_id=case.pk, assignment_id=data["assignment"],
        handover_note=data["handover_note"], successor_id=data["successor"], purpose=request.purpose),
        done=lambda a: f"{a.practitioner.display_name} left the case team; the handover note is kept.",
        anchor="team", leaves=lambda a: a.practitioner_id == request.user.pk)


@requires(Perm.CASE_MANAGE)
@require_POST
def liaison(request, case_id):
    form = forms.LiaisonForm(request.POST, case=_load(request, case_id), actor=request.user)
    return _submit(request, form, lambda data: membership.set_continuity_liaison(
        actor=request.user, case_id=form.case.pk, practitioner_id=data["continuity_liaison"],
        purpose=request.purpose),
        done=lambda case: "Continuity liaison saved.", anchor="coordination")
