"""A derivative inherits its original's intelligence flag, NO-DECISION and NO-CROSS-BORDER unless
the originator lifts them with a reason; NO-CROSS-BORDER never leaves the originator's country."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casebridge import policy
from casebridge.agencies.models import Agency
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import membership
from casebridge.conftest import PURPOSE, _person, bearer, sign_in
from casebridge.errors import InvalidInput
from casebridge.items import readership
from casebridge.items import services as items
from casebridge.items.models import InformationItem
from casebridge.policy import Perm
from casebridge.sharing import services as sharing
from casebridge.sharing.models import Disclosure

REASON = "Sanitised for the release board: nothing operational remains."


def _derive(cast, original, **data):
    with transaction.atomic():
        return items.derive_item(actor=cast["omar"], item_id=original.pk, purpose=PURPOSE, data={
            "title": "In short", "body": "The substance, without detail.", "fact_date": dt.date(2025, 6, 1),
            "classification": 0, **data})


@pytest.fixture
def marked(exchange, cast):
    """A police risk item marked NO-DECISION and NO-CROSS-BORDER, disclosed to probation."""
    with transaction.atomic():
        item = items.record_item(actor=cast["omar"], case_id=exchange["police_risk"].case_id, purpose=PURPOSE, data={
            "category": "risk_and_needs_assessment", "nature": "assessment", "title": "Marked assessment",
            "body": "Assessed contacts.", "fact_date": dt.date(2025, 6, 1), "classification": 1,
            "no_decision": True, "no_cross_border": True})
    return item


def test_a_derivative_carries_its_originals_markings_unless_lifted(exchange, cast, marked):
    plain = _derive(cast, marked)
    assert (plain.no_decision, plain.no_cross_border, plain.lifted_markings) == (True, True, [])
    lifted = _derive(cast, marked, lift=["no_decision"], lift_reason=REASON)
    assert (lifted.no_decision, lifted.no_cross_border, lifted.lifted_markings) == (False, True, ["no_decision"])
    assert lifted.lift_reason == REASON


def test_a_derivative_of_intelligence_is_intelligence_and_never_grounds_a_decision(exchange, cast):
    derivative = _derive(cast, exchange["police_secret"])
    assert derivative.intelligence
    sharing.disclose_item(actor=cast["omar"], item_id=derivative.pk, recipient_id=cast["petra"].agency_id,
                          justification="For release planning.", purpose=PURPOSE)
    assert items.decide(cast["petra"], Perm.ITEM_READ, derivative, PURPOSE)
    refused = items.decide(cast["petra"], Perm.ITEM_USE_IN_DECISION, derivative, PURPOSE)
    assert not refused and "intelligence" in refused.reason


def test_lifting_needs_a_reason_and_a_marking_the_original_carries(exchange, cast, marked):
    with pytest.raises(InvalidInput) as missing:
        _derive(cast, marked, lift=["no_decision"], lift_reason="  ")
    assert missing.value.field == "lift_reason"
    with pytest.raises(InvalidInput) as absent:
        _derive(cast, marked, lift=["intelligence"], lift_reason=REASON)
    assert absent.value.field == "lift"


def test_the_lift_is_audited_by_name_never_with_its_reason(exchange, cast, marked):
    derivative = _derive(cast, marked, lift=["no_cross_border"], lift_reason=REASON)
    event = AuditEvent.objects.get(operation=Operation.CREATE, object_id=str(derivative.pk))
    assert event.detail["lifted"] == ["no_cross_border"] and REASON not in str(event.detail)


def test_the_policy_reads_the_inherited_marking_even_if_the_derivative_itself_lost_it(exchange, cast, marked):
    derivative = _derive(cast, marked)
    InformationItem.objects.filter(pk=derivative.pk).update(no_decision=False)  # a row changed behind the service
    derivative.refresh_from_db()
    sharing.disclose_item(actor=cast["omar"], item_id=derivative.pk, recipient_id=cast["petra"].agency_id,
                          justification="For supervision.", purpose=PURPOSE)
    assert not items.decide(cast["petra"], Perm.ITEM_USE_IN_DECISION, derivative, PURPOSE)
    usable = InformationItem.objects.filter(policy.usable_items(cast["petra"], Perm.ITEM_USE_IN_DECISION, PURPOSE,
                                                                items.today()))
    assert not usable.filter(pk=derivative.pk).exists()


def test_an_amendment_cannot_drop_an_inherited_marking(exchange, cast, marked):
    derivative = _derive(cast, marked)
    data = {name: getattr(derivative, name) for name in items.EDITABLE}
    with pytest.raises(InvalidInput) as refused:
        with transaction.atomic():
            items.amend_item(actor=cast["omar"], item_id=derivative.pk, data={**data, "no_decision": False},
                             change_note="Drop it", purpose=PURPOSE)
    assert refused.value.field == "no_decision"


def test_the_derive_form_shows_inherited_markings_and_asks_a_reason_to_lift(exchange, cast, marked, client):
    sign_in(client, cast["omar"])
    page = client.get(reverse("items:detail", args=[marked.pk])).content.decode()
    assert "A derivative inherits this item" in page and 'name="derive-lift"' in page
    form = {"derive-nature": "fact", "derive-title": "Short", "derive-body": "Substance.",
            "derive-fact_date": "2025-06-01", "derive-classification": "0", "derive-lift": ["no_decision"]}
    refused = client.post(reverse("items:derive", args=[marked.pk]), form)
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    done = client.post(reverse("items:derive", args=[marked.pk]), {**form, "derive-lift_reason": REASON})
    assert done.status_code == 302
    derivative = InformationItem.objects.get(derived_from=marked)
    assert derivative.lifted_markings == ["no_decision"] and derivative.no_cross_border
    own = client.get(reverse("items:detail", args=[derivative.pk])).content.decode()
    assert REASON in own


def test_the_api_derives_with_a_lift_and_shows_it_to_the_originator_only(exchange, cast, marked, client):
    response = client.post(f"/api/items/{marked.pk}/derivatives", {
        "title": "Short", "body": "Substance.", "fact_date": "2025-06-01", "classification": 0,
        "lift": ["no_decision"], "lift_reason": REASON}, content_type="application/json", **bearer(cast["omar"]))
    assert response.status_code == 201
    body = response.json()
    assert body["lifted_markings"] == ["no_decision"] and body["lift_reason"] == REASON and body["no_cross_border"]
    with transaction.atomic():
        sharing.disclose_item(actor=cast["omar"], item_id=body["id"], recipient_id=cast["petra"].agency_id,
                              justification="For supervision.", purpose=PURPOSE)
    seen = client.get(f"/api/items/{body['id']}", **bearer(cast["petra"])).json()
    assert "lift_reason" not in seen and REASON not in str(seen)
    missing = client.post(f"/api/items/{marked.pk}/derivatives", {
        "title": "Short", "body": "Substance.", "fact_date": "2025-06-01", "classification": 0,
        "lift": ["no_decision"]}, content_type="application/json", **bearer(cast["omar"]))
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "lift_reason"


@pytest.fixture
def abroad(case, cast):
    """Noordhaven Probation (NL) joins the case, with Lotte on the team."""
    agency = Agency.objects.create(name="Noordhaven Probation Office", kind="probation", country="NL")
    lotte = _person("lotte", agency, clearance=3, first="Lotte", last="Dijk")
    with transaction.atomic():
        membership.add_membership(actor=cast["petra"], case_id=case.pk, agency_id=agency.pk,
                                  point_of_contact_id=lotte.pk, phases=["custody"], purpose=PURPOSE,
                                  starts_on=dt.date(2025, 3, 1))
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=lotte.pk, purpose=PURPOSE)
    return lotte


def _readable(actor):
    return set(InformationItem.objects.filter(policy.visible_items(actor, PURPOSE, items.today()))
               .values_list("pk", flat=True))


def _disclose(cast, item, recipient):
    return sharing.disclose_item(actor=cast["omar"], item_id=item.pk, recipient_id=recipient.agency_id,
                                 justification="Transfer of supervision.", purpose=PURPOSE)


def _stored_disclosure(cast, item, recipient):
    """A disclosure row as data from before the border check would hold it: the read rule must still refuse."""
    return Disclosure.objects.create(item=item, recipient_id=recipient.agency_id, disclosed_by=cast["omar"],
                                     disclosed_at=timezone.now(), justification="Transfer of supervision.")


def test_a_no_cross_border_item_is_never_disclosed_abroad(exchange, cast, marked, abroad):
    with pytest.raises(InvalidInput) as refused:
        _disclose(cast, marked, abroad)
    assert refused.value.field == "recipient" and "NO-CROSS-BORDER" in str(refused.value)
    assert not Disclosure.objects.filter(item=marked).exists()
    assert not AuditEvent.objects.filter(operation=Operation.DISCLOSE, object_id=str(marked.pk)).exists()
    _disclose(cast, exchange["police_risk"], abroad)  # an item without the marking goes abroad
    _disclose(cast, marked, cast["petra"])            # and the marked one stays disclosable at home


def test_no_cross_border_is_never_read_abroad_even_when_disclosed(exchange, cast, marked, abroad):
    open_item = exchange["police_risk"]
    _disclose(cast, open_item, abroad)
    _stored_disclosure(cast, marked, abroad)
    refused = items.decide(abroad, Perm.ITEM_READ, marked, PURPOSE)
    assert not refused and "NO-CROSS-BORDER" in refused.reason
    assert open_item.pk in _readable(abroad) and marked.pk not in _readable(abroad)
    assert marked.pk in _readable(cast["omar"])


def test_a_derivative_inherits_the_border_unless_it_is_lifted(exchange, cast, marked, abroad):
    kept = _derive(cast, marked)
    freed = _derive(cast, marked, lift=["no_cross_border"], lift_reason=REASON)
    InformationItem.objects.filter(pk=kept.pk).update(no_cross_border=False)  # the original's marking still holds
    with pytest.raises(InvalidInput):
        _disclose(cast, kept, abroad)
    _stored_disclosure(cast, kept, abroad)
    _disclose(cast, freed, abroad)
    assert freed.pk in _readable(abroad) and kept.pk not in _readable(abroad)


def test_the_preview_says_a_no_cross_border_item_stays_home(exchange, cast, marked, abroad):
    _stored_disclosure(cast, marked, abroad)
    _, _, rows = readership.preview_as(actor=cast["omar"], case_id=marked.case_id, agency_id=abroad.agency_id,
                                  purpose=PURPOSE)
    assert dict((i.pk, basis) for i, basis in rows)[marked.pk] is None
