"""Who works a case: agency memberships, the case team, and handovers when people leave.

The case team is where need-to-know becomes personal. A handover never leaves a case without a
coordinator: releasing the coordinator requires a successor from the lead agency.
"""

from datetime import date

from django.utils import timezone

from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases.models import Membership, MembershipPhase, Participation, Phase, TeamAssignment
from casebridge.cases.services import _check_version, get_case, text, today
from casebridge.errors import InvalidInput, NotVisible
from casebridge.policy import Perm


def _practitioner(pk, field: str, *, agency_id=None) -> Practitioner | None:
    if pk in (None, ""):
        return None
    person = Practitioner.objects.filter(pk=_int(pk, field), is_active=True).select_related("agency").first()
    if person is None or (agency_id is not None and person.agency_id != agency_id):
        raise InvalidInput("Choose an active practitioner of the member agency.", field=field)
    return person


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{field.replace('_', ' ').capitalize()} must be an id.", field=field) from None


def add_membership(*, actor, case_id, agency_id, point_of_contact_id, phases: list[str], purpose: str,
                   deputy_id=None, responsibilities: str = "", participation: str = Participation.CORE,
                   starts_on: date | None = None) -> Membership:
    """Bring an agency into the case for the phases it covers, with a named contact and deputy."""
    case, _ = get_case(actor=actor, case_id=case_id, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False)
    agency = Agency.objects.filter(pk=_int(agency_id, "agency"), active=True).first()
    if agency is None:
        raise InvalidInput("Choose an active agency.", field="agency")
    contact = _practitioner(point_of_contact_id, "point_of_contact", agency_id=agency.pk)
    if contact is None:
        raise InvalidInput("A point of contact is required.", field="point_of_contact")
    deputy = _practitioner(deputy_id, "deputy", agency_id=agency.pk)
    if deputy is not None and deputy.pk == contact.pk:
        raise InvalidInput("The deputy must be someone other than the point of contact.", field="deputy")
    if participation not in Participation.values:
        raise InvalidInput(f"Unknown participation {participation!r}.", field="participation")
    phases = list(dict.fromkeys(phases or []))
    if not phases or any(p not in Phase.values for p in phases):
        raise InvalidInput("Choose at least one phase the membership covers.", field="phases")
    starts_on = starts_on or today()
    if not isinstance(starts_on, date):
        raise InvalidInput("Start date is not a date.", field="starts_on")
    open_ = case.memberships.filter(agency=agency).exclude(ends_on__isnull=False, ends_on__lte=starts_on)
    if open_.exists():
        raise InvalidInput(f"{agency.name} is already a member of this case.", field="agency")
    membership = Membership.objects.create(
        case=case, agency=agency, point_of_contact=contact, deputy=deputy, participation=participation,
        responsibilities=text(responsibilities, "responsibilities"), starts_on=starts_on)
    MembershipPhase.objects.bulk_create(MembershipPhase(membership=membership, phase=p) for p in phases)
    record(actor=actor, operation=Operation.CREATE, obj=membership, case_id=case.pk, purpose=purpose,
           detail={"agency": agency.name, "phases": phases, "participation": participation,
                   "point_of_contact": contact.username, "starts_on": starts_on})
    return membership


def end_membership(*, actor, case_id, membership_id, reason: str, purpose: str,
                   ends_on: date | None = None) -> Membership:
    """End an agency's participation; its team members lose access from `ends_on` (default today)."""
    case, _ = get_case(actor=actor, case_id=case_id, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False)
    membership = case.memberships.filter(pk=_int(membership_id, "membership")).first()
    if membership is None:
        raise NotVisible("no such membership")
    if membership.agency_id == case.lead_agency_id:
        raise InvalidInput("The lead agency's membership cannot end while it leads the case.", field="membership")
    if membership.ends_on is not None and membership.ends_on <= today():
        raise InvalidInput("This membership has already ended.", field="membership")
    ends_on = ends_on or today()
    if not isinstance(ends_on, date) or ends_on < membership.starts_on:
        raise InvalidInput("The end date cannot be before the start date.", field="ends_on")
    membership.ends_on = ends_on
    membership.end_reason = text(reason, "reason", required=True)
    membership.save(update_fields=["ends_on", "end_reason"])
    record(actor=actor, operation=Operation.UPDATE, obj=membership, case_id=case.pk, purpose=purpose,
           detail={"agency": membership.agency.name, "ends_on": ends_on})
    return membership


def _active_member(case, agency_id) -> bool:
    return any(m.agency_id == agency_id and m.is_active(today()) for m in case.memberships.all())


def _assign(*, actor, case, practitioner, role_on_case: str, purpose: str) -> TeamAssignment:
    assignment = TeamAssignment.objects.create(case=case, practitioner=practitioner, role_on_case=role_on_case,
                                               assigned_at=timezone.now(), assigned_by=actor)
    record(actor=actor, operation=Operation.CREATE, obj=assignment, case_id=case.pk, purpose=purpose,
           recipients=[practitioner.agency.name],
           detail={"practitioner": practitioner.username, "role_on_case": role_on_case})
    return assignment


