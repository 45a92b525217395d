"""The disclosures on a case: the originator sees all of theirs and revokes them; a recipient sees
those made to its agency of items it may read; anyone else sees none."""

import pytest
from django.db import transaction
from django.urls import reverse

from casebridge.conftest import PURPOSE, sign_in
from casebridge.items import services as items
from casebridge.sharing import services as sharing


@pytest.fixture
def disclosed(exchange, cast, agencies):
    """Omar releases his ORCON "Handler concerns" to probation, allowing its use in decisions."""
    with transaction.atomic():
        return sharing.disclose_item(actor=cast["omar"], item_id=exchange["police_orcon"].pk,
                                     recipient_id=agencies["probation"].pk, allow_decision_use=True,
                                     justification="Needed for the release risk plan.", purpose=PURPOSE)


def _page(client, person, case):
    return sign_in(client, person).get(reverse("sharing:disclosures", args=[case.pk])).content.decode()


@pytest.mark.parametrize("username, listed, may_revoke", [
    ("omar", True, True),     # the originator
    ("petra", True, False),   # the recipient
    ("clara", False, False),  # neither
    ("ivo", False, False),
])
def test_each_persona_sees_the_disclosures_that_concern_them(client, case, cast, disclosed, username, listed,
                                                              may_revoke):
    page = _page(client, cast[username], case)
    assert ("Handler concerns" in page) is listed
    assert ("Revoke</button>" in page) is may_revoke
    if listed:
        assert "Needed for the release risk plan." in page and "Westmark Police → Westmark Probation Service" in page


def test_revoking_stops_the_recipient_reading_at_once_and_leaves_the_record_with_the_originator(
        client, case, cast, disclosed):
    assert "Handler concerns" in {i.title for i in items.visible_items(cast["petra"], PURPOSE)}
    omar = sign_in(client, cast["omar"])
    response = omar.post(reverse("sharing:disclosure_revoke", args=[case.pk, disclosed.pk]))
    assert response.status_code == 302
    assert "Handler concerns" not in {i.title for i in items.visible_items(cast["petra"], PURPOSE)}
    page = omar.get(response.url).content.decode()
    assert "Disclosure to Westmark Probation Service revoked" in page and "by Omar Osei" in page and "Revoke</button>" not in page
    assert "Handler concerns" not in _page(client, cast["petra"], case)  # no trace left for the former recipient


def test_a_recipient_cannot_revoke_a_disclosure(client, case, cast, disclosed):
    response = sign_in(client, cast["petra"]).post(reverse("sharing:disclosure_revoke", args=[case.pk, disclosed.pk]))
    assert response.status_code == 403
    disclosed.refresh_from_db()
    assert disclosed.revoked_at is None


def test_a_disclosure_is_not_found_under_another_case(client, case, cast, disclosed):
    response = sign_in(client, cast["omar"]).post(reverse("sharing:disclosure_revoke",
                                                          args=[case.pk + 1, disclosed.pk]))
    assert response.status_code == 404
