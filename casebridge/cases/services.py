"""Use cases of the case record: open, read, list, move along the continuum, edit key dates.

Every function takes the acting practitioner and the declared purpose, checks the policy,
changes the record and writes its audit event, all in the caller's transaction.
"""

from datetime import date, timedelta
from uuid import uuid4

from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import duplicates
from casebridge.cases.models import Case, Client, KeyDate, Membership, MembershipPhase, Phase, PhaseChange, \
    ResidencyStatus, TeamAssignment
from casebridge.cases.rules import check_key_dates, is_allowed_transition
from casebridge.cases.signals import case_moment
from casebridge.errors import Forbidden, InvalidInput, NotVisible, StaleVersion
from casebridge.items import services as items
from casebridge.items.models import Carrier
from casebridge.locking import compare_and_set, lock_rows
from casebridge.policy import Perm
from casebridge.rows import by_key


def today() -> date:
    return timezone.localdate()


def text(value, field: str, *, required: bool = False, max_length: int | None = None) -> str:
    """Trimmed free text, refused when missing (if required) or too long."""
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("%(field)s is required.") % {"field": field.replace("_", " ").capitalize()}, field=field)
    limit = max_length or settings.CASEBRIDGE_MAX_TEXT
    if len(value) > limit:
        raise InvalidInput(_("%(field)s is longer than %(limit)s characters.")
                           % {"field": field.replace("_", " ").capitalize(), "limit": limit}, field=field)
    return value


def case_facts(case: Case) -> policy.CaseFacts:
    memberships = tuple(
        policy.MembershipFacts(m.agency_id, m.starts_on, m.ends_on, frozenset(c.phase for c in m.coverage.all()),
                               m.participation == "core", discreet=m.discreet)
        for m in sorted(case.memberships.all(), key=lambda m: (m.starts_on, m.pk))  # as Membership.Meta orders them
    )
    team = frozenset(a.practitioner_id for a in case.team.all() if a.released_at is None)
    return policy.CaseFacts(case.pk, case.phase, case.lead_agency_id, case.coordinator_id, team, memberships,
                            coordinator_agency_id=case.coordinator.agency_id)


def _with_members(queryset):
    """Cases with their client, members and team: everything `case_facts` and the case page read."""
    return (queryset.select_related("client", "lead_agency", "coordinator", "continuity_liaison", "changed_by__agency")
            .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related(
                "agency", "point_of_contact__agency", "deputy__agency").prefetch_related("coverage").order_by()),
                Prefetch("team", queryset=TeamAssignment.objects.select_related(
                    "practitioner__agency", "successor__agency", "released_by").order_by())))


def _with_facts(queryset):
    """Cases with only the members and team `case_facts` reads, for services that decide on a case
    without showing it (a timeline or an item in the API, a new item): a fraction of the queries'
    cost of `_with_members`. What else they touch is loaded when touched."""
    return (queryset.select_related("coordinator")
            .prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.only(
                    "case_id", "agency_id", "starts_on", "ends_on", "participation", "discreet")
                    .prefetch_related("coverage").order_by()),
                Prefetch("team", queryset=TeamAssignment.objects.only(
                    "case_id", "practitioner_id", "released_at").order_by())))


def load_case(case_id, *, lock: bool = False, display: bool = True) -> Case:
    """The case with its client, members and team (with `display` False: only what the policy
    decides on, `_with_facts`). With `lock`, the case row is locked first (it stands for its
    client, memberships and team: casebridge.locking), so what is read is the last committed state
    and stays so until this transaction ends."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise NotVisible("no such case") from None
    if lock and not lock_rows(Case.objects.filter(pk=case_id)):
        raise NotVisible("no such case")
    case = by_key((_with_members if display else _with_facts)(Case.objects.filter(pk=case_id)))
    if case is None:
        raise NotVisible("no such case")
    return case


def get_case(*, actor, case_id, purpose: str, perm: Perm = Perm.CASE_VIEW, audit: bool = True,
             lock: bool = False, display: bool = True):
    """The case and the policy decision (with its basis); 404 if not visible, 403 if not allowed.
    Services that change the case pass `lock`, those that do not show it `display` False (see `load_case`)."""
    case = load_case(case_id, lock=lock, display=display)
    decision = policy.require_case(actor, perm, case_facts(case), today())
    if audit:
        record(actor=actor, operation=Operation.READ, obj=case, case_id=case.pk, purpose=purpose,
               detail={"basis": decision.reason})
    return case, decision


def decided_case(*, actor, case_id, purpose: str, case: Case | None = None) -> Case:
    """`get_case` without its audit event, for services that read within a case: the case the caller
    loaded already (`load_case`) is decided on again, not loaded again; otherwise it is loaded with
    only what the policy decides on (what else is touched is loaded when touched)."""
    if case is None:
        case, _decision = get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False, display=False)
        return case
    policy.require_case(actor, Perm.CASE_VIEW, case_facts(case), today())
    return case


def visible_cases(actor):
    return Case.objects.filter(policy.visible_cases(actor, today()))


def list_cases(*, actor, purpose: str, phase: str | None = None) -> list[Case]:
    """The cases the actor may see, with client and lead agency, audited as one listing."""
    qs = visible_cases(actor).select_related("client", "lead_agency", "coordinator")
    if phase:
        if phase not in Phase.values:
            raise InvalidInput(_("Unknown phase %(phase)r.") % {"phase": phase}, field="phase")
        qs = qs.filter(phase=phase)
    cases = list(qs.order_by("reference"))
    record(actor=actor, operation=Operation.LIST, object_type="cases.case", purpose=purpose,
           detail={"count": len(cases), "phase": phase or ""})
    return cases


def upcoming_key_dates(*, actor, within_days: int | None = None) -> list[tuple[Case, str, date]]:
    """Key dates still ahead (`Case.upcoming_key_dates`: not of a moment the case has moved past)
    and falling in the next `within_days` days on the actor's visible, open cases."""
    start = today()
    end = start + timedelta(days=within_days or settings.CASEBRIDGE_REMINDER_DAYS)
    reminders = []
    for case in visible_cases(actor).exclude(phase=Phase.CLOSED).select_related("client"):
        reminders += [(case, label, when) for _, label, when in case.upcoming_key_dates(start) if when <= end]
    return sorted(reminders, key=lambda r: (r[2], r[0].reference))


