"""Sharing agreements: drafted, signed off by an administrator of every party (or withdrawn before
that), versioned, suspended and resumed by the party that suspended. Only a signed version in
force gives access, and only on the next request."""

from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.agencies.models import Agency
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases.services import text, today
from casebridge.errors import Forbidden, InvalidInput, NotVisible
from casebridge.locking import lock_rows
from casebridge.policy import Perm
from casebridge.sharing.models import (Agreement, AgreementParty, AgreementPurpose, AgreementRule, AgreementStatus,
                                       AgreementVersion)
from casebridge.vocabulary import Category, Purpose, Role


def visible_agreements(actor):
    """Agreement versions the actor may read: those its agency is party to; all for DPOs and system admins."""
    if not policy.role_allows(actor, Perm.AGREEMENT_VIEW):
        return AgreementVersion.objects.none()
    qs = AgreementVersion.objects.select_related("agreement").prefetch_related(
        "parties__agency", "purposes", "rules__originator", "rules__recipient")
    if actor.role in (Role.DPO, Role.SYSTEM_ADMIN):
        return qs
    return qs.filter(parties__agency_id=actor.agency_id).distinct()


def list_agreements(*, actor, purpose: str) -> list[AgreementVersion]:
    """Every visible version, newest agreement first and each agreement's versions newest first."""
    versions = list(visible_agreements(actor).order_by("-agreement_id", "-number"))
    record(actor=actor, operation=Operation.LIST, object_type="sharing.agreementversion", purpose=purpose,
           detail={"count": len(versions)})
    return versions


def get_version(*, actor, version_id, purpose: str, audit: bool = True) -> AgreementVersion:
    version = visible_agreements(actor).filter(pk=version_id).first() if str(version_id).isdigit() else None
    if version is None:
        raise NotVisible("no such agreement")
    if audit:
        record(actor=actor, operation=Operation.READ, obj=version, purpose=purpose)
    return version


def _locked_version(*, actor, version_id, purpose: str) -> AgreementVersion:
    """The version, read after locking its agreement, which stands for all its versions and their
    parties (casebridge.locking): two administrators acting at once on the same agreement take
    turns, and the second reads the signatures and status the first committed."""
    if str(version_id).isdigit():
        lock_rows(Agreement.objects.filter(versions__pk=int(version_id)))
    return get_version(actor=actor, version_id=version_id, purpose=purpose, audit=False)


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("%(field)s must be a number.") % {"field": field.replace("_", " ").capitalize()}, field=field) from None


