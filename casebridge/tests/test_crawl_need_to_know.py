"""Need-to-know and plain language, crawled: no page or API response shows a persona content they may
not read, and no page they read shows a machine code or an ISO date (crawl_plain.py).

For each persona, a crawl fetches every web route the resolver knows (filled with the ids of the
world's objects, then following the links, HTMX partials and redirects the pages offer) and every
API GET operation of the OpenAPI document with the persona's own token. Every response must answer
below 500 and be free of every string the oracle (crawl_oracle.py) forbids that persona for the
declared purpose: the content of the records they may not read, computed from the records.

Purposes: the persona declares each purpose in turn, as the header bar does (a purpose refused to
their role is skipped on the web), and the oracle answers for each. The first purpose the persona
may declare is crawled in full; every other one on the pages and operations that list items through
the purpose's filter (LISTINGS_*), which is where a purpose changes what a page shows and which
keeps the crawl of ten personas under a minute and a half. Each crawl's own writes (its audit
events) are rolled back, so every crawl starts from the same world. The full crawl's web pages are
also read for machine text; each persona is crawled once for the module and both tests judge it.
"""

import logging
import time
from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client

from casebridge.conftest import bearer, make_agencies, make_case, make_cast, make_exchange
from casebridge.tests import crawl_client, crawl_oracle, crawl_plain, crawl_routes, crawl_world, once
from casebridge.vocabulary import Purpose

# The cast, plus Paula (the police's data protection officer) and Uma (an agency on no case). Ines
# (security service) and Nora (who left case B's team) write or held content but are not crawled,
# to keep the run short.
PERSONAS = ["petra", "ivo", "omar", "clara", "xavier", "uma", "dora", "paula", "sam", "adam"]

# Where a purpose filters what is listed: crawled again under every purpose.
LISTINGS_WEB = {"cases:detail", "search:search", "dataprotection:client"}
LISTINGS_API = {"/api/cases/{case_id}/items", "/api/search", "/api/clients/{client_id}/subject-access"}

# What the full crawl reached, as measured when this test was written: distinct addresses (query
# strings aside) answering 200 on the web and on the API, and distinct routes answering 200 under any
# purpose. A crawl reaching less has lost routes, ids or links; if a change means a persona may rightly
# reach less (a page their role no longer has), lower the number here and say why in the commit.
MINIMUM_COVERAGE = {
    "petra": (40, 58, 40), "ivo": (42, 65, 38), "omar": (44, 67, 38), "clara": (28, 44, 36), "xavier": (4, 14, 12),
    "uma": (4, 14, 12), "dora": (17, 23, 25), "paula": (17, 23, 25), "sam": (33, 31, 26), "adam": (14, 22, 21),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The crawl's world, built once for the module (each test's writes are rolled back: `db`)."""
    with once.built_once(django_db_blocker):
        agencies = make_agencies()
        cast = make_cast(agencies)
        case = make_case(cast, agencies)
        exchange = make_exchange(case, cast, agencies)
        people = {**cast, **crawl_world.extra_people(agencies)}
        built = crawl_world.build(people, agencies, exchange, case)
        built["people"] = people
        built["agencies"] = list(agencies.values())
        built["members"] = {c.pk: [m.agency_id for m in c.memberships.all()] for c in built["cases"]}
        built["openapi"] = Client().get("/api/openapi.json").json()
        built["tokens"] = {name: bearer(person) for name, person in people.items()}
        once.analyze()
        yield built


class Findings:
    """Everything one persona's crawl found wrong, grouped so the message stays readable."""

    def __init__(self):
        self.errors, self.leaks = [], defaultdict(set)
        self.machine = defaultdict(set)  # (web route, code or ISO date) → pages showing it
        self.pages = self.calls = 0
        self.routes = set()

    def checker(self, purpose, forbidden, read_for_machine_text: bool):
        folded = [(s.casefold(), s, record) for s, record in forbidden.items()]

        def check(response):
            if read_for_machine_text and response.status == 200 and not response.route.startswith("/"):
                for code in crawl_plain.machine_text(response.route, response.text):
                    self.machine[(response.route, code)].add(response.url)
            if response.status >= 500:
                self.errors.append(f"server error: {response.status} {purpose} {response.url}")
            if response.events > 1:  # one request, one consultation: never several events for one page
                self.errors.append(f"{response.events} audit events for one read: {purpose} {response.url}")
            text = response.text.casefold()
            for needle, string, record in folded:
                if needle in text and crawl_oracle.applies(record, response.route):
                    where = f"{purpose}{' htmx' if response.htmx else ''} {response.url}"
                    self.leaks[(string, record.kind)].add(where)
        return check

    def count(self, web, api, full: bool) -> None:
        if full:
            self.pages, self.calls = len(web.addresses), len(api.addresses)
        self.routes |= web.routes | api.routes

    def message(self, minimum: tuple[int, int, int]) -> str:
        """Every problem found, coverage below `minimum` included; empty when there is none."""
        measured = (self.pages, self.calls, len(self.routes))
        lines = [f"coverage fell: {now} {label} answered 200, {then} measured before"
                 for label, now, then in zip(("pages", "API addresses", "routes"), measured, minimum) if now < then]
        lines += self.errors[:40]
        for (string, kind), where in sorted(self.leaks.items()):
            lines.append(f"{string} ({kind}) in {len(where)} responses, e.g. {', '.join(sorted(where)[:3])}")
        return "\n".join(lines)

    def machine_text(self) -> str:
        """Every code or ISO date the persona's pages show; empty when there is none."""
        return "\n".join(f"{code} on {len(urls)} pages of {route}, e.g. {', '.join(sorted(urls)[:3])}"
                         for (route, code), urls in sorted(self.machine.items()))


