"""A citizen scans the link on a phone and answers: with and without JavaScript, in fa, ar and en."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from surveyor.models import Response

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def axe_script() -> str:
    import axe_playwright_python
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def answer(page, lang):
    page.check("input[name=overall][value='4']")
    page.check("input[name=headway][value='2']")
    page.check("input[name=punctuality][value='dk']")
    page.fill("input[name=wait_minutes]", "۱۲" if lang == "fa" else "12")
    page.check("input[name=recommend][value='9']")
    page.fill("textarea[name=comment]", {"fa": "ایستگاه تمیز بود", "ar": "كانت المحطة نظيفة", "en": "Clean"}[lang])


def responses(db):
    db.session.expire_all()
    return list(db.session.scalars(select(Response)))


@pytest.mark.parametrize("lang, direction, thanks", [
    ("fa", "rtl", "از وقتی که گذاشتید سپاسگزاریم"),
    ("ar", "rtl", "شكرًا لوقتك"),
    ("en", "ltr", "Thank you for your time"),
])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_scan_answer_submit(browser, live_server, station, db, screenshot_dir, lang, direction, thanks, javascript):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang={lang}")
    assert page.evaluate("document.documentElement.dir") == direction
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    answer(page, lang)
    if javascript:
        page.screenshot(path=str(screenshot_dir / f"survey-{lang}-phone.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    assert thanks in page.content()
    stored = responses(db)
    assert len(stored) == 1 and stored[0].language == lang
    assert {a.item_code: a.value for a in stored[0].answers}["wait_minutes"] == 12
    context.close()


def test_errors_appear_next_to_the_question_and_answers_are_kept(browser, live_server, station, db):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang=fa")
    page.check("input[name=headway][value='3']")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    error = page.locator("#overall-error")
    assert error.inner_text() == "لطفاً به این پرسش پاسخ دهید."
    assert page.locator("input[name=headway][value='3']").is_checked()
    page.check("input[name=overall][value='5']")
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    assert "سپاسگزاریم" in page.content()
    assert len(responses(db)) == 1
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_double_submit_stores_one_response(browser, live_server, station, db, javascript):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang=en")
    answer(page, "en")
    page.dblclick("button[type=submit]")
    page.wait_for_url("**/thanks**")
    assert "Thank you" in page.content()
    assert len(responses(db)) == 1
    context.close()


def test_a_retry_of_the_same_post_stores_one_response(browser, live_server, station, db):
    """A phone that loses the answer to its POST sends the same form again."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang=fa")
    answer(page, "fa")
    form = page.evaluate("Object.fromEntries(new FormData(document.querySelector('form')))")
    url = page.evaluate("document.querySelector('form').action")
    first = context.request.post(url, form=form, max_redirects=0)
    again = context.request.post(url, form=form, max_redirects=0)
    assert first.status == again.status == 303
    assert first.headers["location"] == again.headers["location"]
    assert len(responses(db)) == 1
    context.close()


def test_answers_survive_a_reload_with_javascript(browser, live_server, station, db):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang=fa")
    page.check("input[name=overall][value='2']")
    page.fill("textarea[name=comment]", "پیش‌نویس")
    page.reload()
    assert page.locator("input[name=overall][value='2']").is_checked()
    assert page.locator("textarea[name=comment]").input_value() == "پیش‌نویس"
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    assert len(responses(db)) == 1
    context.close()


@pytest.mark.parametrize("lang", ["fa", "ar", "en"])
def test_no_serious_accessibility_violations(browser, live_server, station, lang):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang={lang}")
    page.click("button[type=submit]")  # the page with error messages too
    page.evaluate(axe_script())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    context.close()


def test_page_weight_first_and_repeat_visit(browser, live_server, station):
    """First visit under 150 KB including the font; a repeat visit under 20 KB."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))

    def transferred():
        total = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished)
        finished.clear()
        return total

    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang=fa")
    page.evaluate("document.fonts.ready")
    first = transferred()
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang=fa")
    page.evaluate("document.fonts.ready")
    repeat = transferred()
    print(f"survey page weight: first visit {first} bytes, repeat visit {repeat} bytes")
    assert first < 150_000, first
    assert repeat < 20_000, repeat
    context.close()
