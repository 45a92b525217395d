"""What every browser test shares: Chromium's arguments, signing a demo persona in with a fresh
second-factor code, and screenshots kept as artefacts (CASEBRIDGE_ARTIFACTS)."""

import os
import re
import time
from base64 import b32decode
from pathlib import Path

from django_otp.oath import totp

from casebridge.demo.people import DEMO_PASSWORD, DEMO_TOTP_BASE32

ARTIFACTS = Path(os.environ.get("CASEBRIDGE_ARTIFACTS", "artifacts")) / "e2e"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

_USED: dict[str, int] = {}  # the time step of the code each account last signed in with


def fresh_code(username) -> str:
    """A code of a time step after the last this account signed in with: a device accepts each step once,
    and one step of drift, so the next step's code is good at once; only a third sign-in in one step waits.
    The code is made just before it is submitted, never within two seconds of a step's end: a code accepted
    one step late would teach the device a drift of -1, and it would then refuse the next step's code."""
    if time.time() % 30 > 28:
        time.sleep(30 - time.time() % 30 + 0.1)
    now = int(time.time() // 30)
    target = max(now, _USED.get(username, -1) + 1)
    if target > now + 1:
        time.sleep(30 - time.time() % 30 + 0.5)
        now = int(time.time() // 30)
    _USED[username] = target
    return f"{totp(b32decode(DEMO_TOTP_BASE32), drift=target - now):06d}"


def sign_in(page, server, username, on_each_step=None):
    """Sign `username` in through the login and second-factor pages; `on_each_step(page)` is called on
    each of the two pages before it is filled in (the accessibility crawl checks them there). Whoever
    the page's browser context had signed in before is signed out first: the sign-in starts afresh."""
    page.context.clear_cookies()
    page.goto(f"{server}/accounts/login/")
    if on_each_step:
        on_each_step(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/second-factor/$"))
    if on_each_step:
        on_each_step(page)
    page.get_by_label("Six-digit code").fill(fresh_code(username))
    page.get_by_role("button", name="Verify").click()
    try:
        page.wait_for_url(f"{server}/")
    except Exception as exc:  # say where the sign-in ended instead, with a picture of it
        shot = shoot(page, f"sign-in-of-{username}-failed", full_page=False)
        raise AssertionError(f"{username}'s sign-in ended at {page.url} ({shot}), not at the dashboard: "
                             f"{page.locator('main').inner_text()[:300]!r}") from exc


def shoot(page, name, full_page=True):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
