"""Case content has one carrier: every text of the case record is an information item, read only
where the item rule lets its reader read it, on every page, partial and API response.

The texts below are written by Petra (probation, the lead agency) through the real services. The
case's agreement gives probation's programme items at OPEN to the CSO with the client's consent,
and nothing of probation's to the prison or the police; so Clara reads only the decision written
as a programme item at OPEN and the housing office's responsibilities (OPEN programme items, also
disclosed to housing), and Ivo and Omar read none of them. The phases themselves, their
dates and who recorded them stay visible to everyone on the team.
"""

import datetime as dt
import json

import pytest
from django.db import transaction

from casebridge.api.tests.conftest import api  # noqa: F401  (a fixture, used by name)
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import membership, services
from casebridge.cases.models import Case
from casebridge.conftest import PURPOSE, sign_in
from casebridge.decisions import services as decisions
from casebridge.items import services as items
from casebridge.items.models import Carrier, InformationItem

TEXTS = {
    "summary": "SUMMARY-MARK Convicted of preparing an attack.",
    "residency": "RESIDENCY-MARK Deportation order under appeal.",
    "handover": "HANDOVER-MARK Psychiatric report: paranoid traits, medication refused.",
    "duties": "DUTIES-MARK Find housing before release.",
    "ended": "ENDED-MARK Housing found through the family.",
    "team": "TEAMNOTE-MARK Cover ended; client asked about his brother.",
    "decision": "DECISION-MARK Recommend release to the address of the mother.",
    "open_decision": "OPEN-DECISION-MARK Keep the weekly exit programme sessions.",
}
CARRIER_OF = {"summary": Carrier.CASE_SUMMARY, "residency": Carrier.RESIDENCY_NOTE, "handover": Carrier.PHASE_HANDOVER,
              "duties": Carrier.MEMBERSHIP_RESPONSIBILITIES, "ended": Carrier.MEMBERSHIP_END,
              "team": Carrier.TEAM_HANDOVER, "decision": Carrier.DECISION_TEXT,
              "open_decision": Carrier.DECISION_TEXT}
# Who of the team reads each text: Petra originated them all; Clara only the OPEN programme ones.
READERS = {name: {"petra"} for name in TEXTS} | {"open_decision": {"petra", "clara"}, "duties": {"petra", "clara"}}
TEAM = ["petra", "ivo", "omar", "clara"]


@pytest.fixture
def texts(exchange, cast, agencies, case):
    """Every carrier once, written by Petra, and the case moved to release preparation."""
    petra, purpose = cast["petra"], PURPOSE
    with transaction.atomic():
        summary = items.record_carried_text(actor=petra, case=case, carrier=Carrier.CASE_SUMMARY,
                                            text=TEXTS["summary"], title="Case summary", fact_date=case.opened_on,
                                            purpose=purpose, field="summary")
        Case.objects.filter(pk=case.pk).update(summary_item=summary)
        services.update_client(actor=petra, case_id=case.pk, purpose=purpose,
                               data={"residency_status": "deportation_order", "residency_note": TEXTS["residency"]})
        housing = membership.add_membership(actor=petra, case_id=case.pk, agency_id=agencies["housing"].pk,
                                            point_of_contact_id=cast["xavier"].pk, phases=["release_preparation"],
                                            responsibilities=TEXTS["duties"], purpose=purpose)
        membership.end_membership(actor=petra, case_id=case.pk, membership_id=housing.pk, reason=TEXTS["ended"],
                                  ends_on=dt.date.today() + dt.timedelta(days=30), purpose=purpose)
        membership.assign_to_team(actor=petra, case_id=case.pk, practitioner_id=cast["nora"].pk, purpose=purpose)
        place = case.team.get(practitioner=cast["nora"], released_at__isnull=True)
        membership.release_from_team(actor=petra, case_id=case.pk, assignment_id=place.pk, handover_note=TEXTS["team"],
                                     purpose=purpose)
        for name, category, level in [("decision", None, None), ("open_decision", "programme_and_intervention", 0)]:
            decisions.record_decision(actor=petra, case_id=case.pk, kind="release_recommendation", text=TEXTS[name],
                                      decided_on=dt.date(2025, 6, 10), basis_item_ids=[], purpose=purpose,
                                      category=category, classification=level)
        services.transition_phase(actor=petra, case_id=case.pk, to_phase="release_preparation",
                                  effective_on=dt.date.today(), handover_note=TEXTS["handover"],
                                  category="health_and_mental_health", purpose=purpose)
    return {item.body: item for item in InformationItem.objects.exclude(carrier=Carrier.RECORD)}