def _client_fields(data: dict) -> dict:
    dob = data.get("date_of_birth")
    if not isinstance(dob, date):
        raise InvalidInput(_("Date of birth is required."), field="date_of_birth")
    if dob >= today() or dob < date(1900, 1, 1):
        raise InvalidInput(_("Date of birth must be in the past."), field="date_of_birth")
    residency = data.get("residency_status") or ResidencyStatus.UNKNOWN
    if residency not in ResidencyStatus.values:
        raise InvalidInput(_("Unknown residency status %(status)r.") % {"status": residency}, field="residency_status")
    return {
        "given_name": text(data.get("given_name"), "given_name", required=True, max_length=120),
        "family_name": text(data.get("family_name"), "family_name", required=True, max_length=120),
        "aliases": _list(data.get("aliases"), "aliases"),
        "date_of_birth": dob,
        "nationalities": [c.upper() for c in _list(data.get("nationalities"), "nationalities", length=2)],
        "languages": _list(data.get("languages"), "languages"),
        "residency_status": residency,
    }


def _list(values, field: str, length: int | None = None) -> list[str]:
    cleaned = [v.strip() for v in (values or []) if isinstance(v, str) and v.strip()]
    for value in cleaned:
        if len(value) > 120 or (length and len(value) != length):
            raise InvalidInput(_("%(value)r is not a valid entry for %(field)s.") % {"value": value, "field": field}, field=field)
    return cleaned


def check_opening(actor, *, phase: str, phase_date, coordinator, key_dates: dict | None) -> dict:
    """The key dates of a case about to be opened by the actor's agency, after checking its phase,
    start date and coordinator as `open_case` does (the bulk import, casebridge.imports, too)."""
    if phase not in Phase.values or phase == Phase.CLOSED:
        raise InvalidInput(_("Choose the phase the case starts in."), field="phase")
    if not isinstance(phase_date, date) or phase_date > today():
        raise InvalidInput(_("The phase start date cannot be in the future."), field="phase_date")
    if coordinator.agency_id != actor.agency_id or not coordinator.is_active:
        raise InvalidInput(_("The coordinator must be an active practitioner of your agency."), field="coordinator")
    dates = {kd.value: (key_dates or {}).get(kd.value) for kd in KeyDate}
    check_key_dates(dates)
    return dates


def client_fields(data: dict) -> dict:
    """A client's identity and status, validated as opening a case validates them."""
    return _client_fields(data)


