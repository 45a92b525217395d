"""The forms' error pattern in a real browser: a form sent empty brings the focus to its error summary
and "Error:" to the title, after a whole page and after an htmx swap; the summary's links lead to
the fields; the recording form's "who will see this" follows the markings as they change."""

import re

import pytest

from casebridge.tests.e2e_browser import shoot, sign_in

pytestmark = pytest.mark.e2e

FOCUSED_SUMMARY = "() => document.activeElement && document.activeElement.hasAttribute('data-error-summary')"


def _summary_focused(page) -> bool:
    # A locator's wait runs Playwright's own script; wait_for_function would evaluate a string, which
    # the CSP refuses.
    page.locator("[data-error-summary]:focus").wait_for(timeout=10_000)
    return page.evaluate(FOCUSED_SUMMARY)


def test_a_form_sent_empty_brings_the_focus_to_its_error_summary_and_error_to_the_title(server, page):
    sign_in(page, server, "petra")
    page.get_by_role("navigation").get_by_role("link", name="Open a case").click()
    page.get_by_role("button", name="Open the case").click()  # nothing filled in: the browser lets it go
    page.wait_for_url(re.compile(r".*/cases/open/$"))
    assert _summary_focused(page)
    assert page.title().startswith("Error: Open a case")
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    assert summary.get_by_role("link", name="Enter the client's given name").is_visible()
    assert page.locator("#id_given_name_error").inner_text().endswith("Enter the client's given name")
    shoot(page, "30-open-case-errors")
    summary.get_by_role("link", name="Enter the client's date of birth").click()
    assert page.evaluate("document.activeElement.id") == "id_date_of_birth"
    assert not [p for p in page.csp_problems if "Content Security Policy" in p]


def test_a_case_form_back_from_htmx_with_its_errors_takes_the_focus_and_the_title_too(server, page):
    sign_in(page, server, "petra")
    page.locator("main a[href^='/cases/']").filter(has_text="CB-").first.click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    title = page.title()
    phases = page.locator("#phases")
    phases.get_by_text("Move to the next phase").click()
    phases.get_by_role("button", name="Record the transition").click()  # no phase, no note: swapped by htmx
    assert _summary_focused(page)
    assert page.title() == f"Error: {title}"
    links = page.locator("[data-error-summary] a")
    assert links.all_inner_texts() == ["Select the next phase", "Enter a handover note"]
    shoot(page, "31-transition-errors-after-htmx")


def test_the_recording_form_shows_who_will_see_the_item_as_the_markings_change(server, page):
    page.context.clear_cookies()
    sign_in(page, server, "omar")
    page.locator("main a[href^='/cases/']").filter(has_text="CB-").first.click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    page.get_by_text("Record information", exact=True).first.click()
    form = page.locator("form[action$='/record/']")
    audience = form.locator("[aria-live=polite]")
    assert "Choose a category" in audience.inner_text()
    form.get_by_label("Category").select_option("risk_and_needs_assessment")
    form.get_by_label("Classification").select_option("1")
    audience.get_by_text("Westmark Police (your agency)").wait_for()
    assert "ORCON" not in audience.inner_text()
    form.get_by_label(re.compile("ORCON")).check()  # only a disclosure moves an ORCON item
    audience.get_by_text(re.compile("ORCON: only a disclosure by your agency")).first.wait_for()
    shoot(page, "32-who-will-see-this")
    form.get_by_role("button", name="Record", exact=True).click()  # no title, no text
    page.wait_for_url(re.compile(r".*/record/$"))
    assert _summary_focused(page)
    assert page.title().startswith("Error: ")
    assert page.locator("[data-error-summary] a", has_text="Enter the information's text").is_visible()
    shoot(page, "33-record-errors")
