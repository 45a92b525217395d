"""The shared case, with an agreement that shares the family and social network category.

On top of `exchange`: prison and police share family and social network with probation up to
RESTRICTED, and probation shares it with the prison up to RESTRICTED. Nothing of it reaches the CSO,
and probation shares nothing of it with the police.
"""

import pytest
from django.db import transaction

from casebridge.api.tests.conftest import api  # noqa: F401  (a fixture, used by name)
from casebridge.conftest import PURPOSE
from casebridge.network import services
from casebridge.sharing.models import AgreementRule

FAMILY = "family_and_social_network"


@pytest.fixture
def networked(exchange, agencies):
    for origin, to in [("prison", "probation"), ("police", "probation"), ("probation", "prison")]:
        AgreementRule.objects.create(version=exchange["version"], originator=agencies[origin], recipient=agencies[to],
                                     category=FAMILY, max_classification=1, consent_required=False)
    return exchange


def map_tie(person, case, name, relation="family", stance="supportive", strength=2, level=1, **extra):
    with transaction.atomic():
        return services.map_tie(actor=person, case_id=case.pk, name=name, kind=extra.pop("kind", "person"),
                                relation=relation, stance=stance, strength=strength, classification=level,
                                notes=extra.pop("notes", f"Notes on {name}."), purpose=PURPOSE, **extra)


@pytest.fixture
def ties(networked, cast, case):
    """Petra's mother and mentor, Ivo's imam, and Omar's scene contact at CONFIDENTIAL (police eyes only)."""
    return {
        "mother": map_tie(cast["petra"], case, "Maria Synthetica", notes="Visits every week.", strength=3),
        "mentor": map_tie(cast["petra"], case, "Jonas Exampleman", relation="mentor"),
        "mosque": map_tie(cast["ivo"], case, "Westmark Community Mosque", relation="faith_organisation",
                          kind="organisation", stance="ambivalent", strength=1),
        "scene": map_tie(cast["omar"], case, "Kestrel Fictivus", relation="scene_contact", stance="opposing",
                         strength=3, level=2, notes="Old contact from the scene; seeks him out."),
    }
