"""Which purposes a practitioner may declare.

Data protection oversight is the work of data protection officers, administration that of agency
and system administrators: anyone else declaring them would relabel case work in the audit trail
(and could read under a purpose meant for another role). The purpose switcher, the API's purpose
header and every item service ask this one function.
"""

from casebridge.policy.core import Decision, english
from casebridge.vocabulary import Purpose, Role

RESERVED_PURPOSES: dict[str, frozenset[str]] = {
    Purpose.DATA_PROTECTION: frozenset({Role.DPO}),
    Purpose.ADMINISTRATION: frozenset({Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN}),
}


def decide_purpose(actor, purpose: str) -> Decision:
    """May `actor` declare `purpose`? Unknown purposes and purposes reserved to other roles refuse."""
    if purpose not in Purpose.values:
        return Decision(False, f"unknown purpose {str(purpose)[:40]!r}")
    roles = RESERVED_PURPOSES.get(purpose)
    if roles is not None and getattr(actor, "role", None) not in roles:
        who = " or ".join(sorted(english(Role(r).label).lower() + "s" for r in roles))
        return Decision(False, f"the purpose {english(Purpose(purpose).label)} is reserved to {who}")
    return Decision(True, f"{english(Purpose(purpose).label)} may be declared by your role")


def purposes_for(actor) -> list[tuple[str, str]]:
    """The purposes the actor may choose, as (value, label), in the vocabulary's order."""
    return [(value, label) for value, label in Purpose.choices if decide_purpose(actor, value)]
