"""Changing items on the web: recording, amending, deriving, retracting, disclosing and revoking,
attaching files, who read an item, and previewing what another agency would see."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from casebridge.conftest import PURPOSE, sign_in
from casebridge.errors import InvalidInput
from casebridge.items import attachments, services
from casebridge.items.models import Attachment, InformationItem, ItemVersion
from casebridge.sharing.models import Disclosure

PERSONAS = ["petra", "ivo", "omar", "clara", "nora", "xavier"]
ORIGINATOR = {"petra": 403, "ivo": 302, "omar": 404, "clara": 404, "nora": 404, "xavier": 404}
ON_TEAM = {**dict.fromkeys(PERSONAS, 200), "nora": 404, "xavier": 404}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _item_fields(prefix: str, **overrides) -> dict:
    data = {"category": "custody_behaviour_and_security", "nature": "fact", "title": "Calm on the wing",
            "body": "Calm on the wing: details for the team.", "fact_date": "2025-06-01", "classification": "1",
            **overrides}
    return {f"{prefix}-{k}": v for k, v in data.items()}


def _requests(exchange, case, agencies) -> dict:
    """Each form on Ivo's "Calm on the wing" (read by Ivo and Petra) and on the case, with valid input."""
    item = exchange["behaviour"]
    url = lambda name: reverse(f"items:{name}", args=[item.pk])  # noqa: E731
    return {
        "item page": ("get", url("detail"), {}, {**ORIGINATOR, "petra": 200, "ivo": 200}),
        "who read it": ("get", url("readers"), {}, {**ORIGINATOR, "ivo": 200}),
        "amend": ("post", url("amend"), {**_item_fields("amend", body="Still calm."), "amend-version": 1,
                                         "amend-change_note": "Updated after the review."}, ORIGINATOR),
        "derive": ("post", url("derive"), {**_item_fields("derive", classification="0", title="Settled"),
                                           "derive-body": "Settled in custody."}, ORIGINATOR),
        "retract": ("post", url("retract"), {"retract-reason": "Recorded on the wrong case."},
                    {**ORIGINATOR, "ivo": 200}),
        "disclose": ("post", url("disclose"), {"disclose-recipient": agencies["cso"].pk,
                                               "disclose-justification": "For the mentoring plan."}, ORIGINATOR),
        "attach": ("post", url("attach"), {"attach-file": SimpleUploadedFile("scan.png", PNG)}, ORIGINATOR),
        "record on the case": ("post", reverse("items:record", args=[case.pk]),
                               _item_fields("item", classification="0"), {**ON_TEAM, **dict.fromkeys(
                                   ["petra", "ivo", "omar", "clara"], 302)}),
        "preview": ("get", reverse("items:preview", args=[case.pk]), {"agency": agencies["probation"].pk}, ON_TEAM),
        # An exit programme takes no formal decisions (CASEBRIDGE_DECISION_AGENCY_KINDS): 403, not offered.
        "decision form": ("get", reverse("decisions:record", args=[case.pk]), {}, {**ON_TEAM, "clara": 403}),
    }


