"""Consent is recorded by the right people, with evidence; withdrawn by anyone on the team, at once;
and its evidence is read only by the lead agency, the coordinator, the recipient and the recorder.

The case (casebridge/conftest.py) is led by probation: Petra coordinates it; Nora (probation) is put
on the team here; Ivo (prison), Omar (police) and Clara (CSO) are members; Xavier is not on it.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.api.tests.conftest import error_of
from casebridge.audit.models import AuditEvent
from casebridge.cases import membership
from casebridge.conftest import PURPOSE, sign_in
from casebridge.errors import Forbidden, InvalidInput, NotVisible
from casebridge.items import services as items
from casebridge.sharing import services as sharing
from casebridge.sharing.models import AgreementRule, Consent, ConsentDocument

NOTE = "Explained in Arabic at the prison visit of 2 May; signed in front of the chaplain."
PDF = b"%PDF-1.4 synthetic consent form for a test\n%%EOF\n"


@pytest.fixture
def nora_on_team(case, cast):
    with transaction.atomic():
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["nora"].pk,
                                  purpose=PURPOSE)
    return cast["nora"]


def _give(actor, case, agencies, *, to="cso", kind="", note=NOTE, form=None):
    data = {"recipient_agency": agencies[to].pk if to else None, "recipient_kind": kind,
            "categories": ["programme_and_intervention"], "purpose": "case_management", "evidence": note,
            "given_on": dt.date(2025, 5, 2)}
    with transaction.atomic():
        return sharing.give_consent(actor=actor, case_id=case.pk, data=data, form=form, purpose=PURPOSE)


@pytest.mark.parametrize("who, to, kind, outcome", [
    ("petra", "cso", "", "recorded"),          # the coordinator, of the lead agency
    ("nora", "cso", "", "recorded"),           # a practitioner of the lead agency on the team
    ("nora", None, "housing", "recorded"),
    ("ivo", "cso", "", "forbidden"),           # a member agency that does not lead the case
    ("omar", None, "cso", "forbidden"),
    ("clara", "cso", "", "forbidden"),         # the recipient agency itself
    ("clara", None, "cso", "forbidden"),       # … or an agency of the recipient kind
    ("petra", "probation", "", "forbidden"),   # the lead agency never records a consent it receives under
    ("nora", None, "probation", "forbidden"),
    ("ivo", "probation", "", "forbidden"),     # prison shares nothing with probation under consent (yet)
    ("xavier", "cso", "", "not_found"),        # not on the case
    ("adam", "cso", "", "not_found"),          # the probation administrator is not on the team
])
def test_who_may_record_a_consent(case, cast, agencies, nora_on_team, who, to, kind, outcome):
    expected = {"recorded": None, "forbidden": Forbidden, "not_found": NotVisible}[outcome]
    if expected is None:
        consent = _give(cast[who], case, agencies, to=to, kind=kind)
        assert consent.recorded_by == cast[who] and consent.recorder_agency_id == cast[who].agency_id
    else:
        with pytest.raises(expected) as refused:
            _give(cast[who], case, agencies, to=to, kind=kind)
        if outcome == "forbidden":
            assert refused.value.code == "consent_not_allowed"
        assert not Consent.objects.exists()


def test_an_agency_sharing_with_the_lead_under_consent_records_the_lead_s_consent(exchange, case, cast, agencies):
    AgreementRule.objects.create(version=exchange["version"], originator=agencies["prison"],
                                 recipient=agencies["probation"], category="health_and_mental_health",
                                 max_classification=1, consent_required=True)
    consent = _give(cast["ivo"], case, agencies, to="probation")
    assert consent.recorder_agency == agencies["prison"]
    with pytest.raises(Forbidden):  # police shares nothing with probation under consent
        _give(cast["omar"], case, agencies, to="probation")
    with pytest.raises(Forbidden):  # and the exception is for the lead's own consents only
        _give(cast["ivo"], case, agencies, to="cso")


def test_the_record_form_is_offered_only_to_those_who_may_record(client, case, cast, nora_on_team):
    for name, offered in [("petra", True), ("nora", True), ("ivo", False), ("omar", False), ("clara", False)]:
        page = sign_in(client, cast[name]).get(reverse("sharing:consents", args=[case.pk])).content.decode()
        assert ("Record a consent" in page) is offered, name


def test_the_form_does_not_offer_the_recorder_s_own_agency_or_kind(client, case, cast, agencies):
    page = sign_in(client, cast["petra"]).get(reverse("sharing:consents", args=[case.pk])).content.decode()
    assert f'value="{agencies["cso"].pk}"' in page and f'value="{agencies["probation"].pk}"' not in page
    assert 'value="cso"' in page and 'value="probation"' not in page


def test_a_recipient_posting_anyway_gets_a_403_with_the_reason(client, case, cast, agencies):
    response = sign_in(client, cast["clara"]).post(reverse("sharing:consent_record", args=[case.pk]), {
        "consent-recipient_agency": agencies["cso"].pk, "consent-categories": ["programme_and_intervention"],
        "consent-purpose": "case_management", "consent-evidence": NOTE, "consent-given_on": "2025-05-02"})
    assert response.status_code == 403
    assert "your agency receives information under this consent" in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize("note, form, error", [
    ("", None, "evidence"),
    ("   ", None, "evidence"),
    ("", ("form.exe", b"MZ\x90\x00\x03\x00\x00\x00"), "evidence_file"),
    ("", ("form.pdf", b""), "evidence_file"),
    (NOTE, ("form.pdf", b"%PDF-" + b"x" * (5 * 1024 * 1024)), "evidence_file"),
])
def test_consent_needs_a_note_or_an_acceptable_signed_form(case, cast, agencies, note, form, error):
    with pytest.raises(InvalidInput) as refused:
        _give(cast["petra"], case, agencies, note=note, form=form)
    assert refused.value.field == error
    assert not Consent.objects.exists() and not ConsentDocument.objects.exists()


@pytest.mark.parametrize("note, form", [(NOTE, None), ("", ("CF-12.pdf", PDF)), (NOTE, ("CF-12.pdf", PDF))])
def test_a_note_a_signed_form_or_both_is_evidence_enough(case, cast, agencies, note, form):
    consent = _give(cast["petra"], case, agencies, note=note, form=form)
    assert consent.evidence == note
    if form:
        document = ConsentDocument.objects.get(consent=consent)
        assert bytes(document.data) == PDF and document.content_type == "application/pdf" and len(document.sha256) == 64


def test_a_signed_form_uploaded_on_the_page_is_stored_and_listed(client, case, cast, agencies):
    from django.core.files.uploadedfile import SimpleUploadedFile

    petra = sign_in(client, cast["petra"])
    response = petra.post(reverse("sharing:consent_record", args=[case.pk]), {
        "consent-recipient_agency": agencies["cso"].pk, "consent-categories": ["programme_and_intervention"],
        "consent-purpose": "case_management", "consent-evidence": "", "consent-given_on": "2025-05-02",
        "consent-evidence_file": SimpleUploadedFile("CF-12.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert "CF-12.pdf" in petra.get(response.url).content.decode()
    assert petra.get(reverse("sharing:consent_form", args=[case.pk, consent.pk])).content == PDF


@pytest.mark.parametrize("who", ["petra", "ivo", "omar", "clara"])
def test_any_team_member_withdraws_a_consent_and_it_acts_on_the_next_request(client, exchange, case, cast, who):
    item_page = reverse("items:detail", args=[exchange["programme"].pk])
    clara = sign_in(client, cast["clara"])
    assert clara.get(item_page).status_code == 200
    consent = exchange["consent"]
    withdraw = reverse("sharing:consent_withdraw", args=[case.pk, consent.pk])
    asked = sign_in(client, cast[who]).post(withdraw, {})
    assert asked.status_code == 200 and Consent.objects.get(pk=consent.pk).withdrawn_at is None  # confirm first
    response = client.post(withdraw, {"confirmed": "1"})
    assert response.status_code == 302
    assert Consent.objects.get(pk=consent.pk).withdrawn_by == cast[who]
    assert sign_in(client, cast["clara"]).get(item_page).status_code == 404


def test_someone_not_on_the_team_cannot_withdraw(client, exchange, case, cast):
    consent = exchange["consent"]
    for name in ("xavier", "nora", "dora"):
        response = sign_in(client, cast[name]).post(reverse("sharing:consent_withdraw", args=[case.pk, consent.pk]))
        assert response.status_code == 404, name
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None


@pytest.fixture
def evidenced(case, cast, agencies):
    return _give(cast["petra"], case, agencies, note=NOTE, form=("CF-12.pdf", PDF))


@pytest.mark.parametrize("who, sees", [
    ("petra", True),    # coordinator, lead agency
    ("nora", True),     # lead agency
    ("clara", True),    # the recipient relies on it and must be able to show it
    ("ivo", False),
    ("omar", False),
])
def test_the_evidence_is_shown_and_downloadable_only_for_those_who_may_read_it(client, evidenced, case, cast,
                                                                              nora_on_team, who, sees):
    browser = sign_in(client, cast[who])
    page = browser.get(reverse("sharing:consents", args=[case.pk])).content.decode()
    assert (NOTE in page) is sees and ("CF-12.pdf" in page) is sees
    assert "Open Door Exit Programme" in page  # the consent itself is listed to the whole team
    download = browser.get(reverse("sharing:consent_form", args=[case.pk, evidenced.pk]))
    assert download.status_code == (200 if sees else 404)


def test_an_outsider_gets_a_404_for_the_list_and_the_form(client, evidenced, case, cast):
    xavier = sign_in(client, cast["xavier"])
    assert xavier.get(reverse("sharing:consents", args=[case.pk])).status_code == 404
    assert xavier.get(reverse("sharing:consent_form", args=[case.pk, evidenced.pk])).status_code == 404


def test_a_consent_without_a_form_has_no_download(client, case, cast, agencies):
    consent = _give(cast["petra"], case, agencies, note=NOTE)
    assert sign_in(client, cast["petra"]).get(
        reverse("sharing:consent_form", args=[case.pk, consent.pk])).status_code == 404


def test_the_api_gives_the_evidence_only_to_those_who_may_read_it(api, evidenced, case, cast):
    for who, sees in [("petra", True), ("clara", True), ("ivo", False)]:
        [listed] = api(cast[who]).get(f"/api/cases/{case.pk}/consents").json()
        assert listed["evidence_visible"] is sees, who
        assert listed["evidence"] == (NOTE if sees else None)
        assert (listed["evidence_file"] or {}).get("filename") == ("CF-12.pdf" if sees else None)
        download = api(cast[who]).get(f"/api/cases/{case.pk}/consents/{evidenced.pk}/form")
        assert download.status_code == (200 if sees else 404)


def test_the_api_records_a_consent_with_its_signed_form(client, case, cast, agencies):
    from casebridge.conftest import bearer

    response = client.post(f"/api/cases/{case.pk}/consents/signed", {
        "recipient_agency": agencies["cso"].pk, "categories": ["programme_and_intervention"],
        "purpose": "case_management", "given_on": "2025-05-02", "file": _upload("CF-12.pdf", PDF)},
        **bearer(cast["petra"]))
    assert response.status_code == 201, response.content
    assert response.json()["evidence_file"]["sha256"] == ConsentDocument.objects.get().sha256
    refused = client.post(f"/api/cases/{case.pk}/consents/signed", {
        "recipient_agency": agencies["cso"].pk, "categories": ["programme_and_intervention"],
        "purpose": "case_management", "given_on": "2025-05-02", "file": _upload("CF-13.pdf", PDF)},
        **bearer(cast["clara"]))
    assert refused.status_code == 403 and error_of(refused)["code"] == "consent_not_allowed"
    assert ConsentDocument.objects.count() == 1


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_audit_trail_holds_references_to_the_evidence_never_the_evidence(client, evidenced, case, cast):
    sign_in(client, cast["petra"]).get(reverse("sharing:consent_form", args=[case.pk, evidenced.pk]))
    with transaction.atomic():
        sharing.withdraw_consent(actor=cast["ivo"], case_id=case.pk, consent_id=evidenced.pk,
                                 note="Client phoned the prison on 4 June.", purpose=PURPOSE)
    trail = " ".join(str(e.detail) for e in AuditEvent.objects.filter(object_type__startswith="sharing.consent"))
    assert ConsentDocument.objects.get().sha256 in trail  # the form is referenced by its fingerprint
    for content in (NOTE, "CF-12.pdf", "Client phoned the prison"):
        assert content not in trail


def test_withdrawal_takes_away_what_only_the_consent_allowed_in_the_item_list_too(exchange, case, cast):
    assert "Mentoring sessions started" in {i.title for i in items.visible_items(cast["clara"], PURPOSE)}
    with transaction.atomic():
        sharing.withdraw_consent(actor=cast["omar"], case_id=case.pk, consent_id=exchange["consent"].pk, note="",
                                 purpose=PURPOSE)
    assert "Mentoring sessions started" not in {i.title for i in items.visible_items(cast["clara"], PURPOSE)}


def test_the_evidence_filter_selects_exactly_the_consents_the_decision_allows(exchange, case, cast, agencies,
                                                                             nora_on_team):
    from casebridge.cases import services as cases
    from casebridge.policy.consents import ConsentAction, decide_consent, evidence_visible

    AgreementRule.objects.create(version=exchange["version"], originator=agencies["prison"],
                                 recipient=agencies["probation"], category="health_and_mental_health",
                                 max_classification=1, consent_required=True)
    made = [exchange["consent"], _give(cast["petra"], case, agencies, to=None, kind="police"),
            _give(cast["nora"], case, agencies, to="prison"), _give(cast["ivo"], case, agencies, to="probation")]
    facts = cases.case_facts(cases.load_case(case.pk))
    for name in ("petra", "nora", "ivo", "omar", "clara"):
        actor = cast[name]
        decided = {c.pk for c in made
                   if decide_consent(actor, ConsentAction.SEE_EVIDENCE, sharing.consent_facts(c, case), facts)}
        filtered = set(Consent.objects.filter(evidence_visible(actor, facts)).values_list("pk", flat=True))
        assert filtered == decided, name
    assert decided == {made[0].pk}  # Clara: the one she receives under
