"""The sharing rule of DESIGN.md §4, as the personas live it (see the `exchange` fixture)."""

import datetime as dt

import pytest
from django.db import transaction

from casebridge import policy
from casebridge.audit.fingerprint import fingerprint
from casebridge.audit.models import AuditEvent, Operation
from casebridge.conftest import PURPOSE
from casebridge.decisions import services as decisions
from casebridge.errors import Forbidden, InvalidInput, NotVisible
from casebridge.items import readership
from casebridge.items import services as items
from casebridge.policy import Perm
from casebridge.sharing import services as sharing


def titles(user, purpose=PURPOSE):
    return sorted(i.title for i in items.visible_items(user, purpose))


def test_each_persona_reads_exactly_what_origin_and_agreements_allow(exchange, cast):
    assert titles(cast["petra"]) == ["Calm on the wing", "Mentoring sessions started", "Network contacts assessed"]
    assert titles(cast["clara"]) == ["Education course enrolled", "Mentoring sessions started"]
    assert titles(cast["ivo"]) == ["Calm on the wing", "Education course enrolled", "Sleep problems reported"]
    assert titles(cast["omar"]) == ["Handler concerns", "Network contacts assessed", "Travel plans"]
    for outsider in ("xavier", "nora", "adam", "dora", "sam"):
        assert titles(cast[outsider]) == [], outsider


def test_the_basis_names_the_agreement_version_direction_category_and_level(exchange, cast):
    _, decision = items.get_item(actor=cast["petra"], item_id=exchange["behaviour"].pk, purpose=PURPOSE)
    agreement = exchange["version"].agreement_id
    assert decision.reason == (f"agreement {agreement} v1: Westmark Prison → Westmark Probation Service, "
                               "custody_behaviour_and_security up to RESTRICTED")


def test_consent_based_access_names_the_consent(exchange, cast):
    _, decision = items.get_item(actor=cast["clara"], item_id=exchange["programme"].pk, purpose=PURPOSE)
    assert decision.reason.endswith("; consent of 2025-05-01")


def test_an_item_no_rule_covers_is_a_404_not_a_403(exchange, cast):
    with pytest.raises(NotVisible):
        items.get_item(actor=cast["petra"], item_id=exchange["prison_health"].pk, purpose=PURPOSE)


def test_the_declared_purpose_must_be_one_the_agreement_serves(exchange, cast):
    assert "Calm on the wing" not in titles(cast["petra"], purpose="supervision")
    assert "Calm on the wing" in titles(cast["petra"], purpose="release_planning")


def test_an_orcon_item_moves_only_by_the_originators_disclosure_and_stops_when_revoked(exchange, cast, agencies):
    orcon = exchange["police_orcon"]
    assert "Handler concerns" not in titles(cast["petra"])  # the agreement covers the category, ORCON wins
    disclosure = sharing.disclose_item(actor=cast["omar"], item_id=orcon.pk, recipient_id=agencies["probation"].pk,
                                       justification="Needed for the release risk plan.", purpose=PURPOSE)
    _, decision = items.get_item(actor=cast["petra"], item_id=orcon.pk, purpose=PURPOSE)
    assert decision.reason.startswith(f"disclosure {disclosure.pk} of ")
    event = AuditEvent.objects.get(operation=Operation.DISCLOSE)
    assert event.recipients == ["Westmark Probation Service"]
    assert event.detail["justification"] == fingerprint("Needed for the release risk plan.")
    sharing.revoke_disclosure(actor=cast["omar"], disclosure_id=disclosure.pk, purpose=PURPOSE)
    assert "Handler concerns" not in titles(cast["petra"])


def test_only_the_originator_discloses(exchange, cast, agencies):
    with pytest.raises(Forbidden):
        sharing.disclose_item(actor=cast["petra"], item_id=exchange["behaviour"].pk,
                              recipient_id=agencies["cso"].pk, justification="x", purpose=PURPOSE)


def test_clearance_caps_what_even_a_disclosure_can_show(exchange, cast, agencies):
    sharing.disclose_item(actor=cast["omar"], item_id=exchange["police_secret"].pk,
                          recipient_id=agencies["probation"].pk, justification="Urgent.", purpose=PURPOSE)
    assert "Travel plans" not in titles(cast["petra"])  # SECRET above Petra's CONFIDENTIAL clearance


