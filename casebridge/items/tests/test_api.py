"""Information items through the API: the same rule as the web, source and method for the
originating agency only, and every refusal as a JSON error with a stable code."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casebridge.api.tests.conftest import error_of
from casebridge.conftest import bearer
from casebridge.items import attachments
from casebridge.items.models import Attachment, InformationItem
from casebridge.items.tests.conftest import SECRETS
from casebridge.items.tests.test_views import ITEMS, PERSONAS, READS
from casebridge.sharing.models import Disclosure

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OWN_KEYS = {"source_text", "method_text", "derived_from", "derivatives"}


def _new_item(**overrides) -> dict:
    return {"category": "family_and_social_network", "nature": "fact", "title": "Brother visits weekly",
            "body": "Visits every Sunday.", "fact_date": "2025-06-05", "classification": 1, **overrides}


@pytest.mark.parametrize("key", ITEMS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_the_items_the_rule_allows(api, cast, exchange, persona, key):
    response = api(cast[persona]).get(f"/api/items/{exchange[key].pk}")
    assert response.status_code == (200 if key in READS[persona] else 404)
    if response.status_code == 404:
        assert error_of(response)["code"] == "not_found"
    else:
        assert response.json()["visible_because"]


OFF_CASE = {"nora": 404, "xavier": 404}
ORIGINATOR = {"petra": 403, "ivo": None, "omar": 404, "clara": 404, **OFF_CASE}  # None: the success status
TEAM = {"petra": None, "ivo": None, "omar": None, "clara": None, **OFF_CASE}


def _operations(exchange, case, agencies) -> dict:
    """Each item operation on Ivo's "Calm on the wing" (read by Ivo and Petra) or on the case."""
    item = f"/api/items/{exchange['behaviour'].pk}"
    return {
        "list the case's items": ("get", f"/api/cases/{case.pk}/items", None, 200, TEAM),
        "read the item": ("get", item, None, 200, {**ORIGINATOR, "petra": None}),
        "its use rights": ("get", f"{item}/use-rights", None, 200, {**ORIGINATOR, "petra": None}),
        "who read it": ("get", f"{item}/readers", None, 200, ORIGINATOR),
        "amend it": ("patch", item, {"expected_version": 1, "change_note": "Edit.", "body": "Still calm."}, 200,
                     ORIGINATOR),
        "derive from it": ("post", f"{item}/derivatives", {"title": "Settled", "body": "Settled in custody.",
                                                           "fact_date": "2025-06-01", "classification": 0}, 201,
                           ORIGINATOR),
        "retract it": ("post", f"{item}/retract", {"reason": "Wrong case."}, 200, ORIGINATOR),
        "disclose it": ("post", f"{item}/disclosures", {"recipient": agencies["cso"].pk,
                                                        "justification": "For the mentoring plan."}, 201, ORIGINATOR),
        "record on the case": ("post", f"/api/cases/{case.pk}/items", _new_item(classification=0), 201, TEAM),
        "preview": ("get", f"/api/cases/{case.pk}/preview?agency={agencies['cso'].pk}", None, 200, TEAM),
        "list decisions": ("get", f"/api/cases/{case.pk}/decisions", None, 200, TEAM),
        "record a decision": ("post", f"/api/cases/{case.pk}/decisions", {
            "kind": "regime", "text": "Standard regime.", "decided_on": "2025-06-10"}, 201,
            {**TEAM, "clara": 403}),  # an exit programme takes no formal decisions (CASEBRIDGE_DECISION_AGENCY_KINDS)
    }


