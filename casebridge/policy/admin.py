"""Administrative authority: who administers which agency, who issues and revokes API tokens, and
which roles and clearances an administrator may grant.

Pure, like the rest of the policy: callers pass the actor, the records' plain attributes and
whether the request passed the second factor. Each rule returns a `Decision` with its reason;
where a list needs the rule, its query filter sits beside it.

- System administrators manage every agency, agency administrators their own.
- A practitioner's API token is issued by that practitioner only, after the second factor; a
  service account (no person behind it, no web sign-in) gets its tokens from an administrator of
  its own agency. Administrators revoke tokens, never issue them for a person.
- Roles that watch or hold power over others (DPO, agency administrator, system administrator)
  are assigned by a system administrator only; nobody changes their own role or clearance; no
  clearance exceeds the agency's ceiling, which only a system administrator sets.
"""

from django.db.models import Q

from casebridge.errors import BeyondAuthority, NotVisible
from casebridge.policy.core import Decision, Perm, role_allows
from casebridge.vocabulary import Role

# Assigned (or taken away) by a system administrator only.
RESERVED_ROLES = frozenset({Role.DPO, Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN})
# A service account is a system, not a person: it never administers, audits or oversees.
SERVICE_ACCOUNT_ROLES = frozenset({Role.PRACTITIONER, Role.COORDINATOR})
TOKEN_MAX_DAYS = 90


def decide_administer(actor, perm: Perm, agency_id: int) -> Decision:
    """May `actor` administer (perm) people, tokens or details of agency `agency_id`?"""
    if not role_allows(actor, perm):
        return Decision(False, f"role {actor.role} does not grant {perm}")
    if actor.role == Role.SYSTEM_ADMIN:
        return Decision(True, "system administrator")
    if actor.agency_id == agency_id:
        return Decision(True, "administrator of this agency")
    return Decision(False, "administrators manage their own agency only")


def administered(actor, perm: Perm, agency_field: str = "agency_id") -> Q:
    """Query filter for the records `decide_administer` allows; `agency_field` names the agency."""
    if not role_allows(actor, perm):
        return Q(pk__in=[])
    if actor.role == Role.SYSTEM_ADMIN:
        return Q()
    return Q(**{agency_field: actor.agency_id})


def require_administer(actor, perm: Perm, agency_id: int) -> Decision:
    decision = decide_administer(actor, perm, agency_id)
    if not decision:
        raise NotVisible(decision.reason)
    return decision


# --- API tokens ------------------------------------------------------------------------------------

def decide_issue_token(actor, owner, *, second_factor: bool) -> Decision:
    """May `actor` issue an API token standing for `owner`?

    A person's token is issued by that person, signed in with the second factor, so a token never
    skips the factor its holder would need on the web and no administrator can act as them. A
    service account has no person to sign in: an administrator of its own agency issues for it.
    """
    if not getattr(actor, "is_active", False) or not getattr(owner, "is_active", False):
        return Decision(False, "inactive accounts neither issue nor receive tokens")
    if not second_factor:
        return Decision(False, "issuing a token needs a session verified with the second factor")
    if owner.is_service_account:
        if actor.agency_id == owner.agency_id and role_allows(actor, Perm.TOKEN_MANAGE):
            return Decision(True, "administrator of the service account's agency")
        return Decision(False, "service account tokens are issued by an administrator of its agency")
    if actor.pk == owner.pk and not actor.is_service_account:
        return Decision(True, "own token")
    return Decision(False, "a person's token is issued by that person only")


def decide_revoke_token(actor, *, owner_id: int, agency_id: int) -> Decision:
    """Holders revoke their own tokens; administrators revoke those of the agencies they administer."""
    if getattr(actor, "is_active", False) and actor.pk == owner_id:
        return Decision(True, "own token")
    return decide_administer(actor, Perm.TOKEN_MANAGE, agency_id)


def revocable_tokens(actor) -> Q:
    """Query filter (on ApiToken) for the tokens `decide_revoke_token` allows."""
    if not getattr(actor, "is_active", False):
        return Q(pk__in=[])
    agencies = administered(actor, Perm.TOKEN_MANAGE)
    if not agencies:  # Q() selects every token; `Q(...) | Q()` would drop it and keep only their own
        return Q()
    return Q(practitioner_id=actor.pk) | agencies


