"""Fetching every page and API GET operation as one persona, and reading what each response says.

A crawl starts from every route the resolver knows, filled with the world's ids, follows the links
and HTMX partials the pages offer (redirects included), and reads each response as a person would:
HTML and JSON as text, PDFs through their content streams, downloads as bytes, plus the headers
(a file name travels in Content-Disposition).
"""

import html
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from casebridge.audit.models import AuditEvent
from casebridge.conftest import sign_in
from casebridge.dataprotection.tests.pdftext import pdf_text
from casebridge.tests import crawl_routes as routes

LINK = re.compile(r'(href|hx-get)="(/[^"#]*)')
PER_ROUTE = 12  # distinct query strings followed per route, so filters and pages cannot multiply forever
HEADERS = ("Content-Disposition", "Location", "HX-Redirect", "HX-Location")


@dataclass
class Response:
    url: str
    route: str  # the web route's name, or the API operation's path
    status: int
    text: str
    htmx: bool = False
    events: int = 0  # audit events the request recorded


@dataclass
class Coverage:
    """What answered 200: routes, and addresses without their query strings (pages of a list, filters
    and searches are extra fetches of one address, not more coverage)."""

    fetched: int = 0
    routes: set = field(default_factory=set)
    addresses: set = field(default_factory=set)

    def add(self, response: Response) -> None:
        self.fetched += 1
        if response.status == 200:
            self.routes.add(response.route)
            self.addresses.add(urlsplit(response.url).path)


def fetch(client, url: str, **extra):
    """GET `url`; the response and how many audit events the request recorded."""
    before = AuditEvent.objects.count()  # the trail's manager appends what waits first
    raw = client.get(url, **extra)
    return raw, AuditEvent.objects.count() - before


def readable_text(response) -> str:
    """Everything a reader of this response could see, whitespace collapsed."""
    parts = [response.get(h, "") for h in HEADERS]
    content = b"" if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf") and content.startswith(b"%PDF-"):
        parts.append(pdf_text(content))
    body = content.decode("utf-8", "replace")
    parts.append(html.unescape(body) if "html" in kind else body)
    return " ".join(" ".join(parts).split())


def methods_of(callback) -> set[str] | None:
    """The methods a view accepts, read from Django's `require_http_methods` (None: any)."""
    view = callback
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            value = cell.cell_contents
            if isinstance(value, list) and value and all(isinstance(m, str) and m.isupper() for m in value):
                return set(value)
        view = getattr(view, "__wrapped__", None)
    return None


def route_of(url: str) -> str | None:
    """The name of the web route serving `url` ("items:detail"), None outside the web routes."""
    path = urlsplit(url).path
    if path.startswith("/api/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name or ''}"


class WebCrawl:
    """One persona, one purpose: every reachable page, each response handed to `check`."""

    def __init__(self, persona, purpose, world, check):
        self.client = Client(raise_request_exception=False)
        sign_in(self.client, persona)
        self.purpose, self.world, self.check = purpose, world, check
        self.coverage, self.seen, self.per_route = Coverage(), set(), {}
        self.queue = deque()

    def choose_purpose(self) -> bool:
        """Declare the purpose the way the header bar does; False if it is refused to this persona."""
        self.client.post("/accounts/purpose/", {"purpose": self.purpose})
        return self.client.session.get("purpose") == self.purpose

    def seed(self, start: list) -> None:
        for url, htmx in start:
            self._enqueue(url, htmx)

    def _enqueue(self, url: str, htmx: bool) -> None:
        url = html.unescape(url).split("#")[0]
        if (url, htmx) in self.seen or url.startswith(("/static/", "/api/")):
            return
        route = route_of(url)
        if route is None:
            return
        if urlsplit(url).query:
            followed = self.per_route.setdefault(route, set())
            if url not in followed and len(followed) >= PER_ROUTE:
                return
            followed.add(url)
        self.seen.add((url, htmx))
        self.queue.append((url, htmx, route))

    def run(self, follow: bool = True) -> Coverage:
        """Fetch the queue; with `follow`, also every link, partial and redirect the pages offer."""
        while self.queue:
            url, htmx, route = self.queue.popleft()
            extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            raw, events = fetch(self.client, url, **extra)
            response = Response(url, route, raw.status_code, readable_text(raw), htmx, events)
            self.coverage.add(response)
            self.check(response)
            if not follow:
                continue
            if raw.status_code in (301, 302) and raw.get("Location", "").startswith("/"):
                self._enqueue(raw["Location"], False)
            if "html" in raw.get("Content-Type", "") and not raw.streaming:
                for attribute, link in LINK.findall(raw.content.decode("utf-8", "replace")):
                    self._enqueue(link, attribute == "hx-get")
        return self.coverage


def web_seeds(world) -> tuple[list, dict, list]:
    """(url, htmx) pairs for every fillable route that answers GET, with its query variants; the
    routes that cannot be filled; and the routes that only take POST (forms post there)."""
    seeds, unfilled, post_only = [], {}, []
    for route in routes.web_routes():
        methods = methods_of(route.callback)
        if methods is not None and "GET" not in methods:
            post_only.append(route.path)
            continue
        urls = routes.fill(route)
        if urls is None:
            unfilled[route.path] = routes.UNFILLABLE.get(route.path, "")
            continue
        for url in urls:
            seeds.extend((variant, False) for variant in [url, *routes.variants(route, url, world)])
    return seeds, unfilled, post_only


class ApiCrawl:
    """One persona, one purpose: every API GET operation, following the audit trail's pages."""

    def __init__(self, headers: dict, purpose, check):
        self.client = Client(raise_request_exception=False)
        self.headers = {**headers, "HTTP_X_CASEBRIDGE_PURPOSE": purpose}
        self.check, self.coverage = check, Coverage()

    def get(self, url: str, operation: str):
        raw, events = fetch(self.client, url, **self.headers)
        response = Response(url, operation, raw.status_code, readable_text(raw), events=events)
        self.coverage.add(response)
        self.check(response)
        return raw

    def run(self, urls: list) -> Coverage:
        for url, operation in urls:
            raw = self.get(url, operation)
            if raw.status_code == 200 and raw.get("Content-Type", "").startswith("application/json"):
                body = raw.json()
                pages = body.get("pages", 1) if isinstance(body, dict) else 1
                joiner = "&" if "?" in url else "?"
                for page in range(2, int(pages) + 1):
                    self.get(f"{url}{joiner}page={page}", operation)
        return self.coverage


def api_urls(document: dict, world) -> tuple[list, dict]:
    urls, unfilled = [], {}
    for operation in routes.api_operations(document):
        filled = routes.fill_api(operation, world)
        if filled is None:
            unfilled[operation.path] = routes.UNFILLABLE.get(operation.path, "")
            continue
        urls.extend((url, operation.path) for url in filled)
    return urls, unfilled
