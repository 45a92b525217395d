"""The shared-language content (assessments, CaseReflector sessions and goals, support-network ties)
is shown exactly as the sharing rule decides its items: on random worlds (those of
test_three_encodings_agree: agencies, memberships, agreements, consents, markings, withholdings), every
item carries one of these kinds of content, and for every practitioner, case and purpose the services
that show them show precisely the ones whose item `decide_item` lets the reader read, and nothing of a
case the reader may not see.
"""

import datetime as dt

from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from casebridge import policy
from casebridge.agencies.models import Practitioner
from casebridge.assessments import services as assessing
from casebridge.assessments.models import Assessment
from casebridge.cases import services as cases
from casebridge.cases.models import Case
from casebridge.errors import Forbidden, NotVisible
from casebridge.items.facts import item_facts, items_with_case, sharing_facts
from casebridge.items.models import Carrier, InformationItem
from casebridge.network import services as networks
from casebridge.network.models import Tie
from casebridge.policy import Perm
from casebridge.policy.tests.test_three_encodings_agree import NOW, _build, asked_purposes, world
from casebridge.reflector import services as reflectors
from casebridge.reflector.models import Goal, Reflector, Session

CARRIERS = [Carrier.ASSESSMENT, Carrier.REFLECTOR_SESSION, Carrier.REFLECTOR_GOAL, Carrier.NETWORK_TIE]


def _carry(item, carrier, person):
    """Make `item` the text of one piece of shared-language content of its agency on its case."""
    InformationItem.objects.filter(pk=item.pk).update(carrier=carrier)
    today = cases.today()
    if carrier == Carrier.ASSESSMENT:
        Assessment.objects.create(case_id=item.case_id, agency_id=item.originating_agency_id, instrument="vera-2r",
                                  version="1", assessed_on=today, valid_until=today + dt.timedelta(days=90),
                                  assessor=person, overall="low", text_item=item, recorded_at=NOW)
    elif carrier == Carrier.NETWORK_TIE:
        Tie.objects.create(case_id=item.case_id, agency_id=item.originating_agency_id, recorded_by=person,
                           kind="person", relation="friend", stance="supportive", strength=2, text_item=item,
                           recorded_at=NOW)
    else:
        reflector, _made = Reflector.objects.get_or_create(
            case_id=item.case_id, agency_id=item.originating_agency_id,
            defaults={"started_by": person, "started_at": NOW})
        if carrier == Carrier.REFLECTOR_SESSION:
            Session.objects.create(reflector=reflector, number=reflector.sessions.count() + 1, held_on=today,
                                   recorded_by=person, recorded_at=NOW, text_item=item)
        else:
            Goal.objects.create(reflector=reflector, agreed_on=today, set_by=person, text_item=item)


def _shown(person, case_id, purpose) -> set[int]:
    """The ids of the items whose content the three services show `person` on the case."""
    try:
        with transaction.atomic():
            shown = {r.formulation.pk for r in assessing.readable_assessments(actor=person, case_id=case_id,
                                                                              purpose=purpose)}
            shown |= {r.item.pk for r in networks.readable_network(actor=person, case_id=case_id, purpose=purpose)}
    except (NotVisible, Forbidden):
        shown = set()
    for reflector_id in Reflector.objects.filter(case_id=case_id).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                view = reflectors.read_reflector(actor=person, reflector_id=reflector_id, purpose=purpose)
        except (NotVisible, Forbidden):
            continue
        shown |= {s.note.pk for s in view.sessions} | {item.pk for _goal, item in view.goals}
    return shown


@settings(max_examples=12)
@given(spec=world, carriers=st.lists(st.sampled_from(CARRIERS), min_size=12, max_size=12))
def test_shared_language_content_is_shown_exactly_as_the_rule_decides_its_items(db, spec, carriers):
    try:
        with transaction.atomic():
            _build(spec)
            person = Practitioner.objects.order_by("pk").first()
            originals = InformationItem.objects.filter(derived_from__isnull=True).order_by("pk")
            for item, carrier in zip(originals, carriers):
                _carry(item, carrier, person)
            today, facts = cases.today(), sharing_facts()
            items = [item_facts(i) for i in items_with_case(InformationItem.objects.exclude(carrier=Carrier.RECORD))]
            for case in Case.objects.prefetch_related("memberships__coverage", "team"):
                facts_of_case = cases.case_facts(case)
                for reader in Practitioner.objects.select_related("agency"):
                    for purpose in [p for p in asked_purposes(spec) if policy.decide_purpose(reader, p)]:
                        expected = {i.id for i in items if i.case_id == case.pk and policy.decide_item(
                            reader, Perm.ITEM_READ, i, facts_of_case, facts, purpose, today)}
                        assert _shown(reader, case.pk, purpose) == expected, (reader.username, case.pk, purpose)
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    """Undo one example's world (the test's own transaction spans all examples)."""
