"""The web shell in a real browser: direction, the self-hosted font, and phone and tablet layouts."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SIZES = {"phone": (360, 740), "narrow-phone": (320, 640), "tablet": (768, 1024)}


@pytest.mark.parametrize("lang, direction", [("fa", "rtl"), ("ar", "rtl"), ("en", "ltr")])
@pytest.mark.parametrize("size", SIZES)
def test_home_page_layout(browser, live_server, screenshot_dir, lang, direction, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server}/?lang={lang}")
    page.evaluate("document.fonts.ready")

    assert page.evaluate("document.documentElement.dir") == direction
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    assert page.evaluate("document.fonts.check('16px \"Surveyor Sans\"', 'سلام')")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Surveyor Sans') && f.status === 'loaded')")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no horizontal scrolling"
    assert page.locator("text=TRN-Q01").count() == 1
    assert all(url.startswith(live_server) for url in requests), "every asset comes from the app"
    # The language switch and staff login are reachable with a finger: at least 44 px tall.
    assert page.locator(".languages a").first.bounding_box()["height"] >= 44
    page.screenshot(path=str(screenshot_dir / f"home-{lang}-{size}.png"), full_page=True)
    context.close()


def test_login_page_works_without_javascript(browser, live_server, make_user, screenshot_dir):
    make_user("nasrin", "researcher", "a strong pass phrase")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server}/login?lang=fa")
    page.fill("#username", "nasrin")
    page.fill("#password", "a strong pass phrase")
    page.screenshot(path=str(screenshot_dir / "login-fa-phone.png"))
    with page.expect_navigation():
        page.click("#submit")
    page.wait_for_load_state()
    assert page.url == f"{live_server}/home"  # login lands on the role's home
    assert page.locator("text=nasrin").count() == 1
    context.close()