ENDPOINTS = ["item page", "who read it", "amend", "derive", "retract", "disclose", "attach", "record on the case",
             "preview", "decision form"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reaches_each_item_page_and_form_as_the_table_says(client, cast, agencies, exchange, case,
                                                                       persona, endpoint):
    method, url, data, expected = _requests(exchange, case, agencies)[endpoint]
    response = getattr(sign_in(client, cast[persona]), method)(url, data)
    assert response.status_code == expected[persona]


def test_the_item_forms_only_take_posts(client, cast, exchange):
    sign_in(client, cast["ivo"])
    for name in ("amend", "derive", "retract", "disclose", "revoke", "attach"):
        assert client.get(reverse(f"items:{name}", args=[exchange["behaviour"].pk])).status_code == 405


# --- Recording --------------------------------------------------------------------------------

def test_recording_information_from_the_case_page_creates_it_and_opens_it(client, cast, case):
    sign_in(client, cast["omar"])  # police grade their sources and record them
    response = client.post(reverse("items:record", args=[case.pk]), {
        **_item_fields("item", category="family_and_social_network", title="Brother visits weekly",
                       body="Visits every Sunday.", classification="2"),
        "item-handling": ["orcon", "no_cross_border"], "item-source_reliability": "A",
        "item-information_accuracy": "1", "item-source_text": "Visitor log"})
    item = InformationItem.objects.get(title="Brother visits weekly")
    assert response.status_code == 302 and response.url == f"/items/{item.pk}/"
    assert item.originating_agency == cast["omar"].agency and item.classification == 2
    assert item.orcon and item.no_cross_border and not item.no_decision and item.source_text == "Visitor log"
    assert (item.source_reliability, item.information_accuracy) == ("A", 1)
    assert "Brother visits weekly" in client.get(response.url).content.decode()


def test_the_recording_form_offers_classifications_up_to_the_users_clearance_only(client, cast, case):
    case_page = sign_in(client, cast["clara"]).get(f"/cases/{case.pk}/").content.decode()
    record = reverse("items:record", args=[case.pk])
    assert f'href="{record}">Record information</a>' in case_page  # the case page's one primary action
    page = client.get(record).content.decode()
    select = page[page.index('name="item-classification"'):]
    select = select[:select.index("</select>")]
    assert '<option value="0"' in select and 'value="1"' not in select
    # An exit programme records no source or method: the fields are not there at all.
    assert "Only your agency will ever see these" not in page and 'name="item-source_text"' not in page


@pytest.mark.parametrize("change, message", [
    ({"item-fact_date": "2999-01-01"}, "cannot be in the future"),
    ({"item-classification": "3"}, "Select a classification from the list"),
    ({"item-category": "gossip"}, "Select a category from the list"),
    ({"item-title": ""}, "Enter a title"),
    ({"item-body": "x" * 30000}, "text must be 20000 characters or fewer"),
])
def test_recording_with_bad_input_explains_why_and_records_nothing(client, cast, case, change, message):
    sign_in(client, cast["petra"])
    response = client.post(reverse("items:record", args=[case.pk]), {**_item_fields("item"), **change})
    assert response.status_code == 400 and message in response.content.decode()
    assert not InformationItem.objects.exists()


# --- Amending, deriving, retracting ------------------------------------------------------------

def test_amending_keeps_the_previous_version_for_the_originator(client, cast, exchange):
    item = exchange["behaviour"]
    sign_in(client, cast["ivo"])
    response = client.post(reverse("items:amend", args=[item.pk]), {
        **_item_fields("amend", title="Calm, working in the kitchen"), "amend-version": 1,
        "amend-change_note": "Started work."})
    assert response.status_code == 302 and response.url.endswith("#versions")
    page = client.get(reverse("items:detail", args=[item.pk])).content.decode()
    assert "Calm, working in the kitchen" in page and "This is version 2" in page and "Started work." in page
    assert ItemVersion.objects.get(item=item).snapshot["title"] == "Calm on the wing"


def test_amending_from_a_stale_page_is_a_conflict_with_a_message(client, cast, exchange):
    sign_in(client, cast["ivo"])
    url = reverse("items:amend", args=[exchange["behaviour"].pk])
    fields = {**_item_fields("amend"), "amend-change_note": "Edit.", "amend-version": 1}
    assert client.post(url, fields).status_code == 302
    response = client.post(url, {**fields, "amend-title": "A title never saved"})
    page = response.content.decode()
    assert response.status_code == 409 and "Someone else amended this item since you opened it: Ivo Ivanov" in page
    assert 'name="amend-version" value="2"' in page and "A title never saved" not in page  # the item as it stands


def test_a_derivative_is_created_below_its_original_and_opens_as_sanitised(client, cast, exchange):
    original = exchange["police_secret"]
    sign_in(client, cast["omar"])
    response = client.post(reverse("items:derive", args=[original.pk]), {
        **_item_fields("derive", title="Possible travel", classification="1"),
        "derive-body": "The client may travel abroad."})
    derivative = InformationItem.objects.get(derived_from=original)
    assert response.status_code == 302 and response.url == f"/items/{derivative.pk}/#item"
    assert derivative.category == original.category and derivative.source_text == "" and derivative.classification == 1
    assert "Sanitised derivative" in client.get(response.url).content.decode()


def test_a_derivative_repeating_the_source_is_refused_on_the_form(client, cast, exchange):
    sign_in(client, cast["omar"])
    response = client.post(reverse("items:derive", args=[exchange["police_secret"].pk]), {
        **_item_fields("derive", classification="1"), "derive-body": "Informant K-17 says the client may travel."})
    assert response.status_code == 400
    assert "repeats the original" in response.content.decode()
    assert not InformationItem.objects.filter(derived_from=exchange["police_secret"]).exists()


def test_a_derivative_cannot_be_amended_into_carrying_a_source(client, cast, exchange, sourced):
    derivative = sourced["derivative"]
    data = {name: getattr(derivative, name) for name in services.EDITABLE}
    with pytest.raises(InvalidInput, match="no source or method"), transaction.atomic():
        services.amend_item(actor=cast["omar"], item_id=derivative.pk, purpose=PURPOSE, change_note="x",
                            data={**data, "source_text": "Informant K-17"})
    with pytest.raises(InvalidInput, match="repeats the original"), transaction.atomic():
        services.amend_item(actor=cast["omar"], item_id=derivative.pk, purpose=PURPOSE, change_note="x",
                            data={**data, "body": "Telephone intercept shows travel plans."})


def test_retracting_lists_who_had_read_it_and_hides_it_from_them_at_once(client, cast, exchange, case):
    item = exchange["behaviour"]
    sign_in(client, cast["petra"]).get(reverse("items:detail", args=[item.pk]))
    response = sign_in(client, cast["ivo"]).post(reverse("items:retract", args=[item.pk]),
                                                  {"retract-reason": "Recorded on the wrong case."})
    page = response.content.decode()
    assert response.status_code == 200 and "is retracted" in page
    rows = page[page.index("<tbody>"):]
    assert "petra" in rows and "Westmark Probation Service" in rows and "agreement" in rows
    assert sign_in(client, cast["petra"]).get(reverse("items:detail", args=[item.pk])).status_code == 404
    timeline = sign_in(client, cast["ivo"]).get(f"/cases/{case.pk}/").content.decode()
    assert re.search(r'<span class="badge retracted"><a class="term" href="/glossary/legend/#field-retracted" '
                     r'title="[^"]+">Retracted</a></span>', timeline)


def test_retracting_without_a_reason_is_refused_on_the_form(client, cast, exchange):
    response = sign_in(client, cast["ivo"]).post(reverse("items:retract", args=[exchange["behaviour"].pk]),
                                                  {"retract-reason": "  "})
    assert response.status_code == 400 and "Enter why you retract the item" in response.content.decode()


# --- Disclosing and revoking -----------------------------------------------------------------

def test_an_orcon_item_reaches_probation_only_after_omar_discloses_it_and_leaves_on_revocation(client, cast,
                                                                                               agencies, exchange,
                                                                                               case):
    item = exchange["police_orcon"]
    petra_sees = lambda: sign_in(client, cast["petra"]).get(reverse("items:detail", args=[item.pk]))  # noqa: E731
    assert petra_sees().status_code == 404
    response = sign_in(client, cast["omar"]).post(reverse("items:disclose", args=[item.pk]), {
        "disclose-recipient": agencies["probation"].pk, "disclose-justification": "Risk review on Friday."})
    assert response.status_code == 302 and response.url.endswith("#disclosures")
    seen = petra_sees()
    assert seen.status_code == 200
    assert re.search(r"Visible because:</strong> Disclosure \d+ by the agency that recorded it, on ", seen.content.decode())
    assert "Handler concerns" in sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/").content.decode()
    disclosure = Disclosure.objects.get(item=item)
    response = sign_in(client, cast["omar"]).post(reverse("items:revoke", args=[item.pk]),
                                                   {"revoke-disclosure": disclosure.pk})
    assert response.status_code == 302
    assert petra_sees().status_code == 404
    assert "Handler concerns" not in sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/").content.decode()


def test_disclosing_to_an_agency_off_the_case_or_without_justification_is_refused(client, cast, agencies, exchange):
    sign_in(client, cast["omar"])
    url = reverse("items:disclose", args=[exchange["police_orcon"].pk])
    response = client.post(url, {"disclose-recipient": agencies["housing"].pk, "disclose-justification": "x"})
    assert response.status_code == 400 and "not a member of this case" in response.content.decode()
    response = client.post(url, {"disclose-recipient": agencies["probation"].pk, "disclose-justification": ""})
    assert response.status_code == 400 and not Disclosure.objects.exists()


def test_revoking_a_disclosure_of_another_item_from_this_page_is_refused(client, cast, agencies, exchange, sourced):
    other = Disclosure.objects.filter(item=sourced["item"]).first()
    response = sign_in(client, cast["omar"]).post(reverse("items:revoke", args=[exchange["police_orcon"].pk]),
                                                   {"revoke-disclosure": other.pk})
    assert response.status_code == 400 and "No such disclosure of this item." in response.content.decode()
    other.refresh_from_db()
    assert other.revoked_at is None


# --- Attachments ------------------------------------------------------------------------------

def test_an_attachment_is_uploaded_shown_with_its_sha256_and_downloaded_by_readers_only(client, cast, exchange):
    item = exchange["behaviour"]
    sign_in(client, cast["ivo"])
    response = client.post(reverse("items:attach", args=[item.pk]),
                           {"attach-file": SimpleUploadedFile("report.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    attachment = Attachment.objects.get(item=item)
    page = sign_in(client, cast["petra"]).get(reverse("items:detail", args=[item.pk])).content.decode()
    assert hashlib.sha256(PNG).hexdigest() in page and "report.png" in page
    download = client.get(reverse("items:download", args=[attachment.pk]))
    assert download.status_code == 200 and download.content == PNG and download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment") and "no-store" in download["Cache-Control"]
    assert sign_in(client, cast["clara"]).get(reverse("items:download", args=[attachment.pk])).status_code == 404


@pytest.mark.parametrize("content, message", [
    (b"%PDF-" + b"0" * attachments.MAX_BYTES, "larger than 5 MB"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "Only PDF, PNG, JPEG and plain-text files are accepted."),
    (b"", "The selected file is empty"),
])
def test_an_oversize_or_unknown_file_is_refused_with_a_message(client, cast, exchange, content, message):
    sign_in(client, cast["ivo"])
    response = client.post(reverse("items:attach", args=[exchange["behaviour"].pk]),
                           {"attach-file": SimpleUploadedFile("upload.bin", content)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Attachment.objects.exists()


# --- Who read it, and previewing what another agency would see ------------------------------

def test_the_originator_sees_who_read_an_item_when_and_on_which_basis(client, cast, exchange, case):
    sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/")
    sign_in(client, cast["petra"]).get(reverse("items:detail", args=[exchange["behaviour"].pk]))
    response = sign_in(client, cast["ivo"]).get(reverse("items:readers", args=[exchange["behaviour"].pk]),
                                                 HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page  # the partial, for htmx
    assert page.count("<td>petra</td>") == 2
    assert "<td>Shown with the case</td>" in page and "<td>Opened the item</td>" in page
    assert "agreement" in page and "Westmark Probation Service" in page


def test_the_item_page_loads_who_read_it_with_htmx(client, cast, exchange):
    page = sign_in(client, cast["ivo"]).get(reverse("items:detail", args=[exchange["behaviour"].pk])).content.decode()
    assert f'hx-get="/items/{exchange["behaviour"].pk}/readers/"' in page and 'hx-target="#readers-list"' in page


def test_preview_shows_what_probation_would_see_of_the_polices_items_and_why(client, cast, agencies, exchange, case):
    sign_in(client, cast["omar"])
    page = client.get(reverse("items:preview", args=[case.pk]), {"agency": agencies["probation"].pk}).content.decode()
    rows = {title: page[page.index(title):].split("</tr>", 1)[0]
            for title in ("Network contacts assessed", "Handler concerns", "Travel plans")}
    assert "<strong>Yes</strong> — sharing agreement" in rows["Network contacts assessed"]
    assert "(ORCON moves only by disclosure)" in rows["Handler concerns"]
    assert "No —" in rows["Travel plans"]
    assert "Clearance is personal" in page and "1 of 3 items" in page
    assert page.count('<div class="classification-banner level-3"') == 2


def test_preview_as_an_agency_off_the_case_says_its_people_see_none_of_it(client, cast, agencies, exchange, case):
    sign_in(client, cast["omar"])
    response = client.get(reverse("items:preview", args=[case.pk]), {"agency": agencies["housing"].pk})
    assert response.status_code == 200
    assert "is not an active member of this case in its current phase" in response.content.decode()


def test_preview_with_a_bogus_agency_is_refused_not_a_crash(client, cast, exchange, case):
    response = sign_in(client, cast["omar"]).get(reverse("items:preview", args=[case.pk]), {"agency": "abc"})
    assert response.status_code == 400


def test_recording_a_fact_dated_today_is_accepted(client, cast, case):
    from casebridge.cases.services import today

    response = sign_in(client, cast["ivo"]).post(reverse("items:record", args=[case.pk]),
                                                  _item_fields("item", fact_date=today().isoformat()))
    assert response.status_code == 302
    assert InformationItem.objects.get().fact_date == today()


JUNK = {"version": "abc", "classification": "abc", "recipient": "abc", "disclosure": "-3", "fact_date": "31/31/2025",
        "information_accuracy": "9", "source_reliability": "Z", "handling": "bogus", "nature": "rumour",
        "category": "gossip", "title": "x" * 500}


@pytest.mark.parametrize("name", ["amend", "derive", "retract", "disclose", "revoke", "attach"])
@pytest.mark.parametrize("junk", [False, True])
def test_empty_or_junk_input_to_an_item_form_is_a_400_not_a_crash(client, cast, exchange, name, junk):
    data = {f"{name}-{field}": value for field, value in JUNK.items()} if junk else {}
    response = sign_in(client, cast["ivo"]).post(reverse(f"items:{name}", args=[exchange["behaviour"].pk]), data)
    assert response.status_code == 400


def test_deriving_from_a_derivative_is_refused_on_the_form(client, cast, sourced):
    response = sign_in(client, cast["omar"]).post(reverse("items:derive", args=[sourced["derivative"].pk]), {
        **_item_fields("derive", classification="0"), "derive-body": "Again."})
    assert response.status_code == 400 and "Derive from the original item" in response.content.decode()


def test_retracting_twice_says_it_is_already_retracted(client, cast, exchange):
    sign_in(client, cast["ivo"])
    url = reverse("items:retract", args=[exchange["behaviour"].pk])
    assert client.post(url, {"retract-reason": "Wrong case."}).status_code == 200
    response = client.post(url, {"retract-reason": "Again."})
    assert response.status_code == 400 and "already retracted" in response.content.decode()
