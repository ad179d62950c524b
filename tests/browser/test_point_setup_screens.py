"""The service point's setup pages in a real browser without JavaScript, in Persian, on a phone and
on a small laptop: the collection form shows the saved window, retiring a link and detaching an
instrument ask first (plain forms), and the preview opens the citizen's page and stores nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveyor.models import Response, ServicePoint, SurveyLink
from surveyor.formatting import parse_jalali_date
from surveyor.service_points.windows import set_window
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
SIZES = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1024, "height": 768}}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_point_setup_pages_in_persian_without_javascript(browser, live_server, db, station, make_user,
                                                         screenshot_dir, size):
    make_user("root", "admin", "a strong pass phrase")
    point = db.session.scalar(select(ServicePoint))
    metro = db.session.scalar(select(SurveyLink).where(SurveyLink.token == station["TRN-Q01"])).instrument
    set_window(db.session, metro.id, True, point.id, parse_jalali_date("1405/09/01"), parse_jalali_date("1405/12/29"))
    db.session.commit()
    viewport = SIZES[size]
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "root", "a strong pass phrase", lang="fa")

    def shot(name):
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
        page.screenshot(path=str(screenshot_dir / f"setup-{name}-fa-{size}.png"), full_page=True)

    page.goto(f"{live_server}/admin/points/{point.id}")
    shot("point")
    page.goto(f"{live_server}/admin/points/{point.id}/edit")
    shot("point-form")
    page.goto(f"{live_server}/admin/collection/TRN-Q01?point={point.id}")
    assert page.input_value("#opens_on") == "۱۴۰۵/۰۹/۰۱" and page.input_value("#closes_on") == "۱۴۰۵/۱۲/۲۹"
    assert page.is_checked("input[name=state][value=open]")
    shot("collection")

    page.goto(f"{live_server}/admin/points/{point.id}")
    with page.expect_navigation():
        page.click("a[href$='/links/SRV-Q04/reissue']")
    shot("confirm-reissue")
    with page.expect_navigation():
        page.click("button[name=confirm]")
    db.session.expire_all()
    assert db.session.scalar(select(SurveyLink).where(SurveyLink.token == station["SRV-Q04"])).retired_at

    page.goto(f"{live_server}/admin/points/{point.id}")
    with page.expect_navigation():
        page.click("a[href*='/s/'][href*='/preview'][lang=fa] >> nth=0")
    assert page.locator(".preview-banner").count() == 1
    shot("preview")
    with page.expect_navigation():
        page.click("button[type=submit].button-wide")
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    page.goto(f"{live_server}/admin/points/{point.id}")
    with page.expect_navigation():
        page.click("a[href*='/s/'][href*='/preview'][lang=ar] >> nth=0")
    assert page.evaluate("document.documentElement.lang") == "ar"
    shot("preview-ar")

    page.goto(f"{live_server}/admin/points/{point.id}/instruments/TRN-Q01/detach")
    shot("confirm-detach")
    with page.expect_navigation():
        page.click("text=انصراف")
    assert page.url.endswith(f"/admin/points/{point.id}")
    page.goto(f"{live_server}/admin/points/{point.id}/instruments/TRN-Q01/detach")
    with page.expect_navigation():
        page.click("button[name=confirm]")
    page.goto(f"{live_server}/s/{station['TRN-Q01']}")
    assert "دیگر اینجا به کار نمی‌رود" in page.content()
    shot("detached-link")
    context.close()