def test_every_text_of_the_case_record_is_an_item_of_its_writers_agency(texts, cast):
    assert {name: texts[text].carrier for name, text in TEXTS.items()} == CARRIER_OF
    for text in TEXTS.values():
        item = texts[text]
        assert (item.originating_agency_id, item.author) == (cast["petra"].agency_id, cast["petra"])
    assert texts[TEXTS["handover"]].category == "health_and_mental_health"
    assert texts[TEXTS["summary"]].category == "identity_and_status"
    assert texts[TEXTS["residency"]].category == "legal_and_residency"
    assert texts[TEXTS["decision"]].category == "offence_and_sentence"  # what a release recommendation is about
    assert texts[TEXTS["team"]].classification == 1  # RESTRICTED unless the writer chooses
    assert texts[TEXTS["duties"]].classification == 0  # OPEN: what an agency is asked to do is disclosed to it
    assert texts[TEXTS["duties"]].disclosures.get().recipient.kind == "housing"


def _shown(body: str) -> dict[str, bool]:
    return {name: text in body for name, text in TEXTS.items()}


def _expected(persona: str) -> dict[str, bool]:
    return {name: persona in READERS[name] for name in TEXTS}


@pytest.mark.parametrize("persona", TEAM)
def test_the_case_page_shows_a_text_exactly_to_those_the_rule_lets_read_it(client, cast, texts, case, persona):
    page = sign_in(client, cast[persona]).get(f"/cases/{case.pk}/").content.decode()
    assert _shown(page) == _expected(persona)


@pytest.mark.parametrize("persona", TEAM)
def test_the_api_shows_a_text_exactly_to_those_the_rule_lets_read_it(api, cast, texts, case, persona):
    bodies = "".join(api(cast[persona]).get(path).content.decode() for path in (
        f"/api/cases/{case.pk}", f"/api/cases/{case.pk}/transitions", f"/api/cases/{case.pk}/decisions"))
    assert _shown(bodies) == _expected(persona)


