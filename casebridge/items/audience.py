"""Who will see an item before it is recorded: the preview of the recording form.

The author has chosen a category, a classification and markings; `who_will_see` asks the policy
(`policy.audience`, which asks `decide_item` on the facts the item will have) about every person on
the case team listed to the author, for every purpose that person may declare, and groups the
answers by agency. A discreet member's people the author may not see are neither asked about nor
counted. It says nothing about case content, only about the team, which the author reads on the
case page anyway; it is audited as a read of the case all the same (references only: the markings
asked about and who would read).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from casebridge import policy
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import membership
from casebridge.cases import services as cases
from casebridge.errors import InvalidInput
from casebridge.items.facts import sharing_facts
from casebridge.items.services import check_purpose
from casebridge.vocabulary import Category, Purpose

AUDIENCE = "items.audience"  # the audit event's object type


def _refusals(draft: policy.Draft) -> dict[str, str]:
    """Why a person would not read the item, in the author's words, by the policy's rule."""
    return {
        "case_visible": _("they cannot open the case in its current phase"),
        "within_clearance": _("it is classified above their clearance"),
        "within_borders": _("NO-CROSS-BORDER: their agency is in another country"),
        "has_basis": _("ORCON: only a disclosure by your agency lets another agency read it") if draft.orcon
        else _("no agreement or disclosure lets their agency read this category at this level"),
        "role": _("their role does not read case information"),
    }


@dataclass
class AgencyAudience:
    """The people of one agency on the team, and who of them would read the item."""

    name: str
    own: bool
    readers: list  # policy.Reader, one per person on the team
    refusals: dict

    @property
    def reading(self) -> list:
        return [r for r in self.readers if r.reads]

    @property
    def roles(self) -> list[str]:
        return sorted({r.person.get_role_display() for r in self.reading})

    @property
    def purposes(self) -> list[str]:
        """The purposes the readers could read it for, named only when some purpose they may declare is not."""
        declared = {p for r in self.reading for p, _label in policy.purposes_for(r.person)}
        allowed = {p for r in self.reading for p in r.purposes}
        return [Purpose(p).label for p in Purpose.values if p in allowed] if allowed != declared else []

    @property
    def why_not(self) -> list[str]:
        return sorted({self.refusals[r.refusal] for r in self.readers if not r.reads})


def who_will_see(*, actor, case_id, draft: policy.Draft, purpose: str) -> list[AgencyAudience]:
    """Who on the case team would read an item `actor` is about to record with `draft`'s markings,
    by agency (the author's first). 404 for a case the actor may not see."""
    check_purpose(purpose, actor)
    case, _decision = cases.get_case(actor=actor, case_id=case_id, purpose=purpose, audit=False)
    if draft.category not in Category.values:
        raise InvalidInput(_("Select a category"), field="category")
    if not 0 <= draft.classification <= actor.clearance:
        raise InvalidInput(_("Select a classification up to your clearance"), field="classification")
    team = [a.practitioner for a in membership.listed_team_members(actor=actor, case=case) if a.active]
    facts = cases.case_facts(case)
    world = sharing_facts(recipient_ids={p.agency_id for p in team}, client_ids=[case.client_id], item_ids=[])
    answers = policy.audience(policy.draft_facts(actor, draft, facts, case.client_id), facts, team, world,
                              cases.today())
    record(actor=actor, operation=Operation.READ, object_type=AUDIENCE, object_id=case.pk, case_id=case.pk,
           purpose=purpose, detail={"audience": {"category": draft.category, "classification": draft.classification,
                                                 "markings": _markings(draft)},
                                    "readers": sorted(a.person.pk for a in answers if a.reads)})
    return _by_agency(actor, answers, _refusals(draft))


def _markings(draft: policy.Draft) -> list[str]:
    return [name for name in ("orcon", "no_decision", "no_cross_border", "intelligence") if getattr(draft, name)]


def _by_agency(actor, answers, refusals) -> list[AgencyAudience]:
    groups: dict[int, AgencyAudience] = {}
    for answer in answers:
        agency = answer.person.agency
        group = groups.setdefault(agency.pk, AgencyAudience(agency.name, agency.pk == actor.agency_id, [], refusals))
        group.readers.append(answer)
    return sorted(groups.values(), key=lambda g: (not g.own, g.name))