def test_use_in_decision_is_refused_for_intelligence_and_no_decision_until_the_originator_lifts_it(exchange, cast, agencies):
    behaviour = exchange["behaviour"]
    assert items.decide(cast["petra"], Perm.ITEM_USE_IN_DECISION, behaviour, PURPOSE)
    secret = exchange["police_secret"]
    refused = items.decide(cast["omar"], Perm.ITEM_USE_IN_DECISION, secret, PURPOSE)
    assert not refused and "intelligence" in refused.reason
    with transaction.atomic():
        nodec = items.record_item(actor=cast["ivo"], case_id=behaviour.case_id, purpose=PURPOSE, data={
            "category": "custody_behaviour_and_security", "nature": "opinion", "title": "Officer's impression",
            "body": "Seems withdrawn.", "fact_date": dt.date(2025, 7, 1), "no_decision": True})
    assert items.decide(cast["petra"], Perm.ITEM_READ, nodec, PURPOSE)
    assert not items.decide(cast["petra"], Perm.ITEM_USE_IN_DECISION, nodec, PURPOSE)
    sharing.disclose_item(actor=cast["ivo"], item_id=nodec.pk, recipient_id=agencies["probation"].pk,
                          justification="May support the parole report.", allow_decision_use=True, purpose=PURPOSE)
    assert items.decide(cast["petra"], Perm.ITEM_USE_IN_DECISION, nodec, PURPOSE)


def test_a_formal_decision_refuses_an_intelligence_basis_and_accepts_a_factual_one(exchange, cast):
    case_id = exchange["police_secret"].case_id
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        decisions.record_decision(actor=cast["omar"], case_id=case_id, kind="risk_level", text="High.",
                                  decided_on=dt.date(2025, 8, 1), basis_item_ids=[exchange["police_secret"].pk],
                                  purpose=PURPOSE)
    assert "intelligence" in refused.value.message
    formal = decisions.record_decision(actor=cast["petra"], case_id=case_id, kind="release_recommendation",
                                       text="Recommend conditional release with mentoring.", decided_on=dt.date(2025, 8, 1),
                                       basis_item_ids=[exchange["behaviour"].pk], purpose=PURPOSE)
    assert list(formal.basis.all()) == [exchange["behaviour"]]


def test_an_unreadable_item_cannot_be_cited_and_its_existence_is_not_confirmed(exchange, cast):
    with pytest.raises(InvalidInput) as refused:
        decisions.record_decision(actor=cast["petra"], case_id=exchange["behaviour"].case_id, kind="regime",
                                  text="x", decided_on=dt.date(2025, 8, 1),
                                  basis_item_ids=[exchange["prison_health"].pk], purpose=PURPOSE)
    assert "you may read" in refused.value.message


def test_reshare_is_for_the_originator_and_never_for_orcon_or_intelligence(exchange, cast):
    assert items.decide(cast["ivo"], Perm.ITEM_RESHARE, exchange["behaviour"], PURPOSE)
    assert items.decide(cast["petra"], Perm.ITEM_RESHARE, exchange["behaviour"], PURPOSE)
    refused = items.decide(cast["petra"], Perm.ITEM_RESHARE, exchange["prison_programme"], PURPOSE)
    assert not refused  # Petra cannot even read it: reading comes first
    orcon = exchange["police_orcon"]
    assert items.decide(cast["omar"], Perm.ITEM_RESHARE, orcon, PURPOSE)


def test_subject_access_leaves_out_intelligence_withheld_and_unreleased_received_items(exchange, cast):
    from casebridge.dataprotection.models import SubjectAccessRelease, Withholding
    from casebridge.items.models import InformationItem

    dora = cast["dora"]

    def included():
        return set(InformationItem.objects.filter(policy.subject_access_items(dora, items.today()))
                   .values_list("title", flat=True))

    assert not items.decide(dora, Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS, exchange["police_secret"], PURPOSE)
    Withholding.objects.create(item=exchange["police_risk"], legal_reason="Art. 15(1)(a) LED: ongoing investigation",
                               recorded_by=dora, recorded_at=dt.datetime.now(dt.timezone.utc))
    assert included() == {"Mentoring sessions started"}  # probation's own; the rest is received or never goes
    SubjectAccessRelease.objects.create(item=exchange["behaviour"], released_by=cast["ivo"],
                                        released_at=dt.datetime.now(dt.timezone.utc))
    SubjectAccessRelease.objects.create(item=exchange["police_risk"], released_by=cast["omar"],
                                        released_at=dt.datetime.now(dt.timezone.utc))
    assert included() == {"Mentoring sessions started", "Calm on the wing"}  # the withheld one stays out