def open_case(*, actor, client: dict, phase: str, phase_date: date, purpose: str, summary: str = "",
              coordinator=None, key_dates: dict | None = None, confirm_possible_duplicate: bool = False) -> Case:
    """Open a case for a new client, led by the actor's agency, with the actor's agency as core member.
    If the client may already be a client (cases.duplicates), refuses with PossibleDuplicate unless
    the actor confirmed they want a new case, and the case's audit event then names the matches."""
    if not policy.role_allows(actor, Perm.CASE_OPEN):
        raise Forbidden(_("only case coordinators open cases"))
    coordinator = coordinator or actor
    dates = check_opening(actor, phase=phase, phase_date=phase_date, coordinator=coordinator, key_dates=key_dates)
    fields = _client_fields(client)
    found = duplicates.find(actor=actor, client=fields)
    if found and not confirm_possible_duplicate:
        raise duplicates.PossibleDuplicate(found, fields)  # before anything is written
    person = Client.objects.create(**fields)
    case = Case.objects.create(reference=f"new-{uuid4().hex[:12]}", client=person,
                               lead_agency=actor.agency, coordinator=coordinator, phase=phase,
                               opened_on=phase_date, **dates)
    case.reference = f"CB-{phase_date.year}-{case.pk:05d}"
    case.summary_item = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.CASE_SUMMARY, text=summary, title="Case summary",
        fact_date=phase_date, purpose=purpose, field="summary")
    case.save(update_fields=["reference", "summary_item"])
    person.residency_item = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.RESIDENCY_NOTE, text=client.get("residency_note"),
        title="Residency note", fact_date=today(), purpose=purpose, field="residency_note")
    person.save(update_fields=["residency_item"])
    # The lead's own membership and the opening phase entry carry no text: nothing about the client.
    lead = Membership.objects.create(case=case, agency=actor.agency, point_of_contact=coordinator,
                                     participation="core", starts_on=phase_date)
    MembershipPhase.objects.bulk_create(MembershipPhase(membership=lead, phase=p) for p in Phase.values)
    now = timezone.now()
    TeamAssignment.objects.create(case=case, practitioner=coordinator, role_on_case="Coordinator",
                                  assigned_at=now, assigned_by=actor)
    PhaseChange.objects.create(case=case, from_phase="", to_phase=phase, effective_on=phase_date,
                               recorded_at=now, recorded_by=actor)
    record(actor=actor, operation=Operation.CREATE, obj=person, case_id=case.pk, purpose=purpose)
    record(actor=actor, operation=Operation.CREATE, obj=case, case_id=case.pk, purpose=purpose,
           detail={"reference": case.reference, "phase": phase, "coordinator": coordinator.username,
                   **({"possible_duplicate_of": list(found.case_ids), "duplicate_confirmed": True} if found else {})})
    return case


def _check_version(case: Case, expected_version, actor=None) -> None:
    """Refuse a change made from a copy of the case older than the one committed (read under the
    case's lock, so nobody can slip in between this check and the write)."""
    if expected_version is not None and int(expected_version) != case.version:
        raise StaleVersion(stale_message(case, actor), current_version=case.version)


def stale_message(case: Case, actor) -> str:
    """Who changed the case and when, in words for the person whose change was refused. A person of
    an agency that is not listed to them (a discreet member) is not named."""
    who = case.changed_by
    named = who is not None and actor is not None and (
        who.agency_id == actor.agency_id
        or case.memberships.filter(policy.listed_memberships(actor, today()), agency_id=who.agency_id).exists())
    by = (gettext("%(person)s (%(agency)s)") % {"person": who.display_name, "agency": who.agency.name} if named
          else gettext("another person"))
    when = formats.date_format(timezone.localtime(case.changed_at), "DATETIME_FORMAT") if case.changed_at else "—"
    return gettext("Someone else changed this case since you opened it: %(by)s, %(when)s (now version "
                   "%(version)d). Nothing of your change was saved; the form shows the current values, make "
                   "your change again.") % {"by": by, "when": when, "version": case.version}


def raise_version(case: Case, actor, **fields) -> None:
    """Write `fields` and raise the version, if the version is still the one read (compare and set;
    under the case's lock it always is, so a miss means a caller forgot the lock: refuse, never
    overwrite)."""
    if not compare_and_set(case, actor, **fields):
        current = Case.objects.select_related("changed_by__agency").get(pk=case.pk)
        raise StaleVersion(stale_message(current, actor), current_version=current.version)


