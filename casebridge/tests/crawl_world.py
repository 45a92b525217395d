"""The world the need-to-know crawl walks: two cases full of content, every piece carrying a marker.

Every free text written here holds a distinctive marker (`MK…`, one word of capitals and digits, so
no HTML escaping, JSON encoding or PDF line wrapping can split it). The crawl then looks for those
markers in every response; which ones a persona may meet is computed by casebridge/tests/
crawl_oracle.py from the records that hold them, never listed by hand here.

Case A is the shared `case` with its `exchange` (agreement, consent, seven items). Case B is opened
here by Petra in custody and moved to release preparation: prison and police are core members, the
civil-society exit programme (Clara) and a security service (Ines) are on-request members, so Clara
works a case with a member she must not learn about. Everything is written through the services.
"""

import datetime as dt

from django.db import transaction

from casebridge.agencies.models import Agency
from casebridge.cases import membership, services as cases
from casebridge.conftest import PURPOSE, _person
from casebridge.decisions import services as decisions
from casebridge.items import attachments, readership
from casebridge.items import services as items
from casebridge.search import lookup, services as search
from casebridge.sharing import services as sharing
from casebridge.sharing.models import Agreement, AgreementParty, AgreementPurpose, AgreementRule, AgreementVersion

FACT_DAY = dt.date(2025, 6, 1)
# Words every marked item body contains, so a search for them finds every item a persona may read.
SEARCH_WORDS = ("crawlable", "details")
SEARCHED_BY_OMAR = "MKSEARCHWORD"
LOOKED_UP = ("Mklookupgiven", "Mklookupfamily")


def extra_people(agencies) -> dict:
    """The security service and the employment office, and the people the cast lacks: Ines of the
    security service, Paula the police's data protection officer, Uma at an agency on no case."""
    agencies["intel"] = Agency.objects.create(name="Westmark Security Service", kind="intelligence", country="BE",
                                              region="Westmark")
    agencies["employment"] = Agency.objects.create(name="Westmark Employment Office", kind="employment",
                                                   country="BE", region="Westmark")
    return {
        "ines": _person("ines", agencies["intel"], clearance=3, first="Ines", last="Ibsen"),
        "paula": _person("paula", agencies["police"], "dpo", first="Paula", last="Pauwels"),
        "uma": _person("uma", agencies["employment"], first="Uma", last="Unger"),
    }


def _agreement(cast, agencies) -> None:
    """A second agreement in force, for case B: no consent needed for the exit programme."""
    now = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    agreement = Agreement.objects.create(title="Westmark reintegration", created_at=now, created_by=cast["sam"])
    version = AgreementVersion.objects.create(agreement=agreement, number=1, legal_basis="Regional protocol 2025/9",
                                              valid_from=dt.date(2025, 1, 1), status="active", created_at=now,
                                              created_by=cast["sam"])
    for key in ("probation", "prison", "police", "cso"):
        AgreementParty.objects.create(version=version, agency=agencies[key], signed_by=cast["sam"], signed_at=now)
    for purpose in ("case_management", "release_planning", "risk_assessment"):
        AgreementPurpose.objects.create(version=version, purpose=purpose)
    for origin, to, category, level in [("probation", "cso", "programme_and_intervention", 0),
                                        ("prison", "police", "custody_behaviour_and_security", 1),
                                        ("police", "prison", "risk_and_needs_assessment", 1),
                                        ("probation", "prison", "housing_employment_education", 0)]:
        AgreementRule.objects.create(version=version, originator=agencies[origin], recipient=agencies[to],
                                     category=category, max_classification=level, consent_required=False)


def _open_case_b(cast, agencies):
    petra = cast["petra"]
    case = cases.open_case(
        actor=petra, purpose=PURPOSE, phase="custody", phase_date=dt.date(2025, 2, 1),
        summary="MKSUMMARYB Judgment text and psychiatric report summarised for the team.",
        client={"given_name": "Crawl", "family_name": "Client-Two", "date_of_birth": dt.date(1994, 9, 3),
                "nationalities": ["BE"], "languages": ["nl"], "residency_status": "temporary_permit",
                "residency_note": "MKRESIDENCYB Permit renewal refused, appeal pending."},
        key_dates={"sentence_start": dt.date(2025, 2, 1), "sentence_end": dt.date(2027, 2, 1)})
    members = [("prison", "ivo", ["custody", "release_preparation"], "core"),
               ("police", "omar", ["custody", "release_preparation", "supervised_release"], "core"),
               ("cso", "clara", ["release_preparation", "supervised_release", "aftercare"], "on_request"),
               ("intel", "ines", ["custody", "release_preparation"], "on_request")]
    for key, person, phases, participation in members:
        membership.add_membership(actor=petra, case_id=case.pk, agency_id=agencies[key].pk,
                                  point_of_contact_id=cast[person].pk, phases=phases, purpose=PURPOSE,
                                  participation=participation, starts_on=dt.date(2025, 2, 1),
                                  responsibilities=f"MKRESP{key.upper()} What {key} does on this case.")
    for person in ("ivo", "omar", "ines", "nora"):
        membership.assign_to_team(actor=petra, case_id=case.pk, practitioner_id=cast[person].pk, purpose=PURPOSE)
    cases.transition_phase(actor=petra, case_id=case.pk, to_phase="release_preparation",
                           effective_on=dt.date(2025, 5, 1), purpose=PURPOSE,
                           handover_note="MKHANDOVERB Release recommendation and psychiatric findings.")
    membership.assign_to_team(actor=petra, case_id=case.pk, practitioner_id=cast["clara"].pk, purpose=PURPOSE)
    nora = case.team.get(practitioner=cast["nora"], released_at__isnull=True)
    membership.release_from_team(actor=petra, case_id=case.pk, assignment_id=nora.pk, purpose=PURPOSE,
                                 handover_note="MKTEAMHANDOVER Nora's notes on the family situation.")
    return case


