"""Who works a case: agency memberships, the case team, and handovers when people leave.

The case team is where need-to-know becomes personal. A handover never leaves a case without a
coordinator: releasing the coordinator requires a successor from the lead agency.

A membership can be discreet (intelligence services are, unless the coordinator decides otherwise):
everything that lists the members or the team to someone goes through `listed_members` and
`listed_team_members`, which apply the policy's listing decision (casebridge.policy.listing) to the
case as loaded, members and team with it.
"""

import copy
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases.models import Membership, MembershipPhase, Participation, Phase, TeamAssignment
from casebridge.cases.services import _check_version, case_facts, get_case, raise_version, text, today
from casebridge.errors import InvalidInput, NotVisible
from casebridge.items import services as items
from casebridge.items.models import Carrier, InformationItem
from casebridge.policy import Perm
from casebridge.sharing import services as sharing

# Why a member agency reads its own responsibilities, which the coordinator's agency wrote.
DUTIES_DISCLOSED = "The member agency's own responsibilities on the case."
from casebridge.vocabulary import AgencyKind


def _practitioner(pk, field: str, *, agency_id=None) -> Practitioner | None:
    if pk in (None, ""):
        return None
    person = Practitioner.objects.filter(pk=_int(pk, field), is_active=True).select_related("agency").first()
    if person is None or (agency_id is not None and person.agency_id != agency_id):
        raise InvalidInput(_("Choose an active practitioner of the member agency."), field=field)
    return person


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("%(field)s must be an id.") % {"field": field.replace("_", " ").capitalize()}, field=field) from None


def _to_manage(actor, case_id, purpose: str):
    """The case, locked, for a change of its members or roles by someone who manages it (403 otherwise),
    with only what the policy decides on: these changes do not show the case (`services.load_case`)."""
    case, _decision = get_case(actor=actor, case_id=case_id, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False,
                               lock=True, display=False)
    return case


def add_membership(*, actor, case_id, agency_id, point_of_contact_id, phases: list[str], purpose: str,
                   deputy_id=None, responsibilities: str = "", participation: str = Participation.CORE,
                   starts_on: date | None = None, discreet: bool | None = None) -> Membership:
    """Bring an agency into the case for the phases it covers, with a named contact and deputy.

    `discreet` None means the default for the agency's kind: an intelligence service is discreet."""
    case = _to_manage(actor, case_id, purpose)
    agency = Agency.objects.filter(pk=_int(agency_id, "agency"), active=True).first()
    if agency is None:
        raise InvalidInput(_("Choose an active agency."), field="agency")
    contact = _practitioner(point_of_contact_id, "point_of_contact", agency_id=agency.pk)
    if contact is None:
        raise InvalidInput(_("A point of contact is required."), field="point_of_contact")
    deputy = _practitioner(deputy_id, "deputy", agency_id=agency.pk)
    if deputy is not None and deputy.pk == contact.pk:
        raise InvalidInput(_("The deputy must be someone other than the point of contact."), field="deputy")
    if participation not in Participation.values:
        raise InvalidInput(_("Unknown participation %(value)r.") % {"value": participation}, field="participation")
    phases = list(dict.fromkeys(phases or []))
    if not phases or any(p not in Phase.values for p in phases):
        raise InvalidInput(_("Choose at least one phase the membership covers."), field="phases")
    starts_on = starts_on or today()
    if not isinstance(starts_on, date):
        raise InvalidInput(_("Start date is not a date."), field="starts_on")
    open_ = case.memberships.filter(agency=agency).exclude(ends_on__isnull=False, ends_on__lte=starts_on)
    if open_.exists():
        raise InvalidInput(_("%(agency)s is already a member of this case.") % {"agency": agency.name}, field="agency")
    discreet = agency.kind == AgencyKind.INTELLIGENCE if discreet is None else bool(discreet)
    if discreet and agency.pk == case.lead_agency_id:
        raise InvalidInput(_LEAD_LISTED, field="discreet")
    # What the agency will do on the case is written by the coordinator's agency, which originates it.
    duties = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.MEMBERSHIP_RESPONSIBILITIES, text=responsibilities,
        title=f"Responsibilities of {agency.name}", fact_date=starts_on, purpose=purpose, field="responsibilities",
        orcon=discreet)
    membership = Membership.objects.create(
        case=case, agency=agency, point_of_contact=contact, deputy=deputy, participation=participation,
        responsibilities_item=duties, starts_on=starts_on, discreet=discreet)
    MembershipPhase.objects.bulk_create(MembershipPhase(membership=membership, phase=p) for p in phases)
    if duties is not None and agency.pk != actor.agency_id:
        # The agency named reads what it is asked to do: a disclosure, the rule's own basis for one item.
        sharing.disclose_item(actor=actor, item_id=duties.pk, recipient_id=agency.pk, justification=DUTIES_DISCLOSED,
                              purpose=purpose)
    record(actor=actor, operation=Operation.CREATE, obj=membership, case_id=case.pk, purpose=purpose,
           detail={"agency": agency.name, "phases": phases, "participation": participation,
                   "point_of_contact": contact.username, "starts_on": starts_on, "discreet": discreet,
                   "responsibilities_item": membership.responsibilities_item_id})
    return membership


