"""Who reads which audit events: the single-event decision and the query filter agree on random
trails, and the scope itself holds for the cast (a table of readers and events)."""

from types import SimpleNamespace

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebridge import policy
from casebridge.agencies.models import Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.reading import event_facts
from casebridge.audit.services import record
from casebridge.policy import AdministrativeObject
from casebridge.policy.tests.test_three_encodings_agree import _Rollback

ACTORS = ("petra", "ivo", "omar", "clara", "dora", "sam", "adam", None)
OBJECT_TYPES = (*[o.value for o in AdministrativeObject], "items.informationitem", "items.attachment",
                "cases.case", "cases.client", "sharing.disclosure", "audit.report", "items.preview")
AGENCIES = ("probation", "prison", "police", "cso", "housing")

events = st.lists(st.fixed_dictionaries({
    "actor": st.sampled_from(ACTORS),
    "object_type": st.sampled_from(OBJECT_TYPES),
    "case_id": st.one_of(st.none(), st.integers(1, 3)),
    "concerns": st.sets(st.sampled_from(AGENCIES), max_size=3),
}), min_size=1, max_size=12)


def _readers(cast, agencies):
    police_dpo = Practitioner.objects.create_user("paul", "paul@example.test", "x", agency=agencies["police"],
                                                  role="dpo", clearance=1)
    retired = Practitioner.objects.create_user("rita", "rita@example.test", "x", agency=agencies["police"],
                                               role="dpo", clearance=1, is_active=False)
    return [cast[name] for name in ("dora", "sam", "petra", "adam", "clara")] + [police_dpo, retired]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trail=events)
def test_the_audit_scope_decision_and_filter_agree_on_every_reader_and_event(cast, agencies, trail):
    try:
        with transaction.atomic():
            for spec in trail:
                record(actor=cast[spec["actor"]] if spec["actor"] else None, operation=Operation.READ,
                       object_type=spec["object_type"], object_id="1", case_id=spec["case_id"],
                       concerning=[SimpleNamespace(pk=1, originating_agency_id=agencies[a].pk)
                                   for a in spec["concerns"]])
            written = list(AuditEvent.objects.prefetch_related("concerned_agencies"))
            for reader in _readers(cast, agencies):
                listed = set(AuditEvent.objects.filter(policy.visible_audit_events(reader)).values_list("seq", flat=True))
                for event in written:
                    decided = bool(policy.decide_audit_event(reader, event_facts(event)))
                    assert decided == (event.seq in listed), (
                        f"{reader.username} ({reader.role}) on #{event.seq} {event.object_type} by "
                        f"{event.actor_username or '-'} case={event.case_id} "
                        f"concerns={sorted(c.agency_id for c in event.concerned_agencies.all())}: "
                        f"decide={decided} filter={event.seq in listed}")
            raise _Rollback
    except _Rollback:
        pass


def _facts(agency_id=None, object_type="items.informationitem", case_id=None, concerns=()):
    return policy.EventFacts(agency_id=agency_id, object_type=object_type, case_id=case_id,
                             concerns=frozenset(concerns))


def test_each_reader_sees_exactly_their_share_of_the_trail(cast, agencies):
    probation, police, prison = (agencies[k].pk for k in ("probation", "police", "prison"))
    table = [  # (reader, event, may read)
        ("dora", _facts(probation, case_id=1), True),  # an act of her agency
        ("dora", _facts(police, case_id=1, concerns=[probation]), True),  # police read probation's item
        ("dora", _facts(police, case_id=1, concerns=[police, prison]), False),
        ("dora", _facts(None, "accounts.login"), False),  # a failed sign-in names nobody of hers
        ("sam", _facts(None, "accounts.login"), True),
        ("sam", _facts(probation, "agencies.practitioner"), True),  # Petra signing in
        ("sam", _facts(probation, "sharing.agreementversion"), True),
        ("sam", _facts(police, case_id=1), False),  # his own agency's case work is not his to audit
        ("sam", _facts(probation, "audit.events", case_id=1), False),  # a DPO's case report names a case
        ("sam", _facts(probation, "cases.client"), False),  # a person lookup is about a client
        ("petra", _facts(probation), False),
        ("adam", _facts(None, "agencies.agency"), False),
    ]
    for reader, event, expected in table:
        assert bool(policy.decide_audit_event(cast[reader], event)) is expected, (reader, event)


def test_another_agencys_act_shows_a_dpo_only_their_own_items_references(cast, agencies):
    dora, probation, police = cast["dora"], agencies["probation"].pk, agencies["police"].pk
    listing = _facts(police, case_id=1, concerns=[probation, police])
    detail = {"items": {"1": "originating agency", "2": "agreement 3 v1"}, "total": 2, "offset": 0,
              "query": "hmac-sha256:ab", "basis": [1, 2], "retracted": [2], "version": 4}
    assert policy.shown_detail(dora, listing, detail, [2]) == {
        "items": {"2": "agreement 3 v1"}, "basis": [2], "retracted": [2], "version": 4}
    assert policy.shown_detail(dora, _facts(probation, concerns=[police]), detail, []) == detail  # her agency's act
    assert policy.shown_detail(cast["sam"], _facts(None, "accounts.login"), {"username": "x"}, []) == {"username": "x"}
    assert policy.is_partial_view(dora, listing) and not policy.is_partial_view(cast["sam"], listing)
