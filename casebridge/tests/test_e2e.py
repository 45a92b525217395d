"""End to end, as a practitioner lives it: real server, real headless Chromium, real TOTP.

The server, the browser and a tab come from casebridge/tests/conftest.py (shared with the
accessibility crawl, test_e2e_accessibility.py); signing in and screenshots from e2e_browser.py."""

import datetime as dt
import re

import pytest

from casebridge.tests.e2e_browser import shoot, sign_in

pytestmark = pytest.mark.e2e


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


def _fresh_sign_in(page, server, username):
    page.context.clear_cookies()
    sign_in(page, server, username)


def choose(select, text: str) -> None:
    """Select the option whose label contains `text`."""
    select.select_option(select.locator("option", has_text=text).first.get_attribute("value"))


def _review_case(page) -> str:
    """From the dashboard to the case of the demo's held review conference; its address."""
    page.locator("main a[href^='/conferences/']").filter(has_text="Review conference").first.click()
    page.get_by_role("link", name=re.compile(r"← Case")).click()
    return page.url


def test_the_exit_worker_records_a_session_and_shares_and_probation_reads_assessments_side_by_side(server, page):
    # Clara first: she has not signed in yet in this module, so no wait for a fresh second-factor code.
    _fresh_sign_in(page, server, "clara")
    case_url = _review_case(page)
    page.get_by_role("link", name="CaseReflector").click()
    page.get_by_role("link", name=re.compile("Kept by Open Door Exit Programme")).click()
    progress = page.locator("#progress").locator("..")
    before = page.request.get(server + page.locator("img.chart").get_attribute("src")).text()
    before_png = progress.screenshot()
    page.get_by_role("link", name="Record a session").click()
    page.get_by_label("Session note").fill("Talked about the warehouse job and his sister's visit.")
    page.get_by_label("Employment: Resource or challenge").select_option("resource")
    page.get_by_label("Employment: What is known").select_option("known")
    page.get_by_label("Home environment: Resource or challenge").select_option("resource")
    page.get_by_label("Employment: Note").fill("Started at the warehouse.")
    page.get_by_role("button", name="Record the session").click()
    page.get_by_text("Session 5 recorded.").wait_for()
    after = page.request.get(server + page.locator("img.chart").get_attribute("src")).text()
    assert "Session 5" in after and "Session 5" not in before
    assert progress.screenshot() != before_png  # the drawn chart moved
    assert page.get_by_text("Started at the warehouse.").is_visible()
    shoot(page, "21-reflector-after-session")

    share = page.locator("form[action$='/share/']")
    share.get_by_label("Classification of the summary").select_option("0")
    share.get_by_role("button", name="Share the summary").click()
    page.get_by_text("Summary shared as an item of the case.").wait_for()
    body = page.locator("main").inner_text()
    assert "Distancing process: non-personal summary" in body and "after 5 sessions" in body
    assert "warehouse" not in body  # non-personal: nothing of the notes
    shoot(page, "22-summary-shared")
    assert not [p for p in page.csp_problems if "Content Security Policy" in p]

    _fresh_sign_in(page, server, "petra")
    page.goto(case_url)
    page.get_by_role("link", name="assessments side by side").click()
    table = page.locator("table.side-by-side")
    for tool in ("VERA-2R", "ERG22+", "TRAP-18"):
        assert table.get_by_role("columnheader", name=re.compile(re.escape(tool))).first.is_visible()
    assert page.get_by_text("An aid to reading, not a score.").is_visible()
    chart = page.locator("img.chart")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")  # drawn, and allowed by the CSP
    shoot(page, "20-assessments-side-by-side")
    assert not [p for p in page.csp_problems if "Content Security Policy" in p]

