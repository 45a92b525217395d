"""The one policy module: who may do what to which record.

Pure: no database reads, no request, no clock. Callers pass facts (plain data or model instances
with the attributes named in each rule) and `today`. Each rule is written once as a `Rule` holding
both its single-record test and the query filter that selects the records for which it holds, so a
detail page and a list can never drift apart; property tests prove the two halves agree, and an
independent Cedar encoding (casebridge/policy/casebridge.cedar) agrees with both.

Deny by default: a permission no role grants, an inactive actor, or a rule that does not hold
refuses. Refusals on records the actor may not see become 404s.
"""

from casebridge.policy.admin import administered, decide_administer, require_administer
from casebridge.policy.cases import (CASE_VISIBILITY, CaseFacts, MembershipFacts, Rule, decide_case, require_case,
                                     visible_cases)
from casebridge.policy.core import ROLE_PERMISSIONS, USE_RIGHTS, Decision, Perm, role_allows
from casebridge.policy.items import (ConsentFacts, DisclosureFacts, ItemFacts, RuleFacts, SharingFacts, decide_item,
                                     may_see_source_and_method, require_item, sharing_basis, usable_items,
                                     visible_items)
from casebridge.policy.markings import INHERITED, marked, within_borders
from casebridge.policy.purposes import RESERVED_PURPOSES, decide_purpose, purposes_for
from casebridge.policy.subject_access import (awaiting_release, awaiting_release_items, decide_subject_access,
                                              processed, processed_items, subject_access_items)

__all__ = [
    "CASE_VISIBILITY", "INHERITED", "RESERVED_PURPOSES", "ROLE_PERMISSIONS", "USE_RIGHTS", "CaseFacts", "ConsentFacts", "Decision", "DisclosureFacts",
    "ItemFacts", "MembershipFacts", "Perm", "Rule", "RuleFacts", "SharingFacts", "administered", "decide_administer",
    "decide_case", "decide_item", "may_see_source_and_method", "require_administer", "require_case", "require_item",
    "role_allows", "sharing_basis", "subject_access_items", "visible_cases", "visible_items",
    "awaiting_release", "awaiting_release_items", "decide_purpose", "decide_subject_access", "marked", "processed",
    "processed_items", "purposes_for", "usable_items", "within_borders",
]
