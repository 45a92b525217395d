"""The people the load clients act as: each a practitioner of the benchmark world, on the team of
one case, with an API token issued by the product's own service and a signed-in web session with a
verified second factor (the state the sign-in pages leave behind, made without a browser)."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from casebridge import policy
from casebridge.accounts.services import issue_token
from casebridge.items.models import InformationItem
from casebridge.ops.bench import measure
from casebridge.ops.bench.ingest import WORDS
from casebridge.ops.bench.world import writes
from casebridge.vocabulary import Purpose

PURPOSE = Purpose.CASE_MANAGEMENT
BACKEND = "casebridge.accounts.backends.PeopleOnlyBackend"


@dataclass(frozen=True)
class Subject:
    """One load client's identity and what it works on."""

    username: str
    token: str
    session_key: str
    case_id: int
    item_ids: tuple[int, ...]
    categories: tuple[str, ...]


def subjects(*, rng: random.Random, count: int) -> list[Subject]:
    """`count` practitioners, each on a case where they can read at least one item."""
    today, chosen = timezone.localdate(), []
    for actor, case_id in measure.sample_pairs(rng, count * 4):
        visible = InformationItem.objects.filter(policy.visible_items(actor, PURPOSE, today), case_id=case_id)
        item_ids = tuple(visible.order_by("-id").values_list("pk", flat=True)[:20])
        if item_ids:
            with transaction.atomic():
                chosen.append(_subject(actor, case_id, item_ids, today))
        if len(chosen) == count:
            return chosen
    if not chosen:
        raise RuntimeError("the benchmark world has no practitioner who can read an item: make it larger")
    return chosen


def _subject(actor, case_id: int, item_ids: tuple[int, ...], today) -> Subject:
    _record, token = issue_token(actor=actor, owner_id=actor.pk, name="load benchmark",
                                valid_until=today + timedelta(days=2), second_factor=True, purpose=PURPOSE)
    device = TOTPDevice.objects.create(user=actor, name="load benchmark", confirmed=True)
    session = SessionStore()
    session.update({SESSION_KEY: str(actor.pk), BACKEND_SESSION_KEY: BACKEND,
                    HASH_SESSION_KEY: actor.get_session_auth_hash(), DEVICE_ID_SESSION_KEY: device.persistent_id})
    session.create()
    return Subject(actor.username, token, session.session_key, case_id, item_ids, tuple(writes(actor.agency.kind)))


def search_words() -> list[str]:
    """Words the item texts are drawn from, the commonest first."""
    return list(WORDS[:40])