# (key, author, category, classification, marks): every item's title and body carry its marker.
ITEMS = [
    ("programme", "petra", "programme_and_intervention", 0, {}),
    ("probation_health", "petra", "health_and_mental_health", 0, {}),
    ("probation_housing", "petra", "housing_employment_education", 0, {}),
    ("custody", "ivo", "custody_behaviour_and_security", 1, {}),
    ("prison_health", "ivo", "health_and_mental_health", 0, {}),
    ("prison_retracted", "ivo", "custody_behaviour_and_security", 0, {}),
    ("police_risk", "omar", "risk_and_needs_assessment", 1, {"source_text": "MKSRCRISK informant", "method_text":
                                                             "MKMTHRISK observation"}),
    ("police_orcon", "omar", "risk_and_needs_assessment", 1, {"orcon": True}),
    ("police_intel", "omar", "intelligence", 3, {"intelligence": True, "orcon": True,
                                                 "source_text": "MKSRCPOLICE handler", "method_text": "MKMTHPOLICE"}),
    ("police_amended", "omar", "risk_and_needs_assessment", 0, {}),
    ("intel", "ines", "intelligence", 3, {"intelligence": True, "orcon": True, "source_text": "MKSRCINTEL asset",
                                          "method_text": "MKMTHINTEL intercept"}),
]


def tag(key: str) -> str:
    return key.upper().replace("_", "")


def _record(cast, case, key, author, category, level, marks):
    data = {"category": category, "nature": "fact", "title": f"MKTITLE{tag(key)} on the case",
            "body": f"MKBODY{tag(key)} crawlable details for the team.", "fact_date": FACT_DAY,
            "classification": level, **marks}
    return items.record_item(actor=cast[author], case_id=case.pk, data=data, purpose=PURPOSE)


def _derive(cast, made, key, author, level):
    return items.derive_item(actor=cast[author], item_id=made[key].pk, purpose=PURPOSE, data={
        "title": f"MKTITLEDERIVED{tag(key)} sanitised", "body": f"MKBODYDERIVED{tag(key)} crawlable details, sanitised.",
        "fact_date": FACT_DAY, "classification": level})


def _items_of_case_b(cast, agencies, case) -> dict:
    made = {key: _record(cast, case, key, *rest) for key, *rest in ITEMS}
    made["derived_police"] = _derive(cast, made, "police_intel", "omar", 0)
    made["derived_intel"] = _derive(cast, made, "intel", "ines", 1)
    for key, author in [("programme", "petra"), ("custody", "ivo"), ("prison_health", "ivo"), ("intel", "ines"),
                        ("police_orcon", "omar"), ("derived_police", "omar")]:
        attachments.attach(actor=cast[author], item_id=made[key].pk, purpose=PURPOSE,
                           filename=f"scan-MKATT{tag(key)}.pdf", content=f"MKATTDATA{tag(key)} scanned page".encode())
    disclosures = [("police_orcon", "omar", "prison"), ("derived_police", "omar", "cso"),
                   ("derived_intel", "ines", "police"), ("prison_retracted", "ivo", "probation")]
    for key, author, recipient in disclosures:
        sharing.disclose_item(actor=cast[author], item_id=made[key].pk, recipient_id=agencies[recipient].pk,
                              purpose=PURPOSE, justification=f"MKJUST{tag(key)} needed now.")
    amended = made["police_amended"]
    items.amend_item(actor=cast["omar"], item_id=amended.pk, purpose=PURPOSE, change_note="MKCHANGENOTE corrected",
                     data={"category": amended.category, "nature": "fact", "title": "MKTITLEPOLICEREVISED on the case",
                           "body": "MKBODYPOLICEREVISED crawlable details, corrected.", "fact_date": FACT_DAY,
                           "classification": 0})
    readership.retract_item(actor=cast["ivo"], item_id=made["prison_retracted"].pk, purpose=PURPOSE,
                       reason="MKRETRACTREASON recorded on the wrong client")
    return made


