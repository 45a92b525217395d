"""The case record on the REST API: the same operations as the web pages, through the same services.

Each operation names the role permission it needs (`token(Perm.X)`); whether the caller may see or
manage this particular case is the services' decision, through the policy, so a case the caller may
not see is a 404 here exactly as on the web.
"""

from django.db import transaction
from ninja import Query, Router, Status

from casebridge.agencies.models import Practitioner
from casebridge.api.auth import token
from casebridge.api.errors import responses
from casebridge.audit import services as audit
from casebridge.cases import duplicates, membership, services
from casebridge.cases.models import Phase
from casebridge.cases.schemas import CaseDetail, CaseOpenIn, CaseSummary, ClientPatch, KeyDatesIn, LiaisonIn, \
    MembershipEndIn, MembershipIn, MembershipOut, MembershipPatch, PhaseChangeOut, PossibleDuplicateOut, \
    PractitionerRef, ReleaseIn, ReleaseOut, ReminderOut, TeamIn, TeamMemberOut, TransitionIn, TransitionOut
from casebridge.errors import InvalidInput
from casebridge.items import services as items
from casebridge.policy import Perm

router = Router(tags=["cases"])


def _readable(request, case_id, *, audit: bool = True, case=None) -> None:
    """Look up the case's texts the caller may read, for the schemas' `carried` (cases.schemas)."""
    case = case or services.load_case(case_id)
    request.readable_content = items.readable_carried(actor=request.user, case=case, purpose=request.purpose,
                                                      audit=audit)


def _detail(request, case, decision, *, audit: bool = True) -> CaseDetail:
    _readable(request, case.pk, audit=audit, case=case)
    context = {"request": request}
    # Members and team as listed to the caller: a discreet member only to its own agency and the core members.
    members = membership.listed_members(actor=request.user, case=case)
    listed = {m.agency_id for m in members}
    liaison = case.continuity_liaison
    return CaseDetail.model_validate(case, context=context).model_copy(update={
        "memberships": [MembershipOut.model_validate(m, context=context) for m in members],
        "team": [TeamMemberOut.model_validate(a, context=context)
                 for a in membership.listed_team_members(actor=request.user, case=case)],
        "continuity_liaison": PractitionerRef.from_orm(liaison) if liaison and liaison.agency_id in listed else None,
        "visible_because": decision.reason,
        "may_manage": services.allows(request.user, Perm.CASE_MANAGE, case),
    })


def _after_edit(request, case_id) -> CaseDetail:
    # The edit is audited by its service; echoing the record just changed is part of that operation,
    # not a second consultation.
    case, decision = services.get_case(actor=request.user, case_id=case_id, purpose=request.purpose, audit=False)
    return _detail(request, case, decision, audit=False)


@router.get("/cases", response=responses(list[CaseSummary]), auth=token(Perm.CASE_LIST))
def list_cases(request, phase: Phase | None = None):
    """The cases the caller has a need to know about, optionally only those in one phase."""
    return services.list_cases(actor=request.user, purpose=request.purpose, phase=phase)


@router.post("/cases", response={**responses(CaseDetail, 201), 409: PossibleDuplicateOut}, auth=token(Perm.CASE_OPEN))
def open_case(request, payload: CaseOpenIn):
    """Open a case for a new client, led by the caller's agency. If the client may already be a client
    (similar names or aliases and the same or a nearly same date of birth), answers 409
    `possible_duplicate` with the matching cases the caller may see, and whether one they may not see
    matches; send again with `confirm_possible_duplicate` to open the case all the same."""
    try:
        with transaction.atomic():
            case = services.open_case(
                actor=request.user, purpose=request.purpose, client=payload.client.dict(), phase=payload.phase,
                phase_date=payload.phase_date, summary=payload.summary, key_dates=payload.key_dates.dict(),
                coordinator=_coordinator(payload.coordinator),
                confirm_possible_duplicate=payload.confirm_possible_duplicate)
    except duplicates.PossibleDuplicate as warning:
        # Answered, not raised: the warning's audit event must be committed with the request.
        duplicates.record_warning(actor=request.user, warning=warning, purpose=request.purpose)
        return Status(409, {"error": {
            "code": warning.code, "message": warning.message, "hidden_match": warning.found.hidden,
            "matches": [{"case_id": c.pk, "case_reference": c.reference, "client_name": c.client.full_name,
                         "client_date_of_birth": c.client.date_of_birth} for c in warning.found.visible]}})
    return Status(201, _after_edit(request, case.pk))


def _coordinator(pk: int | None) -> Practitioner | None:
    if pk is None:
        return None
    person = Practitioner.objects.filter(pk=pk).first()
    if person is None:
        # The service's own words, so an unknown id and a colleague elsewhere look the same.
        raise InvalidInput("The coordinator must be an active practitioner of your agency.", field="coordinator")
    return person


@router.get("/cases/{int:case_id}", response=responses(CaseDetail), auth=token(Perm.CASE_VIEW))
def get_case(request, case_id: int):
    """One case with its client, members, team, key dates and phase history, and why the caller sees it."""
    with audit.consultation(actor=request.user, purpose=request.purpose):  # one event: the case, its texts
        case, decision = services.get_case(actor=request.user, case_id=case_id, purpose=request.purpose)
        return _detail(request, case, decision)


@router.patch("/cases/{int:case_id}/client", response=responses(CaseDetail), auth=token(Perm.CASE_MANAGE))
def update_client(request, case_id: int, payload: ClientPatch):
    """Correct the client's details; fields not sent keep their values."""
    data = payload.dict(exclude_unset=True, exclude={"expected_version"})
    services.update_client(actor=request.user, case_id=case_id, data=data, purpose=request.purpose,
                           expected_version=payload.expected_version)
    return _after_edit(request, case_id)


