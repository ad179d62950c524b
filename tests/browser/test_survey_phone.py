"""The citizen survey on a 360 x 740 phone, in fa, ar and en (issue 14, "What a phone user met"):
the 0-10 scale on one row in reading order with both ends named, answer labels of at least
16 px that stay in their boxes, errors that take the citizen to the question (with JavaScript
and without), the phone's language, and Back-and-resubmit."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from surveyor.models import Response
from tests.browser.test_survey_browser import answer

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
LANGS = ["fa", "ar", "en"]


def phone(browser, javascript=True, locale=None):
    options = {"viewport": PHONE, "java_script_enabled": javascript, "is_mobile": True, "has_touch": True}
    if locale:
        options["locale"] = locale
    context = browser.new_context(**options)
    return context, context.new_page()


def boxes(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(e => { const r = e.getBoundingClientRect();"
                                               " return {x: r.x, y: r.y, w: r.width, h: r.height}; })")


@pytest.mark.parametrize("lang", LANGS)
def test_the_0_10_scale_is_one_row_in_reading_order_with_both_ends_named(browser, live_server, station,
                                                                        screenshot_dir, lang):
    context, page = phone(browser)
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang={lang}")
    scale = "fieldset:has(input[name=recommend]) .option:not(.option-dk)"
    cells = boxes(page, scale)
    assert len(cells) == 11
    assert len({round(c["y"]) for c in cells}) == 1, "0 to 10 on one row"
    xs = [c["x"] for c in cells]
    # 0 at the start of the reading direction: the right in Persian and Arabic, the left in English
    assert xs == (sorted(xs, reverse=True) if lang in ("fa", "ar") else sorted(xs))
    for cell in cells:
        assert cell["h"] >= 44 and cell["w"] >= 24, cell  # touch targets (WCAG 2.5.8)
        assert cell["x"] >= 0 and cell["x"] + cell["w"] <= PHONE["width"]
    anchors = page.locator("fieldset:has(input[name=recommend]) .anchors span")
    assert anchors.count() == 2
    low, high = boxes(page, "fieldset:has(input[name=recommend]) .anchors span")
    # each word sits at its own end of the row
    assert (low["x"] > high["x"]) == (lang in ("fa", "ar"))
    page.locator("fieldset:has(input[name=recommend])").screenshot(path=str(screenshot_dir / f"scale-{lang}.png"))
    # a tap on a number chooses it
    page.locator(scale).nth(7).tap()
    assert page.locator("input[name=recommend][value='7']").is_checked()
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_answer_labels_are_at_least_16px_and_stay_in_their_boxes(browser, live_server, station, screenshot_dir, lang):
    context, page = phone(browser)
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang={lang}")
    page.screenshot(path=str(screenshot_dir / f"survey-phone-{lang}.png"), full_page=True)
    sizes = page.eval_on_selector_all(".option", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 16, min(sizes)
    spilling = page.eval_on_selector_all(".option", """els => els.filter(e => {
        const box = e.getBoundingClientRect();
        return [...e.querySelectorAll('span')].some(s => { const r = s.getBoundingClientRect();
            return r.left < box.left - 0.5 || r.right > box.right + 0.5 || s.scrollWidth > s.clientWidth + 1; });
    }).map(e => e.textContent.trim())""")
    assert spilling == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def _first_error_in_view(page):
    return page.evaluate("""() => { const q = document.querySelector('.question.has-error');
        const r = q.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }""")


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_a_refused_page_opens_at_a_summary_linking_each_error(browser, live_server, station,
                                                                                 screenshot_dir, lang):
    context, page = phone(browser, javascript=False)
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang={lang}")
    # the first question left unanswered, letters in the minutes, the rest answered
    page.check("input[name=headway][value='2']")
    page.check("input[name=recommend][value='9']")
    page.fill("input[name=wait_minutes]", "abc")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(screenshot_dir / f"survey-errors-nojs-{lang}.png"))
    assert page.url.endswith("#error-summary")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    links = summary.locator("a")
    assert links.count() >= 1
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "#wait_minutes" in targets
    for target in targets:
        assert page.locator(target).count() == 1, target
    # the summary is what the citizen sees first, then a link takes them to the question
    assert page.evaluate("document.querySelector('#error-summary').getBoundingClientRect().top") < PHONE["height"]
    links.first.click()
    assert _first_error_in_view(page)
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_with_javascript_errors_are_found_before_sending_and_focus_moves_there(browser, live_server, station,
                                                                               db, lang):
    context, page = phone(browser)
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang={lang}")
    answer(page, lang)
    page.fill("input[name=wait_minutes]", "")
    sent = []
    page.on("request", lambda request: sent.append(request.method))
    page.evaluate("document.querySelector('input[name=overall]:checked') && "
                  "(document.querySelector('input[name=overall]:checked').checked = false)")
    page.click("button[type=submit]")
    assert "POST" not in sent
    focused = page.evaluate("document.activeElement.name || document.activeElement.id")
    assert focused in ("overall", "error-summary")
    assert _first_error_in_view(page)
    assert page.locator("#error-summary a").count() >= 1
    page.check("input[name=overall][value='5']")
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    db.session.expire_all()
    assert len(db.session.scalars(select(Response)).all()) == 1
    context.close()


@pytest.mark.parametrize("locale, lang", [("ar-SA", "ar"), ("en-US", "en"), ("fa-IR", "fa"), ("de-DE", "fa")])
def test_the_phones_language_opens_the_survey(browser, live_server, station, locale, lang):
    context, page = phone(browser, locale=locale)
    page.goto(f"{live_server}/s/{station['TRN-Q01']}")
    assert page.evaluate("document.documentElement.lang") == lang
    with page.expect_navigation():  # the switch wins
        page.click(f"a[hreflang={'en' if lang != 'en' else 'fa'}]")
    assert page.evaluate("document.documentElement.lang") == ("en" if lang != "en" else "fa")
    context.close()


@pytest.mark.parametrize("lang, said", [("fa", "پاسخ‌های شما پیش‌تر رسیده بود"), ("ar", "وصلتنا إجاباتك من قبل"),
                                        ("en", "Your answers were already received")])
def test_back_change_and_send_again_says_the_first_answers_were_kept(browser, live_server, station, db,
                                                                     screenshot_dir, lang, said):
    """With JavaScript, Back shows the page with the token it was sent with (survey.js keeps it
    until the page is sent), so the server recognises the page and keeps the first answers."""
    context, page = phone(browser)
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang={lang}")
    answer(page, lang)
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    page.go_back()
    page.wait_for_load_state()
    page.check("input[name=overall][value='1']")
    page.check("input[name=recommend][value='0']")
    page.fill("textarea[name=comment]", "changed")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert said in page.content()
    page.screenshot(path=str(screenshot_dir / f"survey-already-received-{lang}.png"))
    db.session.expire_all()
    [response] = db.session.scalars(select(Response)).all()
    answers = {a.item_code: a.value for a in response.answers}
    assert answers["overall"] == 4 and answers["recommend"] == 9 and answers["comment"] != "changed"
    context.close()


def test_without_javascript_back_opens_a_new_page_whose_answers_are_flagged_as_a_repeat(browser, live_server,
                                                                                         station, db):
    """Without JavaScript, Back loads a new page (survey pages are never stored by the browser),
    with a new token: the server cannot tell this phone from another of the same model on the
    same network (a hotel's pilgrims), so the second answers are stored, flagged
    ``repeat_device`` for staff to review, and left out of results (README, "Survey abuse model")."""
    context, page = phone(browser, javascript=False)
    page.goto(f"{live_server}/s/{station['TRN-Q01']}?lang=fa")
    answer(page, "fa")
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    page.go_back()
    page.wait_for_load_state()
    page.check("input[name=overall][value='1']")
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    db.session.expire_all()
    first, second = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert "repeat_device" not in first.quality_flags
    assert "repeat_device" in second.quality_flags and second.is_flagged
    context.close()


def test_a_page_kept_in_the_browser_is_forgotten_once_the_server_would_no_longer_take_it(browser, live_server,
                                                                                          station, db):
    """survey.js keeps the page's token for Back; a visit after the page's lifetime (6 hours)
    starts a new page, so that an answer sent yesterday does not make today's "already received"."""
    context, page = phone(browser)
    url = f"{live_server}/s/{station['TRN-Q01']}?lang=en"
    page.goto(url)
    answer(page, "en")
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    page.goto(url)
    kept = page.evaluate("document.querySelector('input[name=form_token]').value")
    page.evaluate("""() => { const key = Object.keys(localStorage)[0]; const saved = JSON.parse(localStorage[key]);
        saved.opened -= 7 * 3600 * 1000; localStorage[key] = JSON.stringify(saved); }""")
    page.reload()
    assert page.evaluate("document.querySelector('input[name=form_token]').value") != kept
    answer(page, "en")
    page.check("input[name=overall][value='2']")
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks**")
    db.session.expire_all()
    assert len(db.session.scalars(select(Response)).all()) == 2
    context.close()