def test_the_coordinator_convenes_from_a_proposal_sets_an_action_and_two_participants_open_their_packs(server, page):
    _fresh_sign_in(page, server, "petra")
    page.locator("main a[href^='/conferences/']").filter(has_text="Review conference").first.click()
    page.get_by_role("link", name=re.compile(r"← Case")).click()
    section = page.locator("#conferences")
    proposal = section.locator("li").filter(has_text="The earliest release date is approaching")
    proposal.get_by_role("link", name="Convene", exact=True).click()  # a conference Casebridge proposes
    assert page.get_by_label("Kind of conference").input_value() == "release_planning"
    page.get_by_label("Date").fill((dt.date.today() + dt.timedelta(days=5)).isoformat())
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("11:30")
    page.get_by_label("Place").fill("Westmark Probation, meeting room 1")
    choose(page.get_by_label("Chair"), "Petra Peeters")
    page.get_by_label(re.compile(r"Ivo Ivanov \(Westmark Prison\)")).check()
    page.get_by_label(re.compile(r"Clara Claes \(Open Door")).check()
    page.get_by_role("button", name="Convene and send the invitations").click()
    page.wait_for_url(re.compile(r".*/conferences/\d+/$"))
    conference = page.url
    shoot(page, "10-conference-convened")
    page.get_by_text("Set an action").click()
    form = page.locator("form[action$='/actions/']")
    form.get_by_label(re.compile(r"^Action")).fill("Confirm the release address with the housing office.")
    choose(form.get_by_label(re.compile(r"^Owner")), "Ivo Ivanov")
    form.get_by_label(re.compile(r"^Due on")).fill((dt.date.today() + dt.timedelta(days=12)).isoformat())
    form.get_by_role("button", name="Set the action").click()
    page.get_by_text("Action set.").wait_for()

    # The review held five weeks ago: a corrected version of its minutes with a decision, then approved.
    page.goto(server + "/")
    page.locator("main a[href^='/cases/']").filter(has_text="CB-").first.wait_for()
    page.goto(conference)
    page.get_by_role("link", name=re.compile(r"← Case")).click()
    page.locator("#conferences").get_by_role("link", name=re.compile(r"Review conference, .* · Held|Review conference")).last.click()
    assert page.get_by_text("Approved by the chair").first.is_visible()
    page.get_by_text("Record a new version of the minutes").click()
    minutes = page.locator("form[action$='/minutes/']")
    minutes.get_by_label(re.compile(r"^Notes \*?$")).fill("The team went through the plan.")
    minutes.get_by_label(re.compile(r"^Notes on: Education")).fill("Corrected: the course starts in January.")
    minutes.get_by_label(re.compile(r"^Executive summary")).fill("The team agreed the next steps.")
    minutes.get_by_label(re.compile(r"^Decision")).first.fill("Start the release planning in January.")
    minutes.get_by_label(re.compile(r"^Rationale")).first.fill("Earliest release in January.")
    minutes.get_by_label(re.compile(r"^Dissent")).first.fill("Police prefer to wait for the risk assessment.")
    minutes.get_by_role("button", name="Record the minutes").click()
    page.get_by_text("Minutes recorded; the chair approves them.").wait_for()
    page.get_by_role("button", name="Approve these minutes").click()
    page.get_by_text("Minutes approved.").wait_for()
    assert page.get_by_text("Start the release planning in January.").is_visible()
    assert page.get_by_text("Corrected: the course starts in January.").is_visible()
    shoot(page, "14-minutes-approved")

    _fresh_sign_in(page, server, "ivo")
    assert page.get_by_text("Confirm the release address with the housing office.").first.is_visible()
    shoot(page, "11-owner-dashboard-with-action")
    page.goto(conference + "pack/")
    assert page.get_by_text("Prepared for Ivo Ivanov, Westmark Prison. Do not pass on.").is_visible()
    assert page.get_by_text("Confirm the release address with the housing office.").first.is_visible()
    ivo_pack = page.locator("main").inner_text()
    shoot(page, "12-pack-ivo")

    _fresh_sign_in(page, server, "clara")
    page.goto(conference + "pack/")
    assert page.get_by_text("Prepared for Clara Claes, Open Door Exit Programme. Do not pass on.").is_visible()
    clara_pack = page.locator("main").inner_text()
    shoot(page, "13-pack-clara")
    # The action is a RESTRICTED probation record: the prison reads it, the exit programme does not.
    assert "Confirm the release address" not in clara_pack and ivo_pack != clara_pack
    assert not [p for p in page.csp_problems if "Content Security Policy" in p]



def test_each_persona_finds_the_work_list_and_the_case_summary_with_record_information_above_the_fold(server,
                                                                                                     browser):
    for name in ("ivo", "clara", "petra"):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        tab = context.new_page()
        sign_in(tab, server, name)
        assert tab.get_by_role("heading", name="To do").is_visible()
        shoot(tab, f"30-dashboard-{name}")
        _review_case(tab)
        summary, record = tab.locator("#summary"), tab.get_by_role("link", name="Record information")
        # What a practitioner needs first is on the first screen: the case at a glance and the one action.
        assert record.is_visible() and record.bounding_box()["y"] + record.bounding_box()["height"] <= 768
        assert summary.bounding_box()["y"] < 768
        text = summary.inner_text()
        assert "Next key date" in text and "Next conference" in text and "Since your last visit" in text
        shoot(tab, f"31-case-{name}")
        context.close()