@router.put("/cases/{int:case_id}/key-dates", response=responses(CaseDetail), auth=token(Perm.CASE_MANAGE))
def set_key_dates(request, case_id: int, payload: KeyDatesIn):
    """Replace the five key dates of the sentence (a date left out or null is cleared)."""
    services.set_key_dates(actor=request.user, case_id=case_id, dates=payload.dict(exclude={"expected_version"}),
                           purpose=request.purpose, expected_version=payload.expected_version)
    return _after_edit(request, case_id)


@router.post("/cases/{int:case_id}/transitions", response=responses(TransitionOut, 201),
             auth=token(Perm.CASE_MANAGE))
def transition_phase(request, case_id: int, payload: TransitionIn):
    """Move the case along the continuum, dated, with a handover note."""
    change = services.transition_phase(
        actor=request.user, case_id=case_id, purpose=request.purpose, to_phase=payload.to_phase,
        effective_on=payload.effective_on, handover_note=payload.handover_note,
        category=payload.handover_category, classification=payload.handover_classification,
        expected_version=payload.expected_version)
    _readable(request, case_id, audit=False)
    return Status(201, change)


@router.get("/cases/{int:case_id}/transitions", response=responses(list[PhaseChangeOut]),
            auth=token(Perm.CASE_VIEW))
def list_transitions(request, case_id: int):
    """The case's phase history, oldest first."""
    with audit.consultation(actor=request.user, purpose=request.purpose):  # one event: the case, its notes
        case, _ = services.get_case(actor=request.user, case_id=case_id, purpose=request.purpose)
        _readable(request, case.pk, case=case)
    return case.phase_changes.select_related("recorded_by")


@router.post("/cases/{int:case_id}/memberships", response=responses(MembershipOut, 201),
             auth=token(Perm.CASE_MANAGE))
def add_membership(request, case_id: int, payload: MembershipIn):
    """Bring an agency into the case for the phases it covers."""
    added = membership.add_membership(
        actor=request.user, case_id=case_id, purpose=request.purpose, agency_id=payload.agency,
        point_of_contact_id=payload.point_of_contact, deputy_id=payload.deputy, phases=payload.phases,
        responsibilities=payload.responsibilities, participation=payload.participation,
        starts_on=payload.starts_on, discreet=payload.discreet)
    _readable(request, case_id, audit=False)
    return Status(201, added)


@router.patch("/cases/{int:case_id}/memberships/{int:membership_id}", response=responses(MembershipOut),
              auth=token(Perm.CASE_MANAGE))
def set_discreet(request, case_id: int, membership_id: int, payload: MembershipPatch):
    """Make a membership discreet (listed only to its own agency and the core members) or list it to everyone."""
    changed = membership.set_discreet(actor=request.user, case_id=case_id, membership_id=membership_id,
                                      discreet=payload.discreet, purpose=request.purpose)
    _readable(request, case_id, audit=False)
    return changed


@router.post("/cases/{int:case_id}/memberships/{int:membership_id}/end", response=responses(MembershipOut),
             auth=token(Perm.CASE_MANAGE))
def end_membership(request, case_id: int, membership_id: int, payload: MembershipEndIn):
    """End an agency's participation; its people lose access from the end date."""
    ended = membership.end_membership(actor=request.user, case_id=case_id, membership_id=membership_id,
                                      reason=payload.reason, ends_on=payload.ends_on, purpose=request.purpose)
    _readable(request, case_id, audit=False)
    return ended


@router.post("/cases/{int:case_id}/team", response=responses(TeamMemberOut, 201), auth=token(Perm.CASE_MANAGE))
def assign_to_team(request, case_id: int, payload: TeamIn):
    """Put a practitioner of an active member agency on the case team."""
    assignment = membership.assign_to_team(actor=request.user, case_id=case_id, practitioner_id=payload.practitioner,
                                           role_on_case=payload.role_on_case, purpose=request.purpose)
    return Status(201, assignment)


# CASE_VIEW, not CASE_MANAGE: a team member may hand over their own place; the service requires
# management rights for releasing anyone else.
@router.post("/cases/{int:case_id}/team/{int:assignment_id}/release", response=responses(ReleaseOut),
             auth=token(Perm.CASE_VIEW))
def release_from_team(request, case_id: int, assignment_id: int, payload: ReleaseIn):
    """Take someone off the team with a handover note; their named roles pass to the successor."""
    released = membership.release_from_team(
        actor=request.user, case_id=case_id, assignment_id=assignment_id, handover_note=payload.handover_note,
        successor_id=payload.successor, expected_version=payload.expected_version, purpose=request.purpose)
    _readable(request, case_id, audit=False)  # nothing for someone who just left the team
    return released


@router.put("/cases/{int:case_id}/continuity-liaison", response=responses(CaseDetail),
            auth=token(Perm.CASE_MANAGE))
def set_continuity_liaison(request, case_id: int, payload: LiaisonIn):
    """Name (or clear, with null) the team member who walks with the client through release."""
    membership.set_continuity_liaison(actor=request.user, case_id=case_id, practitioner_id=payload.continuity_liaison,
                                      purpose=request.purpose, expected_version=payload.expected_version)
    return _after_edit(request, case_id)


@router.get("/reminders", response=responses(list[ReminderOut]), auth=token(Perm.DASHBOARD_VIEW))
def reminders(request, within_days: int | None = Query(None, ge=1, le=3660)):
    """Key dates coming up on the caller's open cases (default: CASEBRIDGE_REMINDER_DAYS ahead)."""
    upcoming = services.upcoming_key_dates(actor=request.user, within_days=within_days)
    return [{"case_id": case.pk, "reference": case.reference, "label": str(label), "due_on": when}
            for case, label, when in upcoming]
