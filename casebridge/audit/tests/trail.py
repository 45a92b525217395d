"""A trail with one event of every kind the product writes, made through the real services with
distinctive free text wherever a service takes some, so tests can prove that none of it reaches
the audit trail and that every page and command reading the trail copes with every shape."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from casebridge.accounts import services as accounts
from casebridge.agencies import services as agencies_services
from casebridge.audit.models import Operation
from casebridge.audit.services import record
from casebridge.cases import membership, services as cases
from casebridge.conftest import PURPOSE
from casebridge.dataprotection import export, services as dataprotection, transparency
from casebridge.decisions import services as decisions
from casebridge.items import attachments, readership
from casebridge.items import services as items
from casebridge.search import lookup, services as search
from casebridge.sharing import agreements, services as sharing
from casebridge.vocabulary import Purpose

# Free text typed into Casebridge that must never stand in the trail in clear.
CONTENT = {
    "handover": "Quillfeather handover: psychiatric report recommends release",
    "release_note": "Bramblewick leaves the team, notes on the client's family",
    "end_reason": "Ospreyvale no longer needed after the housing offer",
    "title": "Marrowgate sightings near the mosque",
    "body": "Body text Thistledown seen twice",
    "change_note": "Corrected Larkspurrow date",
    "filename": "Foxglovian-informant-report.pdf",
    "justification": "Wendelmoor needed for the release plan",
    "retraction": "Gorsebeck retracted: source unreliable",
    "search": "Pemberquist",
    "given": "Ysoldine",
    "family": "Kvarnhjelm",
    "date_of_birth": "1961-02-03",
    "evidence": "Signed form Hollowmere-7",
    "withdrawal": "Tamberlyn asked to stop sharing",
    "withholding": "Cinderhaze Art. 15(1)(a): would prejudice an investigation",
    "decision": "Saltmarsh regime decision text",
    "suspension": "Ravensholt breach of the agreement",
    "client_name": "Oakenshade",
}


def _atomic(call, **kwargs):
    with transaction.atomic():
        return call(purpose=PURPOSE, **kwargs)


def build(*, exchange, cast, agencies, case) -> dict:
    """Drive every service that writes an audit event; returns the ids later tests need."""
    omar, petra, dora, adam = cast["omar"], cast["petra"], cast["dora"], cast["adam"]
    today = timezone.localdate()
    made = {"case": case}
    _reads(cast, case, exchange)
    made["item"] = item = _atomic(items.record_item, actor=omar, case_id=case.pk, data={
        "category": "risk_and_needs_assessment", "nature": "fact", "title": CONTENT["title"],
        "body": CONTENT["body"], "fact_date": dt.date(2025, 6, 1), "classification": 0})
    _atomic(items.amend_item, actor=omar, item_id=item.pk, change_note=CONTENT["change_note"], data={
        "category": "risk_and_needs_assessment", "nature": "fact", "title": CONTENT["title"],
        "body": CONTENT["body"] + ".", "fact_date": dt.date(2025, 6, 2), "classification": 0})
    made["attachment"] = attached = _atomic(attachments.attach, actor=omar, item_id=item.pk,
                                            filename=CONTENT["filename"], content=b"plain text")
    made["disclosure"] = disclosure = _atomic(sharing.disclose_item, actor=omar, item_id=item.pk,
                                              recipient_id=agencies["probation"].pk,
                                              justification=CONTENT["justification"])
    _atomic(items.get_item, actor=petra, item_id=item.pk)
    _atomic(attachments.open_attachment, actor=petra, attachment_id=attached.pk)
    _atomic(sharing.disclosures_for_case, actor=omar, case_id=case.pk)
    _atomic(sharing.revoke_disclosure, actor=omar, disclosure_id=disclosure.pk)
    # A probation item disclosed to the police and read there: what Dora must be able to verify.
    _atomic(sharing.disclose_item, actor=petra, item_id=exchange["programme"].pk, recipient_id=agencies["police"].pk,
            justification=CONTENT["justification"])
    _atomic(items.get_item, actor=omar, item_id=exchange["programme"].pk)
    _atomic(items.derive_item, actor=omar, item_id=exchange["police_secret"].pk, data={
        "title": "Possible travel", "body": "Travel is possible.", "fact_date": dt.date(2025, 6, 1),
        "classification": 1})
    _atomic(readership.item_readers, actor=omar, item_id=item.pk)
    _atomic(readership.preview_as, actor=omar, case_id=case.pk, agency_id=agencies["prison"].pk)
    _atomic(readership.retract_item, actor=omar, item_id=item.pk, reason=CONTENT["retraction"])
    _atomic(search.search_items, actor=petra, query=CONTENT["search"], case_id=case.pk)
    _atomic(search.search_items, actor=petra, query="wing")
    _atomic(lookup.lookup_person, actor=omar, given_name=CONTENT["given"], family_name=CONTENT["family"],
            date_of_birth=dt.date.fromisoformat(CONTENT["date_of_birth"]))
    _consents(petra, clara=cast["clara"], case=case, agencies=agencies)
    _subject_access(dora, case=case, item=exchange["programme"])
    _atomic(transparency.transparency_notice, actor=petra, case_id=case.pk)
    _atomic(decisions.record_decision, actor=petra, case_id=case.pk, kind="regime", text=CONTENT["decision"],
            decided_on=today, basis_item_ids=[exchange["programme"].pk])
    _atomic(decisions.decisions_for_case, actor=petra, case_id=case.pk)
    _case_changes(cast, case=case, agencies=agencies, today=today)
    _administration(cast, agencies=agencies, version=exchange["version"], adam=adam)
    return made


def _reads(cast, case, exchange):
    petra = cast["petra"]
    _atomic(cases.list_cases, actor=petra)
    _atomic(cases.get_case, actor=petra, case_id=case.pk)
    _atomic(items.timeline, actor=petra, case_id=case.pk)
    _atomic(items.get_item, actor=petra, item_id=exchange["behaviour"].pk)


def _consents(petra, *, clara, case, agencies):
    consent = _atomic(sharing.give_consent, actor=petra, case_id=case.pk, data={
        "recipient_agency": agencies["prison"].pk, "categories": ["programme_and_intervention"],
        "purpose": "case_management", "evidence": CONTENT["evidence"], "given_on": dt.date(2025, 5, 2)})
    _atomic(sharing.consents_for_case, actor=clara, case_id=case.pk)
    _atomic(sharing.withdraw_consent, actor=clara, case_id=case.pk, consent_id=consent.pk,
            note=CONTENT["withdrawal"])


def _subject_access(dora, *, case, item):
    _atomic(dataprotection.list_clients, actor=dora)
    _atomic(dataprotection.subject_access_overview, actor=dora, client_id=case.client_id)
    _atomic(dataprotection.withhold_item, actor=dora, client_id=case.client_id, item_id=item.pk,
            legal_reason=CONTENT["withholding"])
    _atomic(dataprotection.lift_withholding, actor=dora, client_id=case.client_id, item_id=item.pk)
    _atomic(export.subject_access_export, actor=dora, client_id=case.client_id)


def _case_changes(cast, *, case, agencies, today):
    petra, xavier, nora = cast["petra"], cast["xavier"], cast["nora"]
    _atomic(cases.set_key_dates, actor=petra, case_id=case.pk, dates={
        "sentence_start": dt.date(2025, 3, 1), "earliest_release": dt.date(2027, 2, 10),
        "sentence_end": dt.date(2028, 3, 1)})
    _atomic(cases.update_client, actor=petra, case_id=case.pk, data={"family_name": CONTENT["client_name"]})
    housing = _atomic(membership.add_membership, actor=petra, case_id=case.pk, agency_id=agencies["housing"].pk,
                      point_of_contact_id=xavier.pk, phases=["custody", "release_preparation"],
                      responsibilities="Housing search", starts_on=dt.date(2025, 3, 1))
    assignment = _atomic(membership.assign_to_team, actor=petra, case_id=case.pk, practitioner_id=nora.pk)
    _atomic(membership.release_from_team, actor=petra, case_id=case.pk, assignment_id=assignment.pk,
            handover_note=CONTENT["release_note"])
    _atomic(membership.end_membership, actor=petra, case_id=case.pk, membership_id=housing.pk,
            reason=CONTENT["end_reason"])
    _atomic(membership.set_continuity_liaison, actor=petra, case_id=case.pk, practitioner_id=cast["ivo"].pk)
    _atomic(cases.transition_phase, actor=petra, case_id=case.pk, to_phase="release_preparation",
            effective_on=today, handover_note=CONTENT["handover"])


def _administration(cast, *, agencies, version, adam):
    sam, petra = cast["sam"], cast["petra"]
    _atomic(agencies_services.list_agencies, actor=sam)
    _atomic(agencies_services.update_agency, actor=sam, agency_id=agencies["housing"].pk,
            data={"name": "Westmark Housing Office", "kind": "housing", "country": "BE", "region": "Westmark",
                  "active": True})
    _atomic(agencies_services.get_practitioner, actor=adam, practitioner_id=petra.pk)
    _atomic(accounts.reset_second_factor, actor=adam, practitioner_id=cast["nora"].pk)
    _atomic(agreements.list_agreements, actor=adam)
    _atomic(agreements.set_suspended, actor=adam, version_id=version.pk, suspended=True,
            reason=CONTENT["suspension"])
    # Signing in and out, second factors and tokens, in the exact shapes accounts/views.py and
    # accounts/services.py write (a web sign-in needs a live TOTP code).
    with transaction.atomic():
        admin = Purpose.ADMINISTRATION
        record(actor=None, operation=Operation.LOGIN_FAILED, object_type="accounts.login", object_id="petra",
               purpose=admin, detail={"username": "petra", "ip": "127.0.0.1"})
        record(actor=None, operation=Operation.LOCKED_OUT, object_type="accounts.login", object_id="petra",
               purpose=admin, detail={"username": "petra", "ip": "127.0.0.1"})
        for operation in (Operation.LOGIN, Operation.MFA_FAILED, Operation.MFA_ENROLLED, Operation.LOGOUT):
            record(actor=petra, operation=operation, obj=petra, purpose=admin)
        record(actor=petra, operation=Operation.MFA_FAILED, obj=petra, purpose=admin, detail={"stage": "enrolment"})
        record(actor=petra, operation=Operation.TOKEN_ISSUED, object_type="accounts.apitoken", object_id=1,
               purpose=admin, detail={"practitioner": "petra", "name": "reporting"})
        record(actor=petra, operation=Operation.TOKEN_REVOKED, object_type="accounts.apitoken", object_id=1,
               purpose=admin, detail={"practitioner": "petra"})


def legacy_events(actor, case_id: int) -> None:
    """Shapes written by earlier releases that stay in the chain for good: the reader must cope."""
    with transaction.atomic():
        record(actor=actor, operation=Operation.READ, object_type="items.preview", object_id=3, case_id=case_id,
               detail={"preview_as": "Westmark Prison", "items": 4})
        record(actor=actor, operation=Operation.LIST, object_type="items.informationitem", case_id=case_id,
               detail={"items": ["1", "2"], "total": 2})
        record(actor=actor, operation=Operation.READ, object_type="items.informationitem", object_id=1,
               case_id=case_id, detail={"basis": {"agreement": 1}, "version": 1})
        record(actor=actor, operation=Operation.SEARCH, object_type="items.informationitem", case_id=case_id,
               detail={"query": None, "items": None})
        record(actor=actor, operation=Operation.UPDATE, object_type="cases.case", object_id=case_id,
               case_id=case_id, detail={"key_dates": {"earliest_release": ["2027-01-10", "2027-02-10"]}})
