"""Discreet memberships: the State Security Liaison Unit works the case, and only its own people and
the core members know it.

On the case: Petra's probation service leads it; Ivo's prison and Omar's police are core members;
Clara's exit programme is on request; Ines's security unit is a discreet member with Ines on the team.
Xavier works for an agency that is not on the case. Every surface that lists members, team, counts,
choices or disclosures is asked, per persona, whether the security unit shows.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.agencies.models import Agency
from casebridge.audit.models import AuditEvent, Operation
from casebridge.cases import membership
from casebridge.cases.models import Membership
from casebridge.conftest import PURPOSE, _person, bearer, sign_in
from casebridge.dataprotection import export
from casebridge.dataprotection.transparency import transparency_notice
from casebridge.errors import InvalidInput
from casebridge.items import readership
from casebridge.items import services as items
from casebridge.search.lookup import lookup_person
from casebridge.sharing import services as sharing
from casebridge.sharing.forms import agency_choices
from casebridge.sharing.models import AgreementRule

SECURITY = "State Security Liaison Unit"
INES = "Ines Vos"
# Who sees the security unit listed: its own agency and the core members; 404 for who may not see the case.
SEES = {"petra": True, "ivo": True, "omar": True, "ines": True, "clara": False}
LISTED_COUNT = {True: 5, False: 4}  # member agencies listed, with and without the security unit


@pytest.fixture
def security(agencies):
    return Agency.objects.create(name=SECURITY, kind="intelligence", country="BE", region="National")


@pytest.fixture
def discreet_case(case, cast, agencies, security):
    """The cast's case, with the exit programme on request and the security unit a discreet member."""
    cast["ines"] = _person("ines", security, clearance=3, first="Ines", last="Vos")
    case.memberships.filter(agency=agencies["cso"]).update(participation="on_request")
    with transaction.atomic():
        membership.add_membership(actor=cast["petra"], case_id=case.pk, agency_id=security.pk,
                                  point_of_contact_id=cast["ines"].pk, phases=["custody", "release_preparation"],
                                  responsibilities="Abstracted threat assessments on request.", purpose=PURPOSE,
                                  starts_on=dt.date(2025, 3, 1))
        membership.assign_to_team(actor=cast["petra"], case_id=case.pk, practitioner_id=cast["ines"].pk,
                                  role_on_case="Liaison officer", purpose=PURPOSE)
    return case


def _shows_security(text: str) -> bool:
    """Whether the text names the security unit or Ines (outside the top bar, which names whoever is signed in)."""
    if '<main id="main"' in text:
        text = text.split('<main id="main"', 1)[1]
    return SECURITY in text or INES in text or "ines@example.test" in text


# --- The rule on each surface, per persona ---------------------------------------------------

@pytest.mark.parametrize("persona", SEES)
def test_the_case_page_lists_the_discreet_member_and_its_people_only_to_its_agency_and_core_members(
        discreet_case, cast, client, persona):
    page = sign_in(client, cast[persona]).get(reverse("cases:detail", args=[discreet_case.pk])).content.decode()
    assert _shows_security(page) is SEES[persona]
    members_list = page.split('<ul class="members">')[1].split("</ul>")[0]
    assert members_list.count('<li class="member') == LISTED_COUNT[SEES[persona]]