def _decisions(cast, case, made) -> None:
    decisions.record_decision(actor=cast["petra"], case_id=case.pk, kind="release_recommendation",
                              text="MKDECISIONPROBATION Release recommended with conditions.",
                              decided_on=dt.date(2025, 6, 10), basis_item_ids=[made["custody"].pk],
                              purpose=PURPOSE)
    decisions.record_decision(actor=cast["ivo"], case_id=case.pk, kind="regime",
                              text="MKDECISIONPRISON Regime eased after review.", decided_on=dt.date(2025, 6, 12),
                              basis_item_ids=[made["custody"].pk], purpose=PURPOSE)


def _conferences(cast, case) -> None:
    """A review the team knows of and a confidential security conference, each with an agenda text and
    an action; their texts are items of the convener's agency."""
    from django.utils import timezone

    from casebridge.conferences import actions, services as conferences

    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    review = conferences.convene(actor=cast["petra"], case_id=case.pk, kind="review", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=2), chair_id=cast["petra"].pk,
                                 participant_ids=[cast["ivo"].pk, cast["clara"].pk], place="Room 2", purpose=PURPOSE)
    conferences.add_agenda_item(actor=cast["petra"], conference_id=review.pk, heading="MKCONFREVIEW plan",
                                audience="professionals", purpose=PURPOSE, classification=1)
    actions.set_action(actor=cast["petra"], conference_id=review.pk, text="MKACTIONPETRA call the landlord",
                       owner_id=cast["petra"].pk, due_on=dt.date.today() + dt.timedelta(days=5), purpose=PURPOSE)
    security = conferences.convene(actor=cast["omar"], case_id=case.pk, kind="security", starts_at=start,
                                   ends_at=start + dt.timedelta(hours=1), chair_id=cast["omar"].pk,
                                   participant_ids=[], place="Police, room B", purpose=PURPOSE)
    conferences.add_agenda_item(actor=cast["omar"], conference_id=security.pk, heading="MKCONFSECURITY contacts",
                                audience="cleared", purpose=PURPOSE, classification=2)
    actions.set_action(actor=cast["omar"], conference_id=security.pk, text="MKACTIONOMAR check the address",
                       owner_id=cast["omar"].pk, due_on=dt.date.today() + dt.timedelta(days=5), purpose=PURPOSE)


def _network(cast, case) -> None:
    """A support-network tie of probation and a CONFIDENTIAL scene contact of the police: names and notes
    are items of the recorder's agency."""
    from casebridge.network import services as network

    network.map_tie(actor=cast["petra"], case_id=case.pk, name="MKTIEPETRA Hanna", kind="person", relation="family",
                    stance="supportive", strength=3, notes="MKTIENOTEPETRA visits", purpose=PURPOSE)
    network.map_tie(actor=cast["omar"], case_id=case.pk, name="MKTIEOMAR contact", kind="person",
                    relation="scene_contact", stance="opposing", strength=2, classification=2, purpose=PURPOSE)


def _reflector(cast, case) -> None:
    """The exit programme's CaseReflector: a session (its note, a factor's note) and a goal, ORCON."""
    from casebridge.reflector import services as reflector

    kept = reflector.start_reflector(actor=cast["clara"], case_id=case.pk, purpose=PURPOSE)
    reflector.record_session(actor=cast["clara"], reflector_id=kept.pk, held_on=dt.date.today(),
                             note="MKREFLSESSION first talk", purpose=PURPOSE, ratings={
                                 "family_of_origin": {"knowledge": "known", "valence": "resource", "priority": 2,
                                                      "note": "MKREFLRATING sister visits"}})
    reflector.set_goal(actor=cast["clara"], reflector_id=kept.pk, text="MKREFLGOAL finish the course",
                       factor="education_training", agreed_on=dt.date.today(), purpose=PURPOSE)


def build(cast, agencies, exchange, case_a) -> dict:
    """Write case B and its content, Omar's search and Xavier's lookup; return what the crawl needs."""
    with transaction.atomic():
        _agreement(cast, agencies)
        case_b = _open_case_b(cast, agencies)
        made = _items_of_case_b(cast, agencies, case_b)
        _decisions(cast, case_b, made)
        _conferences(cast, case_a)
        _network(cast, case_a)
        _reflector(cast, case_a)
        search.search_items(actor=cast["omar"], query=SEARCHED_BY_OMAR, purpose=PURPOSE)
        lookup.lookup_person(actor=cast["xavier"], given_name=LOOKED_UP[0], family_name=LOOKED_UP[1],
                             date_of_birth=dt.date(1990, 1, 1), purpose=PURPOSE)
    return {"cases": [case_a, case_b], "items": made}
