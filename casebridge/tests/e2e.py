"""What every browser test shares: the demo server, Chromium, and signing in with a real second factor.

The server and the browser are started once per session (conftest.py): building the demo world is most
of a browser test's cost, and every browser test reads the same world.
"""

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
    and one step of drift, so the next step's code is good at once; only a third sign-in in one step waits."""
    now = int(time.time() // 30)
    target = max(now, _USED.get(username, -1) + 1)
    if target > now + 1:
        time.sleep(30 - time.time() % 30 + 0.5)
        now = int(time.time() // 30)
    _USED[username] = target
    return f"{totp(b32decode(DEMO_TOTP_BASE32), drift=target - now):06d}"


def sign_in(page, server, username):
    code = fresh_code(username)
    page.goto(f"{server}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/second-factor/$"))
    page.get_by_label("Six-digit code").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{server}/")


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