def test_a_tearline_shows_the_substance_without_the_source_and_hides_the_original(exchange, cast, agencies):
    secret = exchange["police_secret"]
    with pytest.raises(InvalidInput) as refused:
        items.derive_item(actor=cast["omar"], item_id=secret.pk, purpose=PURPOSE, data={
            "title": "Travel", "body": "Per informant k-17 he plans to travel.", "fact_date": dt.date(2025, 6, 1),
            "classification": 1})
    assert refused.value.field == "body"
    derivative = items.derive_item(actor=cast["omar"], item_id=secret.pk, purpose=PURPOSE, data={
        "title": "Possible travel abroad", "body": "Indications of plans to travel abroad in the coming months.",
        "fact_date": dt.date(2025, 6, 1), "classification": 1, "intelligence": True})
    assert (derivative.source_text, derivative.method_text, derivative.derived_from) == ("", "", secret)
    sharing.disclose_item(actor=cast["omar"], item_id=derivative.pk, recipient_id=agencies["probation"].pk,
                          justification="Sanitised for release planning.", purpose=PURPOSE)
    readable = titles(cast["petra"])
    assert "Possible travel abroad" in readable and "Travel plans" not in readable


def test_retracting_an_original_retracts_its_derivatives_and_lists_who_read_them(exchange, cast, agencies):
    secret = exchange["police_secret"]
    derivative = items.derive_item(actor=cast["omar"], item_id=secret.pk, purpose=PURPOSE, data={
        "title": "Possible travel", "body": "Indications of travel.", "fact_date": dt.date(2025, 6, 1),
        "classification": 1})
    sharing.disclose_item(actor=cast["omar"], item_id=derivative.pk, recipient_id=agencies["probation"].pk,
                          justification="For planning.", purpose=PURPOSE)
    items.get_item(actor=cast["petra"], item_id=derivative.pk, purpose=PURPOSE)
    _, readers = readership.retract_item(actor=cast["omar"], item_id=secret.pk, reason="Source withdrew.", purpose=PURPOSE)
    assert {e.actor_username for e in readers} == {"petra"}
    assert "Possible travel" not in titles(cast["petra"])
    derivative.refresh_from_db()
    assert derivative.retracted


def test_amending_keeps_the_previous_text_as_a_version(exchange, cast):
    item = exchange["behaviour"]
    data = {f: getattr(item, f) for f in items.EDITABLE}
    items.amend_item(actor=cast["ivo"], item_id=item.pk, data={**data, "body": "Calm; attends education daily."},
                     change_note="Added education attendance.", expected_version=1, purpose=PURPOSE)
    item.refresh_from_db()
    assert item.version == 2 and item.versions.get().snapshot["body"] == "Calm on the wing: details for the team."
    with pytest.raises(Forbidden):
        items.amend_item(actor=cast["petra"], item_id=item.pk, data=data, change_note="x", purpose=PURPOSE)


def test_nothing_is_visible_without_a_basis(exchange, cast):
    for name in ("petra", "ivo", "omar", "clara"):
        for item in items.visible_items(cast[name], PURPOSE).select_related("case"):
            decision = items.decide(cast[name], Perm.ITEM_READ, item, PURPOSE)
            assert decision and decision.reason, (name, item.title)


def _withdraw_consent(exchange, cast, agencies, case):
    sharing.withdraw_consent(actor=cast["clara"], case_id=case.pk, consent_id=exchange["consent"].pk,
                             note="Client changed their mind.", purpose=PURPOSE)


def _suspend(exchange, cast, agencies, case):
    from casebridge.sharing.agreements import set_suspended

    set_suspended(actor=cast["sam"], version_id=exchange["version"].pk, suspended=True, reason="Review.",
                  purpose=PURPOSE)


