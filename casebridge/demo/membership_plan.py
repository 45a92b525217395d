"""Which agencies join each demo case, for which phases, and who works it.

The choices make the need-to-know differences visible: the CSO does not cover custody on some
cases (so Clara sees them only from release preparation on), police cover the case until
supervision ends, a deputy who is not on the team sees nothing, and Xavier's housing office never
has him on a case. The State Security Liaison Unit is a discreet member (an intelligence service):
where it works a case, the exit programme is brought in on request, so Clara never sees it listed
while Petra, Ivo and Omar (core members) do.
"""

from datetime import date, timedelta
from random import Random

from casebridge.cases.models import Participation, Phase as P
from casebridge.demo.stories import PATHS, Member, Story

ON_REQUEST = Participation.ON_REQUEST
ALL = tuple(P.values)
DETENTION = (P.REMAND, P.TRIAL, P.CUSTODY, P.RELEASE_PREPARATION)
POLICE = (P.REMAND, P.TRIAL, P.CUSTODY, P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE)
EXIT_WORK = (P.CUSTODY, P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE, P.AFTERCARE)
AFTER_RELEASE = (P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE, P.AFTERCARE)
PRISON_STAFF = {"prison": ("ivo", "sofie.janssens"), "prison2": ("thomas.renard", "aline.lambert"),
                "nl_prison": ("anouk.smit", "daan.visser")}
MAX_MEMBERS = 5  # besides the lead agency: 3 to 6 agencies per case

RESPONSIBILITIES = {
    "probation": "Supervision and release planning; reports to the sentence implementation court.",
    "prison": "Detention plan, observations in custody, regime and security; prepares release with probation.",
    "police": "Information relevant to risk; checks the release address; single police point of contact.",
    "prosecution": "Prosecution file; decides what may be shared before judgment.",
    "security": "Abstracted threat assessments on request; never sources or methods.",
    "cso": "Exit work: trusted relationship with the client, voluntary programme, contact with family.",
    "cso2": "Family support: contact with partner, parents and children.",
    "court": "Sentence implementation: conditional release and its conditions.",
    "municipality": "Local case table: housing, income and daily life after release.",
    "housing": "Finds and follows up an address for release.",
    "employment": "Work and training plan; job coaching after release.",
    "health": "Psychiatric assessment and treatment; shares only what the client consents to.",
    "social": "Income support, debts and paperwork.",
    "mediation": "Intercultural and religious mediation with the client and the family.",
}


def responsibilities(agency_key: str) -> str:
    """What an agency does on a case; Dutch agencies and the second prison do what their peers do."""
    key = agency_key.removeprefix("nl_")
    return RESPONSIBILITIES.get(key) or RESPONSIBILITIES[key.rstrip("2")]


def _pair(index: int, first: str, second: str, swap_every: int) -> tuple[str, str]:
    """Contact and deputy, swapped on every `swap_every`-th case so both names appear."""
    return (second, first) if index % swap_every == swap_every - 1 else (first, second)


def _belgian(story: Story, path_name: str, prison: str, handover) -> list[Member]:
    i, path, current = story.index, PATHS[path_name], PATHS[path_name][-1]
    sentenced = P.CUSTODY in path or P.SUPERVISED_RELEASE in path
    members = []
    if story.lead == "prison" or story.lead == "prison2":
        members.append(Member("probation", *_pair(i, "petra", "nora", 3), ALL))
    elif prison:
        contact, deputy = PRISON_STAFF[prison]
        if handover and handover[0] == "prison":
            contact, deputy = handover[1], None  # as for the police below
        members.append(Member(prison, contact, deputy, DETENTION))
    # The leaving colleague holds the contact role until the handover; no deputy, so the successor
    # does not end up as both contact and deputy.
    police = ("karen.vermeulen", None) if handover and handover[0] == "police" else _pair(
        i, "omar", "karen.vermeulen", 4)
    members.append(Member("police", *police, POLICE))
    if current in (P.REMAND, P.TRIAL) or path_name == "dropped":
        members.append(Member("prosecution", *_pair(i, "hugo", "ann.desmet", 3), (P.REMAND, P.TRIAL)))
    if story.client.offence in ("preparation", "returnee") or i % 5 == 1:
        members.append(Member("security", "ines", "koen.baert", POLICE, ON_REQUEST))
    if sentenced:
        exit_worker = _exit_worker(story, path)
        if any(m.agency == "security" for m in members):
            # The security service is discreet: only the core members know it works this case.
            exit_worker.participation = ON_REQUEST
        members.append(exit_worker)
    members += _community(story, current, path)
    return members


def _exit_worker(story: Story, path) -> Member:
    """Clara's exit programme, or the family-support CSO; some never cover custody."""
    i = story.index
    phases = EXIT_WORK if i % 3 != 1 and P.CUSTODY in path else AFTER_RELEASE
    if P.CUSTODY not in path:
        phases = (P.SUPERVISED_RELEASE, P.AFTERCARE)
    if story.client.family_focus and i % 2 == 1:
        return Member("cso2", *_pair(i, "samira.haddouch", "tom.verbruggen", 2), phases)
    return Member("cso", *_pair(i, "clara", "yusuf.demir", 5), phases)


