"""Support-network maps of the demo world: ties on the personas' shared cases, recorded by four agencies
through the real service (audited). Every name is invented. The police's scene contact is CONFIDENTIAL
and shared with no one: Omar sees it, Petra, Ivo and Clara do not."""

from casebridge.network import services
from casebridge.vocabulary import Purpose

WORK = Purpose.RELEASE_PLANNING

PLANNED = [  # (who, name, kind, relation, stance, strength, classification, notes)
    ("petra", "Mother (Hanna)", "person", "family", "supportive", 3, 1,
     "Visits every fortnight; offers a room after release. Worried about the old friends."),
    ("petra", "Bakery De Korenaar", "organisation", "employer", "supportive", 2, 1,
     "Offered a trial placement from the second month after release."),
    ("ivo", "Westmark community mosque", "organisation", "faith_organisation", "ambivalent", 2, 1,
     "The prison imam's congregation; the client respects the imam but keeps away from the mosque outside."),
    ("clara", "Westmark youth centre", "organisation", "community_organisation", "supportive", 1, 0,
     "Willing to receive him as a volunteer; the staff want to meet the exit worker first."),
    ("clara", "Childhood friend (Tarik)", "person", "friend", "ambivalent", 2, 0,
     "Stayed in touch by letter; sometimes repeats the old slogans."),
    ("omar", "Former group contact", "person", "scene_contact", "opposing", 3, 2,
     "Sought contact twice through third parties; keep away from the release address."),
]


def build(people, shared) -> int:
    """Map the planned ties on each of the `shared` cases; returns how many."""
    for case in shared:
        for who, name, kind, relation, stance, strength, level, notes in PLANNED:
            services.map_tie(actor=people[who], case_id=case.pk, name=name, kind=kind, relation=relation,
                             stance=stance, strength=strength, notes=notes, classification=level, purpose=WORK)
    return len(PLANNED) * len(shared)
