"""Permissions, role grants and decisions: the vocabulary every policy rule speaks."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils import translation

from casebridge.vocabulary import Role


class Perm(StrEnum):
    DASHBOARD_VIEW = "dashboard:view"
    ACCOUNT_SELF = "account:self"
    CASE_LIST = "case:list"
    CASE_VIEW = "case:view"
    CASE_OPEN = "case:open"
    CASE_MANAGE = "case:manage"
    AGENCY_VIEW = "agency:view"
    AGENCY_MANAGE = "agency:manage"
    PRACTITIONER_MANAGE = "practitioner:manage"
    TOKEN_MANAGE = "token:manage"
    AUDIT_READ = "audit:read"
    ITEM_RECORD = "item:record"
    ITEM_READ = "item:read"
    ITEM_RESHARE = "item:reshare"
    ITEM_USE_IN_DECISION = "item:use_in_decision"
    ITEM_INCLUDE_IN_SUBJECT_ACCESS = "item:include_in_subject_access"
    ITEM_DISCLOSE = "item:disclose"
    ITEM_SEARCH = "item:search"
    PERSON_LOOKUP = "person:lookup"
    AGREEMENT_VIEW = "agreement:view"
    AGREEMENT_MANAGE = "agreement:manage"
    CONSENT_MANAGE = "consent:manage"
    DECISION_RECORD = "decision:record"
    CONFERENCE_VIEW = "conference:view"
    CONFERENCE_CONVENE = "conference:convene"  # limited further by the conference kind (conferences.kinds)
    CONFERENCE_RUN = "conference:run"
    # Limited further by the agency's kind (casebridge.policy.roles, configurable).
    ITEM_MARK_INTELLIGENCE = "item:mark_intelligence"
    ITEM_RECORD_SOURCE = "item:record_source"
    REFLECTOR_KEEP = "reflector:keep"  # a CaseReflector of distancing work (casebridge.reflector)
    SUBJECT_ACCESS = "subject_access:manage"
    IMPORT_RUN = "import:run"  # bulk import from a legacy system (casebridge.imports), agency administrators only


# The use rights of an item (DESIGN.md §4), decided by casebridge.policy.items.
USE_RIGHTS = (Perm.ITEM_READ, Perm.ITEM_RESHARE, Perm.ITEM_USE_IN_DECISION, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS)


_EVERYONE = {Perm.DASHBOARD_VIEW, Perm.ACCOUNT_SELF, Perm.CASE_LIST, Perm.CASE_VIEW,
             Perm.CASE_MANAGE, Perm.AGENCY_VIEW, Perm.ITEM_RECORD, Perm.ITEM_READ, Perm.ITEM_RESHARE,
             Perm.ITEM_USE_IN_DECISION, Perm.ITEM_DISCLOSE, Perm.ITEM_SEARCH, Perm.PERSON_LOOKUP,
             Perm.AGREEMENT_VIEW, Perm.CONSENT_MANAGE, Perm.DECISION_RECORD, Perm.ITEM_MARK_INTELLIGENCE,
             Perm.ITEM_RECORD_SOURCE, Perm.REFLECTOR_KEEP, Perm.CONFERENCE_VIEW, Perm.CONFERENCE_CONVENE, Perm.CONFERENCE_RUN}
_ADMIN = {Perm.AGENCY_MANAGE, Perm.PRACTITIONER_MANAGE, Perm.TOKEN_MANAGE, Perm.AGREEMENT_MANAGE}
_DATA_PROTECTION = {Perm.AUDIT_READ, Perm.SUBJECT_ACCESS, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS}

# Coarse grants per role. Case permissions are for everyone because need-to-know is decided per
# case by the rules below, never by role alone.
ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.PRACTITIONER: frozenset(_EVERYONE),
    Role.COORDINATOR: frozenset(_EVERYONE | {Perm.CASE_OPEN}),
    Role.AGENCY_ADMIN: frozenset(_EVERYONE | _ADMIN | {Perm.IMPORT_RUN}),
    Role.DPO: frozenset(_EVERYONE | _DATA_PROTECTION),
    Role.SYSTEM_ADMIN: frozenset(_EVERYONE | _ADMIN | {Perm.AUDIT_READ}),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # the basis when allowed, the refusal when not

    def __bool__(self) -> bool:
        return self.allowed


def role_allows(actor, perm: Perm) -> bool:
    return bool(getattr(actor, "is_active", False)) and perm in ROLE_PERMISSIONS.get(actor.role, ())


def english(label) -> str:
    """An enumeration's label in English, whatever language the request speaks: a decision's
    reason is kept in the audit trail, which is written in one language (docs/i18n.md)."""
    with translation.override("en"):
        return str(label)