def require_revoke_token(actor, *, owner_id: int, agency_id: int) -> Decision:
    decision = decide_revoke_token(actor, owner_id=owner_id, agency_id=agency_id)
    if not decision:
        raise NotVisible(decision.reason)
    return decision


# --- Roles, clearance and the agency's ceiling -----------------------------------------------------

def _ceiling(agency_ceiling: int | None, levels: int) -> int:
    return levels - 1 if agency_ceiling is None else min(agency_ceiling, levels - 1)


def assignable_roles(actor, *, service_account: bool = False) -> list[str]:
    """The roles `actor` may give someone (for the forms: offer only what would be allowed)."""
    roles = [r for r in Role.values if actor.role == Role.SYSTEM_ADMIN or r not in RESERVED_ROLES]
    return [r for r in roles if not service_account or r in SERVICE_ACCOUNT_ROLES]


def assignable_clearances(agency_ceiling: int | None, levels: int) -> range:
    """The clearance levels anyone of an agency may hold: 0 up to its ceiling."""
    return range(0, _ceiling(agency_ceiling, levels) + 1)


def decide_role(actor, target, role: str) -> Decision:
    """May `actor` give `target` (a practitioner, existing or about to be created: `target.pk` is
    None) the role `role`? `target.role` is the current role."""
    is_new = target.pk is None
    if not is_new and role == target.role:
        return Decision(True, "role unchanged")
    if not is_new and target.pk == actor.pk:
        return Decision(False, "nobody changes their own role")
    if actor.role != Role.SYSTEM_ADMIN and (role in RESERVED_ROLES or (not is_new and target.role in RESERVED_ROLES)):
        return Decision(False, "only a system administrator assigns or removes the roles of data protection "
                               "officer, agency administrator and system administrator")
    if target.is_service_account and role not in SERVICE_ACCOUNT_ROLES:
        return Decision(False, "a service account is a practitioner or a coordinator, never an administrator or DPO")
    return Decision(True, "within the administrator's authority")


def decide_clearance(actor, target, clearance: int, *, agency_ceiling: int | None, levels: int) -> Decision:
    """May `actor` give `target` the clearance `clearance`, in an agency with `agency_ceiling`
    (None: the deployment's highest level) among `levels` classification levels?"""
    if target.pk is not None and clearance == target.clearance:
        return Decision(True, "clearance unchanged")
    if target.pk is not None and target.pk == actor.pk:
        return Decision(False, "nobody changes their own clearance")
    if not 0 <= clearance <= _ceiling(agency_ceiling, levels):
        return Decision(False, "the clearance exceeds the agency's ceiling")
    return Decision(True, "within the agency's ceiling")


def decide_set_ceiling(actor) -> Decision:
    """Only a system administrator sets an agency's clearance ceiling."""
    if actor.role == Role.SYSTEM_ADMIN and role_allows(actor, Perm.AGENCY_MANAGE):
        return Decision(True, "system administrator")
    return Decision(False, "only a system administrator sets an agency's clearance ceiling")


def require_authority(decision: Decision, *, field: str | None = None) -> Decision:
    """Raise the refusal as a 403 naming `field`: the actor may see the record, not change it so."""
    if not decision:
        raise BeyondAuthority(decision.reason[:1].upper() + decision.reason[1:] + ".", field=field)
    return decision


# --- Agreements ------------------------------------------------------------------------------------

def decide_resume(actor, *, suspended_by_agency_id: int | None) -> Decision:
    """May `actor` lift a suspension? Only an administrator of the party that suspended it: one
    party cannot overrule another's decision to stop sharing. A suspension recorded before the
    suspending party was kept (no party on record) is lifted by a system administrator."""
    if not role_allows(actor, Perm.AGREEMENT_MANAGE) or actor.role not in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN):
        return Decision(False, "only an administrator resumes an agreement")
    if suspended_by_agency_id is None:
        if actor.role == Role.SYSTEM_ADMIN:
            return Decision(True, "system administrator; the suspending party is not on record")
        return Decision(False, "the suspending party is not on record: a system administrator resumes it")
    if actor.agency_id == suspended_by_agency_id:
        return Decision(True, "administrator of the party that suspended it")
    return Decision(False, "only the party that suspended the agreement resumes it")