@pytest.mark.parametrize("persona", SEES)
def test_the_case_page_re_rendered_for_htmx_after_a_refused_form_keeps_the_discreet_member_hidden(
        discreet_case, cast, client, persona):
    sign_in(client, cast[persona])
    own = discreet_case.team.get(practitioner=cast[persona], released_at__isnull=True)
    response = client.post(reverse("cases:release", args=[discreet_case.pk]),
                           {"release-assignment": own.pk, "release-handover_note": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert _shows_security(response.content.decode()) is SEES[persona]


@pytest.mark.parametrize("persona", SEES)
def test_the_api_case_detail_lists_and_counts_members_and_team_as_the_rule_says(discreet_case, cast, client, persona):
    answer = client.get(f"/api/cases/{discreet_case.pk}", **bearer(cast[persona])).json()
    names = {m["agency"]["name"] for m in answer["memberships"]}
    assert (SECURITY in names) is SEES[persona] and len(names) == LISTED_COUNT[SEES[persona]]
    assert ("ines" in {t["practitioner"]["username"] for t in answer["team"]}) is SEES[persona]
    assert _shows_security(str(answer)) is SEES[persona]


def test_the_api_tells_the_core_members_that_the_membership_is_discreet(discreet_case, cast, client):
    answer = client.get(f"/api/cases/{discreet_case.pk}", **bearer(cast["petra"])).json()
    assert {m["agency"]["name"]: m["discreet"] for m in answer["memberships"]}[SECURITY] is True
    assert not any(m["discreet"] for m in answer["memberships"] if m["agency"]["name"] != SECURITY)


@pytest.mark.parametrize("persona", [*SEES, "xavier"])
def test_nobody_off_the_case_is_listed_anything(discreet_case, cast, client, persona):
    status = client.get(f"/api/cases/{discreet_case.pk}", **bearer(cast[persona])).status_code
    assert status == (404 if persona == "xavier" else 200)


@pytest.mark.parametrize("persona", SEES)
def test_the_transparency_notice_never_names_a_discreet_member_whoever_prepares_it(discreet_case, cast, client,
                                                                                  persona):
    sign_in(client, cast[persona])
    page = client.get(reverse("dataprotection:transparency", args=[discreet_case.pk])).content.decode()
    api = client.get(f"/api/cases/{discreet_case.pk}/transparency", **bearer(cast[persona])).json()
    assert not _shows_security(page) and not _shows_security(str(api))
    assert len(api["agencies"]) == 4


@pytest.mark.parametrize("persona", SEES)
def test_the_consent_list_shows_a_consent_to_the_discreet_member_only_to_those_who_see_it(
        discreet_case, cast, client, security, persona):
    with transaction.atomic():
        sharing.give_consent(actor=cast["petra"], case_id=discreet_case.pk, purpose=PURPOSE,
                             data={"recipient_agency": security.pk, "categories": ["risk_and_needs_assessment"],
                                   "purpose": "case_management", "evidence": "Signed form CF-31",
                                   "given_on": dt.date(2025, 5, 1)})
    sign_in(client, cast[persona])
    page = client.get(reverse("sharing:consents", args=[discreet_case.pk])).content.decode()
    listed = client.get(f"/api/cases/{discreet_case.pk}/consents", **bearer(cast[persona])).json()
    # Once as a choice of the consent form where the persona may record one (every agency is a
    # choice, so the choices single out no member), once more as a consent listed.
    offered = sharing.may_record_consent(cast[persona], discreet_case)
    assert page.split('<main id="main"')[1].count(SECURITY) == int(offered) + int(SEES[persona])
    assert (SECURITY in str(listed)) is SEES[persona]


@pytest.mark.parametrize("persona", SEES)
def test_the_consent_form_offers_every_active_agency_so_its_choices_single_out_no_member(discreet_case, cast, client,
                                                                                       persona):
    page = sign_in(client, cast[persona]).get(reverse("sharing:consents", args=[discreet_case.pk])).content.decode()
    if not sharing.may_record_consent(cast[persona], discreet_case):
        assert 'name="consent-recipient_agency"' not in page
        return
    own = cast[persona].agency.name
    offered = {name for _, name in agency_choices()} - {own}
    assert SECURITY in offered and all(f">{name}</option>" in page for name in offered)


@pytest.mark.parametrize("persona", SEES)
def test_the_lookup_names_only_the_lead_agency_s_contact(discreet_case, cast, persona):
    with transaction.atomic():
        answer = lookup_person(actor=cast[persona], given_name="Test", family_name="Client-One",
                               date_of_birth=dt.date(1996, 5, 17), purpose=PURPOSE)
    assert answer.hit and [c.agency for c in answer.contacts] == ["Westmark Probation Service"]


def test_the_subject_access_copy_never_names_a_discreet_member(discreet_case, cast):
    with transaction.atomic():
        document = export.subject_access_export(actor=cast["dora"], client_id=discreet_case.client_id, purpose="data_protection")
    names = {m["name"] for case in document["cases"] for m in case["member_agencies"]}
    assert "Open Door Exit Programme" in names and SECURITY not in names


# --- Choices and refusals that would otherwise answer "is it a member?" -------------------------

def test_clara_cannot_disclose_to_the_discreet_member_and_is_told_exactly_what_a_non_member_gets(
        discreet_case, cast, agencies, security, exchange):
    own = _clara_item(discreet_case, cast)
    refusals = {}
    for target in (security, agencies["housing"]):
        with pytest.raises(InvalidInput) as refused, transaction.atomic():
            sharing.disclose_item(actor=cast["clara"], item_id=own.pk, recipient_id=target.pk, justification="Needed",
                                  purpose=PURPOSE)
        refusals[target.pk] = refused.value.message.replace(target.name, "X")
    assert refusals[security.pk] == refusals[agencies["housing"].pk]


def test_petra_may_disclose_to_the_discreet_member(discreet_case, cast, security, exchange):
    with transaction.atomic():
        made = sharing.disclose_item(actor=cast["petra"], item_id=exchange["programme"].pk, recipient_id=security.pk,
                                     justification="Threat assessment", purpose=PURPOSE)
    assert made.recipient_id == security.pk


@pytest.mark.parametrize("persona", ["clara", "ivo"])
def test_the_disclose_and_preview_choices_offer_the_discreet_member_only_to_core_members(
        discreet_case, cast, client, persona):
    own = _clara_item(discreet_case, cast) if persona == "clara" else None
    sign_in(client, cast[persona])
    if own is None:
        with transaction.atomic():
            own = items.record_item(actor=cast["ivo"], case_id=discreet_case.pk, purpose=PURPOSE, data={
                "category": "programme_and_intervention", "nature": "fact", "title": "Course", "body": "Enrolled.",
                "fact_date": dt.date(2025, 6, 1)})
    page = client.get(reverse("items:detail", args=[own.pk])).content.decode()
    assert (SECURITY in page) is SEES[persona]


def test_previewing_as_the_discreet_member_answers_clara_as_for_an_agency_off_the_case(
        discreet_case, cast, agencies, security):
    with transaction.atomic():
        _, member, _ = readership.preview_as(actor=cast["clara"], case_id=discreet_case.pk, agency_id=security.pk,
                                        purpose=PURPOSE)
        _, petra_sees, _ = readership.preview_as(actor=cast["petra"], case_id=discreet_case.pk, agency_id=security.pk,
                                            purpose=PURPOSE)
    assert member is False and petra_sees is True


def test_the_readers_of_clara_s_item_do_not_name_the_discreet_member(discreet_case, cast, exchange, security):
    own = _clara_item(discreet_case, cast)
    AgreementRule.objects.create(version=exchange["version"], originator=own.originating_agency, recipient=security,
                                 category="programme_and_intervention", max_classification=0, consent_required=False)
    with transaction.atomic():
        items.get_item(actor=cast["ines"], item_id=own.pk, purpose=PURPOSE)  # Ines reads it, audited
        readers = readership.item_readers(actor=cast["clara"], item_id=own.pk, purpose=PURPOSE)
    assert AuditEvent.objects.filter(operation=Operation.READ, actor_username="ines", object_id=str(own.pk)).exists()
    assert "ines" not in {e.actor_username for e in readers}


@pytest.mark.parametrize("persona", ["clara", "petra"])
def test_a_successor_from_the_discreet_member_is_offered_and_accepted_only_where_it_is_listed(
        discreet_case, cast, client, persona):
    page = sign_in(client, cast[persona]).get(reverse("cases:detail", args=[discreet_case.pk])).content.decode()
    release_form = page.split('id="team"')[1]
    assert (INES in release_form) is SEES[persona]


def test_clara_naming_ines_as_successor_is_refused_as_for_someone_off_the_case(discreet_case, cast):
    own = discreet_case.team.get(practitioner=cast["clara"], released_at__isnull=True)
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        membership.release_from_team(actor=cast["clara"], case_id=discreet_case.pk, assignment_id=own.pk,
                                     handover_note="Leaving", successor_id=cast["ines"].pk, purpose=PURPOSE)
    assert refused.value.message == f"{SECURITY} is not an active member of this case."


def _clara_item(case, cast):
    with transaction.atomic():
        return items.record_item(actor=cast["clara"], case_id=case.pk, purpose=PURPOSE, data={
            "category": "programme_and_intervention", "nature": "fact", "title": "Mentoring session",
            "body": "Attended.", "fact_date": dt.date(2025, 6, 1)})


# --- Setting it: by default for intelligence services, by the coordinator, audited -------------

def test_an_intelligence_service_joins_discreetly_by_default_and_other_agencies_listed(discreet_case, security,
                                                                                     agencies):
    by_agency = dict(Membership.objects.filter(case=discreet_case).values_list("agency_id", "discreet"))
    assert by_agency[security.pk] is True
    assert not any(d for a, d in by_agency.items() if a != security.pk)


def test_the_coordinator_may_add_an_intelligence_service_listed_and_another_agency_discreetly(case, cast, agencies,
                                                                                            security):
    ines = _person("ines", security)
    with transaction.atomic():
        listed = membership.add_membership(actor=cast["petra"], case_id=case.pk, agency_id=security.pk,
                                           point_of_contact_id=ines.pk, phases=["custody"], purpose=PURPOSE,
                                           discreet=False)
        quiet = membership.add_membership(actor=cast["petra"], case_id=case.pk, agency_id=agencies["housing"].pk,
                                          point_of_contact_id=cast["xavier"].pk, phases=["custody"], purpose=PURPOSE,
                                          discreet=True)
    assert (listed.discreet, quiet.discreet) == (False, True)
    event = AuditEvent.objects.filter(operation=Operation.CREATE, object_id=str(quiet.pk)).last()
    assert event.detail["discreet"] is True


def test_the_coordinator_sets_and_unsets_discretion_on_the_case_page_and_it_is_audited(discreet_case, cast, client,
                                                                                     security):
    member = discreet_case.memberships.get(agency=security)
    sign_in(client, cast["petra"])
    response = client.post(reverse("cases:set_discreet", args=[discreet_case.pk]),
                           {"discreet-membership": member.pk, "discreet-discreet": "listed"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.discreet is False
    clara_page = sign_in(client, cast["clara"]).get(reverse("cases:detail", args=[discreet_case.pk])).content.decode()
    assert SECURITY in clara_page
    event = AuditEvent.objects.filter(operation=Operation.UPDATE, object_id=str(member.pk)).last()
    assert event.detail["discreet"] == [True, False] and event.actor_username == "petra"


def test_the_api_sets_discretion_and_a_practitioner_who_does_not_manage_the_case_is_refused(
        discreet_case, cast, client, agencies):
    prison = discreet_case.memberships.get(agency=agencies["prison"])
    url = f"/api/cases/{discreet_case.pk}/memberships/{prison.pk}"
    refused = client.patch(url, {"discreet": True}, content_type="application/json", **bearer(cast["ivo"]))
    done = client.patch(url, {"discreet": True}, content_type="application/json", **bearer(cast["petra"]))
    assert refused.status_code == 403 and done.status_code == 200 and done.json()["discreet"] is True


def test_the_lead_agency_cannot_be_discreet(discreet_case, cast, agencies):
    lead = discreet_case.memberships.get(agency=agencies["probation"])
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        membership.set_discreet(actor=cast["petra"], case_id=discreet_case.pk, membership_id=lead.pk, discreet=True,
                                purpose=PURPOSE)
    assert refused.value.field == "discreet"


def test_the_continuity_liaison_is_never_someone_of_a_discreet_member(discreet_case, cast, agencies):
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        membership.set_continuity_liaison(actor=cast["petra"], case_id=discreet_case.pk,
                                          practitioner_id=cast["ines"].pk, purpose=PURPOSE)
    assert refused.value.field == "continuity_liaison"
    with transaction.atomic():
        membership.set_continuity_liaison(actor=cast["petra"], case_id=discreet_case.pk,
                                          practitioner_id=cast["clara"].pk, purpose=PURPOSE)
    cso = discreet_case.memberships.get(agency=agencies["cso"])
    with pytest.raises(InvalidInput), transaction.atomic():
        membership.set_discreet(actor=cast["petra"], case_id=discreet_case.pk, membership_id=cso.pk, discreet=True,
                                purpose=PURPOSE)


def test_a_discreet_membership_hides_the_agency_s_earlier_open_membership_too(discreet_case, cast, agencies):
    police = discreet_case.memberships.get(agency=agencies["police"])
    with transaction.atomic():
        membership.end_membership(actor=cast["petra"], case_id=discreet_case.pk, membership_id=police.pk,
                                  reason="Investigation closed", purpose=PURPOSE, ends_on=dt.date(2025, 6, 1))
        membership.add_membership(actor=cast["petra"], case_id=discreet_case.pk, agency_id=agencies["police"].pk,
                                  point_of_contact_id=cast["omar"].pk, phases=["custody"], purpose=PURPOSE,
                                  discreet=True, participation="on_request", starts_on=dt.date(2025, 7, 1))
    listed = {m.agency.name for m in membership.listed_members(actor=cast["clara"], case=discreet_case)}
    assert "Westmark Police" not in listed


def test_transparency_counts_only_disclosures_the_reader_may_read_by_and_to_agencies_it_names(
        discreet_case, cast, agencies, security, exchange):
    with transaction.atomic():
        sharing.disclose_item(actor=cast["omar"], item_id=exchange["police_orcon"].pk,
                              recipient_id=agencies["probation"].pk, justification="Review", purpose=PURPOSE)
        sharing.disclose_item(actor=cast["ivo"], item_id=exchange["prison_programme"].pk, recipient_id=security.pk,
                              justification="Threat assessment", purpose=PURPOSE)
        counts = {name: {a.name: [(d.recipient, d.count) for d in a.disclosures]
                         for a in transparency_notice(actor=cast[name], case_id=discreet_case.pk,
                                                      purpose=PURPOSE).agencies}
                  for name in ("petra", "clara")}
    assert counts["petra"]["Westmark Police"] == [("Westmark Probation Service", 1)]
    assert counts["clara"]["Westmark Police"] == []  # Clara may not read the police item
    assert counts["petra"]["Westmark Prison"] == counts["clara"]["Westmark Prison"] == []  # to the security unit
