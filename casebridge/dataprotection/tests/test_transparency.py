"""The transparency notice tells the client who may share what with whom, and never what was shared."""

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PURPOSE, bearer, sign_in
from casebridge.dataprotection.notice_texts import languages
from casebridge.dataprotection.tests.pdftext import pdf_text
from casebridge.dataprotection.transparency import transparency_notice
from casebridge.errors import NotVisible
from casebridge.sharing import services as sharing

PROBATION, PRISON, POLICE, CSO = ("Westmark Probation Service", "Westmark Prison", "Westmark Police",
                                  "Open Door Exit Programme")

# (originator, recipient) → {category: (highest level, consent required, consent given)}, from the exchange
# agreement and the client's consent to the CSO. Every other pair of members shares nothing.
SHARES = {
    (PRISON, PROBATION): {"custody_behaviour_and_security": ("RESTRICTED", False, False),
                          "risk_and_needs_assessment": ("RESTRICTED", False, False)},
    (POLICE, PROBATION): {"risk_and_needs_assessment": ("RESTRICTED", False, False)},
    (PROBATION, CSO): {"programme_and_intervention": ("OPEN", True, True)},
    (PRISON, CSO): {"programme_and_intervention": ("OPEN", True, True)},
}


# The test client reads Dutch and French; these tests read the notice's terms in English.
NEVER_SHARED = languages()["en"]["never_shared"]


def _notice(actor, case):
    with transaction.atomic():
        return transparency_notice(actor=actor, case_id=case.pk, purpose=PURPOSE, language="en")


def _shares(notice) -> dict:
    return {(agency.name, share.recipient): {t.category: (t.level, t.consent_required, t.consent_given)
                                             for t in share.categories}
            for agency in notice.agencies for share in agency.shares}


def test_the_notice_lists_every_member_agency_with_the_lead_first(exchange, cast, case):
    notice = _notice(cast["clara"], case)
    assert [(a.name, a.lead) for a in notice.agencies] == [(PROBATION, True), (PRISON, False), (POLICE, False),
                                                          (CSO, False)]


MEMBERS = (PROBATION, PRISON, POLICE, CSO)


@pytest.mark.parametrize("pair", [(a, b) for a in MEMBERS for b in MEMBERS if a != b])
def test_the_notice_says_what_each_agency_may_share_with_each_other_member(exchange, cast, case, pair):
    assert _shares(_notice(cast["petra"], case)).get(pair) == SHARES.get(pair)


def test_the_notice_names_the_agreement_and_its_legal_basis(exchange, cast, case):
    prison = next(a for a in _notice(cast["ivo"], case).agencies if a.name == PRISON)
    (basis,) = {b for share in prison.shares for b in share.bases}
    assert "Westmark exit continuum" in basis and "Regional protocol 2025/3" in basis and "case management" in basis


def test_a_withdrawn_consent_shows_at_once_as_not_given(exchange, cast, case):
    with transaction.atomic():
        sharing.withdraw_consent(actor=cast["clara"], case_id=case.pk, consent_id=exchange["consent"].pk,
                                 note="Client asked", purpose=PURPOSE)
    terms = _shares(_notice(cast["petra"], case))[(PROBATION, CSO)]["programme_and_intervention"]
    assert terms == ("OPEN", True, False)
    probation = next(a for a in _notice(cast["petra"], case).agencies if a.name == PROBATION)
    assert probation.shares[0].categories[0].sentence.endswith(
        "which you have not given, so the agreement does not let it through")


def test_one_off_disclosures_are_counted_per_recipient_without_their_contents(exchange, cast, case, agencies, client):
    with transaction.atomic():
        sharing.disclose_item(actor=cast["omar"], item_id=exchange["police_orcon"].pk,
                              recipient_id=agencies["probation"].pk, justification="Release conditions review",
                              purpose=PURPOSE)
    police = next(a for a in _notice(cast["petra"], case).agencies if a.name == POLICE)
    assert [(d.recipient, d.count) for d in police.disclosures] == [(PROBATION, 1)]
    sign_in(client, cast["petra"])
    page = client.get(reverse("dataprotection:transparency", args=[case.pk]) + "?language=en").content.decode()
    assert "1 to Westmark Probation Service" in page
    for content in ["Handler concerns", "Release conditions review", "Calm on the wing"]:
        assert content not in page


def test_the_notice_always_says_intelligence_and_sources_are_never_shared(exchange, cast, case, client):
    sign_in(client, cast["clara"])
    page = client.get(reverse("dataprotection:transparency", args=[case.pk]) + "?language=en")
    assert page.status_code == 200 and NEVER_SHARED in page.content.decode()


@pytest.mark.parametrize("persona, status", [("petra", 200), ("ivo", 200), ("omar", 200), ("clara", 200),
                                             ("nora", 404), ("xavier", 404), ("dora", 404)])
def test_the_notice_is_for_those_who_may_see_the_case(exchange, cast, case, client, persona, status):
    sign_in(client, cast[persona])
    assert client.get(reverse("dataprotection:transparency", args=[case.pk])).status_code == status
    assert client.get(reverse("dataprotection:transparency_pdf", args=[case.pk])).status_code == status
    assert client.get(f"/api/cases/{case.pk}/transparency", **bearer(cast[persona])).status_code == status


def test_the_pdf_notice_is_a_readable_pdf_in_plain_words(exchange, cast, case, client):
    sign_in(client, cast["clara"])
    response = client.get(reverse("dataprotection:transparency_pdf", args=[case.pk]) + "?language=en")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    words = pdf_text(response.content)
    for expected in ["How information about you is shared", "May share with Open Door Exit Programme:",
                     "programme and intervention, up to OPEN; only with your consent, which you have given",
                     "Westmark Police (Police)", "What is never shared"]:
        assert expected in words
    assert "Calm on the wing" not in words


def test_reading_the_notice_is_audited(exchange, cast, case):
    _notice(cast["clara"], case)
    event = AuditEvent.objects.filter(operation=Operation.READ, object_type="dataprotection.transparency_notice").last()
    assert event.case_id == case.pk and event.actor_username == "clara"


def test_the_api_notice_carries_the_same_terms(exchange, cast, case, client):
    answer = client.get(f"/api/cases/{case.pk}/transparency?language=en", **bearer(cast["ivo"])).json()
    prison = next(a for a in answer["agencies"] if a["name"] == PRISON)
    assert {s["recipient"] for s in prison["shares"]} == {PROBATION, CSO}
    assert answer["never_shared"] == NEVER_SHARED
    content = client.get(f"/api/cases/{case.pk}/transparency.pdf", **bearer(cast["ivo"])).content
    assert content.startswith(b"%PDF-")


def test_a_case_you_may_not_see_has_no_notice(exchange, cast, case):
    with pytest.raises(NotVisible):
        _notice(cast["xavier"], case)
