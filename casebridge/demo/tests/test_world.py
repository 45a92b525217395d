"""The demo world as `casebridge demo` builds it: built once for the package (conftest.py), rolled back after."""

from base64 import b32decode
from datetime import timedelta

import pytest
from django.db import transaction
from django_otp.oath import TOTP

from casebridge import policy
from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import AuditEvent, Operation
from casebridge.audit.verification import verify
from casebridge.cases import services
from casebridge.cases.models import Case, Client, Phase
from casebridge.dataprotection.models import Withholding
from casebridge.decisions.models import FormalDecision
from casebridge.demo.people import DEMO_PASSWORD, DEMO_TOTP_BASE32
from casebridge.demo.tests.world import run
from casebridge.demo.tests.counting import hidden_by_filter
from casebridge.items import readership, services as items
from casebridge.items.facts import case_item_facts, item_facts, items_with_case
from casebridge.items.models import Carrier, InformationAccuracy, InformationItem, Nature, SourceReliability
from casebridge.policy import Perm
from casebridge.sharing.models import Agreement, AgreementParty, AgreementVersion, Consent, Disclosure
from casebridge.vocabulary import AgencyKind, Category, Purpose

REQUIRED_KINDS = {AgencyKind.POLICE, AgencyKind.PROSECUTION, AgencyKind.COURT, AgencyKind.PRISON,
                  AgencyKind.PROBATION, AgencyKind.INTELLIGENCE, AgencyKind.CSO, AgencyKind.MUNICIPALITY,
                  AgencyKind.SOCIAL_SERVICES, AgencyKind.HEALTH, AgencyKind.HOUSING, AgencyKind.EMPLOYMENT}


def counts():
    return (Agency.objects.count(), Practitioner.objects.count(), Client.objects.count(), Case.objects.count(),
            AuditEvent.objects.count())


def test_the_demo_command_builds_the_world_and_says_what_it_built(demo, db):
    code, out, _ = demo
    assert code == 0
    assert "Demo world built" in out and "34 cases" in out and "5 sharing agreements" in out


def test_the_demo_world_has_the_agencies_people_and_cases_it_promises(demo, db):
    assert Agency.objects.count() >= 14
    assert REQUIRED_KINDS <= set(Agency.objects.values_list("kind", flat=True))
    assert set(Agency.objects.values_list("country", flat=True)) >= {"BE", "NL"}
    assert Agency.objects.filter(kind=AgencyKind.PRISON, country="BE").count() >= 2
    assert Agency.objects.filter(kind=AgencyKind.CSO, country="BE").count() >= 2
    assert Practitioner.objects.count() >= 30
    assert Client.objects.count() >= 25
    assert set(Case.objects.values_list("phase", flat=True)) == set(Phase.values)


def test_a_second_run_changes_nothing_and_says_so(demo, db):
    before = counts()
    code, out, _ = run("demo")
    assert code == 0
    assert "already present: nothing changed" in out
    assert counts() == before


def test_the_audit_chain_of_the_demo_world_verifies(demo, db):
    result = verify()
    assert result.ok and result.checked == AuditEvent.objects.count() > 500


@pytest.mark.parametrize("username", ["petra", "ivo", "omar", "clara", "nora", "hugo", "ines", "mila", "lotte"])
def test_each_demo_persona_who_works_cases_can_see_some(demo, db, username):
    assert services.visible_cases(Practitioner.objects.get(username=username)).exists()


@pytest.mark.parametrize("username", ["xavier", "adam", "dora", "sam"])
def test_xavier_and_the_administrators_see_no_case(demo, db, username):
    assert not services.visible_cases(Practitioner.objects.get(username=username)).exists()


@pytest.mark.parametrize("username", ["ivo", "clara"])
def test_the_demo_shows_cases_on_which_a_team_member_is_not_covered_for_the_current_phase(demo, db, username):
    person = Practitioner.objects.get(username=username)
    on_team = Case.objects.filter(team__practitioner=person, team__released_at__isnull=True).distinct()
    assert 0 < services.visible_cases(person).count() < on_team.count()


