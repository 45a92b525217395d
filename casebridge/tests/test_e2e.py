"""End to end, as a practitioner lives it: real server, real headless Chromium, real TOTP."""

import datetime as dt
import os
import re
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import totp

from casebridge.demo.people import DEMO_PASSWORD, DEMO_TOTP_BASE32
from casebridge.tests.e2e_server import demo_server

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(os.environ.get("CASEBRIDGE_ARTIFACTS", "artifacts")) / "e2e"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server():
    with demo_server() as url:
        yield url


@pytest.fixture(scope="module")
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


def current_code() -> str:
    return f"{totp(b32decode(DEMO_TOTP_BASE32)):06d}"


def sign_in(page, server, username):
    page.goto(f"{server}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/second-factor/$"))
    page.get_by_label("Six-digit code").fill(current_code())
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{server}/")


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_petra_opens_a_case_and_records_a_phase_transition_on_the_timeline(server, page):
    sign_in(page, server, "petra")
    assert page.get_by_role("heading", name="My cases").is_visible()
    shoot(page, "01-dashboard")

    page.get_by_role("navigation").get_by_role("link", name="Open a case").click()
    page.get_by_label("Given name").fill("Testa")
    page.get_by_label("Family name").fill("Synthetica")
    page.get_by_label("Date of birth").fill("1994-04-12")
    page.get_by_label("Starting phase").select_option("custody")
    page.get_by_label("Phase start date").fill((dt.date.today() - dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name=re.compile("Open")).click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    assert page.get_by_text("Testa Synthetica").first.is_visible()

    phases = page.locator("#phases")
    phases.get_by_text("Move to the next phase").click()
    phases.get_by_label("Next phase").select_option("release_preparation")
    phases.get_by_label("Effective date").fill(dt.date.today().isoformat())
    note = "Release plan started; housing referral sent, client agreed to weekly meetings."
    phases.get_by_label("Handover note").fill(note)
    phases.get_by_role("button", name="Record the transition").click()
    page.get_by_text("Nothing has changed yet.").wait_for()  # the confirmation page, then confirm
    page.get_by_role("button", name="Record the transition").click()
    timeline = page.locator("#timeline")
    timeline.get_by_text(note).wait_for()
    assert "Release preparation" in page.locator("[aria-current=step]").inner_text()
    assert shoot(page, "02-case-after-transition").stat().st_size > 10_000
    assert not [p for p in page.csp_problems if "Content Security Policy" in p]


def test_xavier_sees_no_case_and_gets_not_found_for_one_he_is_not_on(server, page):
    sign_in(page, server, "omar")  # not petra: a TOTP code is accepted once, and she signed in moments ago
    first_case = page.locator("main table a[href^='/cases/']").first.get_attribute("href")
    page.context.clear_cookies()
    sign_in(page, server, "xavier")
    assert page.locator("main table a[href^='/cases/']").count() == 0
    answer = page.goto(f"{server}{first_case}")
    assert answer.status == 404
    shoot(page, "03-outsider-not-found")
