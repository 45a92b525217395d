"""The demo world as `casebridge demo` builds it: built once for this module, rolled back after."""

import io
from base64 import b32decode
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import timedelta

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django_otp.oath import TOTP

from casebridge.agencies.models import Agency, Practitioner
from casebridge.audit.models import AuditEvent
from casebridge.audit.services import verify
from casebridge.cases import services
from casebridge.cases.models import Case, Client, Phase
from casebridge.cli import main
from casebridge.demo.people import DEMO_PASSWORD, DEMO_TOTP_BASE32
from casebridge.vocabulary import AgencyKind

# Argon2 costs a third of a second per account; the demo's behaviour does not depend on it.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REQUIRED_KINDS = {AgencyKind.POLICE, AgencyKind.PROSECUTION, AgencyKind.COURT, AgencyKind.PRISON,
                  AgencyKind.PROBATION, AgencyKind.INTELLIGENCE, AgencyKind.CSO, AgencyKind.MUNICIPALITY,
                  AgencyKind.SOCIAL_SERVICES, AgencyKind.HEALTH, AgencyKind.HOUSING, AgencyKind.EMPLOYMENT}


@contextmanager
def rolled_back():
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The result of the first `casebridge demo` on an empty database."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), rolled_back():
        yield run("demo")


def counts():
    return (Agency.objects.count(), Practitioner.objects.count(), Client.objects.count(), Case.objects.count(),
            AuditEvent.objects.count())


def test_the_demo_command_builds_the_world_and_says_what_it_built(demo, db):
    code, out, _ = demo
    assert code == 0
    assert "Demo world built" in out and "34 cases" in out


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
