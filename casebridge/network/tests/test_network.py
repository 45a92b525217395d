"""Mapping the support network: case content under the sharing rule, on the page, in the picture, on the API."""

import xml.etree.ElementTree as ET

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.audit.models import AuditEvent
from casebridge.conftest import PURPOSE, sign_in
from casebridge.errors import BeyondAuthority, InvalidInput
from casebridge.items.models import InformationItem
from casebridge.network import services
from casebridge.network.models import Tie
from casebridge.network.tests.conftest import map_tie

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def page_of(client, person, case):
    sign_in(client, person)
    answer = client.get(reverse("network:case", args=[case.pk]))
    assert answer.status_code == 200
    return answer.content.decode()


def picture_of(page: str) -> ET.Element:
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" class="network-picture"')
    return ET.fromstring(page[start:page.index("</svg>", start) + len("</svg>")])


def tie_nodes(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") == "tie"]


def names(person, case) -> set[str]:
    with transaction.atomic():
        return {r.name for r in services.readable_network(actor=person, case_id=case.pk, purpose=PURPOSE)}


def test_each_agency_reads_the_ties_the_rule_lets_it_read(ties, cast, case):
    assert names(cast["petra"], case) == {"Maria Synthetica", "Jonas Exampleman", "Westmark Community Mosque"}
    assert names(cast["ivo"], case) == {"Maria Synthetica", "Jonas Exampleman", "Westmark Community Mosque"}
    assert names(cast["omar"], case) == {"Kestrel Fictivus"}  # probation shares nothing of it with the police
    assert names(cast["clara"], case) == set()


def test_a_confidential_scene_contact_is_absent_from_the_page_and_picture_of_those_who_may_not_read_it(
        client, ties, cast, case):
    page = page_of(client, cast["petra"], case)
    assert "Kestrel" not in page and "Old contact from the scene" not in page and "Scene contact" in page  # legend
    assert [g.get("data-tie") for g in tie_nodes(picture_of(page))] == [
        str(ties[k].pk) for k in ("mother", "mentor", "mosque")]
    assert "Kestrel Fictivus" in page_of(client, cast["omar"], case)


def test_a_tie_the_caller_may_not_read_is_absent_from_the_api_and_a_404(api, ties, cast, case):
    listed = api(cast["petra"]).get(f"/api/cases/{case.pk}/network")
    assert listed.status_code == 200 and "Kestrel" not in listed.content.decode()
    assert {t["name"] for t in listed.json()} == {"Maria Synthetica", "Jonas Exampleman", "Westmark Community Mosque"}
    scene = ties["scene"].pk
    for answer in (api(cast["petra"]).patch(f"/api/network/{scene}", {"version": 1, "stance": "supportive"}),
                   api(cast["petra"]).post(f"/api/network/{scene}/end", {"version": 1, "reason": "died"}),
                   api(cast["xavier"]).get(f"/api/cases/{case.pk}/network")):
        assert answer.status_code == 404 and "Kestrel" not in answer.content.decode()
    assert Tie.objects.get(pk=scene).stance == "opposing" and Tie.objects.get(pk=scene).current


def test_the_picture_is_well_formed_svg_with_the_client_in_the_centre_and_one_node_per_tie(client, ties, cast, case):
    svg = picture_of(page_of(client, cast["petra"], case))
    assert len(tie_nodes(svg)) == 3
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Client" in texts and "Test Client-One" not in ET.tostring(svg, encoding="unicode")
    assert not [e for e in svg.iter() if "style" in e.attrib]  # the CSP forbids inline styles
    mosque = next(g for g in tie_nodes(svg) if g.get("data-tie") == str(ties["mosque"].pk))
    assert mosque.find(f"{SVG}polygon") is not None  # ambivalent: a diamond, not only a colour
    dashes = {line.get("stroke-dasharray") for line in svg.iter(f"{SVG}line")}
    assert dashes == {"none", "10 6"}


def test_the_table_repeats_the_ties_with_relation_stance_strength_notes_and_agency(client, ties, cast, case):
    page = page_of(client, cast["petra"], case)
    for text in ("Maria Synthetica", "Visits every week.", "Strong", "Westmark Prison", "Faith organisation",
                 "Ambivalent"):
        assert text in page


def test_a_stale_change_is_a_409_and_changes_nothing(api, ties, cast, case):
    mother = ties["mother"]
    first = api(cast["petra"]).patch(f"/api/network/{mother.pk}", {"version": 1, "stance": "ambivalent"})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api(cast["petra"]).patch(f"/api/network/{mother.pk}", {"version": 1, "strength": 1,
                                                                   "notes": "Overwritten."})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version" and stale.json()["error"]["current_version"] == 2
    mother.refresh_from_db()
    assert (mother.stance, mother.strength, mother.version) == ("ambivalent", 3, 2)
    assert InformationItem.objects.get(pk=mother.text_item_id).body == "Maria Synthetica\n\nVisits every week."


def test_a_stale_change_from_the_page_says_so_and_changes_nothing(client, ties, cast, case):
    sign_in(client, cast["petra"])
    data = {"stance": "opposing", "strength": "1", "notes": "Changed.", "version": "1"}
    assert client.post(reverse("network:change", args=[ties["mother"].pk]), data).status_code == 302
    again = client.post(reverse("network:change", args=[ties["mother"].pk]), {**data, "stance": "supportive"})
    assert again.status_code == 409 and "changed this tie since you opened it" in again.content.decode()
    assert Tie.objects.get(pk=ties["mother"].pk).stance == "opposing"


def test_changing_notes_keeps_the_earlier_notes_as_a_version_of_the_item(ties, cast):
    with transaction.atomic():
        services.change_tie(actor=cast["petra"], tie_id=ties["mentor"].pk, expected_version=1, notes="Weekly now.",
                            purpose=PURPOSE)
    item = InformationItem.objects.get(pk=ties["mentor"].text_item_id)
    assert item.body == "Jonas Exampleman\n\nWeekly now." and item.versions.count() == 1


def test_another_agency_reading_a_tie_cannot_change_it(ties, cast):
    with pytest.raises(BeyondAuthority), transaction.atomic():
        services.change_tie(actor=cast["ivo"], tie_id=ties["mother"].pk, expected_version=1, stance="opposing",
                            purpose=PURPOSE)


@pytest.mark.parametrize("change, field", [
    ({"name": "  "}, "name"),
    ({"name": "Two\nlines"}, "name"),
    ({"kind": "crowd"}, "kind"),
    ({"relation": "nemesis"}, "relation"),
    ({"stance": "hostile"}, "stance"),
    ({"strength": 5}, "strength"),
    ({"level": 3}, "classification"),  # above Petra's clearance
])
def test_bad_ties_are_refused_on_their_field(networked, cast, case, change, field):
    values = {"name": "Sam Placeholder", **change}
    with pytest.raises(InvalidInput) as refused:
        map_tie(cast["petra"], case, values.pop("name"), **values)
    assert refused.value.field == field and not Tie.objects.exists()


def test_bad_input_on_the_api_names_the_field(api, networked, cast, case):
    answer = api(cast["petra"]).post(f"/api/cases/{case.pk}/network", {
        "name": "Sam Placeholder", "kind": "person", "relation": "nemesis", "stance": "supportive", "strength": 2})
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "relation"


def test_ending_a_tie_keeps_it_on_record_out_of_the_picture(client, api, ties, cast, case):
    ended = api(cast["petra"]).post(f"/api/network/{ties['mentor'].pk}/end", {"version": 1,
                                                                               "reason": "contact_ended"})
    assert ended.status_code == 200 and ended.json()["end_reason"] == "contact_ended" and ended.json()["ended_at"]
    page = page_of(client, cast["petra"], case)
    assert len(tie_nodes(picture_of(page))) == 2 and "Ended ties" in page and "Jonas Exampleman" in page
    again = api(cast["petra"]).patch(f"/api/network/{ties['mentor'].pk}", {"version": 2, "stance": "opposing"})
    assert again.status_code == 409 and Tie.objects.get(pk=ties["mentor"].pk).stance == "supportive"


def test_mapping_changing_ending_and_listing_are_audited_without_the_name(ties, cast, case):
    mother = ties["mother"]
    with transaction.atomic():
        services.change_tie(actor=cast["petra"], tie_id=mother.pk, expected_version=1, strength=1, purpose=PURPOSE)
        services.end_tie(actor=cast["petra"], tie_id=mother.pk, expected_version=2, reason="moved_away",
                         purpose=PURPOSE)
        services.readable_network(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
    events = AuditEvent.objects.filter(object_type="network.tie", object_id=str(mother.pk)).order_by("seq")
    assert [e.operation for e in events] == ["create", "update", "update"]
    assert events[1].detail["changed"] == {"strength": [3, 1]} and events[2].detail["ended"] == "moved_away"
    listing = AuditEvent.objects.filter(operation="list", actor_id=cast["petra"].pk, case_id=case.pk).latest("seq")
    assert str(mother.text_item_id) in listing.detail["items"]
    assert not AuditEvent.objects.filter(detail__icontains="Maria").exists()


def test_a_tie_is_mapped_from_the_page_as_an_item_of_the_family_and_social_network(client, networked, cast, case):
    sign_in(client, cast["ivo"])
    answer = client.post(reverse("network:case", args=[case.pk]), {
        "tie-name": "Ada Neighbourly", "tie-kind": "person", "tie-relation": "friend", "tie-stance": "supportive",
        "tie-strength": "2", "tie-notes": "", "tie-classification": ""})
    assert answer.status_code == 302
    item = Tie.objects.get().text_item
    assert (item.category, item.classification, item.carrier, item.title) == (
        "family_and_social_network", 1, "network_tie", "Ada Neighbourly")
    refused = client.post(reverse("network:case", args=[case.pk]), {
        "tie-name": "", "tie-kind": "person", "tie-relation": "friend", "tie-stance": "supportive",
        "tie-strength": "2"})
    assert refused.status_code == 400 and Tie.objects.count() == 1


def test_the_case_page_links_the_network_and_asks_for_a_community_map_before_release(client, networked, cast, case):
    sign_in(client, cast["petra"])
    custody = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("network:case", args=[case.pk]) in custody and "map the community" not in custody
    case.phase = "release_preparation"
    case.save(update_fields=["phase"])
    assert "map the community" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_release_planning_has_the_community_and_support_network_map_on_its_agenda():
    from casebridge.conferences import kinds

    assert "Community and support network map" in [str(a.heading) for a in kinds.kind(kinds.RELEASE_PLANNING).agenda]
