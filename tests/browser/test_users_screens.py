"""The users and teams pages in a real browser, in Persian, on a tablet: an administrator creates
a user, reads the one-time password, and adds an inspector to a supervisor's team, with no
JavaScript of ours involved (plain forms)."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
TABLET = {"width": 820, "height": 1180}


@pytest.mark.parametrize("javascript", [True, False])
def test_users_page_on_a_tablet_in_persian(browser, live_server, db, make_user, screenshot_dir, javascript):
    make_user("root", "admin", "a strong pass phrase")
    sara = make_user("sara", "supervisor", "a strong pass phrase")
    make_user("reza", "inspector", "a strong pass phrase")
    make_user("nahid", "researcher", "a strong pass phrase")
    context = browser.new_context(viewport=TABLET, java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, live_server, "root", "a strong pass phrase", lang="fa")
    with page.expect_navigation():
        page.click("text=کاربران و تیم‌ها")
    page.wait_for_load_state()
    assert page.url.endswith("/admin/users")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.fill("#username", "omid")
    page.select_option("#role", "inspector")
    with page.expect_navigation():
        page.click("#submit")
    password = page.locator("[data-one-time-password]").inner_text()
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", password)
    page.goto(f"{live_server}/admin/users/{sara.id}")
    page.select_option("#inspector", label="reza")
    with page.expect_navigation():
        page.click("#team input[type=submit]")
    assert "reza به تیم پیوست." in page.inner_text("main")
    if javascript:
        page.screenshot(path=str(screenshot_dir / "admin-team-fa-tablet.png"), full_page=True)
        page.goto(f"{live_server}/admin/audit")
        page.screenshot(path=str(screenshot_dir / "admin-audit-fa-tablet.png"), full_page=True)
    page.goto(f"{live_server}/admin/users")
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    assert password not in page.content()
    if javascript:
        page.screenshot(path=str(screenshot_dir / "admin-users-fa-tablet.png"), full_page=True)
    context.close()
