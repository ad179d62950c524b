"""Defect 7 of issue 11: every comment can be read, page by page without JavaScript, each with
its date (Jalali; Persian digits in Persian), district, service point and overall score."""
from __future__ import annotations

import html
import re

import jdatetime
import pytest
from sqlalchemy import select

from surveyor.models import Instrument, ServicePoint
from surveyor.results.data import Filters, load_responses


@pytest.fixture
def researcher(signed_in, loaded, runner):
    assert runner.invoke(args=["demo", "--responses", "1500", "--instrument", "TRN-Q01", "--seed", "21"]).exit_code == 0
    return signed_in


def _items(body: str) -> list[str]:
    section = body[body.index('id="comments"'):]
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", item))).strip()
            for item in re.findall(r"<li>(.*?)</li>", section, re.S)]


def test_every_comment_is_shown_page_by_page_with_where_and_how_satisfied(researcher, loaded):
    metro = loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    frame, districts, _flagged = load_responses(loaded.session, metro.id, Filters())
    written = frame[frame["comment"].notna()]
    assert len(written) > 100  # more than the old cap of the newest 100
    url, seen = "/results/TRN-Q01?lang=en&district=", []
    while url:
        body = researcher.get(url).get_data(as_text=True)
        seen += _items(body)
        following = re.search(r'<a class="button button-secondary" rel="next" href="([^"]+)"', body)
        url = html.unescape(following.group(1)) if following else None
    assert len(seen) == len(written)
    points = {p.id: p for p in loaded.session.scalars(select(ServicePoint))}
    newest = written.sort_values("_submitted_at", ascending=False, kind="stable").iloc[0]
    point = points[newest["_service_point_id"]]
    day = jdatetime.date.fromgregorian(date=newest["_submitted_at"].tz_convert("Asia/Tehran").date())
    first = seen[0]
    assert first.startswith(newest["comment"])
    assert f"District {point.district}" in first and point.name_en in first
    assert f"overall satisfaction {int(newest['overall'])}" in first
    assert f"{day.year}/{day.month:02d}/{day.day:02d}" in first

    persian = _items(researcher.get("/results/TRN-Q01?lang=fa").get_data(as_text=True))[0]
    assert point.name_fa in persian and re.search("[۰-۹]{4}", persian) and not re.search("[0-9]", persian)


def test_a_page_past_the_last_shows_the_last(researcher):
    body = researcher.get("/results/TRN-Q01?lang=en&page=999").get_data(as_text=True)
    assert re.search(r"page (\d+) of \1\.", body)
    assert researcher.get("/results/TRN-Q01?lang=en&page=abc").status_code == 200
