"""The Content-Security-Policy blocks nothing the app itself needs: the citizen's survey with its
script, the results page with its inline SVG charts, an instrument preview, and the inspector's
app with its service worker and a photo preview. Chromium reports every blocked script, style,
image or worker as a `securitypolicyviolation` event, which these pages record."""
from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_inspect_offline import (  # noqa: F401
    FAILED, PASSWORD, assignment, open_app, photo, tablet, wait_until)

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def watched(context):
    context.add_init_script(RECORD_VIOLATIONS)
    return context


def test_the_policy_is_sent(browser, live_server, station):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(f"{live_server}/s/{station['TRN-Q01']}")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    context.close()


def test_survey_page_and_its_script(browser, live_server, station):
    context = watched(browser.new_context(viewport={"width": 360, "height": 740}))
    page = context.new_page()
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang=fa")
    page.check("input[name=overall][value='4']")
    page.click("button[type=submit]")  # errors for the unanswered required items, drawn by the page
    page.wait_for_load_state()
    assert violations(page) == []
    context.close()


def test_results_charts_and_instrument_preview(browser, live_server, runner, make_user):
    assert runner.invoke(args=["demo", "--responses", "300", "--instrument", "TRN-Q01", "--seed", "2"]).exit_code == 0
    make_user("nahid", "researcher", PASSWORD)
    context = watched(browser.new_context(viewport={"width": 1280, "height": 800}))
    page = context.new_page()
    log_in(page, live_server, "nahid", PASSWORD)
    page.goto(f"{live_server}/results/TRN-Q01")
    assert page.locator(".chart svg").count() == 3
    page.goto(f"{live_server}/instruments/TRN-Q01?show=fa")
    assert page.locator(".preview").count() == 1
    assert violations(page) == []
    context.close()


def test_inspector_app_service_worker_and_photo_preview(browser, live_server, assignment, photo):  # noqa: F811
    context = watched(tablet(browser))
    page = open_app(context, live_server)
    assert violations(page) == []
    page.click("a[data-assignment-form]")
    page.wait_for_selector("form[data-inspection-form]")
    page.check(f"input[name='item-{FAILED}-result'][value='fail']")
    page.click(f"#item-{FAILED} summary")
    page.set_input_files(f"input[name='item-{FAILED}-photo']", str(photo))
    wait_until(page, "[...document.images].some(i => i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0)")
    assert violations(page) == []
    context.close()
