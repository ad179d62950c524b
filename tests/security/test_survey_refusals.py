"""Issue 14: "after about 20 tries in an hour, counting submissions refused for validation
errors, they got a staff-style «خطا ۴۲۹» page". Answers refused for errors count towards no
limit of the abuse model (README, "Survey abuse model"); the limits still hold for answers that
are taken; and a citizen refused by a limit gets the survey in their language with their answers."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from surveyor.models import Response
from tests.conftest import GOOD_ANSWERS, form_token
from tests.security.conftest import browser_at
from tests.security.test_survey_stuffing import start_of_next_utc_hour

INVALID = {**GOOD_ANSWERS, "overall": "", "recommend": "11"}  # a required answer missing, one out of range


def stored(db):
    db.session.expire_all()
    return db.session.scalars(select(Response)).all()


def test_25_answers_refused_for_errors_then_the_corrected_one_is_taken_and_counts(app, db, station, clock):
    start_of_next_utc_hour(clock)
    app.config["SURVEY_ADDRESS_LIMIT"] = "3 per hour"  # low limits: 25 refusals would pass each of them
    app.config["SURVEY_ADDRESS_CEILING"] = "5 per hour"
    app.config["SURVEY_NETWORK_LIMIT"] = "3 per hour"
    url = f"/s/{station['TRN-Q01']}?lang=en"
    browser = browser_at(app, "198.51.100.7")
    token = form_token(browser.get(url).get_data(as_text=True))
    for attempt in range(25):
        refused = browser.post(url, data={**INVALID, "form_token": token})
        assert refused.status_code == 400, attempt
        body = refused.get_data(as_text=True)
        assert 'id="overall-error"' in body and "429" not in body
        token = form_token(body)
    clock(minutes=1)
    taken = browser.post(url, data={**GOOD_ANSWERS, "form_token": token})
    assert taken.status_code == 303
    [response] = stored(db)
    assert not response.is_flagged, response.quality_flags  # not an "address burst": the refusals did not count


def test_the_limits_still_hold_for_answers_that_are_taken(app, db, station, clock):
    start_of_next_utc_hour(clock)
    app.config["SURVEY_ADDRESS_CEILING"] = "3 per hour"
    url = f"/s/{station['TRN-Q01']}?lang=ar"
    browser = browser_at(app, "198.51.100.8")
    for _ in range(3):
        token = form_token(browser.get(url).get_data(as_text=True))
        for _ in range(5):  # errors first, every time: never counted
            assert browser.post(url, data={**INVALID, "form_token": token}).status_code == 400
        clock(minutes=1)
        assert browser.post(url, data={**GOOD_ANSWERS, "form_token": token}).status_code == 303
    token = form_token(browser.get(url).get_data(as_text=True))
    clock(minutes=1)
    refused = browser.post(url, data={**GOOD_ANSWERS, "form_token": token})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 429 and len(stored(db)) == 3
    assert '<html lang="ar"' in body and 'dir="rtl"' in body
    assert "خطا" not in body and "Error" not in body  # not the staff error page
    assert "قطارها &lt;b&gt;شلوغ&lt;/b&gt; است" in body  # the answers are still in the form
    assert re.search(r'<input checked[^>]*name="overall"[^>]*value="4"', body)


@pytest.mark.parametrize("lang", ["fa", "ar", "en"])
def test_a_refused_page_is_in_the_citizens_language_with_localized_digits(app, db, station, clock, lang):
    start_of_next_utc_hour(clock)
    app.config["SURVEY_ADDRESS_CEILING"] = "1 per hour"
    url = f"/s/{station['TRN-Q01']}?lang={lang}"
    browser = browser_at(app, "198.51.100.9")
    for expected in (303, 429):
        token = form_token(browser.get(url).get_data(as_text=True))
        clock(minutes=1)
        response = browser.post(url, data={**GOOD_ANSWERS, "form_token": token})
        assert response.status_code == expected
    body = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in body
    if lang != "en":
        assert "۴۲۹" not in body and "429" not in body