def _terms(data: dict) -> dict:
    party_ids = sorted({_int(p, "parties") for p in data.get("parties") or []})
    parties = list(Agency.objects.filter(pk__in=party_ids, active=True))
    if len(parties) < 2 or len(parties) != len(party_ids):
        raise InvalidInput(_("An agreement needs at least two active agencies as parties."), field="parties")
    purposes = list(dict.fromkeys(data.get("purposes") or []))
    if not purposes or any(p not in Purpose.values for p in purposes):
        raise InvalidInput(_("Choose the purposes the agreement serves."), field="purposes")
    valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
    if not isinstance(valid_from, date) or (valid_to is not None and not isinstance(valid_to, date)):
        raise InvalidInput(_("Give the dates the agreement applies."), field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(_("The agreement cannot end before it starts."), field="valid_to")
    rules = [_rule(r, set(party_ids)) for r in data.get("rules") or []]
    if not rules:
        raise InvalidInput(_("Add at least one rule: who shares what with whom."), field="rules")
    return {"parties": parties, "purposes": purposes, "valid_from": valid_from, "valid_to": valid_to, "rules": rules,
            "legal_basis": text(data.get("legal_basis"), "legal_basis", required=True),
            "title": text(data.get("title"), "title", required=True, max_length=200)}


def _rule(rule: dict, party_ids: set[int]) -> dict:
    originator, recipient = _int(rule.get("originator"), "rules"), _int(rule.get("recipient"), "rules")
    if originator not in party_ids or recipient not in party_ids or originator == recipient:
        raise InvalidInput(_("Each rule runs from one party to another."), field="rules")
    categories = list(dict.fromkeys(rule.get("categories") or []))
    if not categories or any(c not in Category.values for c in categories):
        raise InvalidInput(_("Each rule names the categories it covers."), field="rules")
    level = _int(rule.get("max_classification", 0), "rules")
    if not 0 <= level < len(settings.CASEBRIDGE_CLASSIFICATION_LABELS):
        raise InvalidInput(_("Unknown classification level in a rule."), field="rules")
    return {"originator_id": originator, "recipient_id": recipient, "categories": categories,
            "max_classification": level, "consent_required": bool(rule.get("consent_required"))}


def administers_a_party(actor, agency_ids) -> bool:
    return policy.role_allows(actor, Perm.AGREEMENT_MANAGE) and (
        actor.role == Role.SYSTEM_ADMIN or actor.agency_id in set(agency_ids))


def _require_party_admin(actor, agency_ids) -> None:
    if not policy.role_allows(actor, Perm.AGREEMENT_MANAGE):
        raise Forbidden(_("only agency administrators manage agreements"))
    if not administers_a_party(actor, agency_ids):
        raise Forbidden(_("you administer none of the parties"))


def actions_for(actor, version: AgreementVersion, latest_number: int) -> frozenset[str]:
    """What the actor may do to this version now (sign, suspend, resume, withdraw, amend): the tests the
    services below apply, so a page never offers a button that would be refused."""
    if not administers_a_party(actor, [p.agency_id for p in version.parties.all()]):
        return frozenset()
    actions = set()
    if version.status == AgreementStatus.DRAFT and any(
            p.agency_id == actor.agency_id and p.signed_at is None for p in version.parties.all()):
        actions.add("sign")
    if version.status == AgreementStatus.ACTIVE:
        actions.add("suspend")
    if version.status == AgreementStatus.SUSPENDED and policy.decide_resume(
            actor, suspended_by_agency_id=version.suspended_by_agency_id):
        actions.add("resume")
    if version.status == AgreementStatus.DRAFT:
        actions.add("withdraw")
    if version.number == latest_number and version.status != AgreementStatus.DRAFT:
        actions.add("amend")
    return frozenset(actions)


def _create_version(*, actor, agreement, number, terms) -> AgreementVersion:
    version = AgreementVersion.objects.create(agreement=agreement, number=number, legal_basis=terms["legal_basis"],
                                              valid_from=terms["valid_from"], valid_to=terms["valid_to"],
                                              created_at=timezone.now(), created_by=actor)
    AgreementParty.objects.bulk_create(AgreementParty(version=version, agency=a) for a in terms["parties"])
    AgreementPurpose.objects.bulk_create(AgreementPurpose(version=version, purpose=p) for p in terms["purposes"])
    AgreementRule.objects.bulk_create(
        AgreementRule(version=version, originator_id=r["originator_id"], recipient_id=r["recipient_id"], category=c,
                      max_classification=r["max_classification"], consent_required=r["consent_required"])
        for r in terms["rules"] for c in r["categories"])
    return version


def draft_agreement(*, actor, data: dict, purpose: str) -> AgreementVersion:
    """A new agreement as version 1, in draft until every party has signed it."""
    terms = _terms(data)
    _require_party_admin(actor, [a.pk for a in terms["parties"]])
    agreement = Agreement.objects.create(title=terms["title"], created_at=timezone.now(), created_by=actor)
    version = _create_version(actor=actor, agreement=agreement, number=1, terms=terms)
    record(actor=actor, operation=Operation.CREATE, obj=version, purpose=purpose,
           detail={"agreement": agreement.pk, "version": 1, "parties": [a.name for a in terms["parties"]]})
    return version


def amend_agreement(*, actor, agreement_id, data: dict, purpose: str) -> AgreementVersion:
    """A new draft version; the version in force stays in force until the new one is signed."""
    if str(agreement_id).isdigit():
        lock_rows(Agreement.objects.filter(pk=int(agreement_id)))  # one new version at a time
    latest = AgreementVersion.objects.filter(agreement_id=agreement_id).order_by("-number").first() \
        if str(agreement_id).isdigit() else None
    # An agreement the actor's agency is no party to does not exist for them: 404, not 403.
    if latest is None or not visible_agreements(actor).filter(pk=latest.pk).exists():
        raise NotVisible("no such agreement")
    _require_party_admin(actor, latest.parties.values_list("agency_id", flat=True))
    if latest.status == AgreementStatus.DRAFT:
        raise InvalidInput(_("A draft version is already waiting for sign-off."))
    # The title belongs to the agreement, not to a version: a new version keeps it.
    terms = _terms({**data, "title": latest.agreement.title})
    version = _create_version(actor=actor, agreement=latest.agreement, number=latest.number + 1, terms=terms)
    record(actor=actor, operation=Operation.CREATE, obj=version, purpose=purpose,
           detail={"agreement": latest.agreement_id, "version": version.number})
    return version


def sign_agreement(*, actor, version_id, purpose: str) -> AgreementVersion:
    """An administrator signs for their agency; the last signature puts the version in force."""
    version = _locked_version(actor=actor, version_id=version_id, purpose=purpose)
    # The prefetched party, so the version handed back shows this signature too.
    party = next((p for p in version.parties.all() if p.agency_id == actor.agency_id), None)
    administrator = actor.role in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)
    if party is None or not administrator or not policy.role_allows(actor, Perm.AGREEMENT_MANAGE):
        raise Forbidden(_("only an administrator of a party signs for it"))
    if version.status != AgreementStatus.DRAFT:
        raise InvalidInput(_("Only a draft awaiting sign-off can be signed."))
    if party.signed_at is not None:
        raise InvalidInput(_("Your agency has already signed this version."))
    party.signed_by, party.signed_at = actor, timezone.now()
    party.save(update_fields=["signed_by", "signed_at"])
    detail = {"agreement": version.agreement_id, "version": version.number, "signed_for": actor.agency.name}
    if not version.parties.filter(signed_at__isnull=True).exists():
        AgreementVersion.objects.filter(agreement_id=version.agreement_id, status__in=[
            AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED]).update(status=AgreementStatus.SUPERSEDED,
                                                                      status_changed_at=timezone.now())
        version.status, version.status_changed_at = AgreementStatus.ACTIVE, timezone.now()
        version.save(update_fields=["status", "status_changed_at"])
        detail["status"] = "active"
    record(actor=actor, operation=Operation.UPDATE, obj=version, purpose=purpose,
           recipients=[p.agency.name for p in version.parties.all()], detail=detail)
    return version


