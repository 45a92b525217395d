"""Accessibility, small screens and print, in a real Chromium against the e2e demo server.

One crawl per persona (module fixture `crawl`) visits one address of every page pattern it can reach
and runs axe-core (WCAG 2.2 A/AA) on each at 1366 px, then narrows the window to 390 px and measures
sideways overflow; the tests below judge its findings. The crawl only reads (GET); the one write,
the key dates of one case saved unchanged, changes nothing the other end-to-end tests rely on.
Screenshots, printed PDFs and the list of pages checked are kept under $CASEBRIDGE_ARTIFACTS/e2e/
(a11y-*.png, print-*.pdf/png, a11y-pages.txt).
"""

import re
from collections import Counter, deque
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from casebridge.tests.a11y_crawl import (LOOK_INTO, MAX_PAGES_PER_PERSONA, NARROW, NOT_FOUND, NOT_PAGES, SEEDS, WIDE,
                                         axe_findings, overflow, page_routes, pattern_of, same_origin_links)
from casebridge.tests.crawl_routes import web_routes
from casebridge.tests.e2e_browser import ARTIFACTS, shoot, sign_in

pytestmark = pytest.mark.e2e

# Personas whose pages together reach every page pattern: the data protection officer and the agency
# administrator first (they have not signed in earlier in the session), then practitioners of four
# agencies, the coordinator last. Sam, the system administrator, reached no pattern the others had not
# (a11y-pages.txt lists who reached each first), so his 80 page loads were left out.
PERSONAS = ["dora", "adam", "omar", "clara", "ivo", "petra"]
SHOWN = ["petra", "ivo", "clara"]  # whose dashboard and case page are photographed at both sizes
# The outermost elements that reach past the window's right edge outside any scrolling box: the culprits.
OVERFLOWING = """() => {
  const out = e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 0.5;
  const scrolls = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
                           if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                    (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  return [...document.querySelectorAll('body *')].filter(e => out(e) && !scrolls(e) && !out(e.parentElement))
    .slice(0, 5).map(e => name(e) + ' in ' + name(e.parentElement) + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)');
}"""


@dataclass
class Crawl:
    visited: dict = field(default_factory=dict)    # pattern -> (persona, url, HTTP status)
    findings: list = field(default_factory=list)   # axe violations, Finding
    overflows: list = field(default_factory=list)  # (persona, url, pixels, elements sticking out)
    not_html: list = field(default_factory=list)   # (persona, url, content type)


class Sessions:
    """Each persona signed in once for the module (a demo device takes each second-factor code once):
    `context(persona)` is a new browser context with that persona's cookies."""

    def __init__(self, server, browser):
        self.server, self.browser, self.states = server, browser, {}

    def context(self, persona, viewport=WIDE):
        if persona not in self.states:
            with_cookies = self.browser.new_context()
            sign_in(with_cookies.new_page(), self.server, persona)
            self.states[persona] = with_cookies.storage_state()
            with_cookies.close()
        return self.browser.new_context(viewport=viewport, storage_state=self.states[persona])


@pytest.fixture(scope="module")
def sessions(server, browser):
    return Sessions(server, browser)


@pytest.fixture(scope="module")
def crawl(server, browser, sessions):
    from axe_playwright_python.sync_playwright import Axe

    result, axe = Crawl(), Axe()
    for persona in PERSONAS:
        context = browser.new_context(viewport=WIDE)
        page = context.new_page()
        sign_in(page, server, persona, on_each_step=lambda p: _check_sign_in_step(p, persona, axe, result))
        sessions.states[persona] = context.storage_state()
        _crawl_as(page, persona, server, axe, result)
        context.close()
    _list_pages(result)
    return result


def _list_pages(result: Crawl) -> None:
    """The pages axe checked, one per line (route, query parameters, persona, address), kept as an
    artefact beside the screenshots: a11y-pages.txt."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = sorted(f"{route}{'?' + '&'.join(sorted(names)) if names else ''}\t{persona}\t{url}"
                   for (route, names), (persona, url, _status) in result.visited.items())
    (ARTIFACTS / "a11y-pages.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _crawl_as(page, persona, server, axe, result: Crawl) -> None:
    """Follow the persona's links breadth first, one address per pattern (a few for LOOK_INTO); check each
    pattern no one has checked yet, and every persona's dashboard, which shows each of them something else."""
    queue, seen, loads = deque([f"{server}/"] + [server + seed for seed in SEEDS]), set(), Counter()
    while queue and loads.total() < MAX_PAGES_PER_PERSONA:
        url = queue.popleft()
        pattern = pattern_of(url)
        if (pattern is None or pattern[0] in NOT_PAGES or url in seen
                or loads[pattern] >= LOOK_INTO.get(pattern[0], 1)):
            continue
        seen.add(url)
        answer = page.goto(url)
        if "text/html" not in answer.headers.get("content-type", ""):
            result.not_html.append((persona, url, answer.headers.get("content-type")))
            continue
        key = ("404", frozenset()) if url == server + NOT_FOUND else pattern
        loads[key] += 1
        if key not in result.visited or key[0] == "cases:dashboard":
            result.visited.setdefault(key, (persona, url, answer.status))
            _check_here(page, persona, axe, result)
        queue.extend(same_origin_links(page, server))


