"""Pentest finding H1: survey results could be stuffed with unlimited, unflagged responses.

The tester fetched a page per User-Agent from one address, waited 25 s (past the speeder check)
and posted: 30 of 30 stored, none flagged. These tests replay that attack as a script against the
documented bounds (README, "Survey abuse model"): from one address, whatever User-Agents it
sends, at most 10 responses an hour and 30 a day through one link count in results; the rest are
stored, flagged and left out of results, and a researcher lists the bursts with
``surveyor responses bursts``. They also check the reverse: pilgrims sharing one hotel address
and one phone model are all stored, none refused. Time passes by the ``clock`` fixture, not sleep.
"""
from __future__ import annotations

import re
import time

from sqlalchemy import select

from surveyor.models import RateCounter, Response
from tests.conftest import GOOD_ANSWERS, form_token
from tests.security.conftest import browser_at

ADDRESS_HOURLY, ADDRESS_DAILY, NETWORK_HOURLY = 10, 30, 30  # the documented defaults


def start_of_next_utc_day(clock) -> None:
    """Counting days are UTC days: start the attack just after one begins, so it stays within it."""
    clock(hours=(86400 - time.time() % 86400 + 60) / 3600)


def start_of_next_utc_hour(clock) -> None:
    """Counting hours are clock hours: start just after one begins, so that an hour's test stays in it."""
    clock(hours=(3600 - time.time() % 3600 + 5) / 3600)


def submit(browser, url, user_agent, clock, minutes=2.0):
    """What the tester's script did: fetch a page, wait past the speeder check, post it."""
    headers = {"User-Agent": user_agent}
    page = browser.get(url, headers=headers)
    assert page.status_code == 200
    clock(minutes=minutes)
    return browser.post(url, data={**GOOD_ANSWERS, "form_token": form_token(page.get_data(as_text=True))},
                        headers=headers)


def stored(db):
    db.session.expire_all()
    return db.session.scalars(select(Response).order_by(Response.id)).all()


def counted_in_results(responses):
    return [r for r in responses if not r.is_flagged]


def test_rotating_user_agents_from_one_address_add_at_most_10_an_hour_and_30_a_day(app, db, station, clock):
    start_of_next_utc_day(clock)
    url = f"/s/{station['TRN-Q01']}?lang=en"
    attacker = browser_at(app, "203.0.113.7")
    statuses = [submit(attacker, url, f"Mozilla/5.0 (Linux; Android 14; phone {n})", clock).status_code
                for n in range(150)]  # 30 an hour for 5 hours
    responses = stored(db)
    unflagged = counted_in_results(responses)
    assert statuses.count(303) == len(responses) == 150  # under the ceiling nothing is refused...
    # ...but only the first 10 of each hour and the first 30 of the day count in results
    assert ADDRESS_HOURLY <= len(unflagged) <= ADDRESS_DAILY
    per_hour = {}
    for response in unflagged:
        per_hour.setdefault(response.submitted_at.replace(minute=0, second=0, microsecond=0), []).append(response)
    assert max(len(hour) for hour in per_hour.values()) <= ADDRESS_HOURLY
    assert all("address_burst" in r.quality_flags for r in responses if r.is_flagged)


def test_an_ipv6_attacker_rotating_addresses_within_a_64_counts_as_one_address(app, db, station, clock):
    start_of_next_utc_hour(clock)
    url = f"/s/{station['TRN-Q01']}?lang=en"
    for n in range(25):
        submit(browser_at(app, f"2001:db8:5:7::{n + 1:x}"), url, f"phone {n}", clock, minutes=0.5)
    assert len(counted_in_results(stored(db))) <= ADDRESS_HOURLY


def test_rotating_addresses_within_a_24_add_at_most_30_an_hour(app, db, station, clock):
    start_of_next_utc_hour(clock)
    url = f"/s/{station['TRN-Q01']}?lang=en"
    for n in range(60):  # 60 addresses of one /24 in half an hour, one response each
        submit(browser_at(app, f"198.51.100.{n + 1}"), url, "same phone", clock, minutes=0.5)
    responses = stored(db)
    assert len(responses) == 60
    assert len(counted_in_results(responses)) <= NETWORK_HOURLY
    assert sum("network_burst" in r.quality_flags for r in responses) == 60 - NETWORK_HOURLY


