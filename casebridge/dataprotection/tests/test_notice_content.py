"""The transparency notice names who is responsible and how to reach them, lists the client's rights
and how to complain, and is written in the client's language where the deployment has it."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse

from casebridge.agencies.models import Agency
from casebridge.cases.models import Client
from casebridge.conftest import PURPOSE, bearer, sign_in
from casebridge.dataprotection import notice_texts, pdf
from casebridge.dataprotection.notice_texts import RIGHTS, languages
from casebridge.dataprotection.tests.pdftext import arabic_words, body_text, found_words, pdf_text, word_boxes
from casebridge.dataprotection.transparency import transparency_notice

PRISON_CONTROLLER = "Ministry of Justice – Prisons Directorate"
PROBATION_DPO = "Data protection officer\ndpo@probation.example"
AUTHORITY = "Data Protection Authority\n1 Example Square, Brussels\ncomplaints@dpa.example"


@pytest.fixture
def contacts(agencies):
    Agency.objects.filter(pk=agencies["probation"].pk).update(
        controller_contact="5 Court Lane, Westmark\ninfo@probation.example", dpo_contact=PROBATION_DPO,
        supervisory_authority=AUTHORITY)
    Agency.objects.filter(pk=agencies["prison"].pk).update(
        controller_name=PRISON_CONTROLLER, controller_contact="9 Gate Street, Westmark",
        dpo_contact="dpo@prison.example", supervisory_authority=AUTHORITY)


def _languages(case, recorded):
    Client.objects.filter(pk=case.client_id).update(languages=recorded)


def _notice(actor, case, language=None):
    with transaction.atomic():
        return transparency_notice(actor=actor, case_id=case.pk, purpose=PURPOSE, language=language)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_notice_names_each_agencys_controller_and_dpo_with_their_contacts(exchange, contacts, cast, case):
    notice = _notice(cast["petra"], case, "en")
    by_name = {a.name: a for a in notice.agencies}
    probation, prison = by_name["Westmark Probation Service"], by_name["Westmark Prison"]
    assert (probation.controller, probation.dpo_contact, probation.authority) == (
        "Westmark Probation Service", PROBATION_DPO, AUTHORITY)
    assert prison.controller == PRISON_CONTROLLER and prison.controller_contact == "9 Gate Street, Westmark"
    words = pdf_text(pdf.transparency_pdf(notice))
    for expected in ["Responsible for your information (controller)", PRISON_CONTROLLER, "9 Gate Street, Westmark",
                     "Data protection officer", "dpo@probation.example", "dpo@prison.example",
                     "Supervisory authority", "complaints@dpa.example"]:
        assert expected in words


def test_an_agency_without_contacts_is_named_with_not_recorded_yet(exchange, contacts, cast, case):
    police = next(a for a in _notice(cast["petra"], case, "en").agencies if a.name == "Westmark Police")
    assert police.dpo_contact == police.authority == ""
    words = pdf_text(pdf.transparency_pdf(_notice(cast["petra"], case, "en")))
    police_part = words[words.index("Westmark Police (Police)"):]
    assert police_part.index("Not recorded yet: ask the agency.") < police_part.index("Open Door Exit Programme (")


def test_the_notice_lists_every_right_and_how_to_complain_to_whom(exchange, contacts, cast, case):
    notice = _notice(cast["petra"], case, "en")
    assert [r["right"] for r in notice.rights] == list(RIGHTS) == ["access", "rectification", "erasure", "restriction",
                                                                     "objection", "complaint"]
    words = body_text(pdf.transparency_pdf(notice))
    for right in notice.rights:
        assert _flat(right["sentence"]) in words
    complaint = words[words.index("How to complain"):]
    assert "About Westmark Probation Service, which gives you this notice:" in complaint
    assert "Data Protection Authority 1 Example Square, Brussels complaints@dpa.example" in complaint


@pytest.mark.parametrize("recorded, language", [(["ar"], "ar"), (["bs", "nl"], "nl"), (["fr", "ar"], "fr"),
                                                (["de"], "de"), (["NL-be"], "nl"), (["en"], "en")])
def test_the_notice_is_in_the_first_of_the_clients_languages_the_deployment_has(exchange, cast, case, recorded,
                                                                                 language):
    _languages(case, recorded)
    notice = _notice(cast["petra"], case)
    assert notice.language == language and notice.in_client_language and not notice.fallback
    words = body_text(pdf.transparency_pdf(notice))
    texts = languages()[language]
    if notice.direction == "rtl":  # what pdfium gives back of Arabic: see pdftext.arabic_words
        found = found_words(words)
        for key in ("title", "rights_heading", "complain_heading"):
            assert all(word in found for word in arabic_words(texts[key]))
        objection = arabic_words(texts["rights"]["objection"])
        assert len(objection) > 10 and all(word in found for word in objection)
        return
    for key in ("title", "rights_heading", "complain_heading"):
        assert texts[key] in words
    assert _flat(texts["rights"]["objection"]) in words


def test_a_dutch_notice_is_dutch_throughout(exchange, contacts, cast, case):
    _languages(case, ["nl"])
    words = pdf_text(pdf.transparency_pdf(_notice(cast["petra"], case)))
    for expected in ["Hoe informatie over u wordt gedeeld", "Voor Test Client-One, dossier", "Mag delen met Westmark",
                     "programma en interventie, tot OPEN; alleen met uw toestemming, die u hebt gegeven",
                     "Functionaris voor gegevensbescherming", "Uw rechten", "Hoe u een klacht indient",
                     "Westmark Probation Service · Hoe informatie over u wordt gedeeld · pagina 1 van"]:
        assert expected in words
    assert "Your rights" not in words and "May share with" not in words


def test_the_arabic_notice_is_right_to_left(exchange, contacts, cast, case, client):
    _languages(case, ["ar"])
    notice = _notice(cast["petra"], case)
    assert notice.direction == "rtl"
    content = pdf.transparency_pdf(notice)
    # The title starts at the right margin: its first word's first letter is the rightmost.
    first_word = notice.title.split()[0]
    (page, first, _last), *_ = word_boxes(content, first_word)
    assert page == 0 and first[2] > 595 - 18 * 72 / 25.4 - 3  # A4 is 595 pt wide; 18 mm margin
    assert "حقوقك" in pdf_text(content) and "كيف تقدّم شكوى" in pdf_text(content)
    page_html = sign_in(client, cast["petra"]).get(reverse("dataprotection:transparency", args=[case.pk]))
    assert '<div lang="ar" dir="rtl">' in page_html.content.decode()


@pytest.mark.parametrize("recorded, says", [
    (["ps", "fa"], "The notice does not exist in any language recorded for the client (ps, fa): it is in English"),
    ([], "No language is recorded for the client: the notice is in English"),
])
def test_without_the_clients_language_the_notice_is_in_the_deployments_and_the_page_says_so(
        exchange, cast, case, client, recorded, says):
    _languages(case, recorded)
    notice = _notice(cast["petra"], case)
    assert notice.language == "en" and notice.fallback and not notice.in_client_language
    page = sign_in(client, cast["petra"]).get(reverse("dataprotection:transparency", args=[case.pk]))
    assert says in _flat(page.content.decode())


def test_the_deployments_default_language_is_the_fallback(exchange, cast, case, settings):
    settings.LANGUAGE_CODE = "fr"
    _languages(case, ["ps"])
    notice = _notice(cast["petra"], case)
    assert notice.language == "fr" and notice.fallback


def test_the_practitioner_may_choose_another_language_and_is_offered_the_clients(exchange, cast, case, client):
    _languages(case, ["ar"])
    sign_in(client, cast["petra"])
    page = _flat(client.get(reverse("dataprotection:transparency", args=[case.pk]) + "?language=de").content.decode())
    assert "Wie Informationen über Sie geteilt werden" in page
    assert "The notice is in Deutsch, as chosen below; it is not a language recorded for the client." in page
    assert 'In the client\'s language: <a href="?language=ar" lang="ar" hreflang="ar">العربية</a>' in page
    assert '?language=de">Download for the client (PDF, Deutsch)' in page
    answer = client.get(reverse("dataprotection:transparency_pdf", args=[case.pk]) + "?language=de")
    assert "Wie Informationen über Sie geteilt werden" in pdf_text(answer.content)


def test_a_language_the_notice_does_not_exist_in_is_refused_with_a_reason(exchange, cast, case, client):
    sign_in(client, cast["petra"])
    for name in ("transparency", "transparency_pdf"):
        answer = client.get(reverse(f"dataprotection:{name}", args=[case.pk]) + "?language=xx")
        assert answer.status_code == 400
        assert "The notice does not exist in the language xx; it exists in: " in answer.content.decode()
    api = client.get(f"/api/cases/{case.pk}/transparency?language=xx", **bearer(cast["petra"]))
    assert api.status_code == 400 and api.json()["error"]["code"] == "invalid_input"


def test_the_api_notice_carries_the_contacts_rights_and_language(exchange, contacts, cast, case, client):
    _languages(case, ["nl"])
    answer = client.get(f"/api/cases/{case.pk}/transparency", **bearer(cast["ivo"])).json()
    assert answer["language"] == "nl" and answer["in_client_language"] is True
    assert [r["right"] for r in answer["rights"]] == list(RIGHTS)
    prison = next(a for a in answer["agencies"] if a["name"] == "Westmark Prison")
    assert prison["controller"] == PRISON_CONTROLLER and prison["dpo_contact"] == "dpo@prison.example"
    assert answer["given_by"] == "Deze kennisgeving krijgt u van Westmark Prison."


@pytest.fixture
def own_notices(tmp_path, settings):
    settings.CASEBRIDGE_NOTICE_DIR = str(tmp_path)
    notice_texts.clear()
    yield tmp_path
    notice_texts.clear()


def test_a_deployment_adds_a_language_and_overrides_a_shipped_text(exchange, cast, case, own_notices):
    turkish = _english()
    turkish.update(language_name="Türkçe", title="Hakkınızdaki bilgiler nasıl paylaşılır")
    (own_notices / "tr.json").write_text(json.dumps(turkish), encoding="utf-8")
    (own_notices / "nl.json").write_text(json.dumps({"title": "Zo delen wij informatie over u"}), encoding="utf-8")
    notice_texts.clear()
    _languages(case, ["tr"])
    assert _notice(cast["petra"], case).title == "Hakkınızdaki bilgiler nasıl paylaşılır"
    dutch = _notice(cast["petra"], case, "nl")
    assert dutch.title == "Zo delen wij informatie over u" and dutch.texts["rights_heading"] == "Uw rechten"


def _english() -> dict:
    return json.loads((notice_texts.HERE / "en.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name, content, reason", [
    ("tr.json", {"title": "Başlık"}, "tr.json: language_name must be a non-empty text"),
    ("nl.json", {"prepared_for": "Voor {naam}."}, "nl.json: prepared_for must use the placeholders {client}, {date}, "
                                                  "{reference}"),
    ("nl.json", {"direction": "down"}, "nl.json: direction must be ltr or rtl"),
    ("Dutch.json", {}, "Dutch.json: name the file after its language code"),
])
def test_a_deployment_file_the_notice_cannot_use_is_refused_naming_it(own_notices, name, content, reason):
    (own_notices / name).write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured) as refused:
        languages()
    assert reason in str(refused.value) and "\n" not in str(refused.value)


def test_the_shipped_notice_exists_in_five_languages_each_with_every_text_and_label():
    shipped = languages()
    assert sorted(shipped) == ["ar", "de", "en", "fr", "nl"]
    assert {code: texts["direction"] for code, texts in shipped.items()} == {
        "ar": "rtl", "de": "ltr", "en": "ltr", "fr": "ltr", "nl": "ltr"}
