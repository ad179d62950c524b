"""The corrective actions list in Chromium, with scripts off (a server-rendered GET form): on a
phone and on a laptop the page never scrolls sideways, a search typed with Arabic letters
narrows the list, and the pages that follow keep it."""
from __future__ import annotations

import pytest

from surveyor.inspect.action_list import PER_PAGE
from tests.browser.conftest import log_in
from tests.inspect.test_action_list import city  # noqa: F401  (a fixture: 812 actions in two teams)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width, height", [(360, 740), (1024, 768)])
def test_the_list_without_scripts_on_a_phone_and_a_laptop(browser, live_server, city, screenshot_dir,  # noqa: F811
                                                           width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "sara", "a strong pass phrase")
    page.goto(f"{live_server}/inspect/actions?lang=fa")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("tr[data-action]").count() == PER_PAGE
    page.screenshot(path=str(screenshot_dir / f"actions-fa-{width}.png"))
    page.fill("#action-q", "تميزكاري")  # typed on an Arabic keyboard
    with page.expect_navigation():
        page.click(".action-search button[type=submit]")
    expected = sum(1 for a in city["actions"] if a["team"] == "sara" and a["status"] != "verified"
                   and "تمیزکاری" in a["description"])
    assert expected > PER_PAGE  # more than one page
    assert "q=" in page.url
    rows = page.locator("tr[data-action]").count()
    with page.expect_navigation():
        page.click("a[rel=next]")
    assert "q=" in page.url and "page=2" in page.url
    rows += page.locator("tr[data-action]").count()
    assert rows == min(expected, 2 * PER_PAGE)
    for cell in page.locator("tr[data-action] td:nth-child(2)").all_inner_texts():
        assert "تمیزکاری" in cell
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(screenshot_dir / f"actions-fa-{width}-search-page-2.png"), full_page=False)
    context.close()
