"""The cast every test uses.

Petra (probation, coordinator) leads the case of a synthetic client, Ivo (prison case manager),
Omar (police liaison) and Clara (CSO exit worker) are on its team. Nora works at Petra's probation
service but is not on the team: need-to-know is personal. Xavier works for a housing agency that
is not on the case. Adam administers the probation service, Dora is a DPO, Sam a system admin.
"""

import datetime as dt
import time

import pytest
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge.accounts import services as accounts
from casebridge.agencies.models import Agency, Practitioner
from casebridge.cases import membership, services
from casebridge.vocabulary import Purpose

PASSWORD = "correct horse battery staple 42"
PURPOSE = Purpose.CASE_MANAGEMENT
TOTP_KEY = "3132333435363738393031323334353637383930"  # hex, the RFC 6238 test key


def pytest_sessionstart(session):
    # The catalogues are compiled at install (scripts/test.sh); a checkout whose .po files changed
    # since (a merge, `casebridge messages update`) gets fresh .mo files here, so the tests read
    # the translations the .po files hold.
    from casebridge.i18n.catalogues import compile_catalogues

    compile_catalogues(stale_only=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; the suite hashes hundreds of passwords. A test in
    casebridge/tests/test_security.py checks that Argon2 is what production uses."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def audit_checkpoints(settings, tmp_path_factory):
    """Each test signs audit checkpoints into a directory of its own (its database is its own too),
    with one signing key for the session, both outside the database as in a deployment."""
    settings.CASEBRIDGE_AUDIT_SIGNING_KEY = tmp_path_factory.getbasetemp() / "audit-signing-key.pem"
    settings.CASEBRIDGE_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")
    return settings.CASEBRIDGE_AUDIT_CHECKPOINT_DIR


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the process's cache: each test starts with none counted."""
    from django.core.cache import cache

    cache.clear()


def clear_of_a_rate_window(seconds: int, margin: int) -> None:
    """Wait, if need be, until the next fixed window of the rate limits starts (accounts.throttle):
    attempts on both sides of a window's start are counted in two windows, and a test that expects
    the fourth attempt refused would see it allowed (a 10-minute window once split five requests
    3 + 2 on a busy machine). `margin`: how long the test's attempts may take."""
    left = seconds - int(time.time()) % seconds
    if left < margin:
        time.sleep(left + 1)


def _person(username, agency, role="practitioner", clearance=1, first="", last=""):
    person = Practitioner.objects.create_user(username, f"{username}@example.test", PASSWORD, agency=agency,
                                              role=role, clearance=clearance, first_name=first or username.title(),
                                              last_name=last or agency.kind.title())
    TOTPDevice.objects.create(user=person, name="test", confirmed=True, key=TOTP_KEY)
    return person


@pytest.fixture
def agencies(db):
    return make_agencies()


def make_agencies() -> dict:
    """The five agencies of Westmark the cast works for (the `agencies` fixture's body: also used by
    fixtures that build a world once for a whole module)."""
    make = Agency.objects.create
    return {
        "probation": make(name="Westmark Probation Service", kind="probation", country="BE", region="Westmark"),
        "prison": make(name="Westmark Prison", kind="prison", country="BE", region="Westmark"),
        "police": make(name="Westmark Police", kind="police", country="BE", region="Westmark"),
        "cso": make(name="Open Door Exit Programme", kind="cso", country="BE", region="Westmark"),
        "housing": make(name="Westmark Housing Office", kind="housing", country="BE", region="Westmark"),
    }


@pytest.fixture
def cast(agencies):
    return make_cast(agencies)


def make_cast(agencies) -> dict:
    a = agencies
    return {
        "petra": _person("petra", a["probation"], "coordinator", 2, "Petra", "Peeters"),
        "ivo": _person("ivo", a["prison"], first="Ivo", last="Ivanov"),
        "omar": _person("omar", a["police"], clearance=3, first="Omar", last="Osei"),
        "clara": _person("clara", a["cso"], clearance=0, first="Clara", last="Claes"),
        "nora": _person("nora", a["probation"], first="Nora", last="Nijs"),
        "xavier": _person("xavier", a["housing"], first="Xavier", last="Xhaferi"),
        "adam": _person("adam", a["probation"], "agency_admin", first="Adam", last="Aerts"),
        "dora": _person("dora", a["probation"], "dpo", first="Dora", last="Dumont"),
        "sam": _person("sam", a["police"], "system_admin", first="Sam", last="Smets"),
    }


@pytest.fixture
def case(cast, agencies):
    return make_case(cast, agencies)


def make_case(cast, agencies):
    """A custody case led by probation, with prison, police and CSO as members on the team."""
    petra = cast["petra"]
    with transaction.atomic():
        opened = services.open_case(
            actor=petra, purpose=PURPOSE, phase="custody", phase_date=dt.date(2025, 3, 1),
            client={"given_name": "Test", "family_name": "Client-One", "date_of_birth": dt.date(1996, 5, 17),
                    "nationalities": ["BE"], "languages": ["nl", "fr"], "residency_status": "citizen"},
            key_dates={"sentence_start": dt.date(2025, 3, 1), "earliest_release": dt.date(2027, 1, 10),
                       "sentence_end": dt.date(2028, 3, 1)})
        for key, person, phases in [
            ("prison", "ivo", ["custody", "release_preparation"]),
            ("police", "omar", ["remand", "trial", "custody", "release_preparation"]),
            ("cso", "clara", ["custody", "release_preparation", "supervised_release", "aftercare"]),
        ]:
            membership.add_membership(actor=petra, case_id=opened.pk, agency_id=agencies[key].pk,
                                      point_of_contact_id=cast[person].pk, phases=phases, purpose=PURPOSE,
                                      starts_on=dt.date(2025, 3, 1))
            membership.assign_to_team(actor=petra, case_id=opened.pk, practitioner_id=cast[person].pk,
                                      purpose=PURPOSE)
    return opened


def sign_in(client, user):
    """Log a test client in with password and a verified second factor."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


@pytest.fixture
def web(client):
    """`web("petra")`-style helper is awkward with fixtures; use `web(user)` to sign in."""
    return lambda user: sign_in(client, user)


def bearer(user, actor=None):
    """Headers carrying a fresh API token for `user`, issued as the product allows: by the person
    themselves after the second factor, or for a service account by `actor`, an administrator of
    its agency."""
    with transaction.atomic():
        _, raw = accounts.issue_token(actor=actor or user, owner_id=user.pk, name="test", second_factor=True,
                                      valid_until=timezone.localdate() + dt.timedelta(days=30), purpose=PURPOSE)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def exchange(case, cast, agencies):
    return make_exchange(case, cast, agencies)


def make_exchange(case, cast, agencies) -> dict:
    """The case's information exchange: an agreement in force, the client's consent for the CSO,
    and one item of each kind the rule has to tell apart.

    Agreement (purposes case management, release planning, risk assessment):
      prison → probation: custody behaviour, risk assessment, up to RESTRICTED;
      police → probation: risk assessment up to RESTRICTED;
      probation → cso and prison → cso: programme and intervention up to OPEN, with consent.
    """
    from casebridge.items import services as items
    from casebridge.sharing import services as sharing
    from casebridge.sharing.models import (Agreement, AgreementParty, AgreementPurpose, AgreementRule,
                                           AgreementVersion)

    a, now = agencies, dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    agreement = Agreement.objects.create(title="Westmark exit continuum", created_at=now, created_by=cast["sam"])
    version = AgreementVersion.objects.create(agreement=agreement, number=1, legal_basis="Regional protocol 2025/3",
                                              valid_from=dt.date(2025, 1, 1), status="active", created_at=now,
                                              created_by=cast["sam"])
    for key in ("probation", "prison", "police", "cso"):
        AgreementParty.objects.create(version=version, agency=a[key], signed_by=cast["sam"], signed_at=now)
    for p in ("case_management", "release_planning", "risk_assessment"):
        AgreementPurpose.objects.create(version=version, purpose=p)
    rules = [("prison", "probation", "custody_behaviour_and_security", 1, False),
             ("prison", "probation", "risk_and_needs_assessment", 1, False),
             ("police", "probation", "risk_and_needs_assessment", 1, False),
             ("probation", "cso", "programme_and_intervention", 0, True),
             ("prison", "cso", "programme_and_intervention", 0, True)]
    for origin, to, category, level, consent in rules:
        AgreementRule.objects.create(version=version, originator=a[origin], recipient=a[to], category=category,
                                     max_classification=level, consent_required=consent)

    def item(author, category, title, **marks):
        data = {"category": category, "nature": "fact", "title": title, "body": f"{title}: details for the team.",
                "fact_date": dt.date(2025, 6, 1), **marks}
        with transaction.atomic():
            return items.record_item(actor=cast[author], case_id=case.pk, data=data, purpose=PURPOSE)

    made = {
        "behaviour": item("ivo", "custody_behaviour_and_security", "Calm on the wing", classification=1),
        "prison_health": item("ivo", "health_and_mental_health", "Sleep problems reported"),
        "police_risk": item("omar", "risk_and_needs_assessment", "Network contacts assessed", classification=1,
                            nature="assessment"),
        "police_secret": item("omar", "intelligence", "Travel plans", classification=3, intelligence=True, orcon=True,
                              source_text="Informant K-17", method_text="Telephone intercept"),
        "police_orcon": item("omar", "risk_and_needs_assessment", "Handler concerns", classification=1, orcon=True),
        "programme": item("petra", "programme_and_intervention", "Mentoring sessions started"),
        "prison_programme": item("ivo", "programme_and_intervention", "Education course enrolled"),
    }
    with transaction.atomic():
        made["consent"] = sharing.give_consent(  # recorded by the lead agency, never by the CSO that receives
            actor=cast["petra"], case_id=case.pk, purpose=PURPOSE,
            data={"recipient_agency": a["cso"].pk, "categories": ["programme_and_intervention"],
                  "purpose": "case_management", "evidence": "Signed form CF-12", "given_on": dt.date(2025, 5, 1)})
    made["version"] = version
    return made


def _audit_triggers(enabled: bool) -> None:
    """Lift or restore the audit trail's append-only triggers (what a migration owner could do)."""
    import importlib

    from django.db import connection

    migrations = ["0002_append_only_triggers", "0004_audit_concerned_agencies", "0005_audit_item_reads"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("audit_auditevent", "audit_auditeventagency", "audit_itemread"):
                cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enabled else 'DISABLE'} TRIGGER USER")
            return
        for name in migrations:
            for statement in importlib.import_module(f"casebridge.audit.migrations.{name}").SQLITE:
                trigger = statement.split()[2]
                cursor.execute(statement if enabled else f"DROP TRIGGER IF EXISTS {trigger}")


@pytest.fixture
def _audit_triggers_restored(django_db_blocker):
    yield
    with django_db_blocker.unblock():  # after transactional_db's teardown, which blocks access again
        _audit_triggers(enabled=True)


@pytest.fixture
def committing(_audit_triggers_restored, transactional_db):
    """A test whose transactions really commit (transactional_db). The database is emptied after
    it, audit trail included: the append-only triggers are lifted for that and restored after."""
    yield
    _audit_triggers(enabled=False)
