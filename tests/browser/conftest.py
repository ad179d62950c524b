"""Real-browser fixtures: the app served on a local port and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import pytest

from surveyor.config import PROJECT_ROOT
from tests.browser.chromium import shared_browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    return shared_browser()


@pytest.fixture
def screenshot_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def log_in(page, live_server, username, password, lang="fa"):
    """Sign in through the login form and wait until the page after it has loaded.

    Clicking submit only starts the navigation: a check or a `goto` right after the click races
    the POST and its redirect, so wait for the new page before going on.
    """
    page.goto(f"{live_server}/login?lang={lang}")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("#submit")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"login as {username} failed"


def log_out(page):
    """Tap "Log out" in the header and wait for the page after it: on the inspector's pages the
    logout is sent by a script (inspect-logout.js), which then opens the home page."""
    with page.expect_navigation():
        page.click("form[data-logout] button[type=submit]")
    page.wait_for_load_state()
