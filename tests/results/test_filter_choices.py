"""Defect 8 of issue 11, the filters: the point filter offers only the instrument's points, and a
filter that cannot be read shows its error and no figures (400), in every language."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from surveyor.models import Instrument, PointInstrument, ServicePoint


@pytest.fixture
def researcher(signed_in, loaded, runner):
    assert runner.invoke(args=["demo", "--responses", "300", "--instrument", "TRN-Q01", "--seed", "9"]).exit_code == 0
    return signed_in


def _offered(body: str) -> set[int]:
    select_ = re.search(r'<select name="point">(.*?)</select>', body, re.S).group(1)
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select_)}


def test_point_filter_offers_the_instruments_points_only(researcher, loaded):
    session = loaded.session
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    points = {p.code: p.id for p in session.scalars(select(ServicePoint))}
    assert len(points) >= 52
    stations = {i for code, i in points.items() if code.endswith("-MET")}
    assert _offered(researcher.get("/results/TRN-Q01?lang=en").get_data(as_text=True)) == stations
    # a point linked to the questionnaire is offered before it has answers
    session.add(PointInstrument(service_point_id=points["D01-PRK"], instrument_id=metro.id))
    session.commit()
    assert _offered(researcher.get("/results/TRN-Q01?lang=en").get_data(as_text=True)) == stations | {points["D01-PRK"]}


@pytest.mark.parametrize("lang,message", [("en", "Enter Jalali dates such as {}."),
                                          ("fa", "تاریخ‌ها را شمسی مانند {} وارد کنید."), ("ar", "أدخل")])
def test_an_unreadable_filter_shows_its_error_and_no_figures(app, researcher, lang, message):
    from surveyor.formatting import jalali_date, local_today
    response = researcher.get(f"/results/TRN-Q01?lang={lang}&from=1403/13/40")
    body = response.get_data(as_text=True)
    # The example is today's date in the page's digits, never a date years old.
    today = jalali_date(local_today(app.config["DISPLAY_TIMEZONE"]), lang)
    assert response.status_code == 400 and message.format(today) in body
    assert "<svg" not in body and 'class="card stat"' not in body and 'id="comments"' not in body
    assert "report.pdf" not in body  # no downloads for filters that cannot be read
    checklist = researcher.get(f"/results/SRV-C01?lang={lang}&district=99")
    assert checklist.status_code == 400 and "<svg" not in checklist.get_data(as_text=True)
