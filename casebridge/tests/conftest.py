"""The browser suite's shared fixtures: one demo server and one Chromium for the whole session, so
the end-to-end walk-throughs and the accessibility crawl pay for one demo world between them."""

import os

import pytest

from casebridge.tests.e2e_browser import CHROMIUM_ARGS
from casebridge.tests.e2e_server import demo_server


@pytest.fixture(scope="session")
def server():
    # While working on pages: CASEBRIDGE_E2E_SERVER=http://127.0.0.1:8000 points the browser tests at a
    # demo server already running (`casebridge demo`, `serve`) instead of building a world of their own.
    if os.environ.get("CASEBRIDGE_E2E_SERVER"):
        yield os.environ["CASEBRIDGE_E2E_SERVER"].rstrip("/")
        return
    with demo_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    problems = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.csp_problems = problems
    yield tab
    context.close()
