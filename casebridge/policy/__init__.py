"""The one policy module: who may do what to which record.

Pure: no database reads, no request, no clock. Callers pass facts (plain data or model instances
with the attributes named in each rule) and `today`. Each rule is written once as a `Rule` holding
both its single-record test and the query filter that selects the records for which it holds, so a
detail page and a list can never drift apart; property tests prove the two halves agree, and an
independent Cedar encoding (casebridge/policy/casebridge.cedar) agrees with both.

Deny by default: a permission no role grants, an inactive actor, or a rule that does not hold
refuses. Refusals on records the actor may not see become 404s.
"""

from casebridge.policy.admin import (RESERVED_ROLES, TOKEN_MAX_DAYS, administered, assignable_clearances,
                                     assignable_roles, decide_administer, decide_clearance, decide_issue_token,
                                     decide_resume, decide_revoke_token, decide_role, decide_set_ceiling,
                                     require_administer, require_authority, require_revoke_token,
                                     revocable_tokens)
from casebridge.policy.audience import Draft, Reader, audience, draft_facts
from casebridge.policy.audit import (ADMINISTRATIVE_OBJECTS, AdministrativeObject, EventFacts, decide_audit_event,
                                     is_partial_view, require_audit_event, shown_detail, visible_audit_events)
from casebridge.policy.cases import (CASE_VISIBILITY, CaseFacts, MembershipFacts, Rule, decide_case, decide_import,
                                     require_case, visible_cases)
from casebridge.policy.conferences import (ConferenceFacts, agenda_for, decide_conference, for_attendees,
                                           require_conference, visible_conferences)
from casebridge.policy.core import ROLE_PERMISSIONS, USE_RIGHTS, Decision, Perm, role_allows
from casebridge.policy.items import (ConsentFacts, DisclosureFacts, ItemFacts, RuleFacts, SharingFacts, decide_item,
                                     may_see_source_and_method, require_item, sharing_basis, usable_items,
                                     visible_items)
from casebridge.policy.listing import (decide_agency_listing, decide_membership_listing, discreet_on_case,
                                       listed_agencies, listed_memberships, listed_team, named_to_client,
                                       named_to_client_q, sees_discreet_members)
from casebridge.policy.markings import INHERITED, marked, within_borders
from casebridge.policy.purposes import RESERVED_PURPOSES, decide_purpose, purposes_for
from casebridge.policy.subject_access import (awaiting_release, awaiting_release_items, decide_subject_access,
                                              processed, processed_items, subject_access_items)

__all__ = [
    "ADMINISTRATIVE_OBJECTS", "AdministrativeObject", "CASE_VISIBILITY", "Draft", "Reader", "audience", "draft_facts", "CaseFacts", "ConferenceFacts",
    "ConsentFacts", "Decision", "agenda_for", "decide_conference", "decide_import", "for_attendees", "require_conference", "visible_conferences",
    "DisclosureFacts", "EventFacts", "INHERITED", "ItemFacts", "MembershipFacts", "Perm", "RESERVED_PURPOSES",
    "RESERVED_ROLES", "ROLE_PERMISSIONS", "Rule", "RuleFacts", "SharingFacts", "TOKEN_MAX_DAYS", "USE_RIGHTS",
    "administered", "assignable_clearances", "assignable_roles", "awaiting_release", "awaiting_release_items",
    "decide_administer", "decide_agency_listing", "decide_audit_event", "decide_case", "decide_clearance",
    "decide_issue_token", "decide_item", "decide_membership_listing", "decide_purpose", "decide_resume",
    "decide_revoke_token", "decide_role", "decide_set_ceiling", "decide_subject_access", "discreet_on_case",
    "is_partial_view", "listed_agencies", "listed_memberships", "listed_team", "marked",
    "may_see_source_and_method", "named_to_client", "named_to_client_q", "processed", "processed_items",
    "purposes_for", "require_administer", "require_audit_event", "require_authority", "require_case",
    "require_item", "require_revoke_token", "revocable_tokens", "role_allows", "sees_discreet_members",
    "sharing_basis", "shown_detail", "subject_access_items", "usable_items", "visible_audit_events",
    "visible_cases", "visible_items", "within_borders",
]
