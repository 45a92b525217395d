"""The browser tests' server, browser and page (casebridge/tests/e2e.py), shared by every module of
browser tests: one demo server and one Chromium for the whole session."""

import pytest

from casebridge.tests.e2e import CHROMIUM_ARGS
from casebridge.tests.e2e_server import demo_server


@pytest.fixture(scope="session")
def server():
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
