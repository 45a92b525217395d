"""The demo world's cases: which client takes which path, who coordinates, which handovers happened.

`plan_stories` is pure and deterministic for a given seed and day; `world.py` plays the stories
through the real services.
"""

from datetime import date
from random import Random

from casebridge.cases.models import Phase as P
from casebridge.demo.clients import CLIENTS
from casebridge.demo.item_plan import plan_consents, plan_items
from casebridge.demo.membership_plan import plan_members
from casebridge.demo.stories import PATHS, Story, key_dates, phases_of, summary_of, timeline

# One row per client in CLIENTS: (path, coordinator, the prison holding the client or None).
PLAN = [
    ("custody", "petra", "prison"), ("release_preparation", "petra", "prison"),
    ("trial", "lucas.wouters", "prison"), ("supervised_release", "petra", "prison2"),
    ("non_custodial", "lucas.wouters", "prison"), ("custody", "jonas.mertens", "prison"),
    ("remand", "petra", "prison"), ("custody", "aline.lambert", "prison2"),
    ("remand", "lucas.wouters", "prison2"), ("aftercare", "petra", "prison"),
    ("release_preparation", "lucas.wouters", "prison"), ("closed", "petra", "prison"),
    ("custody", "lucas.wouters", "prison"), ("appeal", "lucas.wouters", "prison"),
    ("dropped", "lucas.wouters", "prison"), ("release_preparation", "aline.lambert", "prison2"),
    ("custody", "jonas.mertens", "prison"), ("supervised_release", "lucas.wouters", "prison"),
    ("sentence_end", "petra", "prison2"), ("trial", "petra", "prison"),
    ("custody", "lucas.wouters", "prison2"), ("release_preparation", "lucas.wouters", "prison"),
    ("aftercare", "lucas.wouters", "prison"), ("supervised_release", "petra", "prison"),
    ("remand", "lucas.wouters", "prison"), ("custody", "petra", "prison"),
    ("release_preparation", "jonas.mertens", "prison"), ("trial", "lucas.wouters", "prison2"),
    ("custody", "daan.visser", "nl_prison"), ("remand", "lotte", "nl_prison"),
    ("supervised_release", "lotte", "nl_prison"), ("release_preparation", "lotte", "nl_prison"),
    ("acquitted", "lotte", "nl_prison"), ("custody", "daan.visser", "nl_prison"),
]

# Stories with a past handover: case index -> (kind, leaving, successor).
HANDOVERS = {
    1: ("prison", "sofie.janssens", "ivo"), 12: ("prison", "sofie.janssens", "ivo"),
    21: ("prison", "sofie.janssens", "ivo"), 7: ("police", "karen.vermeulen", "omar"),
    10: ("coordinator", "lucas.wouters", "petra"), 17: ("coordinator", "lucas.wouters", "petra"),
}


def plan_stories(*, seed: int, today: date) -> list[Story]:
    """Every demo case, deterministic for a given seed and day."""
    stories = []
    for index, (client, (path_name, coordinator, prison)) in enumerate(zip(CLIENTS, PLAN, strict=True)):
        rng = Random(seed * 1000 + index)
        path = PATHS[path_name]
        starts = timeline(rng, path, today)
        dates = key_dates(rng, path, starts, today)
        story = Story(index, client, coordinator, summary_of(client, path_name, prison),
                      phases_of(rng, client, path, starts, prison, dates), dates)
        if dates:
            sentencing = P.CUSTODY if P.CUSTODY in path else P.SUPERVISED_RELEASE
            story.sentenced_at = path.index(sentencing)
        plan_members(story, rng, path_name, prison, HANDOVERS.get(index), today)
        # A stream of its own, so the items never shift the cases planned above.
        exchange = Random(seed * 1000 + index + 500_000)
        story.items = plan_items(story, exchange, today)
        story.consents = plan_consents(story, exchange, today)
        stories.append(story)
    return stories