def _expire(exchange, cast, agencies, case):
    exchange["version"].__class__.objects.filter(pk=exchange["version"].pk).update(
        valid_to=dt.date.today() - dt.timedelta(days=1))


def _end_membership(exchange, cast, agencies, case):
    from casebridge.cases import membership

    for m in case.memberships.exclude(agency=agencies["probation"]):
        membership.end_membership(actor=cast["petra"], case_id=case.pk, membership_id=m.pk, reason="Ended.",
                                  purpose=PURPOSE)


def _leave_team(exchange, cast, agencies, case):
    case.team.exclude(practitioner=cast["petra"]).update(released_at=dt.datetime.now(dt.timezone.utc))


def _uncovered_phase(exchange, cast, agencies, case):
    from casebridge.cases import services

    for phase in ("release_preparation", "supervised_release"):
        services.transition_phase(actor=cast["petra"], case_id=case.pk, to_phase=phase, effective_on=dt.date.today(),
                                  handover_note="Moving on.", purpose=PURPOSE)


REVOCATIONS = [  # (what happens, who loses what)
    (_withdraw_consent, "clara", "Mentoring sessions started"),
    (_suspend, "petra", "Calm on the wing"),
    (_expire, "petra", "Network contacts assessed"),
    (_end_membership, "ivo", "Calm on the wing"),
    (_leave_team, "clara", "Education course enrolled"),
    (_uncovered_phase, "ivo", "Sleep problems reported"),  # the prison does not cover supervised release
]


@pytest.mark.parametrize("revoke,who,title", REVOCATIONS, ids=[r[0].__name__ for r in REVOCATIONS])
def test_revocation_removes_access_on_the_very_next_request(exchange, cast, agencies, case, revoke, who, title):
    item = next(i for k, i in exchange.items() if getattr(i, "title", None) == title)
    assert title in titles(cast[who])
    items.get_item(actor=cast[who], item_id=item.pk, purpose=PURPOSE)
    revoke(exchange, cast, agencies, case)
    assert title not in titles(cast[who])
    with pytest.raises(NotVisible):
        items.get_item(actor=cast[who], item_id=item.pk, purpose=PURPOSE)


def test_the_case_audit_report_shows_who_saw_which_item_on_which_basis(exchange, cast, case, capsys):
    from casebridge.cli import main

    items.timeline(actor=cast["petra"], case_id=case.pk, purpose=PURPOSE)
    items.get_item(actor=cast["clara"], item_id=exchange["programme"].pk, purpose=PURPOSE)
    assert main(["audit", "report", "--case", str(case.pk)]) == 0
    out = capsys.readouterr().out
    assert "petra" in out and f"saw item {exchange['behaviour'].pk} — basis: agreement" in out
    assert f"saw item {exchange['programme'].pk} — basis: agreement" in out and "consent of 2025-05-01" in out
    assert not [line for line in out.splitlines() if f"saw item {exchange['police_secret'].pk} " in line]
    assert "Calm on the wing" not in out  # titles are content: the report names items by id


def test_the_case_audit_report_names_what_a_case_page_showed(exchange, cast, case, client, capsys):
    from casebridge.cli import main
    from casebridge.conftest import sign_in

    sign_in(client, cast["petra"]).get(f"/cases/{case.pk}/")  # one consultation event for the page
    assert main(["audit", "report", "--case", str(case.pk)]) == 0
    out = capsys.readouterr().out
    assert f"read cases.case:{case.pk}" in out
    assert f"saw item {exchange['behaviour'].pk} — basis: agreement" in out
    assert f"saw item {exchange['programme'].pk} — basis: your agency originated this item" in out


def test_a_recipient_may_not_pass_on_an_orcon_item_it_received_by_disclosure(exchange, cast, agencies):
    orcon = exchange["police_orcon"]
    sharing.disclose_item(actor=cast["omar"], item_id=orcon.pk, recipient_id=agencies["probation"].pk,
                          justification="For the risk plan.", purpose=PURPOSE)
    assert items.decide(cast["petra"], Perm.ITEM_READ, orcon, PURPOSE)
    refused = items.decide(cast["petra"], Perm.ITEM_RESHARE, orcon, PURPOSE)
    assert not refused and "ORCON" in refused.reason
    assert items.decide(cast["omar"], Perm.ITEM_RESHARE, orcon, PURPOSE)