def _community(story: Story, current: str, path) -> list[Member]:
    """Agencies for life after release, brought in on request when the need appears."""
    i, released = story.index, P.RELEASE_PREPARATION in path or P.SUPERVISED_RELEASE in path
    members = []
    if current == P.RELEASE_PREPARATION:
        members.append(Member("court", "rita.claessens", "pieter.devos",
                              (P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE), ON_REQUEST))
    if released:
        members.append(Member("municipality", *_pair(i, "mila", "dirk.hermans", 3), AFTER_RELEASE, ON_REQUEST))
    if current in (P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE):
        members.append(Member("housing", "hanne.lemmens", None, AFTER_RELEASE[:2], ON_REQUEST))
    if current in (P.SUPERVISED_RELEASE, P.AFTERCARE):
        members.append(Member("employment", *_pair(i, "ruben.maes", "sarah.wuyts", 2),
                              (P.SUPERVISED_RELEASE, P.AFTERCARE), ON_REQUEST))
    if story.client.offence == "mixed" or i % 6 == 0:
        members.append(Member("health", *_pair(i, "eva.smet", "jan.willems", 2), EXIT_WORK[:3], ON_REQUEST))
    if story.client.family_focus or (released and current in (P.AFTERCARE, P.CLOSED)):
        members.append(Member("social", *_pair(i, "laura.michiels", "nadia.benali", 2),
                              (P.SUPERVISED_RELEASE, P.AFTERCARE), ON_REQUEST))
    if story.client.family_focus and "ar" in story.client.languages:
        members.append(Member("mediation", "hamid.rahimi", None, EXIT_WORK, ON_REQUEST))
    return members


def _dutch(story: Story, path_name: str) -> list[Member]:
    i, path, current = story.index, PATHS[path_name], PATHS[path_name][-1]
    members = []
    if story.lead == "nl_prison":
        members.append(Member("nl_probation", "lotte", "bram.mulder", ALL))
    else:
        members.append(Member("nl_prison", *_pair(i, "anouk.smit", "daan.visser", 2), DETENTION))
    members.append(Member("nl_police", *_pair(i, "joost.bakker", "femke.dijkstra", 2), POLICE))
    if P.CUSTODY in path:
        phases = EXIT_WORK if i % 2 == 0 else AFTER_RELEASE
        members.append(Member("nl_cso", *_pair(i, "mehmet.yildiz", "sanne.deboer", 3), phases))
    if current in (P.RELEASE_PREPARATION, P.SUPERVISED_RELEASE, P.AFTERCARE):
        members.append(Member("nl_municipality", "kees.meijer", None, AFTER_RELEASE, ON_REQUEST))
    return members


def _starts_on(rng: Random, story: Story, member: Member, today: date) -> date:
    """When the agency joined: when the first phase it covers began, or lately, ahead of its phases."""
    reached = [(phase, when) for phase, when, _ in story.phases if phase in member.phases]
    if reached:
        return reached[0][1]
    current_start = story.phases[-1][1]
    return min(today, current_start + timedelta(days=rng.randint(0, 30)))


def _team(story: Story, members: list[Member]) -> list[tuple[str, str]]:
    team = [(m.contact, "Point of contact") for m in members]
    if story.lead in PRISON_STAFF:
        team.append((PRISON_STAFF[story.lead][0], "Case manager"))
    if story.lead == "probation" and story.index % 6 == 0 and story.coordinator != "nora":
        team.append(("nora", "Probation officer (second)"))
    return team


def _liaison(story: Story, members: list[Member]) -> str | None:
    """The person who walks with the client from prison to after release: the exit worker when the
    programme already works in custody, otherwise the probation officer."""
    if not any(phase in (P.CUSTODY, P.SUPERVISED_RELEASE) for phase, _, _ in story.phases):
        return None
    for m in members:
        if m.agency in ("cso", "nl_cso") and P.CUSTODY in m.phases:
            return m.contact
    if story.lead in ("probation", "nl_probation"):
        return story.coordinator
    return next((m.contact for m in members if m.agency in ("probation", "nl_probation")), None)


def plan_members(story: Story, rng: Random, path_name: str, prison: str, handover, today: date) -> None:
    """Fill in the story's memberships, team, continuity liaison and past handover."""
    if story.client.country == "NL":
        members = _dutch(story, path_name)
    else:
        members = _belgian(story, path_name, prison, handover)
    members = members[:MAX_MEMBERS]
    for member in members:
        member.starts_on = _starts_on(rng, story, member, today)
    story.members = members
    story.team = _team(story, members)
    story.liaison = _liaison(story, members)
    story.handover = handover
