"""Every web address and API GET operation, filled with the ids of the objects of the crawl's world.

Web addresses come from Django's URL resolver (every pattern, API excluded), API operations from the
OpenAPI document, so a route added later is crawled without anyone listing it. Each path argument is
filled from the objects of its kind (by its name, `case_id` → cases, …); a route with an argument
this module cannot fill must be listed in UNFILLABLE with the reason, or the coverage test fails.
"""

import re
from dataclasses import dataclass
from itertools import product
from urllib.parse import urlencode

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from casebridge.tests.crawl_world import SEARCH_WORDS

MAX_VALUES = 40  # at most this many objects per argument (every object of the world, in practice)

# The model behind each path argument, by name; (namespace, name) where a name means two things.
ARGUMENTS = {
    "case_id": "cases.Case", "client_id": "cases.Client", "membership_id": "cases.Membership",
    "assignment_id": "cases.TeamAssignment", "phase_change_id": "cases.PhaseChange",
    "item_id": "items.InformationItem", "attachment_id": "items.Attachment",
    "agency_id": "agencies.Agency", "practitioner_id": "agencies.Practitioner", "token_id": "accounts.ApiToken",
    "agreement_id": "sharing.Agreement", "version_id": "sharing.AgreementVersion", "consent_id": "sharing.Consent",
    "disclosure_id": "sharing.Disclosure", "decision_id": "decisions.FormalDecision",
    "conference_id": "conferences.Conference", "action_id": "conferences.Action",
    "proposal_id": "conferences.Proposal", "participant_id": "conferences.Participant",
    "event_id": "audit.AuditEvent", "seq": "audit.AuditEvent", "withholding_id": "dataprotection.Withholding",
    "tie_id": "network.Tie", "reflector_id": "reflector.Reflector", "goal_id": "reflector.Goal",
}
NAMESPACED_ARGUMENTS = {("items", "version_id"): "items.ItemVersion"}
# Arguments that name an object by another field than its primary key.
KEY_FIELDS = {"seq": "seq"}

# Routes whose arguments cannot be filled from the world, each with the reason it is not crawled.
UNFILLABLE: dict[str, str] = {}

# Query strings that make a page show more than its bare address does, by route name.
SEARCHES = [{"q": word} for word in SEARCH_WORDS]


@dataclass(frozen=True)
class Route:
    path: str          # e.g. "items/<int:item_id>/"
    name: str          # "items:detail"
    callback: object
    arguments: tuple[str, ...]


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name or ''}", pattern.callback


def web_routes() -> list[Route]:
    return [Route(path, name, callback, tuple(re.findall(r"<(?:\w+:)?(\w+)>", path)))
            for path, name, callback in _walk(get_resolver().url_patterns) if not path.startswith("api/")]


def model_of(namespace: str, argument: str):
    label = NAMESPACED_ARGUMENTS.get((namespace, argument)) or ARGUMENTS.get(argument)
    return apps.get_model(label) if label else None


def _scope(obj) -> frozenset | None:
    """The cases an object belongs to (None: it belongs to none, and goes with any)."""
    Case, Client = apps.get_model("cases.Case"), apps.get_model("cases.Client")
    if isinstance(obj, Case):
        return frozenset({obj.pk})
    if isinstance(obj, Client):
        return frozenset(obj.cases.values_list("pk", flat=True))
    if getattr(obj, "case_id", None) is not None:
        return frozenset({obj.case_id})
    for parent in ("item", "client"):
        if getattr(obj, f"{parent}_id", None) is not None:
            return _scope(getattr(obj, parent))
    return None


def _consistent(objects) -> bool:
    scopes = [s for s in map(_scope, objects) if s is not None]
    return not scopes or bool(frozenset.intersection(*scopes))


def fill(route: Route) -> list[str] | None:
    """Every address of the route, its arguments filled from the world (None: cannot be filled)."""
    namespace = route.name.split(":")[0]
    choices = []
    for argument in route.arguments:
        model = model_of(namespace, argument)
        if model is None:
            return None
        choices.append(list(model._default_manager.order_by("pk")[:MAX_VALUES]))
    urls = []
    for objects in product(*choices):
        if len(objects) > 1 and not _consistent(objects):
            continue
        values = iter(objects)
        keys = iter(route.arguments)
        urls.append("/" + re.sub(r"<(?:\w+:)?\w+>", lambda _: str(getattr(next(values), KEY_FIELDS.get(next(keys), "pk"))),
                                 route.path))
    return urls


def variants(route: Route, url: str, world) -> list[str]:
    """Query strings that make the page show more: searches, previews, filters."""
    queries = []
    if route.name == "search:search":
        queries = SEARCHES + [{"q": SEARCH_WORDS[0], "case": c.pk} for c in world["cases"]]
    elif route.name == "items:preview":
        case_id = int(url.strip("/").split("/")[-2])
        queries = [{"agency": a} for a in world["members"][case_id]]
    elif route.name == "items:audience":
        # "Who will see this" for an item the crawler would record: it names the team as listed to it.
        queries = [{"item-category": category, "item-classification": 0}
                   for category in ("programme_and_intervention", "risk_and_needs_assessment")]
    elif route.name == "audit:events":
        queries = [{"case_id": c.pk} for c in world["cases"]]
    elif route.name == "cases:contact_options":
        case_id = int(url.strip("/").split("/")[-2])
        queries = [{"membership-agency": a} for a in world["members"][case_id]]
    return [f"{url}?{urlencode(q)}" for q in queries]


# --- The API, from its OpenAPI document ------------------------------------------------------

@dataclass(frozen=True)
class Operation:
    path: str          # "/api/items/{item_id}"
    parameters: tuple  # (name, where, required)


def api_operations(document: dict) -> list[Operation]:
    found = []
    for path, methods in document["paths"].items():
        if "get" in methods:
            params = tuple((p["name"], p["in"], p.get("required", False)) for p in methods["get"].get("parameters", []))
            found.append(Operation(path, params))
    return found


def api_query_values(name: str, url: str, world) -> list | None:
    """Values for a required query parameter, by name (None: cannot be filled): the search words,
    and for a case's preview the agencies that are members of that case."""
    if name == "q":
        return list(SEARCH_WORDS)
    if name == "agency":
        case_id = re.search(r"/cases/(\d+)/", url)
        return world["members"][int(case_id.group(1))] if case_id else [a.pk for a in world["agencies"]]
    return None


def fill_api(operation: Operation, world) -> list[str] | None:
    route = Route(re.sub(r"\{(\w+)\}", r"<\1>", operation.path.lstrip("/")), "api:",
                  None, tuple(n for n, where, _ in operation.parameters if where == "path"))
    paths = fill(route)
    if paths is None:
        return None
    names = [n for n, where, req in operation.parameters if where == "query" and req]
    urls = []
    for path in paths:
        values = [api_query_values(n, path, world) for n in names]
        if any(v is None for v in values):
            return None
        queries = [dict(zip(names, combo)) for combo in product(*values)]
        urls.extend(f"{path}?{urlencode(q)}" if q else path for q in queries)
    return urls