def _check_sign_in_step(page, persona, axe, result: Crawl) -> None:
    if pattern_of(page.url) not in result.visited:
        result.visited[pattern_of(page.url)] = (persona, page.url, 200)
        _check_here(page, persona, axe, result)


def _check_here(page, persona, axe, result: Crawl) -> None:
    """axe at laptop width, then sideways overflow at phone width (the same page, re-laid out)."""
    result.findings.extend(axe_findings(axe, page, persona))
    page.set_viewport_size(NARROW)
    if (pixels := overflow(page)) > 0:
        result.overflows.append((persona, page.url, pixels, page.evaluate(OVERFLOWING)))
    page.set_viewport_size(WIDE)


def test_every_page_of_the_web_interface_is_crawled_or_declared_not_a_page(crawl):
    routes = {route.name for route in web_routes()}
    assert not set(NOT_PAGES) - routes, f"NOT_PAGES names routes that no longer exist: {set(NOT_PAGES) - routes}"
    missed = page_routes() - {route for route, _ in crawl.visited}
    assert not missed, ("pages no persona reached; add a link, a seed (a11y_crawl.SEEDS) or a persona, or declare "
                        f"them in a11y_crawl.NOT_PAGES with the reason: {sorted(missed)}")
    assert not crawl.not_html, f"routes that answer a file, to declare in NOT_PAGES: {crawl.not_html}"


def test_every_crawled_page_answers_and_only_the_address_that_does_not_exist_is_not_found(crawl):
    broken = [(persona, url, status) for (route, _), (persona, url, status) in crawl.visited.items()
              if status != (404 if route == "404" else 200)]
    assert not broken, "links that lead to an error page:\n" + "\n".join(map(str, broken))


def test_no_page_has_an_axe_core_violation_of_wcag_2_2_a_or_aa(crawl):
    assert not crawl.findings, (f"{len(crawl.findings)} axe-core violations (page · rule [impact] help, then each "
                                "node: selector: what to fix):\n" + "\n".join(map(str, crawl.findings)))


def test_no_page_scrolls_sideways_on_a_390_px_wide_phone(crawl):
    assert not crawl.overflows, "pages wider than the window at 390 px (persona, page, pixels, what sticks out):\n" + \
        "\n".join(map(str, crawl.overflows))


def _case_page(page, server) -> str:
    """The case of the demo's held review conference (as the other e2e tests find it), else the first case."""
    page.goto(f"{server}/")
    review = page.locator("main a[href^='/conferences/']").filter(has_text="Review conference")
    if review.count():
        review.first.click()
        page.get_by_role("link", name=re.compile(r"← Case")).click()
        return page.url
    return server + page.locator("main a[href^='/cases/']").first.get_attribute("href")


@pytest.mark.parametrize("persona", SHOWN)
def test_the_dashboard_and_case_page_fit_a_laptop_and_a_phone_with_the_navigation_folded_away(
        sessions, server, persona):
    from axe_playwright_python.sync_playwright import Axe

    context = sessions.context(persona)
    page, findings = context.new_page(), []
    case_url = _case_page(page, server)
    for name, url in (("dashboard", f"{server}/"), ("case", case_url)):
        for size in (WIDE, NARROW):
            page.set_viewport_size(size)
            page.goto(url)
            shoot(page, f"a11y-{persona}-{name}-{size['width']}x{size['height']}")
        menu = page.get_by_role("button", name="Menu")
        nav = page.get_by_role("navigation", name="Main")
        assert menu.is_visible() and not nav.is_visible() and menu.get_attribute("aria-expanded") == "false"
        menu.click()
        assert nav.is_visible() and menu.get_attribute("aria-expanded") == "true"
        shoot(page, f"a11y-{persona}-{name}-390x844-menu-open", full_page=False)
        findings += axe_findings(Axe(), page, persona)  # the phone layout, its menu open
        assert overflow(page) <= 0
    context.close()
    assert not findings, "\n".join(map(str, findings))


