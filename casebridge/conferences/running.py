"""Running a conference: attendance (then it is held), cancelling, and moving through its kind's phases.
Its convener or chair does these (`policy.decide_conference`, CONFERENCE_RUN), under the case's and the
conference's locks (casebridge.locking)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.conferences import invitations, kinds
from casebridge.conferences.models import Conference, Participant, Status
from casebridge.conferences.services import get_conference
from casebridge.errors import Conflict, InvalidInput, StaleVersion
from casebridge.locking import compare_and_set
from casebridge.policy import Perm


def record_attendance(*, actor, conference_id, attendance: dict, purpose: str) -> Conference:
    """The chair (or convener) records who was present, sent apologies or was absent, and the conference
    as held. `attendance` maps participant ids to an `Attendance` value."""
    from casebridge.conferences.models import Attendance

    conference, _decision = get_conference(actor=actor, conference_id=conference_id, perm=Perm.CONFERENCE_RUN,
                                           lock=True)
    if conference.status == Status.CANCELLED:
        raise Conflict(_("This conference was cancelled."))
    if conference.starts_at > timezone.now():
        raise Conflict(_("Attendance is recorded once the conference has started."))
    by_id = {p.pk: p for p in conference.participants.all()}
    for pk, value in (attendance or {}).items():
        if not str(pk).isdigit() or int(pk) not in by_id:
            raise InvalidInput(_("Record attendance for the conference's participants."), field="attendance")
        if value not in Attendance.values:
            raise InvalidInput(_("Present, apologies or absent."), field="attendance")
    for pk, value in (attendance or {}).items():
        Participant.objects.filter(pk=int(pk)).update(attendance=value)
    if not compare_and_set(conference, actor, status=Status.HELD):
        raise StaleVersion(_("The conference was changed at the same moment; look again."))
    record(actor=actor, operation=Operation.UPDATE, obj=conference, case_id=conference.case_id, purpose=purpose,
           detail={"status": Status.HELD, "attendance": {str(k): v for k, v in (attendance or {}).items()}})
    return conference


def cancel(*, actor, conference_id, purpose: str) -> Conference:
    conference, _decision = get_conference(actor=actor, conference_id=conference_id, perm=Perm.CONFERENCE_RUN,
                                           lock=True)
    if conference.status != Status.SCHEDULED:
        raise Conflict(_("Only a scheduled conference can be cancelled."))
    if not compare_and_set(conference, actor, status=Status.CANCELLED):
        raise StaleVersion(_("The conference was changed at the same moment; look again."))
    record(actor=actor, operation=Operation.UPDATE, obj=conference, case_id=conference.case_id, purpose=purpose,
           detail={"status": Status.CANCELLED})
    invitations.send_on_commit(conference, [p for p in conference.participants.all()
                                            if p.practitioner_id and p.practitioner_id != actor.pk], cancelled=True)
    return conference


def advance(*, actor, conference_id, purpose: str, expected_step=None) -> Conference:
    """Move the conference on to its kind's next phase (its chair or convener)."""
    conference, _decision = get_conference(actor=actor, conference_id=conference_id, perm=Perm.CONFERENCE_RUN,
                                           lock=True)
    spec = kinds.kind(conference.kind)
    phases = spec.phases if spec else ()
    if expected_step not in (None, "") and int(expected_step) != conference.step:
        raise StaleVersion(_("Someone moved the conference on already."))
    if conference.step + 1 >= len(phases):
        raise Conflict(_("The conference is in its last phase."))
    if not compare_and_set(conference, actor, step=conference.step + 1):
        raise StaleVersion(_("The conference was changed at the same moment; look again."))
    record(actor=actor, operation=Operation.UPDATE, obj=conference, case_id=conference.case_id, purpose=purpose,
           detail={"step": conference.step})
    return conference
