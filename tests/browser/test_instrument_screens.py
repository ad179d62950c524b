"""Instruments as staff read them: three questionnaires (one per language) and a checklist."""
from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_page(browser, live_server, make_user):
    make_user("reader", "researcher", "a strong pass phrase")
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    log_in(page, live_server, "reader", "a strong pass phrase")
    yield page
    context.close()


@pytest.mark.parametrize("code, show, direction, expected", [
    ("SRV-Q04", "fa", "rtl", "روی‌هم‌رفته"),
    ("CUL-Q04", "ar", "rtl", "بشكل عام"),
    ("CIV-Q01", "en", "ltr", "Overall"),
    ("SRV-C01", "fa", "rtl", "بحرانی"),
])
def test_instrument_page(staff_page, live_server, screenshot_dir, code, show, direction, expected):
    staff_page.goto(f"{live_server}/instruments/{code}?show={show}&lang=fa")
    preview = staff_page.locator(".preview")
    assert preview.get_attribute("dir") == direction
    assert expected in preview.inner_text()
    assert staff_page.evaluate("document.documentElement.scrollWidth") <= 768
    staff_page.screenshot(path=str(screenshot_dir / f"instrument-{code}-{show}.png"), full_page=True)