def transition_phase(*, actor, case_id, to_phase: str, effective_on: date, handover_note: str,
                     purpose: str, expected_version=None, category: str | None = None,
                     classification=None) -> PhaseChange:
    """Move the case to its next phase along an allowed path, with a dated handover note.

    The note is an item of the writer's agency, in the category and at the classification the
    writer chose (by default offence and sentence, RESTRICTED): only those the sharing rule lets
    read it see it. The phase itself, its date and who recorded it stay visible to the team."""
    case, _decision = get_case(actor=actor, case_id=case_id, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False, lock=True)
    _check_version(case, expected_version, actor)
    if to_phase not in Phase.values:
        raise InvalidInput(_("Unknown phase %(phase)r.") % {"phase": to_phase}, field="to_phase")
    if not is_allowed_transition(case.phase, to_phase):
        raise InvalidInput(_("A case cannot move from %(old)s to %(new)s.")
                           % {"old": Phase(case.phase).label, "new": Phase(to_phase).label},
                           field="to_phase")
    note = text(handover_note, "handover_note", required=True)
    last = case.phase_changes.order_by("-effective_on").first()
    if not isinstance(effective_on, date) or effective_on > today():
        raise InvalidInput(_("The transition date cannot be in the future."), field="effective_on")
    if last and effective_on < last.effective_on:
        raise InvalidInput(_("The transition date cannot be before the previous one (%(day)s).")
                           % {"day": formats.date_format(last.effective_on)},
                           field="effective_on")
    note_item = items.record_carried_text(
        actor=actor, case=case, carrier=Carrier.PHASE_HANDOVER, text=note, fact_date=effective_on,
        title=f"Handover: {Phase(case.phase).label} → {Phase(to_phase).label}", purpose=purpose,
        field="handover_note", category=category, classification=classification)
    change = PhaseChange.objects.create(case=case, from_phase=case.phase, to_phase=to_phase,
                                        effective_on=effective_on, recorded_at=timezone.now(),
                                        recorded_by=actor, note_item=note_item)
    old = case.phase
    raise_version(case, actor, phase=to_phase)
    record(actor=actor, operation=Operation.UPDATE, obj=case, case_id=case.pk, purpose=purpose,
           detail={"phase": [old, to_phase], "effective_on": effective_on, "phase_change": change.pk,
                   "note_item": note_item.pk})
    case_moment.send(sender="cases", case_id=case.pk)
    return change


def set_key_dates(*, actor, case_id, dates: dict, purpose: str, expected_version=None) -> Case:
    """Replace the case's key dates; refuses dates out of order and stale edits."""
    case, _decision = get_case(actor=actor, case_id=case_id, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False, lock=True)
    _check_version(case, expected_version, actor)
    new = {kd.value: dates.get(kd.value) for kd in KeyDate}
    for name, value in new.items():
        if value is not None and not isinstance(value, date):
            raise InvalidInput(_("%(date)s is not a date.") % {"date": KeyDate(name).label}, field=name)
    check_key_dates(new)
    changed = sorted(k for k, v in new.items() if getattr(case, k) != v)
    raise_version(case, actor, **new)
    record(actor=actor, operation=Operation.UPDATE, obj=case, case_id=case.pk, purpose=purpose,
           detail={"key_dates": changed})
    case_moment.send(sender="cases", case_id=case.pk)
    return case


_CLIENT_FIELDS = ("given_name", "family_name", "aliases", "date_of_birth", "nationalities", "languages",
                  "residency_status")


def update_client(*, actor, case_id, data: dict, purpose: str, expected_version=None) -> Client:
    """Correct the client's identity and status (e.g. a new deportation order). Fields missing
    from `data` keep their current values, so a partial update (API PATCH) clears nothing."""
    case, _decision = get_case(actor=actor, case_id=case_id, purpose=purpose, perm=Perm.CASE_MANAGE, audit=False, lock=True)
    _check_version(case, expected_version, actor)
    # A client may have several cases: their row is locked too (after the case, casebridge.locking).
    lock_rows(Client.objects.filter(pk=case.client_id))
    person = case.client = Client.objects.get(pk=case.client_id)
    fields = _client_fields({**{name: getattr(person, name) for name in _CLIENT_FIELDS}, **data})
    changed = sorted(k for k, v in fields.items() if getattr(person, k) != v)
    for name, value in fields.items():
        setattr(person, name, value)
    if "residency_note" in data:
        note_changed, note = _residency_note(actor, case, person, data["residency_note"], purpose)
        if note_changed:
            changed = sorted([*changed, "residency_note"])
            person.residency_item = note
    person.save()
    raise_version(case, actor)
    record(actor=actor, operation=Operation.UPDATE, obj=person, case_id=case.pk, purpose=purpose,
           detail={"changed": changed})
    return person


def _residency_note(actor, case, person, new, purpose: str):
    """(changed, the note's item or None) after an edit. The actor edits the note they can read: a
    blank note from someone who may not read the current one leaves it as it is, and a note of
    another agency is superseded by one of the actor's agency rather than amended."""
    current = items.readable_carried(actor=actor, case=case, purpose=purpose, audit=False).get(
        person.residency_item_id)
    new = text(new, "residency_note")
    if new == (current.body if current else ""):
        return False, None
    if not new:
        return True, None
    if current is not None and current.originating_agency_id == actor.agency_id:
        return True, items.amend_carried_text(actor=actor, item=current, text=new, purpose=purpose,
                                              field="residency_note",
                                              change_note="Residency note corrected on the client's details.")
    return True, items.record_carried_text(actor=actor, case=case, carrier=Carrier.RESIDENCY_NOTE, text=new,
                                           title="Residency note", fact_date=today(), purpose=purpose,
                                           field="residency_note")


def allows(actor, perm: Perm, case: Case) -> bool:
    """Whether the policy allows `perm` on an already loaded case (to show or hide controls)."""
    return bool(policy.decide_case(actor, perm, case_facts(case), today()))