def test_custody_cases_have_their_sentence_started_and_release_ahead(demo, db):
    today = services.today()
    for case in Case.objects.filter(phase=Phase.CUSTODY):
        assert case.sentence_start <= today < case.earliest_release, case.reference


def test_phase_histories_run_forward_and_stop_today(demo, db):
    today = services.today()
    for case in Case.objects.prefetch_related("phase_changes"):
        changes = list(case.phase_changes.all())
        assert changes[-1].to_phase == case.phase
        dates = [change.effective_on for change in changes]
        assert dates == sorted(dates) and dates[-1] <= today


def test_petra_has_reminders_and_past_handovers_are_recorded(demo, db):
    petra = Practitioner.objects.get(username="petra")
    reminders = services.upcoming_key_dates(actor=petra, within_days=60)
    assert any(when <= services.today() + timedelta(days=60) for _, _, when in reminders)
    released = Case.objects.filter(team__released_at__isnull=False, team__successor__isnull=False)
    assert released.count() >= 3
    assert Case.objects.filter(coordinator=petra, team__practitioner__username="lucas.wouters",
                               team__released_at__isnull=False).exists()


def test_petra_signs_in_with_the_published_password_and_shared_totp_key(demo, db, client):
    response = client.post("/accounts/login/", {"username": "petra", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    code = f"{TOTP(b32decode(DEMO_TOTP_BASE32)).token():06d}"
    response = client.post("/accounts/second-factor/", {"code": code})
    assert response.status_code == 302 and response.url == "/"


# --- The information exchange ---------------------------------------------------------------

def _readable(username: str):
    return items.visible_items(Practitioner.objects.get(username=username), Purpose.CASE_MANAGEMENT)


def test_items_of_every_category_nature_level_and_marking_exist_each_audited_at_creation(demo, db):
    assert InformationItem.objects.count() >= 300
    assert set(InformationItem.objects.values_list("category", flat=True)) == set(Category.values)
    assert set(InformationItem.objects.values_list("nature", flat=True)) == set(Nature.values)
    assert set(InformationItem.objects.values_list("classification", flat=True)) == {0, 1, 2, 3}
    for marking in ("orcon", "no_decision", "no_cross_border", "intelligence"):
        assert InformationItem.objects.filter(**{marking: True}).exists(), marking
    created = AuditEvent.objects.filter(operation=Operation.CREATE, object_type="items.informationitem")
    assert created.count() == InformationItem.objects.count()


def test_intelligence_carries_every_grading_and_police_intelligence_its_source_and_method(demo, db):
    intelligence = InformationItem.objects.filter(intelligence=True, derived_from__isnull=True)
    assert set(intelligence.values_list("source_reliability", flat=True)) == set(SourceReliability.values)
    assert set(intelligence.values_list("information_accuracy", flat=True)) == set(InformationAccuracy.values)
    police = intelligence.filter(originating_agency__kind=AgencyKind.POLICE)
    assert police.exists() and not police.filter(source_text="").exists() and not police.filter(method_text="").exists()


def test_agreements_exist_in_every_status_and_one_has_a_second_version(demo, db):
    today = services.today()
    statuses = {v.effective_status(today) for v in AgreementVersion.objects.all()}
    assert statuses == {"active", "superseded", "suspended", "expired"}
    assert 3 <= Agreement.objects.count() <= 5
    assert AgreementVersion.objects.filter(number=2, status="active").exists()


def test_every_agreement_was_signed_by_an_administrator_of_every_party(demo, db):
    for party in AgreementParty.objects.select_related("signed_by"):
        assert party.signed_at is not None and party.signed_by.role == "agency_admin"
        assert party.signed_by.agency_id == party.agency_id


def test_tearlines_are_lower_than_their_original_and_never_repeat_its_source_or_method(demo, db):
    tearlines = InformationItem.objects.filter(derived_from__isnull=False).select_related("derived_from")
    assert tearlines.count() >= 5
    for tearline in tearlines:
        original = tearline.derived_from
        assert original.intelligence and tearline.classification < original.classification
        assert tearline.source_text == tearline.method_text == ""
        assert original.source_text not in tearline.body and original.method_text not in tearline.body


def test_disclosures_decisions_a_retraction_withdrawn_consents_and_withholdings_exist(demo, db):
    disclosures = Disclosure.objects.select_related("item")
    assert disclosures.filter(item__orcon=True).exists() and disclosures.filter(allow_decision_use=True).exists()
    assert disclosures.filter(revoked_at__isnull=False).exists()
    assert InformationItem.objects.filter(retracted_at__isnull=False).count() == 1
    assert Consent.objects.filter(withdrawn_at__isnull=False).exists() and Withholding.objects.count() >= 1
    assert FormalDecision.objects.count() >= 4
    for decision in FormalDecision.objects.prefetch_related("basis"):
        person = decision.decided_by
        for item in decision.basis.all():  # each basis is one the decider may still cite today
            assert items.decide(person, Perm.ITEM_USE_IN_DECISION, item, Purpose.CASE_MANAGEMENT), item.title


def test_the_personas_each_see_a_different_picture(demo, db):
    seen = {name: set(_readable(name).values_list("pk", flat=True)) for name in ("petra", "ivo", "omar", "clara")}
    assert all(seen.values())
    assert len({frozenset(s) for s in seen.values()}) == 4
    assert not _readable("xavier").exists()


def test_clara_reads_no_intelligence_and_from_others_only_consented_programme_and_housing_items(demo, db):
    clara = Practitioner.objects.get(username="clara")
    readable = _readable("clara")
    assert not readable.filter(intelligence=True).exists()
    others = readable.exclude(originating_agency_id=clara.agency_id)
    assert others.exists()
    assert set(others.values_list("category", flat=True)) <= {Category.PROGRAMME_AND_INTERVENTION,
                                                                Category.HOUSING_EMPLOYMENT_EDUCATION,
                                                                Category.CONFERENCE_RECORD}  # OPEN agendas, actions
    assert not others.filter(category=Category.CONFERENCE_RECORD, classification__gt=0).exists()


def test_clara_reads_only_programme_and_housing_handover_notes_never_the_judgments_or_psychiatric_ones(demo, db):
    clara = Practitioner.objects.get(username="clara")
    notes = InformationItem.objects.filter(carrier=Carrier.PHASE_HANDOVER, case__in=services.visible_cases(clara))
    read = notes.filter(pk__in=_readable("clara").values("pk"))
    assert read.exists() and set(read.values_list("category", flat=True)) <= {
        Category.PROGRAMME_AND_INTERVENTION, Category.HOUSING_EMPLOYMENT_EDUCATION}
    unread = notes.exclude(pk__in=read.values("pk"))
    assert unread.filter(category=Category.HEALTH_AND_MENTAL_HEALTH).exists()
    assert unread.filter(category=Category.OFFENCE_AND_SENTENCE).exists()


def test_petra_reads_every_text_her_service_wrote_on_her_cases(demo, db):
    petra = Practitioner.objects.get(username="petra")
    own = InformationItem.objects.filter(case__in=services.visible_cases(petra), originating_agency=petra.agency) \
        .exclude(carrier=Carrier.RECORD)
    assert own.filter(carrier=Carrier.PHASE_HANDOVER).exists()
    assert own.count() == own.filter(pk__in=_readable("petra").values("pk")).count()


def test_petra_reads_prison_and_police_items_but_never_a_police_source(demo, db):
    readable = _readable("petra")
    assert readable.filter(originating_agency__kind=AgencyKind.PRISON).exists()
    police = readable.filter(originating_agency__kind=AgencyKind.POLICE)
    assert police.filter(intelligence=True).exists()  # tearlines and a disclosed original
    sources = [text for pair in InformationItem.objects.filter(originating_agency__kind=AgencyKind.POLICE)
               .exclude(source_text="").values_list("source_text", "method_text") for text in pair]
    shown = " ".join(f"{i.title} {i.body}" for i in readable)
    assert sources and not any(text in shown for text in sources)
    petra = Practitioner.objects.get(username="petra")
    assert not any(policy.may_see_source_and_method(petra, item) for item in police)


def test_omar_reads_his_own_intelligence_with_its_source_and_method(demo, db):
    omar = Practitioner.objects.get(username="omar")
    own = _readable("omar").filter(intelligence=True, originating_agency_id=omar.agency_id).exclude(source_text="")
    assert own.exists() and all(policy.may_see_source_and_method(omar, item) for item in own)


def test_ivo_reads_the_prison_s_items_and_what_probation_shares_with_the_prison(demo, db):
    readable = _readable("ivo")
    assert readable.filter(originating_agency__kind=AgencyKind.PRISON).exists()
    probation = readable.filter(originating_agency__kind=AgencyKind.PROBATION)
    # The prison's own responsibilities on probation-led cases reach it by disclosure, and only those.
    duties = probation.filter(carrier=Carrier.MEMBERSHIP_RESPONSIBILITIES)
    ivo = Practitioner.objects.get(username="ivo")
    assert duties.exists() and not duties.exclude(disclosures__recipient_id=ivo.agency_id).exists()
    shared = probation.exclude(carrier=Carrier.MEMBERSHIP_RESPONSIBILITIES)
    assert shared.exists()
    assert set(shared.values_list("category", flat=True)) <= {Category.RISK_AND_NEEDS_ASSESSMENT,
                                                                Category.OFFENCE_AND_SENTENCE,
                                                                Category.CONFERENCE_RECORD}


def test_civil_society_agencies_have_a_clearance_ceiling_below_secret_that_nobody_exceeds(demo, db):
    capped = Agency.objects.filter(kind=AgencyKind.CSO)
    assert capped.exists() and set(capped.values_list("clearance_ceiling", flat=True)) == {1}
    assert not Practitioner.objects.filter(agency__kind=AgencyKind.CSO, clearance__gt=1).exists()


def test_the_demo_has_a_service_account_that_cannot_sign_in_on_the_web(demo, db, client):
    account = Practitioner.objects.get(username="probation-register-sync")
    assert account.is_service_account and not account.has_usable_password()
    assert account.agency.name == "Westmark Probation Service"
    response = client.post("/accounts/login/", {"username": "probation-register-sync",
                                                "password": "demo-password-2026"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def _security_cases():
    return Case.objects.filter(memberships__agency__kind=AgencyKind.INTELLIGENCE).distinct()


def _listed_kinds(username: str, case) -> set[str]:
    person = Practitioner.objects.get(username=username)
    return set(case.memberships.filter(policy.listed_memberships(person, services.today()))
               .values_list("agency__kind", flat=True))


def test_the_security_service_is_a_discreet_member_clara_never_sees_and_petra_does(demo, db):
    security = _security_cases()
    assert security.exists()
    assert not security.filter(memberships__agency__kind=AgencyKind.INTELLIGENCE, memberships__discreet=False).exists()
    clara, petra = (Practitioner.objects.get(username=name) for name in ("clara", "petra"))
    shared_with_clara = [c for c in security if services.visible_cases(clara).filter(pk=c.pk).exists()]
    assert shared_with_clara, "a case Clara works on which the security service is a member"
    for case in shared_with_clara:
        assert AgencyKind.INTELLIGENCE not in _listed_kinds("clara", case)
        assert AgencyKind.CSO in _listed_kinds("clara", case)
    led_by_petra = [c for c in security if c.coordinator_id == petra.pk]
    assert led_by_petra and all(AgencyKind.INTELLIGENCE in _listed_kinds("petra", c) for c in led_by_petra)


def test_every_demo_consent_has_evidence_and_was_recorded_by_the_right_people(demo, db):
    from casebridge.cases import services as case_services
    from casebridge.policy.consents import ConsentAction, decide_consent
    from casebridge.sharing import services as sharing
    from casebridge.sharing.models import ConsentDocument

    consents = list(Consent.objects.select_related("client", "recorded_by__agency", "recipient_agency"))
    assert consents and all(c.evidence for c in consents)
    assert ConsentDocument.objects.count() >= 1 and all(
        bytes(d.data).startswith(b"%PDF-") for d in ConsentDocument.objects.all())
    recorders = set()
    for consent in consents:
        case = consent.client.cases.get()
        facts = sharing.consent_facts(consent, case)
        recorder = consent.recorded_by
        assert not facts.receives(recorder.agency_id, recorder.agency_kind)
        recorders.add("lead side" if recorder.agency_id == case.lead_agency_id or recorder.pk == case.coordinator_id
                      else "sharing agency")
        assert decide_consent(recorder, ConsentAction.GIVE, facts, case_services.case_facts(case)) or \
            recorder.pk not in case_services.case_facts(case).team_ids  # may have left the team since
    assert recorders == {"lead side", "sharing agency"}  # health services record probation's health consents


def test_dora_answers_for_probation_with_a_released_item_and_items_awaiting_their_originator(demo, db):
    from casebridge.dataprotection import services as dataprotection
    from casebridge.dataprotection.models import SubjectAccessRelease

    dora = Practitioner.objects.get(username="dora")
    # Dora's own release; the approved minutes' summary of the held review is released by its chair.
    released = SubjectAccessRelease.objects.select_related("item").get(released_by=dora)
    assert released.item.originating_agency_id == dora.agency_id
    assert SubjectAccessRelease.objects.exclude(released_by=dora).get().item.carrier == "conference_summary"
    with transaction.atomic():
        overview = dataprotection.subject_access_overview(actor=dora, client_id=released.item.case.client_id,
                                                          purpose=Purpose.DATA_PROTECTION)
    assert released.item in overview.included and overview.pending
    assert all(i.originating_agency_id != dora.agency_id for i in overview.pending)


def test_noordhaven_reads_the_transfer_summary_and_never_the_no_cross_border_arrangements(demo, db):
    from casebridge.demo.controllers import BORDER_ITEM, TRANSFER_ITEM

    border, summary = (InformationItem.objects.get(title=title) for title in (BORDER_ITEM, TRANSFER_ITEM))
    lotte = Practitioner.objects.get(username="lotte")
    assert border.no_cross_border and border.case_id == summary.case_id
    assert summary.disclosures.filter(recipient_id=lotte.agency_id).exists()
    assert _readable(border.author.username).filter(pk=border.pk).exists()
    assert _readable("lotte").filter(pk=summary.pk).exists()
    assert not _readable("lotte").filter(pk=border.pk).exists()


def test_the_facts_of_a_whole_case_are_the_facts_of_each_of_its_items(demo, db):
    # One values query against a loaded item, on derivatives, lifted markings and withheld items too.
    assert Withholding.objects.exists() and InformationItem.objects.filter(derived_from__isnull=False).exists()
    read = {facts.id: (facts, day, carrier) for case in Case.objects.all()
            for facts, day, carrier in case_item_facts(case.pk, case.client_id)}
    assert read == {i.pk: (item_facts(i), i.fact_date, i.carrier) for i in items_with_case(InformationItem.objects)}


def test_items_hidden_by_the_purpose_are_counted_as_the_policys_filter_counts_them(demo, db):
    # The case page decides each item in memory for every purpose; the filter is the policy's other
    # half. They must agree for every person, on the first case they see, for each purpose.
    compared = nonzero = 0
    for actor in Practitioner.objects.filter(is_active=True).select_related("agency"):
        for case in services.visible_cases(actor).order_by("pk")[:1]:
            case = services.load_case(case.pk)
            for purpose, _ in policy.purposes_for(actor):
                hidden = [(p, n) for p, _, n in readership.hidden_by_purpose(actor, case, purpose)]
                assert hidden == hidden_by_filter(actor, case, purpose), (actor.username, case.reference, purpose)
                compared, nonzero = compared + 1, nonzero + bool(hidden)
    assert compared > 100 and nonzero > 10, (compared, nonzero)
