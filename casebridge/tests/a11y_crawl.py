"""The accessibility crawl: which addresses are pages, how one instance of each is found, and what is
checked on it (axe-core's WCAG 2.2 A/AA rules; no sideways scrolling at 390 px).

A persona's crawl starts at the dashboard (and a few seeds for pages no link leads to) and follows
every same-origin link breadth first, visiting ONE address per pattern: the route the address
resolves to plus the names of its query parameters (`/search/` and `/search/?q=…` are two patterns;
`/cases/3/` and `/cases/7/` are one). Every route of the urlconf must end up visited by some persona,
or be listed in NOT_PAGES with the reason; the coverage test fails otherwise, so a page added later is
checked without anyone listing it.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from django.urls import Resolver404, resolve

from casebridge.tests.crawl_routes import web_routes

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 768}
MAX_PAGES_PER_PERSONA = 80  # a bound on page loads, not a target: a persona reaches 20-45 patterns
# Patterns whose addresses lead to different pages, looked into more than once per persona (checked
# once): a conference's page links its guests' packs only when the persona runs that conference.
LOOK_INTO = {"conferences:detail": 3}

_POST = "answers a form's POST only (GET is 405); its result is the page it redirects to, which is crawled"
_DOWNLOAD = "a file, not a page"
# Routes that are not pages a person reads in the browser, each with the reason.
NOT_PAGES: dict[str, str] = {
    "accounts:logout": _POST, "accounts:purpose": _POST, "accounts:revoke_token": _POST, "accounts:language": _POST,
    "accounts:enrol": "the first sign-in's authenticator set-up: needs an account without a confirmed second "
                      "factor, and every demo account has one",
    "cases:contact_options": "an htmx fragment (<option>s swapped into the case page's membership form), "
                             "not a page of its own",
    "cases:transition": _POST, "cases:key_dates": _POST, "cases:edit_client": _POST, "cases:add_membership": _POST,
    "cases:end_membership": _POST, "cases:set_discreet": _POST, "cases:assign": _POST, "cases:release": _POST,
    "cases:liaison": _POST,
    "agencies:create_practitioner": _POST, "agencies:reset_second_factor": _POST,
    "agencies:create_service_account": _POST, "agencies:issue_service_token": _POST, "agencies:revoke_token": _POST,
    "items:audience": "an htmx fragment (the recording form's \"who will see this\", fetched as the markings change); "
                      "opened as a page it is the recording form, crawled as items:record",
    "items:amend": _POST, "items:derive": _POST, "items:retract": _POST, "items:disclose": _POST,
    "items:revoke": _POST, "items:attach": _POST, "items:download": _DOWNLOAD,
    "sharing:agreement_sign": _POST, "sharing:agreement_suspend": _POST, "sharing:agreement_resume": _POST,
    "sharing:agreement_withdraw": _POST, "sharing:consent_withdraw": _POST, "sharing:disclosure_revoke": _POST,
    "sharing:consent_form": _DOWNLOAD, "sharing:consent_record": _POST,
    "conferences:pack_pdf": _DOWNLOAD, "conferences:attendee_pack_pdf": _DOWNLOAD, "conferences:reply": _POST,
    "conferences:agenda": _POST, "conferences:set_action": _POST, "conferences:attendance": _POST,
    "conferences:minutes": _POST, "conferences:approve_minutes": _POST, "conferences:advance": _POST,
    "conferences:cancel": _POST, "conferences:update_action": _POST, "conferences:dismiss": _POST,
    "assessments:chart": _DOWNLOAD + " (an SVG chart shown by an <img> with its text alternative)",
    "reflector:chart": _DOWNLOAD + " (an SVG chart shown by an <img> with its text alternative)",
    "reflector:add_goal": _POST, "reflector:goal_status": _POST, "reflector:share": _POST,
    "network:change": _POST, "network:end": _POST,
    "dataprotection:export_json": _DOWNLOAD, "dataprotection:export_pdf": _DOWNLOAD,
    "dataprotection:transparency_pdf": _DOWNLOAD, "dataprotection:withhold": _POST, "dataprotection:lift": _POST,
    "dataprotection:release": _POST, "dataprotection:unrelease": _POST,
}
# Pages no link leads to, visited directly: a search with words, and the page of an address that does not exist.
NOT_FOUND = "/cases/999999999/"
SEEDS = ["/search/?q=housing", NOT_FOUND]


def route_of(url: str) -> str | None:
    """The route name of a same-origin address (None: not a route of the web interface)."""
    path = urlsplit(url).path
    if path.startswith(("/api/", "/static/")):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return "404"
    return f"{match.namespace}:{match.url_name}"


def pattern_of(url: str) -> tuple[str, frozenset] | None:
    route = route_of(url)
    if route is None:
        return None
    return route, frozenset(name for name, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True))


def page_routes() -> set[str]:
    """Every route of the web interface that is a page (the urlconf less NOT_PAGES)."""
    return {route.name for route in web_routes()} - set(NOT_PAGES)


@dataclass
class Finding:
    persona: str
    url: str
    width: int
    rule: str
    impact: str
    help: str
    nodes: list[str] = field(default_factory=list)

    def __str__(self):
        where = "\n      ".join(self.nodes[:8]) + ("\n      …" if len(self.nodes) > 8 else "")
        return f"{self.url} ({self.persona}, {self.width} px) · {self.rule} [{self.impact}] {self.help}\n      {where}"


def axe_findings(axe, page, persona: str) -> list[Finding]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is, one Finding per rule."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    width = page.viewport_size["width"]
    return [Finding(persona, page.url, width, v["id"], v.get("impact") or "", v["help"],
                    [f"{' '.join(map(str, n['target']))}: {_first_line(n.get('failureSummary', ''))}" for n in v["nodes"]])
            for v in results.response["violations"]]


def _first_line(summary: str) -> str:
    lines = [line.strip() for line in summary.splitlines() if line.strip()]
    return lines[1] if len(lines) > 1 else (lines[0] if lines else "")


def same_origin_links(page, origin: str) -> list[str]:
    """Where the page's links and forms lead: a form's own page (e.g. recording an item, which the case page
    folds into its timeline) is reached through its action; POST-only actions are in NOT_PAGES."""
    targets = page.eval_on_selector_all("a[href], form[action]", """elements => elements.map(e =>
        new URL(e.getAttribute(e.tagName === 'A' ? 'href' : 'action'), location.href).href)""")
    return [target.split("#")[0] for target in targets if target.startswith(origin + "/")]


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