_LEAD_LISTED = "The lead agency coordinates the case and is listed to every member: it cannot be discreet."


def set_discreet(*, actor, case_id, membership_id, discreet: bool, purpose: str) -> Membership:
    """Make a membership discreet (listed only to its own agency and the core members) or list it to
    the whole team again. The coordinator decides; the change is audited."""
    case = _to_manage(actor, case_id, purpose)
    membership = case.memberships.filter(pk=_int(membership_id, "membership")).first()
    if membership is None:
        raise NotVisible("no such membership")
    if not isinstance(discreet, bool):
        raise InvalidInput(_("Say whether the membership is discreet."), field="discreet")
    if discreet and membership.agency_id == case.lead_agency_id:
        raise InvalidInput(_LEAD_LISTED, field="discreet")
    liaison = case.continuity_liaison
    if discreet and liaison is not None and liaison.agency_id == membership.agency_id:
        raise InvalidInput(_("%(name)s is the continuity liaison, whom the whole team and the client know: name "
                             "another liaison first.") % {"name": liaison.display_name}, field="discreet")
    old = membership.discreet
    membership.discreet = discreet
    membership.save(update_fields=["discreet"])
    # The texts that name a discreet member move only by the originator's disclosure (ORCON), never by
    # an agreement that would show them to a member the discreet agency is not listed to.
    InformationItem.objects.filter(pk__in=[membership.responsibilities_item_id, membership.end_item_id],
                                   orcon=not discreet).update(orcon=discreet)
    record(actor=actor, operation=Operation.UPDATE, obj=membership, case_id=case.pk, purpose=purpose,
           detail={"agency": membership.agency.name, "discreet": [old, discreet]})
    return membership


def end_membership(*, actor, case_id, membership_id, reason: str, purpose: str,
                   ends_on: date | None = None) -> Membership:
    """End an agency's participation; its team members lose access from `ends_on` (default today)."""
    case = _to_manage(actor, case_id, purpose)
    membership = case.memberships.filter(pk=_int(membership_id, "membership")).first()
    if membership is None:
        raise NotVisible("no such membership")
    if membership.agency_id == case.lead_agency_id:
        raise InvalidInput(_("The lead agency's membership cannot end while it leads the case."), field="membership")
    if membership.ends_on is not None and membership.ends_on <= today():
        raise InvalidInput(_("This membership has already ended."), field="membership")
    ends_on = ends_on or today()
    if not isinstance(ends_on, date) or ends_on < membership.starts_on:
        raise InvalidInput(_("The end date cannot be before the start date."), field="ends_on")
    text(reason, "reason", required=True)
    membership.ends_on = ends_on
    membership.end_item = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.MEMBERSHIP_END, text=reason, fact_date=ends_on,
        title=f"End of {membership.agency.name}'s membership", purpose=purpose, field="reason",
        orcon=membership.discreet)
    membership.save(update_fields=["ends_on", "end_item"])
    record(actor=actor, operation=Operation.UPDATE, obj=membership, case_id=case.pk, purpose=purpose,
           detail={"agency": membership.agency.name, "ends_on": ends_on, "end_item": membership.end_item_id})
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
    case = _to_manage(actor, case_id, purpose)
    person = _practitioner(practitioner_id, "practitioner")
    if person is None:
        raise InvalidInput(_("Choose a practitioner."), field="practitioner")
    if not _active_member(case, person.agency_id):
        raise InvalidInput(_("%(agency)s is not an active member of this case.") % {"agency": person.agency.name},
                           field="practitioner")
    if case.team.filter(practitioner=person, released_at__isnull=True).exists():
        raise InvalidInput(_("%(name)s is already on the team.") % {"name": person.display_name}, field="practitioner")
    return _assign(actor=actor, case=case, practitioner=person,
                   role_on_case=text(role_on_case, "role_on_case", max_length=120), purpose=purpose)


