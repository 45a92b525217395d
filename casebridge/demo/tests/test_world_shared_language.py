"""The support-network maps of the demo world (built once for this module, as test_world.py builds it)."""

from django.db import transaction

from casebridge.agencies.models import Practitioner
from casebridge.network import services
from casebridge.network.models import Tie
from casebridge.vocabulary import Purpose


def _names(username: str, case_id: int) -> set[str]:
    person = Practitioner.objects.get(username=username)
    with transaction.atomic():
        return {r.name for r in services.readable_network(actor=person, case_id=case_id,
                                                          purpose=Purpose.RELEASE_PLANNING)}


def test_the_demo_maps_networks_by_several_agencies_with_a_scene_contact_for_the_police_only(demo, db):
    scene = Tie.objects.filter(relation="scene_contact").select_related("agency", "text_item").first()
    assert scene is not None and scene.agency.kind == "police" and scene.text_item.classification == 2
    assert Tie.objects.filter(case_id=scene.case_id).values("agency").distinct().count() >= 2
    assert scene.text_item.title in _names("omar", scene.case_id)
    for username in ("petra", "ivo", "clara"):
        seen = _names(username, scene.case_id)
        assert seen and scene.text_item.title not in seen


def test_the_demo_keeps_two_case_reflectors_with_sessions_goals_and_a_shared_summary(demo, db):
    from casebridge.reflector import services as reflectors
    from casebridge.reflector.models import Reflector

    kept = list(Reflector.objects.select_related("agency"))
    assert len(kept) == 2 and {r.agency.kind for r in kept} == {"cso"}
    assert all(r.sessions.count() >= 3 and r.goals.exists() for r in kept)
    shared = [r for r in kept if r.summaries.exists()]
    assert len(shared) == 1 and "non-personal summary" in shared[0].summaries.get().item.body
    clara, petra = (Practitioner.objects.get(username=n) for n in ("clara", "petra"))
    with transaction.atomic():
        view = reflectors.read_reflector(actor=clara, reflector_id=shared[0].pk, purpose=Purpose.CASE_MANAGEMENT)
        assert len(view.sessions) == 4 and view.keeps
        assert reflectors.case_reflectors(actor=petra, case_id=shared[0].case_id,
                                          purpose=Purpose.CASE_MANAGEMENT) == []  # ORCON: stays at the programme


def test_the_demo_records_assessments_with_three_instruments_by_three_agencies(demo, db):
    from casebridge.assessments.models import Assessment

    found = Assessment.objects.values_list("instrument", "agency__kind").distinct()
    assert {i for i, _kind in found} >= {"vera-2r", "erg22", "trap-18"} and len({k for _i, k in found}) >= 3
