"""The briefing pack as a PDF: every page says the pack's highest classification and whom it was prepared for.
Each page is rendered to PNG as a test artefact (artifacts/packs/) to be looked at."""

import datetime as dt
import io
import os
from pathlib import Path

import pypdfium2
import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.audit.models import AuditEvent
from casebridge.conferences.tests.conftest import convene
from casebridge.conftest import PURPOSE, sign_in
from casebridge.items import services as items

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(os.environ.get("CASEBRIDGE_ARTIFACTS", "artifacts")) / "packs"


def test_every_page_of_the_pdf_carries_the_banner_and_the_recipient(client, conferencing, cast, case):
    for number in range(14):  # enough recent items for several pages
        with transaction.atomic():
            items.record_item(actor=cast["ivo"], case_id=case.pk, purpose=PURPOSE, data={
                "category": "custody_behaviour_and_security", "nature": "fact", "title": f"Wing report {number}",
                "body": "Attended the course, calm with staff and other detainees. " * 12,
                "fact_date": dt.date.today(), "classification": 1})
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    answer = sign_in(client, cast["ivo"]).get(reverse("conferences:pack_pdf", args=[conference.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(io.BytesIO(answer.content))
    assert len(document) >= 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for index in range(len(document)):
        page = document[index]
        text = page.get_textpage().get_text_range()
        lines = text.splitlines()
        assert lines[0] == lines[-1] == "RESTRICTED", f"page {index + 1}: no banner at the top and the bottom"
        assert "Prepared for Ivo Ivanov, Westmark Prison. Do not pass on." in text, f"page {index + 1}"
        # The convening agency produced the pack.
        assert lines[-2].startswith("Westmark Probation Service · Briefing pack"), f"page {index + 1}"
        page.render(scale=1.2).to_pil().save(ARTIFACTS / f"pack-ivo-page-{index + 1}.png")
    event = AuditEvent.objects.filter(actor_id=cast["ivo"].pk, object_type="conferences.conference").latest("seq")
    assert event.detail["format"] == "pdf" and len(event.detail["items"]) >= 14


def test_the_pdf_is_the_readers_own_pack(client, conferencing, cast, case):
    conference = convene(cast["petra"], case, participants=[cast["ivo"]])
    answer = sign_in(client, cast["clara"]).get(reverse("conferences:pack_pdf", args=[conference.pk]))
    assert answer.status_code == 403  # Clara knows of the review (she is on the team) but is not invited
