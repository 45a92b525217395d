"""Administration while people work: two administrators editing one practitioner at once keep both
changes, and deactivating a practitioner while one of their API requests runs neither deadlocks
nor fails the request (the lock order of casebridge.locking).

The writers run at once on their own connections (casebridge.tests.concurrency).
"""

import pytest
from django.db import transaction
from django.test import Client

from casebridge.accounts.models import ApiToken
from casebridge.agencies import services
from casebridge.agencies.models import Practitioner
from casebridge.api import auth
from casebridge.conftest import bearer, sign_in
from casebridge.tests.concurrency import Race, succeeded

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_administrators_changing_different_fields_of_one_practitioner_at_once_keep_both(cast, monkeypatch):
    race = Race()
    monkeypatch.setattr(services, "_practitioner_fields", race.pausing(services._practitioner_fields))

    def update(actor, **data):
        return lambda: services.update_practitioner(actor=cast[actor], practitioner_id=cast["nora"].pk, data=data,
                                                    purpose="administration")

    outcomes = race.run(update("adam", job_title="Senior probation officer"), update("sam", phone="+32 50 00 00 00"))
    assert len(succeeded(outcomes)) == 2
    nora = Practitioner.objects.get(pk=cast["nora"].pk)
    assert (nora.job_title, nora.phone) == ("Senior probation officer", "+32 50 00 00 00")


def test_two_administrators_saving_one_practitioners_form_at_once_save_one_and_show_the_other_who_and_what(
        cast, monkeypatch):
    nora = cast["nora"]
    admins = {name: sign_in(Client(), cast[name]) for name in ("adam", "sam")}
    race = Race()
    monkeypatch.setattr(services, "_practitioner_fields", race.pausing(services._practitioner_fields))
    form = {"first_name": "Nora", "last_name": "Nijs", "email": "nora@example.test", "phone": "",
            "role": "practitioner", "clearance": "1", "is_active": "on", "version": "1"}

    def save(admin, job_title):
        return lambda: admins[admin].post(f"/admin/practitioners/{nora.pk}/", {**form, "job_title": job_title})

    first, second = race.run(save("adam", "Senior probation officer"), save("sam", "Probation officer"), atomic=False)
    assert sorted([first.status_code, second.status_code]) == [302, 409]
    refused_page = (first if first.status_code == 409 else second).content.decode()
    stored = Practitioner.objects.select_related("changed_by").get(pk=nora.pk)
    assert stored.version == 2 and f"Someone else changed this record since you opened it: " \
        f"{stored.changed_by.display_name}" in refused_page
    assert f'value="{stored.job_title}"' in refused_page and 'name="version" value="2"' in refused_page


def test_deactivating_a_practitioner_while_their_api_request_runs_neither_deadlocks_nor_fails_it(cast, case,
                                                                                                 monkeypatch):
    headers = bearer(cast["petra"])
    race = Race()
    # The request pauses once authenticated and lets the administrator deactivate its practitioner
    # (which revokes their tokens) first; then it reads the case and records the reading.
    monkeypatch.setattr(auth, "_check_purpose", race.pausing(auth._check_purpose, yielding=True))

    def request():
        return Client().get(f"/api/cases/{case.pk}", **headers)

    def deactivate():
        race.pause()  # until the request has authenticated
        with transaction.atomic():
            return services.update_practitioner(actor=cast["adam"], practitioner_id=cast["petra"].pk,
                                                data={"is_active": False}, purpose="administration")

    response, petra = race.run(request, deactivate, atomic=False)
    assert not isinstance(petra, BaseException), petra
    assert response.status_code == 200, response.content[:300]
    assert petra.is_active is False
    token = ApiToken.objects.get(practitioner=cast["petra"])
    assert token.revoked_at is not None and token.last_used_at is not None  # stamped once the request committed
    assert Client().get(f"/api/cases/{case.pk}", **headers).status_code == 401  # and the next one is refused