def _plan(world):
    seeds, _, _ = crawl_client.web_seeds(world)
    api, _ = crawl_client.api_urls(world["openapi"], world)
    listed_web = [(url, htmx) for url, htmx in seeds if crawl_client.route_of(url) in LISTINGS_WEB]
    listed_api = [(url, operation) for url, operation in api if operation in LISTINGS_API]
    return {True: (seeds, api), False: (listed_web, listed_api)}


def crawl(world, name) -> Findings:
    """Crawl as `name` under every purpose; each crawl's writes are rolled back."""
    persona, plan = world["people"][name], _plan(world)
    records = crawl_oracle.records(crawl_oracle.World(world["cases"]))
    findings, full = Findings(), True
    for purpose in Purpose.values:
        forbidden = crawl_oracle.forbidden(records, persona, purpose)
        (seeds, api), check = plan[full], findings.checker(purpose, forbidden, read_for_machine_text=full)
        with transaction.atomic():
            web = crawl_client.WebCrawl(persona, purpose, world, check)
            declared = web.choose_purpose()
            web.seed(seeds if declared else [])
            api_crawl = crawl_client.ApiCrawl(world["tokens"][name], purpose, check)
            findings.count(web.run(follow=full), api_crawl.run(api), full and declared)
            transaction.set_rollback(True)
        full = full and not declared
    return findings


@pytest.fixture
def quiet_requests():
    """The crawl meets thousands of deliberate 404s; only server errors stay worth logging."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module")
def crawls():
    """Each persona's findings, crawled once for the module's two tests (the crawl's writes are rolled
    back; the findings are plain values)."""
    return {}


def crawled(world, crawls, name) -> Findings:
    if name not in crawls:
        started = time.monotonic()
        crawls[name] = findings = crawl(world, name)
        print(f"\n{name}: {findings.pages} pages, {findings.calls} API addresses, {len(findings.routes)} routes "
              f"answered 200 in {time.monotonic() - started:.1f}s")
    return crawls[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_no_page_or_api_response_shows_a_persona_what_they_may_not_read(world, crawls, db, name, quiet_requests):
    problems = crawled(world, crawls, name).message(MINIMUM_COVERAGE[name])
    assert not problems, problems


@pytest.mark.parametrize("name", PERSONAS)
def test_no_page_shows_a_persona_the_code_of_an_enumeration_or_an_iso_date(world, crawls, db, name, quiet_requests):
    problems = crawled(world, crawls, name).machine_text()
    assert not problems, problems


def test_every_route_is_crawled_or_listed_with_the_reason_it_is_not(world, db):
    seeds, unfilled_web, post_only = crawl_client.web_seeds(world)
    api, unfilled_api = crawl_client.api_urls(world["openapi"], world)
    unexplained = {path for path, reason in {**unfilled_web, **unfilled_api}.items() if not reason}
    assert unexplained == set(), "fill these arguments in crawl_routes.py, or list the route in UNFILLABLE"
    stale = set(crawl_routes.UNFILLABLE) - set(unfilled_web) - set(unfilled_api)
    assert stale == set(), "these routes are crawled now: take them out of UNFILLABLE"
    assert len(seeds) > 100 and len(api) > 50 and post_only