@pytest.mark.parametrize("operation", ["list the case's items", "read the item", "its use rights", "who read it",
                                       "amend it", "derive from it", "retract it", "disclose it",
                                       "record on the case", "preview", "list decisions", "record a decision"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reaches_each_item_operation_as_the_table_says(api, cast, agencies, exchange, case, persona,
                                                                   operation):
    method, path, data, success, expected = _operations(exchange, case, agencies)[operation]
    caller = api(cast[persona])
    response = caller.get(path) if method == "get" else getattr(caller, method)(path, data)
    assert response.status_code == (expected[persona] or success), response.content[:300]


@pytest.mark.parametrize("persona", ["petra", "ivo", "omar", "clara"])
def test_the_case_items_list_holds_exactly_the_readable_items_with_their_basis(api, cast, exchange, case, persona):
    body = api(cast[persona]).get(f"/api/cases/{case.pk}/items").json()
    assert body["total"] == len(READS[persona])
    assert {i["id"] for i in body["items"]} == {exchange[k].pk for k in READS[persona]}
    assert all(i["visible_because"] for i in body["items"])


@pytest.mark.parametrize("persona", ["nora", "xavier"])
def test_people_off_the_case_get_404_for_its_items(api, cast, exchange, case, persona):
    assert api(cast[persona]).get(f"/api/cases/{case.pk}/items").status_code == 404


def test_the_list_filters_by_category_and_pages(api, cast, exchange, case):
    petra = api(cast["petra"])
    body = petra.get(f"/api/cases/{case.pk}/items?category=programme_and_intervention").json()
    assert [i["title"] for i in body["items"]] == ["Mentoring sessions started"] and body["total"] == 1
    page = petra.get(f"/api/cases/{case.pk}/items?offset=1&limit=1").json()
    assert page["total"] == 3 and len(page["items"]) == 1 and (page["offset"], page["limit"]) == (1, 1)
    for query in ("category=gossip", "offset=-1", "limit=0", "limit=100000"):
        assert error_of(petra.get(f"/api/cases/{case.pk}/items?{query}"))["code"] == "validation_error"


def test_the_declared_purpose_decides_what_the_agreement_gives(api, cast, exchange, case):
    # The agreement covers case management, release planning and risk assessment: not supervision.
    body = api(cast["petra"]).get(f"/api/cases/{case.pk}/items", HTTP_X_CASEBRIDGE_PURPOSE="supervision").json()
    assert [i["title"] for i in body["items"]] == ["Mentoring sessions started"]


# --- Source and method ------------------------------------------------------------------------

def _responses_of(api_client, exchange, sourced, case, persona):
    ids = [exchange[k].pk for k in READS[persona]] + [sourced["item"].pk, sourced["derivative"].pk]
    paths = [f"/api/cases/{case.pk}/items", f"/api/cases/{case.pk}/decisions",
             *(f"/api/items/{pk}" for pk in ids), *(f"/api/items/{pk}/use-rights" for pk in ids)]
    return [(path, api_client.get(path)) for path in paths]


@pytest.mark.parametrize("persona", ["petra", "ivo", "clara"])
def test_source_and_method_are_absent_from_every_response_to_another_agency(api, cast, exchange, sourced, case,
                                                                           persona):
    for path, response in _responses_of(api(cast[persona]), exchange, sourced, case, persona):
        assert response.status_code == 200, path
        for secret in SECRETS:
            assert secret not in response.content, (path, secret)
    body = api(cast[persona]).get(f"/api/items/{sourced['item'].pk}").json()
    assert not OWN_KEYS & set(body)


def test_the_originating_agency_gets_source_and_method(api, cast, exchange, sourced):
    omar = api(cast["omar"])
    body = omar.get(f"/api/items/{sourced['item'].pk}").json()
    assert body["source_text"] == "Informant K-17, met in person"
    assert body["method_text"] == "Telephone intercept under warrant 25/114"
    original = omar.get(f"/api/items/{exchange['police_secret'].pk}").json()
    assert original["derivatives"] == [sourced["derivative"].pk] and original["derived_from"] is None
    assert all(secret in json.dumps(original).encode() for secret in SECRETS)


def test_the_list_never_carries_source_or_method_even_for_the_originator(api, cast, exchange, sourced, case):
    response = api(cast["omar"]).get(f"/api/cases/{case.pk}/items")
    assert all(secret not in response.content for secret in SECRETS)


def test_a_derivative_says_it_is_sanitised_without_naming_its_original(api, cast, sourced):
    body = api(cast["petra"]).get(f"/api/items/{sourced['derivative'].pk}").json()
    assert body["is_derivative"] is True and "derived_from" not in body
    assert body["visible_because"].startswith("disclosure")


# --- Recording, amending, deriving, retracting ------------------------------------------------

def test_recording_an_item_returns_it_with_its_basis(api, cast, case):
    response = api(cast["omar"]).post(f"/api/cases/{case.pk}/items",
                                       _new_item(orcon=True, source_text="Visitor log", source_reliability="A",
                                                 information_accuracy=2))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["visible_because"] == "your agency originated this item" and body["handling_codes"] == ["ORCON"]
    assert body["source_text"] == "Visitor log" and body["originating_agency"]["kind"] == "police"
    assert (body["source_reliability"], body["information_accuracy"]) == ("A", 2)


@pytest.mark.parametrize("change, status, field", [
    ({"fact_date": "2999-01-01"}, 400, "fact_date"),
    ({"classification": 3}, 400, "classification"),
    ({"category": "gossip"}, 422, "category"),
    ({"title": ""}, 422, "title"),
    ({"body": "x" * 30000}, 422, "body"),
    ({"information_accuracy": 7}, 422, "information_accuracy"),
])
def test_recording_bad_input_is_refused_with_the_field_named(api, cast, case, change, status, field):
    response = api(cast["petra"]).post(f"/api/cases/{case.pk}/items", _new_item(**change))
    assert response.status_code == status and error_of(response)["field"] == field
    assert not InformationItem.objects.exists()


def test_amending_changes_only_the_fields_sent_and_checks_the_version(api, cast, exchange):
    ivo, item = api(cast["ivo"]), exchange["behaviour"]
    response = ivo.patch(f"/api/items/{item.pk}", {"expected_version": 1, "change_note": "Started work.",
                                                   "title": "Calm, working in the kitchen"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Calm, working in the kitchen" and body["version"] == 2
    assert body["body"] == item.body and body["classification"] == 1
    stale = ivo.patch(f"/api/items/{item.pk}", {"expected_version": 1, "change_note": "Again.", "title": "X"})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_version"
    assert error_of(stale)["current_version"] == 2


@pytest.mark.parametrize("persona, status", [("petra", 403), ("clara", 404), ("xavier", 404)])
def test_only_the_originating_agency_amends(api, cast, exchange, persona, status):
    response = api(cast[persona]).patch(f"/api/items/{exchange['behaviour'].pk}",
                                        {"expected_version": 1, "change_note": "Mine now.", "title": "Hijacked"})
    assert response.status_code == status
    assert InformationItem.objects.get(pk=exchange["behaviour"].pk).title == "Calm on the wing"


def test_a_derivative_is_created_below_its_original(api, cast, exchange):
    omar = api(cast["omar"])
    response = omar.post(f"/api/items/{exchange['police_secret'].pk}/derivatives", {
        "title": "Possible travel", "body": "The client may travel abroad.", "fact_date": "2025-06-01",
        "classification": 1})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_derivative"] and body["derived_from"] == exchange["police_secret"].pk
    assert body["category"] == "intelligence" and body["source_text"] == ""
    same_level = omar.post(f"/api/items/{exchange['police_secret'].pk}/derivatives", {
        "title": "x", "body": "y", "fact_date": "2025-06-01", "classification": 3})
    assert same_level.status_code == 400 and error_of(same_level)["field"] == "classification"


def test_retracting_answers_who_had_read_it(api, cast, exchange):
    item = exchange["behaviour"]
    api(cast["petra"]).get(f"/api/items/{item.pk}")
    response = api(cast["ivo"]).post(f"/api/items/{item.pk}/retract", {"reason": "Wrong case."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["item"]["retracted"] is True and body["item"]["retraction_reason"] == "Wrong case."
    assert [(r["person"], r["agency"], r["operation"], r["how"]) for r in body["readers"]] == [
        ("petra", "Westmark Probation Service", "Read", "Opened the item")]
    assert body["readers"][0]["basis"].startswith("agreement")
    assert api(cast["petra"]).get(f"/api/items/{item.pk}").status_code == 404


def test_readers_are_for_the_originating_agency_only(api, cast, exchange):
    item = exchange["behaviour"]
    api(cast["petra"]).get(f"/api/items/{item.pk}")
    readers = api(cast["ivo"]).get(f"/api/items/{item.pk}/readers").json()
    assert [(r["person"], r["purpose"]) for r in readers] == [("petra", "case_management")]
    assert api(cast["petra"]).get(f"/api/items/{item.pk}/readers").status_code == 403
    assert api(cast["clara"]).get(f"/api/items/{item.pk}/readers").status_code == 404


def test_use_rights_answer_each_action_with_its_reason(api, cast, exchange):
    rights = {r["action"]: r for r in api(cast["omar"]).get(f"/api/items/{exchange['police_secret'].pk}/use-rights")
              .json()}
    assert set(rights) == {"item:read", "item:reshare", "item:use_in_decision"}
    assert rights["item:read"]["allowed"] and not rights["item:use_in_decision"]["allowed"]
    assert rights["item:use_in_decision"]["reason"].startswith("intelligence")


# --- Disclosures ------------------------------------------------------------------------------

def test_an_orcon_item_reaches_probation_by_disclosure_and_leaves_on_revocation(api, cast, agencies, exchange):
    item, omar, petra = exchange["police_orcon"], api(cast["omar"]), api(cast["petra"])
    assert petra.get(f"/api/items/{item.pk}").status_code == 404
    made = omar.post(f"/api/items/{item.pk}/disclosures", {"recipient": agencies["probation"].pk,
                                                            "justification": "Risk review on Friday."})
    assert made.status_code == 201, made.content
    assert made.json()["active"] is True and made.json()["recipient"]["kind"] == "probation"
    assert petra.get(f"/api/items/{item.pk}").json()["visible_because"].startswith("disclosure")
    revoked = omar.post(f"/api/disclosures/{made.json()['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert petra.get(f"/api/items/{item.pk}").status_code == 404


def test_only_the_originator_discloses_or_revokes(api, cast, agencies, exchange, sourced):
    response = api(cast["petra"]).post(f"/api/items/{exchange['behaviour'].pk}/disclosures",
                                       {"recipient": agencies["cso"].pk, "justification": "For mentoring."})
    assert response.status_code == 403
    disclosure = Disclosure.objects.filter(item=sourced["item"]).first()
    assert api(cast["petra"]).post(f"/api/disclosures/{disclosure.pk}/revoke").status_code == 403
    assert api(cast["xavier"]).post(f"/api/disclosures/{disclosure.pk}/revoke").status_code == 404


# --- Attachments ------------------------------------------------------------------------------

def _upload(client, user, item, name, content):
    return client.post(f"/api/items/{item.pk}/attachments", {"file": SimpleUploadedFile(name, content)},
                       **bearer(user))


def test_an_attachment_is_uploaded_with_its_sha256_and_downloaded_by_readers_only(client, api, cast, exchange):
    item = exchange["behaviour"]
    response = _upload(client, cast["ivo"], item, "scan.png", PNG)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PNG).hexdigest() and body["content_type"] == "image/png"
    assert api(cast["petra"]).get(f"/api/items/{item.pk}").json()["attachments"][0]["sha256"] == body["sha256"]
    download = api(cast["petra"]).get(f"/api/attachments/{body['id']}")
    assert download.status_code == 200 and download.content == PNG
    assert download["Content-Disposition"] == 'attachment; filename="scan.png"'
    assert api(cast["clara"]).get(f"/api/attachments/{body['id']}").status_code == 404


def test_the_timeline_names_each_items_own_attachments_in_one_query(client, api, cast, exchange, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def timeline():
        answer = api(cast["petra"]).get(f"/api/cases/{case.pk}/items")
        return {row["title"]: [a["filename"] for a in row["attachments"]] for row in answer.json()["items"]}

    assert set(timeline()["Calm on the wing"]) == set()
    for name in ("scan.png", "second.png"):
        assert _upload(client, cast["ivo"], exchange["behaviour"], name, PNG).status_code == 201
    assert _upload(client, cast["omar"], exchange["police_risk"], "network.png", PNG).status_code == 201
    with CaptureQueriesContext(connection) as captured:
        shown = timeline()
    assert shown["Calm on the wing"] == ["scan.png", "second.png"]  # in the order they were uploaded
    assert shown["Network contacts assessed"] == ["network.png"]
    assert all(files == [] for title, files in shown.items()
               if title not in ("Calm on the wing", "Network contacts assessed"))
    assert sum('FROM "items_attachment"' in q["sql"] for q in captured.captured_queries) == 1


@pytest.mark.parametrize("content, message", [
    (b"%PDF-" + b"0" * attachments.MAX_BYTES, "larger than 5 MB"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "Only PDF, PNG, JPEG and plain-text files"),
])
def test_an_oversize_or_unknown_file_is_refused(client, cast, exchange, content, message):
    response = _upload(client, cast["ivo"], exchange["behaviour"], "upload.bin", content)
    assert response.status_code == 400 and message in error_of(response)["message"]
    assert not Attachment.objects.exists()


def test_only_the_originator_attaches(client, cast, exchange):
    assert _upload(client, cast["petra"], exchange["behaviour"], "x.png", PNG).status_code == 403
    assert _upload(client, cast["clara"], exchange["behaviour"], "x.png", PNG).status_code == 404


# --- Preview ----------------------------------------------------------------------------------

def test_preview_says_what_probation_would_see_of_the_polices_items(api, cast, agencies, exchange, case):
    body = api(cast["omar"]).get(f"/api/cases/{case.pk}/preview?agency={agencies['probation'].pk}").json()
    seen = {i["title"]: i for i in body["items"]}
    assert body["member"] is True and "Clearance is personal" in body["note"]
    assert seen["Network contacts assessed"]["visible"] and seen["Network contacts assessed"]["basis"]
    assert not seen["Handler concerns"]["visible"] and seen["Handler concerns"]["basis"] is None


def test_preview_needs_a_known_agency(api, cast, exchange, case):
    omar = api(cast["omar"])
    assert error_of(omar.get(f"/api/cases/{case.pk}/preview"))["code"] == "validation_error"
    assert error_of(omar.get(f"/api/cases/{case.pk}/preview?agency=999999"))["field"] == "agency"
    assert api(cast["xavier"]).get(f"/api/cases/{case.pk}/preview?agency=1").status_code == 404


def test_every_item_operation_needs_a_token(api, exchange, case):
    anonymous = api(None)
    item = exchange["behaviour"].pk
    for path in (f"/api/cases/{case.pk}/items", f"/api/items/{item}", f"/api/items/{item}/readers",
                 f"/api/items/{item}/use-rights", f"/api/cases/{case.pk}/preview?agency=1",
                 f"/api/cases/{case.pk}/decisions"):
        assert anonymous.get(path).status_code == 401