def test_a_keyboard_user_can_skip_to_the_content_sees_where_focus_is_and_which_page_they_are_on(sessions, server):
    context = sessions.context("petra")
    page = context.new_page()
    page.goto(f"{server}/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content" and skip.is_visible()
    outline = skip.evaluate("e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]")
    assert outline[0] != "none" and outline[1] >= 2
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the content, not back in the navigation
    assert page.evaluate("document.activeElement.closest('main') !== null")
    current = page.locator("nav[aria-label=Main] [aria-current=page]")
    assert current.count() == 1 and current.inner_text() == "My cases"
    page.goto(f"{server}/glossary/")
    assert page.locator("nav[aria-label=Main] [aria-current=page]").inner_text() == "Glossary"
    context.close()


def test_the_classification_banners_are_labelled_landmarks_and_htmx_targets_announce_their_changes(sessions, server):
    context = sessions.context("petra")
    page = context.new_page()
    page.goto(_case_page(page, server))
    assert page.get_by_role("region", name=re.compile("Classification")).count() == 2
    for landmark in ("banner", "main", "contentinfo"):
        assert page.get_by_role(landmark).count() == 1, landmark
    # A region htmx fills in place announces what arrives; a form control whose options an htmx request
    # replaces (the point of contact, once an agency is chosen) is read out when the user moves to it.
    case_url = page.url
    items = page.eval_on_selector_all("#timeline a[href^='/items/']", "links => links.map(a => a.href)")[:12]
    item = next(address for address in items  # one of her agency's items, whose readers she may list
                if page.goto(address) and page.locator("#readers-list").count())
    for address in (case_url, item):  # the case page's forms and contact choices; an item's readers
        page.goto(address)
        targets = page.eval_on_selector_all("[hx-target]", "els => els.map(e => e.getAttribute('hx-target'))")
        assert targets, address
        for selector in set(targets) - {"main"}:
            target = page.locator(selector)
            if target.evaluate("e => !['SELECT', 'INPUT', 'TEXTAREA'].includes(e.tagName)"):
                assert target.get_attribute("aria-live") == "polite", f"{address}: {selector}"
        # <main> itself is replaced by a swap: a live region outside it says what the swap brought.
        assert page.locator("#announcer[role=status][aria-live=polite]").count() == 1
    # Saving the key dates unchanged (the one write of this module): the case page's form swaps <main>,
    # and the live region reads out the message the new <main> carries.
    page.goto(case_url)
    page.locator("details:has(form[action$='/key-dates/']) > summary").click()
    page.locator("form[action$='/key-dates/'] button[type=submit]").click()
    expect(page.locator("#announcer")).to_have_text("Key dates saved.")
    assert page.locator("main .messages").inner_text().strip() == "Key dates saved."
    context.close()



def test_a_printed_case_page_carries_its_marking_on_every_sheet_and_no_navigation_or_forms(sessions, server):
    import pypdfium2

    context = sessions.context("petra")
    page = context.new_page()
    page.goto(_case_page(page, server))
    marking = page.locator(".classification-banner").first.inner_text().strip()
    buttons = {b.strip() for b in page.locator("main button").all_inner_texts() if len(b.strip()) > 12}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "print-case-page.pdf"
    page.pdf(path=str(pdf), format="A4")  # printing uses the print stylesheet, as the browser's Print does
    context.close()
    document = pypdfium2.PdfDocument(str(pdf))
    sheets = []
    for number, sheet in enumerate(document, start=1):
        sheets.append(sheet.get_textpage().get_text_range())
        sheet.render(scale=1).to_pil().save(ARTIFACTS / f"print-case-page-{number}.png")
    assert len(sheets) > 1, "the case page should run over several printed pages"
    # The marking in the top and in the bottom 20 mm of every sheet (PDF points, from the bottom left).
    band = 20 / 25.4 * 72
    for number, sheet in enumerate(document, start=1):
        width, height = sheet.get_size()
        text = sheet.get_textpage()
        top, bottom = text.get_text_bounded(0, height - band, width, height), text.get_text_bounded(0, 0, width, band)
        assert marking.upper() in top.upper() and marking.upper() in bottom.upper(), \
            f"printed page {number} lacks the marking {marking!r} at its top or bottom: {top!r} / {bottom!r}"
    printed = " ".join(" ".join(sheets).split())
    for screen_only in {"Skip to main content", "Sign out", "API tokens", "Demo mode"} | buttons:
        assert screen_only not in printed, f"{screen_only!r} is printed"

