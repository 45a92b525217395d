"""The support-network maps of the demo world (built once for this module, as test_world.py builds it)."""

from django.db import transaction

from casebridge.agencies.models import Practitioner
from casebridge.demo.tests.test_world import demo  # noqa: F401  (a fixture, used by name)
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
