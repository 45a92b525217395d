"""Rule tables for the small policy modules, written where mutation testing showed their conditions
untested (docs/testing.md, "Mutation testing"): which role declares which purpose, which role holds
which permission, which kind of agency takes which role-fitting action, what a marking hides, who
reads which audit event, and the administrative refusals. Each table is exhaustive over its rule's
inputs; each filter is checked against its single-record predicate over a small fixed world."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import override_settings

from casebridge.errors import BeyondAuthority, Forbidden, NotVisible
from casebridge.policy import admin, audit, core, markings, purposes, roles
from casebridge.policy.core import Perm
from casebridge.vocabulary import Purpose, Role

# --- Who holds which permission (core.role_allows) -----------------------------------------------------

# The permissions some roles hold and others not; every other permission is everyone's.
RESERVED_PERMS = {
    Perm.CASE_OPEN: {Role.COORDINATOR},
    Perm.AGENCY_MANAGE: {Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN},
    Perm.PRACTITIONER_MANAGE: {Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN},
    Perm.TOKEN_MANAGE: {Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN},
    Perm.AGREEMENT_MANAGE: {Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN},
    Perm.AUDIT_READ: {Role.DPO, Role.SYSTEM_ADMIN},
    Perm.SUBJECT_ACCESS: {Role.DPO},
    Perm.ITEM_INCLUDE_IN_SUBJECT_ACCESS: {Role.DPO},
    Perm.IMPORT_RUN: {Role.AGENCY_ADMIN},
}
ACTIVITY = {"active": True, "inactive": False, "silent": None}  # silent: the actor does not say


def actor(role, activity="active", kind="probation", country="BE"):
    fields = {"pk": 1, "id": 1, "role": role, "agency_id": 1, "agency_kind": kind, "agency_country": country,
              "is_service_account": False, "clearance": 1}
    if ACTIVITY[activity] is not None:
        fields["is_active"] = ACTIVITY[activity]
    return SimpleNamespace(**fields)


def granted(role, perm):
    return role in RESERVED_PERMS.get(perm, set(Role.values))


@pytest.mark.parametrize("activity", ACTIVITY)
@pytest.mark.parametrize("role", [*Role.values, "nobody"])
def test_each_role_holds_exactly_its_permissions_and_only_while_its_account_is_active(role, activity):
    for perm in Perm:
        assert core.role_allows(actor(role, activity), perm) is (activity == "active" and granted(role, perm)), perm


# --- Who declares which purpose (purposes.decide_purpose) ----------------------------------------------

RESERVED_PURPOSE_ROLES = {Purpose.DATA_PROTECTION: {Role.DPO},
                          Purpose.ADMINISTRATION: {Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN}}
RESERVED_TO = {Purpose.DATA_PROTECTION: "data protection officers",
               Purpose.ADMINISTRATION: "agency administrators or system administrators"}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("purpose", [*Purpose.values, "curiosity"])
def test_each_role_declares_every_purpose_but_those_reserved_to_other_roles(role, purpose):
    decision = purposes.decide_purpose(actor(role), purpose)
    if purpose not in Purpose.values:
        assert (decision.allowed, decision.reason) == (False, "unknown purpose 'curiosity'")
    elif role in RESERVED_PURPOSE_ROLES.get(purpose, {role}):
        assert (decision.allowed, decision.reason) == (True, f"{Purpose(purpose).label} may be declared by your role")
    else:
        assert (decision.allowed, decision.reason) == (
            False, f"the purpose {Purpose(purpose).label} is reserved to {RESERVED_TO[purpose]}")


@pytest.mark.parametrize("role", Role.values)
def test_the_purpose_switcher_offers_each_role_its_purposes_in_the_vocabulary_s_order(role):
    expected = [(value, label) for value, label in Purpose.choices
                if role in RESERVED_PURPOSE_ROLES.get(value, {role})]
    assert purposes.purposes_for(actor(role)) == expected


def test_an_actor_without_a_role_declares_no_reserved_purpose():
    visitor = AnonymousUser()
    assert [value for value, _ in purposes.purposes_for(visitor)] == [
        p for p in Purpose.values if p not in RESERVED_PURPOSE_ROLES]
    assert purposes.decide_purpose(visitor, Purpose.DATA_PROTECTION).allowed is False


# --- Which kind of agency takes which role-fitting action (roles) --------------------------------------

# Each permission limited by agency kind reads its own setting: four different sets tell them apart.
KINDS = {"CASEBRIDGE_DECISION_AGENCY_KINDS": frozenset({"cso", "housing"}),
         "CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS": frozenset({"housing", "police"}),
         "CASEBRIDGE_SOURCE_METHOD_AGENCY_KINDS": frozenset({"police", "ministry"}),
         "CASEBRIDGE_DISTANCING_AGENCY_KINDS": frozenset({"cso", "probation"})}
LIMITED = {Perm.DECISION_RECORD: "CASEBRIDGE_DECISION_AGENCY_KINDS",
           Perm.ITEM_MARK_INTELLIGENCE: "CASEBRIDGE_INTELLIGENCE_AGENCY_KINDS",
           Perm.ITEM_RECORD_SOURCE: "CASEBRIDGE_SOURCE_METHOD_AGENCY_KINDS",
           Perm.REFLECTOR_KEEP: "CASEBRIDGE_DISTANCING_AGENCY_KINDS"}
LABELS = {"cso": "Civil-society organisation", "housing": "Housing", "police": "Police", "probation": "Probation",
          "ministry": "ministry"}  # a kind outside the vocabulary is named as it is
WHAT = {Perm.DECISION_RECORD: "take formal decisions", Perm.ITEM_MARK_INTELLIGENCE: "mark or grade intelligence",
        Perm.ITEM_RECORD_SOURCE: "record a source or method",
        Perm.REFLECTOR_KEEP: "run distancing work with a CaseReflector"}


def _expected_kind_decision(role, activity, kind, perm):
    if not (activity == "active" and granted(role, perm)):
        return False, f"role {role} does not grant {perm}"
    if perm not in LIMITED:
        return True, "not limited by agency kind"
    if kind in KINDS[LIMITED[perm]]:
        return True, f"agencies of the kind “{LABELS[kind]}” {WHAT[perm]}"
    return False, f"agencies of the kind “{LABELS[kind]}” do not {WHAT[perm]} in Casebridge"


@override_settings(**KINDS)
@pytest.mark.parametrize("kind", LABELS)
@pytest.mark.parametrize("activity", ["active", "inactive"])
@pytest.mark.parametrize("role", [*Role.values, "nobody"])
def test_each_role_and_agency_kind_gets_exactly_the_configured_role_fitting_actions(role, activity, kind):
    for perm in Perm:
        decision = roles.decide_agency_kind(actor(role, activity, kind), perm)
        expected = _expected_kind_decision(role, activity, kind, perm)
        assert (decision.allowed, decision.reason) == expected, perm
        if expected[0]:
            assert roles.require_agency_kind(actor(role, activity, kind), perm) == decision
        else:
            with pytest.raises(Forbidden) as refused:
                roles.require_agency_kind(actor(role, activity, kind), perm)
            assert refused.value.code == "not_for_agency_kind"
            assert str(refused.value) == f"{expected[1][:1].upper()}{expected[1][1:]}."


@override_settings(**KINDS)
def test_a_refused_role_fitting_action_names_the_agency_kind_in_a_sentence():
    with pytest.raises(Forbidden) as refused:
        roles.require_agency_kind(actor(Role.PRACTITIONER, kind="probation"), Perm.ITEM_RECORD_SOURCE)
    assert (refused.value.code, str(refused.value)) == (
        "not_for_agency_kind", "Agencies of the kind “Probation” do not record a source or method in Casebridge.")


# --- What a marking hides: the predicate against its filter (markings) ---------------------------------

@pytest.mark.parametrize("own, inherited, lifted, expected", [
    (False, False, False, False), (True, False, False, True), (False, True, False, True),
    (False, True, True, False), (True, True, True, True), (True, False, True, True), (False, False, True, False),
])
def test_an_item_carries_a_marking_itself_or_from_its_original_unless_it_was_lifted(own, inherited, lifted, expected):
    for marking in markings.INHERITED:
        others = {m: False for m in markings.INHERITED if m != marking}
        item = SimpleNamespace(**{marking: own}, **others, inherited=frozenset({marking} if inherited else ()),
                               lifted=frozenset({marking} if lifted else ()))
        assert markings.marked(item, marking) is expected


def _marked_world(case, cast, agencies):
    """For each marking: originals with and without it in two countries, and under each a derivative
    with and without the marking itself, with and without it lifted; and a stray lift on an original."""
    from casebridge.agencies.models import Agency
    from casebridge.items.models import InformationItem

    dutch = Agency.objects.create(name="Oosterland Reclassering", kind="probation", country="NL", region="Oost")
    now = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)

    def item(agency, title, **flags):
        return InformationItem.objects.create(
            case=case, originating_agency=agency, author=cast["petra"], category="programme_and_intervention",
            nature="fact", title=title, body=title, fact_date=now.date(), created_at=now, updated_at=now, **flags)

    for marking in markings.INHERITED:
        for agency in (agencies["probation"], dutch):
            for original_marked in (False, True):
                original = item(agency, f"{marking} {agency.country} original {original_marked}",
                                **{marking: original_marked})
                for own in (False, True):
                    for lifted in (False, True):
                        item(agency, f"{marking} {agency.country} derivative {original_marked} {own} {lifted}",
                             derived_from=original, **{marking: own, f"lifted_{marking}": lifted})
            item(agency, f"{marking} {agency.country} stray lift", **{f"lifted_{marking}": True})


def _facts(queryset):
    from casebridge.items.facts import item_facts, items_with_case

    return {item.pk: item_facts(item) for item in items_with_case(queryset)}


def test_the_unmarked_filter_selects_exactly_the_items_the_marking_predicate_leaves_unmarked(case, cast, agencies):
    from casebridge.items.models import InformationItem

    _marked_world(case, cast, agencies)
    facts = _facts(InformationItem.objects.all())
    for marking in markings.INHERITED:
        listed = set(InformationItem.objects.filter(markings.unmarked_q(marking)).values_list("pk", flat=True))
        carried = {pk for pk, f in facts.items() if markings.marked(f, marking)}
        assert listed == set(facts) - carried, marking
        # Of the 11 items per country made for this marking, 6 carry it: the marked original, the 4
        # derivatives marked themselves and the one inheriting it unlifted.
        assert len(carried) == 12, marking


@pytest.mark.parametrize("country", ["BE", "NL", "FR"])
def test_the_border_filter_selects_exactly_the_items_the_border_rule_lets_an_agency_read(case, cast, agencies, country):
    from casebridge.items.models import InformationItem

    _marked_world(case, cast, agencies)
    facts = _facts(InformationItem.objects.all())
    reader = actor(Role.PRACTITIONER, country=country)
    listed = set(InformationItem.objects.filter(markings.within_borders_q(reader)).values_list("pk", flat=True))
    decided = {pk for pk, f in facts.items() if markings.within_borders(reader, f)}
    assert listed == decided
    stopped = {pk for pk, f in facts.items() if markings.marked(f, "no_cross_border")}
    home = {pk for pk, f in facts.items() if f.originator_country == country}
    assert decided == (set(facts) - stopped) | home
    assert stopped - home  # some items never reach this reader's country
    assert bool(stopped & home) is (country != "FR")  # and those of its own country always do


# --- Who reads which audit event (audit) -----------------------------------------------------------------

def _event(agency_id=None, object_type="items.informationitem", case_id=None, concerns=()):
    return audit.EventFacts(agency_id=agency_id, object_type=object_type, case_id=case_id,
                            concerns=frozenset(concerns))


AUDIT_TABLE = [  # (role, agency of the reader, event, may read)
    (Role.DPO, 1, _event(1, case_id=4), True),
    (Role.DPO, 1, _event(2, case_id=4, concerns=[1]), True),
    (Role.DPO, 1, _event(2, case_id=4, concerns=[2, 3]), False),
    (Role.DPO, 1, _event(None, "accounts.login"), False),
    (Role.SYSTEM_ADMIN, 2, _event(None, "accounts.login"), True),
    (Role.SYSTEM_ADMIN, 2, _event(2, case_id=4), False),
    (Role.SYSTEM_ADMIN, 2, _event(1, "agencies.agency", case_id=4), False),
    (Role.AGENCY_ADMIN, 1, _event(1, "agencies.agency"), False),
    (Role.PRACTITIONER, 1, _event(1, case_id=4), False),
]


@pytest.mark.parametrize("role, agency_id, event, allowed", AUDIT_TABLE)
def test_require_audit_event_returns_the_decision_or_a_404_exactly_when_the_decision_refuses(
        role, agency_id, event, allowed):
    reader = SimpleNamespace(**{**vars(actor(role)), "agency_id": agency_id})
    decision = audit.decide_audit_event(reader, event)
    assert decision.allowed is allowed
    if allowed:
        assert audit.require_audit_event(reader, event) == decision
    else:
        with pytest.raises(NotVisible):
            audit.require_audit_event(reader, event)


def test_a_role_granted_audit_reading_without_an_audit_scope_reads_no_event(cast, agencies, monkeypatch):
    from casebridge.audit.models import AuditEvent, Operation
    from casebridge.audit.reading import event_facts
    from casebridge.audit.services import record

    # Deny by default: granting the permission to a role the rule gives no scope opens nothing.
    monkeypatch.setitem(core.ROLE_PERMISSIONS, Role.AGENCY_ADMIN,
                        core.ROLE_PERMISSIONS[Role.AGENCY_ADMIN] | {Perm.AUDIT_READ})
    adam = cast["adam"]
    with transaction.atomic():
        for who, object_type, case_id in [("adam", "agencies.agency", None), ("petra", "items.informationitem", 1),
                                          (None, "accounts.login", None)]:
            record(actor=cast[who] if who else None, operation=Operation.READ, object_type=object_type,
                   object_id="1", case_id=case_id,
                   concerning=[SimpleNamespace(pk=1, originating_agency_id=adam.agency_id)])
    assert core.role_allows(adam, Perm.AUDIT_READ)
    for event in AuditEvent.objects.prefetch_related("concerned_agencies"):
        decision = audit.decide_audit_event(adam, event_facts(event))
        assert (decision.allowed, decision.reason) == (False, "no audit scope for this role")
    assert not AuditEvent.objects.filter(audit.visible_audit_events(adam)).exists()


def test_a_dpo_reading_another_agency_s_act_sees_only_references_to_their_own_items():
    dora = SimpleNamespace(**{**vars(actor(Role.DPO)), "agency_id": 1})
    elsewhere = _event(2, case_id=4, concerns=[1])
    detail = {"items": [7, 8], "basis": "agreement 3 v1", "recipients": [7, 9], "kind": ["csv"], "version": 2,
              "retracted": {"7": "withdrawn", "8": "error"}, "query": "hmac-sha256:ab"}
    assert audit.shown_detail(dora, elsewhere, detail, [7]) == {
        "items": [7], "basis": "agreement 3 v1", "version": 2, "retracted": {"7": "withdrawn"}}
    for odd in (None, [7, 8], "items 7 and 8"):  # a detail that is not a mapping shows nothing
        assert audit.shown_detail(dora, elsewhere, odd, [7]) == {}


# --- Administrative authority (admin) ---------------------------------------------------------------------

def test_an_actor_that_does_not_say_it_is_active_neither_issues_nor_receives_nor_revokes_a_token():
    silent_admin, silent_sync = actor(Role.AGENCY_ADMIN, "silent"), actor(Role.PRACTITIONER, "silent")
    silent_sync.is_service_account, silent_sync.pk = True, 6
    sync = SimpleNamespace(**{**vars(silent_sync), "is_active": True})
    active_admin = actor(Role.AGENCY_ADMIN)
    assert admin.decide_issue_token(active_admin, sync, second_factor=True)  # the control: allowed when said
    assert admin.decide_issue_token(silent_admin, sync, second_factor=True).allowed is False
    assert admin.decide_issue_token(active_admin, silent_sync, second_factor=True).allowed is False
    assert admin.decide_revoke_token(actor(Role.PRACTITIONER, "silent"), owner_id=1, agency_id=1).allowed is False
    person = actor(Role.PRACTITIONER)
    assert admin.decide_issue_token(person, person, second_factor=True)  # the control: one's own token
    assert admin.decide_issue_token(actor(Role.PRACTITIONER, "silent"), person, second_factor=True).allowed is False


def test_an_actor_that_does_not_say_it_is_active_lists_no_token_to_revoke_even_its_own(cast):
    from casebridge.accounts.models import ApiToken

    nora = cast["nora"]
    ApiToken.objects.create(name="system", practitioner=nora, agency_id=nora.agency_id, key_id="0" * 16,
                            secret_hash="0" * 64, created_by=nora,
                            expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    silent = SimpleNamespace(pk=nora.pk, id=nora.pk, role=nora.role, agency_id=nora.agency_id)
    assert ApiToken.objects.filter(admin.revocable_tokens(nora)).count() == 1  # the control
    assert not ApiToken.objects.filter(admin.revocable_tokens(silent)).exists()


@pytest.mark.parametrize("role, expected", [
    (Role.SYSTEM_ADMIN, set(Role.values)), (Role.AGENCY_ADMIN, {Role.PRACTITIONER, Role.COORDINATOR})])
def test_the_account_form_offers_a_person_s_roles_unless_asked_for_a_service_account(role, expected):
    assert set(admin.assignable_roles(actor(role))) == expected


def test_an_agency_administrator_cannot_create_an_account_that_arrives_with_a_reserved_role():
    # A caller may build the new record with the requested role already set: it is still new.
    for role in admin.RESERVED_ROLES:
        new = SimpleNamespace(pk=None, role=role, is_service_account=False, clearance=0)
        assert admin.decide_role(actor(Role.AGENCY_ADMIN), new, role).allowed is False
        assert admin.decide_role(actor(Role.SYSTEM_ADMIN), new, role).allowed is True


def test_a_refusal_beyond_authority_is_a_403_sentence_on_the_field_it_concerns():
    nora = SimpleNamespace(pk=3, role=Role.PRACTITIONER, is_service_account=False, clearance=1)
    refusal = admin.decide_role(actor(Role.AGENCY_ADMIN), nora, Role.DPO)
    with pytest.raises(BeyondAuthority) as refused:
        admin.require_authority(refusal, field="role")
    assert refused.value.field == "role"
    assert str(refused.value) == ("Only a system administrator assigns or removes the roles of data protection "
                                  "officer, agency administrator and system administrator.")
    allowed = admin.decide_role(actor(Role.AGENCY_ADMIN), nora, Role.COORDINATOR)
    assert admin.require_authority(allowed, field="role") is allowed
