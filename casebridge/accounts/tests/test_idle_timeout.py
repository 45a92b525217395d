"""A web session ends after CASEBRIDGE_SESSION_MINUTES without a request; requests keep it alive,
and it is written for them at most once a minute (accounts.middleware.IdleTimeoutMiddleware)."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from casebridge.conftest import sign_in


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_requests_keep_the_session_alive_writing_it_at_most_once_a_minute(cast, case, client, monkeypatch):
    sign_in(client, cast["petra"])
    page = reverse("cases:detail", args=[case.pk])
    assert client.get(page).status_code == 200
    first = _expiry(client)
    assert client.get(page).status_code == 200
    assert _expiry(client) == first  # a second request within the minute writes nothing
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(page).status_code == 200
    assert _expiry(client) > first  # a minute on, the end of the session moves back


def test_a_session_idle_past_its_time_has_ended(cast, case, client):
    sign_in(client, cast["petra"])
    page = reverse("cases:detail", args=[case.pk])
    assert client.get(page).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    ended = client.get(page)
    assert ended.status_code == 302 and reverse("accounts:login") in ended["Location"]
