"""Who reads which part of the trail, on the trail the real services write: a DPO sees their own
agency's acts and every consultation of its information; a system administrator sees accounts and
configuration; an event outside a reader's scope is a 404."""

import json

import pytest
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.agencies.models import Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.reading import get_event, list_events
from casebridge.audit.tests.trail import build
from casebridge.conftest import PURPOSE, TOTP_KEY, sign_in
from casebridge.errors import NotVisible
from casebridge.items import services as items


@pytest.fixture
def trail(exchange, cast, agencies, case):
    return build(exchange=exchange, cast=cast, agencies=agencies, case=case)


def _dpo(username, agency):
    person = Practitioner.objects.create_user(username, f"{username}@example.test", "x", agency=agency, role="dpo",
                                              clearance=1)
    TOTPDevice.objects.create(user=person, name="test", confirmed=True, key=TOTP_KEY)
    return person


def _seen(reader, **filters) -> list[AuditEvent]:
    """Every event the reader's listing shows, all pages."""
    found, page = [], 1
    while True:
        with transaction.atomic():
            events, info = list_events(actor=reader, purpose=PURPOSE, filters={**filters, "page": page})
        found += events
        if not info.has_next:
            return found
        page += 1


def test_a_dpo_of_another_agency_does_not_see_westmark_polices_events(trail, agencies, cast):
    prison_dpo, housing_dpo = _dpo("priya", agencies["prison"]), _dpo("hugo", agencies["housing"])
    police_acts = AuditEvent.objects.filter(agency_name="Westmark Police", case_id__isnull=False)
    assert police_acts.count() > 10
    assert [e for e in _seen(housing_dpo) if e.agency_name == "Westmark Police"] == []
    seen_by_prison = [e for e in _seen(prison_dpo) if e.agency_name == "Westmark Police"]
    # The police's acts that touched prison information (previewing what prison may read is about
    # police items only, so it stays hidden) are all the prison DPO sees of them.
    assert all(prison_dpo.agency_id in {c.agency_id for c in e.concerned_agencies.all()} for e in seen_by_prison)
    assert not any(e.operation == Operation.DISCLOSE for e in seen_by_prison)


def test_dora_sees_consultations_of_probation_items_by_police(trail, exchange, cast):
    seen = _seen(cast["dora"], actor="omar")
    reads = [e for e in seen if e.operation == Operation.READ and e.object_id == str(exchange["programme"].pk)]
    assert len(reads) == 1 and reads[0].agency_name == "Westmark Police" and reads[0].recipients == ["Westmark Police"]
    # ... and none of the police's work on their own items.
    assert not [e for e in seen if e.operation in (Operation.CREATE, Operation.UPDATE, Operation.DISCLOSE)
                and e.object_type == "items.informationitem" and e.object_id != str(exchange["programme"].pk)]


def test_dora_sees_every_act_of_her_own_agency(trail, cast):
    probation_acts = set(AuditEvent.objects.filter(agency_id=cast["dora"].agency_id).values_list("seq", flat=True))
    assert probation_acts <= {e.seq for e in _seen(cast["dora"])}


def test_sam_sees_sign_ins_but_no_case_event(trail, cast):
    seen = _seen(cast["sam"])
    operations = {e.operation for e in seen}
    assert {Operation.LOGIN, Operation.LOGIN_FAILED, Operation.LOCKED_OUT, Operation.TOKEN_ISSUED} <= operations
    assert {"agencies.agency", "sharing.agreementversion"} <= {e.object_type for e in seen}
    assert [e for e in seen if e.case_id is not None] == []
    assert [e for e in seen if e.operation in (Operation.SEARCH, Operation.LOOKUP, Operation.EXPORT,
                                               Operation.DISCLOSE)] == []


@pytest.mark.parametrize("reader", ["petra", "adam", "clara"])
def test_other_roles_read_nothing_of_the_trail(trail, cast, reader):
    with pytest.raises(NotVisible), transaction.atomic():
        list_events(actor=cast[reader], purpose=PURPOSE, filters={})


def test_an_event_outside_the_readers_scope_is_a_404(trail, client, cast, exchange):
    police_item = AuditEvent.objects.filter(operation=Operation.CREATE, object_type="items.informationitem",
                                            agency_name="Westmark Police").first()
    sign_in(client, cast["dora"])
    assert client.get(f"/audit/events/{police_item.seq}/").status_code == 404
    assert client.get("/audit/events/999999/").status_code == 404
    own = AuditEvent.objects.filter(agency_id=cast["dora"].agency_id, case_id__isnull=False).first()
    assert client.get(f"/audit/events/{own.seq}/").status_code == 200
    sign_in(client, cast["sam"])
    assert client.get(f"/audit/events/{own.seq}/").status_code == 404


def test_reading_one_event_is_recorded(trail, cast):
    own = AuditEvent.objects.filter(agency_id=cast["dora"].agency_id).first()
    with transaction.atomic():
        get_event(actor=cast["dora"], seq=own.seq, purpose=PURPOSE)
    read = AuditEvent.objects.filter(operation=Operation.AUDIT_READ).last()
    assert (read.actor_username, read.object_id, read.detail) == ("dora", str(own.seq), {"event": own.seq})


def test_a_case_report_shows_a_dpo_only_their_share_of_the_case(trail, client, cast):
    sign_in(client, cast["dora"])
    shown = client.get(f"/audit/cases/{trail['case'].pk}/").context["events"]
    everything = AuditEvent.objects.filter(case_id=trail["case"].pk).count()
    assert 0 < len(shown) < everything
    assert {e.agency_name for e in shown} == {"Westmark Probation Service", "Westmark Police"}


def test_in_a_police_listing_dora_sees_only_the_references_to_probation_items(trail, exchange, cast, client):
    with transaction.atomic():
        shown, _ = items.timeline(actor=cast["omar"], case_id=trail["case"].pk, purpose=PURPOSE)
    listing = AuditEvent.objects.filter(operation=Operation.LIST, actor_username="omar").last()
    assert len(listing.detail["items"]) == len(shown) > 1  # police items too, SECRET ones included
    event, = [e for e in _seen(cast["dora"], actor="omar", operation="list") if e.seq == listing.seq]
    assert event.partial and event.detail == {"items": {str(exchange["programme"].pk): listing.detail["items"][
        str(exchange["programme"].pk)]}}
    sign_in(client, cast["dora"])
    page = client.get(f"/audit/events/{listing.seq}/").content.decode()
    secret = str(exchange["police_secret"].pk)
    assert f'"{secret}"' in json.dumps(listing.detail) and f"<dt>item {secret}</dt>" not in page
    assert f"<dt>item {exchange['programme'].pk}</dt>" in page  # the detail reads as a list, item by item
    sign_in(client, _police_dpo(cast))
    assert client.get(f"/audit/events/{listing.seq}/").context["event"].detail == listing.detail  # his own agency


def _police_dpo(cast):
    return _dpo("paula", cast["omar"].agency)