def release_from_team(*, actor, case_id, assignment_id, handover_note: str, purpose: str,
                      successor_id=None, expected_version=None) -> TeamAssignment:
    """Take someone off the team with a handover note; their roles pass to the successor.

    The coordinator can only leave with a successor from the lead agency, so no case is ever left
    without one. Practitioners may also hand over their own place on a team.
    """
    case, _decision = get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False, lock=True)
    _check_version(case, expected_version, actor)
    assignment = case.team.filter(pk=_int(assignment_id, "assignment"), released_at__isnull=True).first()
    if assignment is None:
        raise NotVisible("no such team member")
    leaving = assignment.practitioner
    if leaving.pk != actor.pk:
        get_case(actor=actor, case_id=case.pk, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False)
    note = text(handover_note, "handover_note", required=True)
    successor = _practitioner(successor_id, "successor")
    if successor is not None and successor.pk == leaving.pk:
        raise InvalidInput(_("The successor must be someone else."), field="successor")
    if case.coordinator_id == leaving.pk:
        if successor is None or successor.agency_id != case.lead_agency_id:
            raise InvalidInput(_("The coordinator can only leave with a successor from the lead agency."),
                               field="successor")
    if successor is not None and not (_active_member(case, successor.agency_id)
                                      and policy.decide_agency_listing(actor, successor.agency_id, case_facts(case),
                                                                       today())):
        # The same words for a discreet member the actor may not see as for a non-member.
        raise InvalidInput(_("%(agency)s is not an active member of this case.") % {"agency": successor.agency.name},
                           field="successor")
    _hand_over_roles(case=case, leaving=leaving, successor=successor, actor=actor)
    assignment.released_at, assignment.released_by = timezone.now(), actor
    assignment.successor = successor
    assignment.handover_item = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.TEAM_HANDOVER, text=note, fact_date=today(),
        title=f"Handover note of {leaving.display_name}", purpose=purpose, field="handover_note")
    assignment.save(update_fields=["released_at", "released_by", "handover_item", "successor"])
    if successor is not None and not case.team.filter(practitioner=successor, released_at__isnull=True).exists():
        _assign(actor=actor, case=case, practitioner=successor, role_on_case=assignment.role_on_case,
                purpose=purpose)
    record(actor=actor, operation=Operation.UPDATE, obj=assignment, case_id=case.pk, purpose=purpose,
           detail={"released": leaving.username, "successor": successor.username if successor else "",
                   "handover_item": assignment.handover_item_id})
    return assignment


def _hand_over_roles(*, case, leaving, successor, actor) -> None:
    """Pass the case's named roles held by `leaving` to `successor` (same agency) or clear them."""
    roles = {}
    if case.coordinator_id == leaving.pk:
        roles["coordinator"] = successor
    if case.continuity_liaison_id == leaving.pk:
        roles["continuity_liaison"] = successor
    raise_version(case, actor, **roles)
    for membership in case.memberships.filter(point_of_contact=leaving):
        if successor is None or successor.agency_id != membership.agency_id:
            if membership.deputy_id is None:
                raise InvalidInput(_("%(name)s is the point of contact for %(agency)s: name a successor from that agency.")
                                   % {"name": leaving.display_name, "agency": membership.agency.name}, field="successor")
            membership.point_of_contact, membership.deputy = membership.deputy, None
        else:
            membership.point_of_contact = successor
        membership.save(update_fields=["point_of_contact", "deputy"])
    case.memberships.filter(deputy=leaving).update(deputy=None)