def set_suspended(*, actor, version_id, suspended: bool, reason: str, purpose: str) -> AgreementVersion:
    """Suspend an agreement in force (access stops on the next request), or resume it. Any party's
    administrator suspends; only the party that suspended resumes (policy.decide_resume)."""
    version = _locked_version(actor=actor, version_id=version_id, purpose=purpose)
    _require_party_admin(actor, [p.agency_id for p in version.parties.all()])
    before, after = ((AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED) if suspended
                     else (AgreementStatus.SUSPENDED, AgreementStatus.ACTIVE))
    if version.status != before:
        raise InvalidInput((_("Only an agreement that is %(status)s can be suspended.") if suspended
                            else _("Only an agreement that is %(status)s can be resumed.")) % {"status": before})
    detail = {"status": [before, after]}
    if suspended:
        version.suspended_by_agency_id = actor.agency_id
    else:
        policy.require_authority(policy.decide_resume(actor, suspended_by_agency_id=version.suspended_by_agency_id))
        detail["suspended_by_agency"] = version.suspended_by_agency_id
        version.suspended_by_agency = None
    version.status, version.status_changed_at = after, timezone.now()
    version.status_reason = text(reason, "reason", required=True)
    version.save(update_fields=["status", "status_changed_at", "status_reason", "suspended_by_agency"])
    # The reason is free text a person typed: it stays on the version, not in the audit trail.
    record(actor=actor, operation=Operation.UPDATE, obj=version, purpose=purpose,
           recipients=[p.agency.name for p in version.parties.all()], detail=detail)
    return version


def withdraw_draft(*, actor, version_id, purpose: str) -> AgreementVersion:
    """An administrator of a party withdraws a draft awaiting sign-off: it can no longer be signed
    and never takes effect; the signatures it had gathered lapse with it."""
    version = _locked_version(actor=actor, version_id=version_id, purpose=purpose)
    _require_party_admin(actor, [p.agency_id for p in version.parties.all()])
    if version.status != AgreementStatus.DRAFT:
        raise InvalidInput(_("Only a draft awaiting sign-off can be withdrawn."))
    version.status, version.status_changed_at = AgreementStatus.WITHDRAWN, timezone.now()
    version.save(update_fields=["status", "status_changed_at"])
    record(actor=actor, operation=Operation.UPDATE, obj=version, purpose=purpose,
           recipients=[p.agency.name for p in version.parties.all()],
           detail={"agreement": version.agreement_id, "version": version.number,
                   "status": [AgreementStatus.DRAFT, AgreementStatus.WITHDRAWN]})
    return version


def in_force_between(originator_id: int, recipient_id: int):
    """Rules in force today from one agency to another (for transparency notices and previews)."""
    now = today()
    return AgreementRule.objects.filter(
        originator_id=originator_id, recipient_id=recipient_id, version__status=AgreementStatus.ACTIVE,
        version__valid_from__lte=now).filter(Q(version__valid_to__isnull=True) | Q(version__valid_to__gte=now))