def assign_to_team(*, actor, case_id, practitioner_id, purpose: str, role_on_case: str = "") -> TeamAssignment:
    """Put a practitioner of an active member agency on the case team."""
    case, _ = get_case(actor=actor, case_id=case_id, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False)
    person = _practitioner(practitioner_id, "practitioner")
    if person is None:
        raise InvalidInput("Choose a practitioner.", field="practitioner")
    if not _active_member(case, person.agency_id):
        raise InvalidInput(f"{person.agency.name} is not an active member of this case.", field="practitioner")
    if case.team.filter(practitioner=person, released_at__isnull=True).exists():
        raise InvalidInput(f"{person.display_name} is already on the team.", field="practitioner")
    return _assign(actor=actor, case=case, practitioner=person,
                   role_on_case=text(role_on_case, "role_on_case", max_length=120), purpose=purpose)


def release_from_team(*, actor, case_id, assignment_id, handover_note: str, purpose: str,
                      successor_id=None, expected_version=None) -> TeamAssignment:
    """Take someone off the team with a handover note; their roles pass to the successor.

    The coordinator can only leave with a successor from the lead agency, so no case is ever left
    without one. Practitioners may also hand over their own place on a team.
    """
    case, _ = get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    _check_version(case, expected_version)
    assignment = case.team.filter(pk=_int(assignment_id, "assignment"), released_at__isnull=True).first()
    if assignment is None:
        raise NotVisible("no such team member")
    leaving = assignment.practitioner
    if leaving.pk != actor.pk:
        get_case(actor=actor, case_id=case.pk, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False)
    note = text(handover_note, "handover_note", required=True)
    successor = _practitioner(successor_id, "successor")
    if successor is not None and successor.pk == leaving.pk:
        raise InvalidInput("The successor must be someone else.", field="successor")
    if case.coordinator_id == leaving.pk:
        if successor is None or successor.agency_id != case.lead_agency_id:
            raise InvalidInput("The coordinator can only leave with a successor from the lead agency.",
                               field="successor")
    if successor is not None and not _active_member(case, successor.agency_id):
        raise InvalidInput(f"{successor.agency.name} is not an active member of this case.", field="successor")
    _hand_over_roles(case=case, leaving=leaving, successor=successor)
    assignment.released_at, assignment.released_by = timezone.now(), actor
    assignment.handover_note, assignment.successor = note, successor
    assignment.save(update_fields=["released_at", "released_by", "handover_note", "successor"])
    if successor is not None and not case.team.filter(practitioner=successor, released_at__isnull=True).exists():
        _assign(actor=actor, case=case, practitioner=successor, role_on_case=assignment.role_on_case,
                purpose=purpose)
    record(actor=actor, operation=Operation.UPDATE, obj=assignment, case_id=case.pk, purpose=purpose,
           detail={"released": leaving.username, "successor": successor.username if successor else ""})
    return assignment


def _hand_over_roles(*, case, leaving, successor) -> None:
    """Pass the case's named roles held by `leaving` to `successor` (same agency) or clear them."""
    if case.coordinator_id == leaving.pk:
        case.coordinator = successor
    if case.continuity_liaison_id == leaving.pk:
        case.continuity_liaison = successor
    case.version += 1
    case.save(update_fields=["coordinator", "continuity_liaison", "version"])
    for membership in case.memberships.filter(point_of_contact=leaving):
        if successor is None or successor.agency_id != membership.agency_id:
            if membership.deputy_id is None:
                raise InvalidInput(f"{leaving.display_name} is the point of contact for "
                                   f"{membership.agency.name}: name a successor from that agency.", field="successor")
            membership.point_of_contact, membership.deputy = membership.deputy, None
        else:
            membership.point_of_contact = successor
        membership.save(update_fields=["point_of_contact", "deputy"])
    case.memberships.filter(deputy=leaving).update(deputy=None)


def set_continuity_liaison(*, actor, case_id, practitioner_id, purpose: str, expected_version=None):
    """Name (or clear) the practitioner who walks with the client from prison to after release."""
    case, _ = get_case(actor=actor, case_id=case_id, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False)
    _check_version(case, expected_version)
    person = _practitioner(practitioner_id, "continuity_liaison")
    if person is not None and not case.team.filter(practitioner=person, released_at__isnull=True).exists():
        raise InvalidInput("The continuity liaison must be on the case team.", field="continuity_liaison")
    old = case.continuity_liaison.username if case.continuity_liaison else ""
    case.continuity_liaison = person
    case.version += 1
    case.save(update_fields=["continuity_liaison", "version"])
    record(actor=actor, operation=Operation.UPDATE, obj=case, case_id=case.pk, purpose=purpose,
           detail={"continuity_liaison": [old, person.username if person else ""]})
    return case


def active_practitioners(agency_id=None):
    """Active practitioners of active agencies (of one agency if given): who may be named on a case."""
    people = Practitioner.objects.filter(is_active=True, agency__active=True).select_related("agency")
    if agency_id is not None:
        people = people.filter(agency_id=agency_id)
    return people.order_by("agency__name", "last_name", "first_name")


def team_candidates(case) -> list[Practitioner]:
    """Active practitioners of the case's active member agencies: who may join its team or take over."""
    members = {m.agency_id for m in case.memberships.all() if m.is_active(today())}
    return list(active_practitioners().filter(agency_id__in=members))