def set_continuity_liaison(*, actor, case_id, practitioner_id, purpose: str, expected_version=None):
    """Name (or clear) the practitioner who walks with the client from prison to after release."""
    case = _to_manage(actor, case_id, purpose)
    _check_version(case, expected_version, actor)
    person = _practitioner(practitioner_id, "continuity_liaison")
    if person is not None and not case.team.filter(practitioner=person, released_at__isnull=True).exists():
        raise InvalidInput(_("The continuity liaison must be on the case team."), field="continuity_liaison")
    if person is not None and case.memberships.filter(agency_id=person.agency_id, discreet=True).exists():
        raise InvalidInput(_("The continuity liaison is known to the whole team and the client: choose someone of "
                           "an agency that is not a discreet member."), field="continuity_liaison")
    old = case.continuity_liaison.username if case.continuity_liaison else ""
    raise_version(case, actor, continuity_liaison=person)
    record(actor=actor, operation=Operation.UPDATE, obj=case, case_id=case.pk, purpose=purpose,
           detail={"continuity_liaison": [old, person.username if person else ""]})
    return case


def active_practitioners(agency_id=None):
    """Active practitioners of active agencies (of one agency if given): who may be named on a case."""
    people = Practitioner.objects.filter(is_active=True, agency__active=True).select_related("agency")
    if agency_id is not None:
        people = people.filter(agency_id=agency_id)
    return people.order_by("agency__name", "last_name", "first_name")


def team_candidates(case, actor) -> list[Practitioner]:
    """Active practitioners of the case's active member agencies listed to `actor`: whom the actor may
    add to the team or name as successor."""
    listed = listed_agency_ids(actor=actor, case=case)
    members = {m.agency_id for m in case.memberships.all() if m.is_active(today()) and m.agency_id in listed}
    # Only what the forms' options show (`forms.people_choices`): a few hundred people, not their whole records.
    return list(active_practitioners().filter(agency_id__in=members).only(
        "username", "first_name", "last_name", "job_title", "agency_id", "agency__name"))


# --- The members and the team as the actor may see them -----------------------------------------

def _listing(actor, case):
    """The policy's listing decision (`decide_agency_listing`) for this actor on this case, as a test
    of an agency id, decided in memory on the case as loaded (`services.load_case`)."""
    facts, day = case_facts(case), today()
    return lambda agency_id: bool(policy.decide_agency_listing(actor, agency_id, facts, day))


def listed_members(*, actor, case) -> list[Membership]:
    """The case's memberships listed to the actor: a discreet one only to its own agency and the core members."""
    listed = _listing(actor, case)
    return sorted((m for m in case.memberships.all() if listed(m.agency_id)), key=lambda m: (m.starts_on, m.pk))


def listed_agency_ids(*, actor, case) -> set[int]:
    """The agencies whose memberships of the case are listed to the actor."""
    return {m.agency_id for m in listed_members(actor=actor, case=case)}


def hidden_agency_ids(*, actor, case) -> set[int]:
    """The agencies on the case that are not listed to the actor: discreet members it may not see."""
    listed = _listing(actor, case)
    return {m.agency_id for m in case.memberships.all() if not listed(m.agency_id)}


def listed_team_members(*, actor, case) -> list[TeamAssignment]:
    """The case team, present and former, as listed to the actor: nobody of an agency that is discreet
    to them, and no successor of one named (on a copy: the case's own assignments are left as they are)."""
    listed = _listing(actor, case)
    team = []
    for assignment in sorted(case.team.all(), key=lambda a: (a.assigned_at, a.pk)):
        if not listed(assignment.practitioner.agency_id):
            continue
        if assignment.successor is not None and not listed(assignment.successor.agency_id):
            assignment = copy.copy(assignment)
            assignment.successor = None  # in memory only: this list is never saved
        team.append(assignment)
    return team
