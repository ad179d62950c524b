"""Each role's home in a real browser, in Persian, on a phone (360 × 740) and a small laptop
(1024 × 768): logging in lands on it, it holds its role's element, and nothing scrolls sideways
outside the tables' own scroll boxes. Screenshots go to test-artifacts/."""
from __future__ import annotations

import pytest

from surveyor.models import ROLES
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
SCREENS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1024, "height": 768}}
PASSWORD = "a strong pass phrase"


@pytest.fixture
def demo_city(loaded, runner):
    result = runner.invoke(args=["demo", "--responses", "60", "--instrument", "TRN-Q01", "--instrument", "SRV-Q04",
                                 "--inspections", "12", "--instrument", "SRV-C01"])
    assert result.exit_code == 0, result.output
    return loaded


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_on_its_home_on_a_phone_and_a_laptop(browser, live_server, demo_city, make_user,
                                                             screenshot_dir, role):
    make_user(f"{role}-home", role, PASSWORD)
    for name, viewport in SCREENS.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        log_in(page, live_server, f"{role}-home", PASSWORD, lang="fa")
        assert page.url == f"{live_server}/home"
        assert page.locator(f"[data-role-home='{role}']").is_visible()
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (role, name)
        page.screenshot(path=str(screenshot_dir / f"home-{role}-fa-{name}.png"), full_page=True)
        context.close()