@pytest.mark.parametrize("persona", ["clara", "ivo"])
def test_the_htmx_partial_after_a_refused_form_shows_no_text_its_reader_may_not_read(client, cast, texts, case,
                                                                                     persona):
    place = case.team.get(practitioner=cast[persona], released_at__isnull=True)
    response = sign_in(client, cast[persona]).post(f"/cases/{case.pk}/team/release/", {
        "release-assignment": place.pk, "release-handover_note": ""}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 400 and "Case team" in page
    assert _shown(page) == _expected(persona)


def test_cso_worker_does_not_see_a_handover_note_her_agency_has_no_basis_for(client, cast, texts, case):
    page = sign_in(client, cast["clara"]).get(f"/cases/{case.pk}/").content.decode()
    timeline = page[page.index('id="timeline"'):]
    # The phase, its date and who moved the case stay visible: access depends on them.
    assert "Custody → " in timeline and "Release preparation" in timeline and "recorded by Petra Peeters" in timeline
    assert "HANDOVER-MARK" not in page and "Psychiatric" not in page
    assert f"/items/{texts[TEXTS['handover']].pk}/" not in page
    assert sign_in(client, cast["clara"]).get(f"/items/{texts[TEXTS['handover']].pk}/").status_code == 404


def test_petra_reads_her_own_services_handover_note_with_its_item(client, cast, texts, case):
    note = texts[TEXTS["handover"]]
    page = sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/").content.decode()
    assert TEXTS["handover"] in page and f'href="/items/{note.pk}/"' in page


def test_an_unreadable_text_is_null_on_the_api_and_a_readable_one_comes_with_its_item(api, cast, texts, case):
    clara = api(cast["clara"]).get(f"/api/cases/{case.pk}").json()
    assert clara["summary"] is None and clara["client"]["residency_note"] is None
    assert all(change["handover_note"] is None for change in clara["phase_history"])
    assert all(m["end_reason"] is None for m in clara["memberships"])
    petra = api(cast["petra"]).get(f"/api/cases/{case.pk}").json()
    assert petra["summary"] == {"item_id": texts[TEXTS["summary"]].pk, "text": TEXTS["summary"],
                                "category": "identity_and_status", "classification_label": "RESTRICTED"}
    assert petra["phase_history"][-1]["handover_note"]["text"] == TEXTS["handover"]


def test_decision_without_readable_text_is_absent_from_the_list_and_count(api, client, cast, texts, case):
    listed = api(cast["clara"]).get(f"/api/cases/{case.pk}/decisions").json()
    assert [d["text"]["text"] for d in listed] == [TEXTS["open_decision"]]
    event = AuditEvent.objects.filter(operation=Operation.LIST, object_type="decisions.formaldecision",
                                      actor_id=cast["clara"].pk).latest("seq")
    assert event.detail["count"] == 1
    assert api(cast["ivo"]).get(f"/api/cases/{case.pk}/decisions").json() == []
    assert len(api(cast["petra"]).get(f"/api/cases/{case.pk}/decisions").json()) == 2
    section = sign_in(client, cast["ivo"]).get(f"/cases/{case.pk}/").content.decode()
    section = section[section.index('id="decisions"'):]
    assert "No formal decisions recorded on this case." in section and "Release recommendation" not in section


def test_carried_texts_are_not_repeated_in_the_items_timeline_nor_counted_there(api, cast, texts, exchange, case):
    timeline = api(cast["petra"]).get(f"/api/cases/{case.pk}/items?limit=200").json()
    listed = {item["id"] for item in timeline["items"]}
    assert listed and not listed & {item.pk for item in texts.values()}
    readable = items.visible_items(cast["petra"], PURPOSE).filter(case=case)
    assert timeline["total"] == len(listed) == readable.filter(carrier=Carrier.RECORD).count()
    assert readable.count() == len(listed) + len(TEXTS)  # the texts are readable items all the same


def test_a_carried_text_is_an_item_with_its_page_versions_and_search(api, client, cast, texts, case):
    note = texts[TEXTS["residency"]]
    with transaction.atomic():
        services.update_client(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE,
                               data={"residency_note": "RESIDENCY-MARK Appeal rejected on 3 June."})
    note.refresh_from_db()
    assert note.version == 2 and note.versions.get().snapshot["body"] == TEXTS["residency"]
    item = api(cast["petra"]).get(f"/api/items/{note.pk}").json()
    assert item["carrier"] == "residency_note" and item["body"].endswith("Appeal rejected on 3 June.")
    found = api(cast["petra"]).get("/api/search?q=RESIDENCY-MARK").json()
    assert [hit["item_id"] for hit in found["results"]] == [note.pk]
    assert api(cast["clara"]).get("/api/search?q=RESIDENCY-MARK").json()["total"] == 0
    assert api(cast["clara"]).get(f"/api/items/{note.pk}").status_code == 404
    page = sign_in(client, cast["petra"]).get(f"/items/{note.pk}/").content.decode()
    assert "Appeal rejected on 3 June." in page and "of the case record, kept as an item" in page


def test_no_audit_event_holds_a_carried_text(texts, client, cast, case):
    sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/")
    trail = json.dumps([e.detail for e in AuditEvent.objects.all()])
    for text in TEXTS.values():
        assert text.split(" ", 1)[1] not in trail


def test_reading_the_case_page_records_which_texts_were_read_on_which_basis(client, cast, texts, case):
    before = AuditEvent.objects.count()
    sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/")
    # One event for the page: the reading of the case, naming every text shown with its basis.
    event, = AuditEvent.objects.filter(seq__gt=before)
    assert (event.operation, event.object_type, event.object_id) == (Operation.READ, "cases.case", str(case.pk))
    shown = {int(pk): basis for pk, basis in event.detail["items"].items()}
    # Every text shown (carried texts, and decision texts with their decisions), each with its basis.
    assert {shown.get(texts[t].pk) for t in TEXTS.values()} == {"your agency originated this item"}
    assert {"operation": "list", "object_type": "items.informationitem", "carried": True} in event.detail["shown"]
