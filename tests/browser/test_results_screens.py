"""The questionnaire results page as research staff see it, in Persian and English, on a laptop."""
from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang, direction", [("fa", "rtl"), ("en", "ltr")])
def test_results_page(browser, live_server, runner, make_user, screenshot_dir, lang, direction):
    assert runner.invoke(args=["demo", "--responses", "800", "--instrument", "TRN-Q01", "--seed", "2"]).exit_code == 0
    make_user("nahid", "researcher", "a strong pass phrase")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, live_server, "nahid", "a strong pass phrase", lang=lang)
    page.goto(f"{live_server}/results/TRN-Q01")
    assert page.evaluate("document.documentElement.dir") == direction
    assert page.locator(".chart svg").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(screenshot_dir / f"results-TRN-Q01-{lang}.png"), full_page=True)
    context.close()


def test_checklist_results_page_on_a_phone(browser, live_server, runner, make_user, screenshot_dir):
    """The long tables scroll inside their cards; the page itself never scrolls sideways (the
    actions table's hidden labels once pushed it 160 px wide in right-to-left)."""
    assert runner.invoke(args=["demo", "--responses", "0", "--inspections", "300", "--instrument", "SRV-C01",
                               "--seed", "3"]).exit_code == 0
    make_user("nahid", "researcher", "a strong pass phrase")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, live_server, "nahid", "a strong pass phrase")
    page.goto(f"{live_server}/results/SRV-C01")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator(".chart svg").count() == 1
    assert page.locator(".actions-table tbody tr").count() == 25
    page.screenshot(path=str(screenshot_dir / "results-SRV-C01-fa-phone.png"), full_page=True)
    context.close()