def test_a_hotel_full_of_pilgrims_with_one_phone_model_is_stored_not_refused(app, db, station, clock):
    """50 people on one Wi-Fi address, same phone and browser, within an hour: before, the
    shared device counter refused the 21st. Now all are stored, none refused (refusal starts only
    past 120 an hour from one address); those beyond 10 are flagged for a researcher to review."""
    start_of_next_utc_hour(clock)
    url = f"/s/{station['TRN-Q01']}?lang=ar"
    phone = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
    statuses = [submit(browser_at(app, "192.0.2.50"), url, phone, clock, minutes=1).status_code for _ in range(50)]
    assert statuses == [303] * 50
    responses = stored(db)
    assert len(responses) == 50
    assert sum("address_burst" in r.quality_flags for r in responses) == 50 - ADDRESS_HOURLY
    # the researcher's review: the burst is listed, with how many were flagged
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["responses", "bursts"])
    assert listing.exit_code == 0, listing.output
    lines = [line for line in listing.output.splitlines() if "MET-01  TRN-Q01" in line]
    assert sum(int(n) for line in lines for n in re.findall(r"address_burst (\d+)", line)) == 40
    assert sum(int(n) for line in lines for n in re.findall(r"(\d+) response", line)) == 50


def test_a_hotel_full_of_pilgrims_with_different_phones_keeps_10_an_hour_in_results(app, db, station, clock):
    start_of_next_utc_hour(clock)
    url = f"/s/{station['TRN-Q01']}?lang=ar"
    for n in range(50):
        assert submit(browser_at(app, "192.0.2.51"), url, f"phone model {n}", clock, minutes=1).status_code == 303
    assert len(counted_in_results(stored(db))) == ADDRESS_HOURLY


def test_past_the_ceiling_a_submission_is_refused_in_its_language_with_its_answers_kept(app, db, station, clock):
    app.config["SURVEY_ADDRESS_CEILING"] = "3 per hour"
    url = f"/s/{station['TRN-Q01']}?lang=fa"
    browser = browser_at(app, "192.0.2.60")
    assert [submit(browser, url, "phone", clock, minutes=0.5).status_code for _ in range(3)] == [303] * 3
    refused = submit(browser, url, "phone", clock, minutes=0.5)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "پاسخ‌های شما در زیر نگه داشته شده" in body  # Persian, the page's language
    assert "قطارها &lt;b&gt;شلوغ&lt;/b&gt; است" in body  # the comment is still in the form
    assert len(stored(db)) == 3
    clock(hours=1)  # the next hour: the same page, sent again, is taken
    again = browser.post(url, data={**GOOD_ANSWERS, "form_token": form_token(body)})
    assert again.status_code == 303 and len(stored(db)) == 4


def test_page_tokens_expire_and_minting_is_limited_per_address(app, db, station, clock):
    url = f"/s/{station['TRN-Q01']}?lang=en"
    browser = browser_at(app, "192.0.2.70")
    old = submit(browser, url, "phone", lambda **kw: clock(hours=7))  # default lifetime: 6 hours
    assert old.status_code == 400 and "This page was open for a long time" in old.get_data(as_text=True)
    assert "قطارها" in old.get_data(as_text=True) and stored(db) == []
    resent = browser.post(url, data={**GOOD_ANSWERS, "form_token": form_token(old.get_data(as_text=True))})
    assert resent.status_code == 303
    app.config["SURVEY_PAGE_LIMIT"] = "5 per hour"
    clock(hours=1)
    assert [browser.get(url).status_code for _ in range(6)] == [200] * 5 + [429]
    assert browser_at(app, "192.0.2.71").get(url).status_code == 200  # another address is not affected


def test_counters_hold_no_address_and_last_only_their_window(app, db, station, clock):
    submit(browser_at(app, "203.0.113.9"), f"/s/{station['TRN-Q01']}", "phone", clock)
    keys = db.session.scalars(select(RateCounter.key)).all()
    assert keys and all(len(key) == 32 and "203.0.113" not in key for key in keys)
    clock(hours=25)  # every window has ended; the next request sweeps them
    browser_at(app, "203.0.113.10").get(f"/s/{station['TRN-Q01']}")
    db.session.expire_all()
    assert len(db.session.scalars(select(RateCounter)).all()) == 1  # only the new page's counter
