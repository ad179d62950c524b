"""Issue 11, defect 3: no figure from noise.

Before: a filter leaving 2 responses showed a mean of 4.50 with an interval of -1.85 to 10.85 on
a 1-5 scale; the manager summary said satisfaction went from 5.00 in one month to 4.00 in
another, one response each; the trend line joined two months across a 5-month gap; monthly
intervals went above the top of the scale. Now a figure, interval, test or change needs
``SURVEYOR_MIN_RESPONSES`` responses (30 by default), the page and the report say "too few
responses (n = 2)" instead, intervals are clipped to the scale, trend lines break at empty or
too-small months, and the manager summary states a change only when it is significant and
large enough.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from report_reading import fixed_text, key
from surveyor import charts, stats
from surveyor.demo.cli import insert_responses
from surveyor.demo.points import ensure_demo_points, points_for
from surveyor.models import Instrument
from surveyor.results.change import satisfaction_change
from surveyor.results.data import Filters, load_responses
from surveyor.results.questionnaire import questionnaire_results

TODAY = dt.date.today()


def _month_start(months_ago: int) -> dt.datetime:
    """Noon UTC in the middle of the Gregorian month ``months_ago`` before this one (always
    inside one Jalali month, which runs from about the 21st to the 20th)."""
    year, month = TODAY.year, TODAY.month - months_ago
    while month < 1:
        year, month = year - 1, month + 12
    return dt.datetime(year, month, 10, 12, tzinfo=dt.timezone.utc)


def _add(session, answers_by_month: dict[int, list[int]], district_points=None):
    """Responses to TRN-Q01 with only ``overall`` answered, ``{months_ago: [answers]}``."""
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    points = points_for("TRN-Q01", ensure_demo_points(session, np.random.default_rng(1)))
    rows = [{"point_id": points[i % len(points)][0], "submitted_at": _month_start(ago) + dt.timedelta(minutes=i),
             "duration": 90, "language": "fa", "flags": [], "answers": {"overall": value}}
            for ago, values in answers_by_month.items() for i, value in enumerate(values)]
    insert_responses(session, metro, rows)
    session.commit()
    return metro


def _results(session, metro, **kwargs):
    frame, districts, flagged = load_responses(session, metro.id, Filters())
    return questionnaire_results(frame, metro.latest.definition, flagged_excluded=flagged, districts=districts,
                                 **kwargs)


@pytest.mark.parametrize("lang, expected", [("en", "Too few responses (n = 2)"),
                                            ("fa", "(تعداد = ۲)"), ("ar", "(العدد = ٢)")])
def test_a_selection_of_two_responses_shows_too_few_not_a_mean(loaded, researcher, lang, expected):
    _add(loaded.session, {2: [4, 5]})
    page = researcher.get(f"/results/TRN-Q01?lang={lang}").get_data(as_text=True)
    assert expected in page
    too_few = re.search(r'<p class="empty too-few">([^<]+)</p>', page).group(1)
    assert not re.search("[A-Za-z]{3}", too_few) or lang == "en", too_few  # translated
    for figure in ("4.50", "۴٫۵۰", "٤٫٥٠", "10.85", "-1.85"):
        assert figure not in page


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_report_of_two_responses_says_too_few(loaded, researcher, pdf_tools, lang):
    _add(loaded.session, {2: [4, 5]})
    pdf = researcher.get(f"/results/TRN-Q01/report.pdf?report_lang={lang}").data
    text = pdf_tools.text(pdf)
    two = "2" if lang == "en" else "۲"
    assert key(fixed_text("questionnaire", "common", "too_few_responses", lang, n=two,
                          minimum="30" if lang == "en" else "۳۰")) in key(text)
    assert "4.50" not in text and "۴٫۵۰" not in text and "10.85" not in text
    # the methods section names the minimum and the change thresholds
    thirty, threshold = ("30", "0.20") if lang == "en" else ("۳۰", "۰٫۲۰")
    method = fixed_text("questionnaire", "methodology", "method_minimum", lang, minimum=thirty, threshold=threshold)
    assert key(method[:100]) in key(text) and key(method[-20:]) in key(text), method


def test_one_response_a_month_states_no_change_in_the_manager_summary(loaded, researcher, pdf_tools):
    metro = _add(loaded.session, {6: [5], 1: [4]})
    results = _results(loaded.session, metro)
    assert results.change is None and results.overall is None and results.too_few == 2
    pdf = researcher.get("/results/TRN-Q01/report.pdf?report_lang=en").data
    summary = pdf_tools.text(pdf, 2)
    assert "5.00" not in summary and "4.00" not in summary and "fell" not in summary


def test_the_manager_summary_states_a_change_only_when_significant_and_large():
    frame = pd.DataFrame({
        "overall": [3] * 20 + [4] * 20 + [4] * 20 + [5] * 20,
        "_submitted_at": [_month_start(6)] * 40 + [_month_start(1)] * 40,
    })
    months = stats.monthly_trend(frame, value="overall", date="_submitted_at", fill_gaps=False)
    rise = satisfaction_change(frame, value="overall", date="_submitted_at", trend=months, minimum=30,
                               scale_min=1, scale_max=5)
    assert rise.stated and rise.result.change == pytest.approx(1.0) and rise.threshold == pytest.approx(0.2)
    # 0.1 points on 1-5, significant with many answers, but smaller than 0.2: not stated
    many = pd.DataFrame({
        "overall": [3, 4] * 2000 + [3] * 1800 + [4] * 2200,
        "_submitted_at": [_month_start(6)] * 4000 + [_month_start(1)] * 4000,
    })
    months = stats.monthly_trend(many, value="overall", date="_submitted_at", fill_gaps=False)
    small = satisfaction_change(many, value="overall", date="_submitted_at", trend=months, minimum=30,
                                scale_min=1, scale_max=5)
    assert small.result.p_value < 0.05 and abs(small.result.change) == pytest.approx(0.05)
    assert not small.stated
    # too few in either month: no change at all
    assert satisfaction_change(frame, value="overall", date="_submitted_at", trend=months.assign(n=29),
                               minimum=30, scale_min=1, scale_max=5) is None


def test_the_trend_breaks_across_five_empty_months(loaded, researcher):
    metro = _add(loaded.session, {7: [3, 4, 5] * 11, 1: [2, 3, 4] * 11})
    trend = _results(loaded.session, metro).trend
    assert list(trend["n"]) == [33, 0, 0, 0, 0, 0, 33]
    assert trend["estimate"].isna().tolist() == [False] + [True] * 5 + [False]
    figure = charts.trend_chart([str(i) for i in range(7)], list(trend["estimate"]), list(trend["ci_low"]),
                                list(trend["ci_high"]), "en")
    line = figure.axes[0].lines[0]
    # matplotlib draws no segment to or from a missing point: the two months are not joined
    segments = [s for s in np.split(line.get_ydata(), np.flatnonzero(np.isnan(line.get_ydata()))) if len(s)]
    assert len(segments) >= 2
    page = researcher.get("/results/TRN-Q01?lang=en").get_data(as_text=True)
    assert page.count("no responses") == 5


def test_a_month_below_the_minimum_breaks_the_line_and_says_too_few(loaded, researcher):
    metro = _add(loaded.session, {3: [4] * 31, 2: [5, 3], 1: [3] * 31})
    trend = _results(loaded.session, metro).trend
    assert list(trend["n"]) == [31, 2, 31] and np.isnan(trend["estimate"].iloc[1])
    page = researcher.get("/results/TRN-Q01?lang=en").get_data(as_text=True)
    assert "too few responses (n = 2)" in page


def test_no_interval_above_the_top_of_the_scale(loaded):
    # 29 fives and a one: the t interval of the mean (4.87) reaches 5.14
    answers = [5] * 29 + [1]
    naive = stats.mean_ci(pd.DataFrame({"y": answers}), columns="y").iloc[0]
    assert naive["ci_high"] > 5
    metro = _add(loaded.session, {1: answers, 2: answers})
    results = _results(loaded.session, metro, min_responses=2)
    assert results.overall["ci_high"] <= 5 and results.overall["ci_low"] >= 1
    assert (results.trend["ci_high"].dropna() <= 5).all() and len(results.trend["ci_high"].dropna()) == 2
    assert (results.districts["ci_high"].dropna() <= 5).all()


def test_clip_to_scale():
    assert stats.clip_to_scale(-1.85, 10.85, scale_min=1, scale_max=5) == (1.0, 5.0)
    assert stats.clip_to_scale(3.1, 3.9, scale_min=1, scale_max=5) == (3.1, 3.9)
    low, high = stats.clip_to_scale([0.5, np.nan], [5.2, np.nan], scale_min=1, scale_max=5)
    assert list(low[:1]) == [1.0] and list(high[:1]) == [5.0] and np.isnan(low[1])
    with pytest.raises(ValueError, match="lower to a higher"):
        stats.clip_to_scale(1, 2, scale_min=5, scale_max=1)


def test_a_district_below_the_minimum_is_too_few_not_a_mean(loaded, researcher):
    metro = _add(loaded.session, {1: [3, 4, 5] * 30})
    results = _results(loaded.session, metro)
    table = results.districts
    assert table["too_few"].any()
    assert table.loc[table["too_few"], "mean"].isna().all() and not table.loc[table["too_few"], "differs"].any()
    page = researcher.get("/results/TRN-Q01?lang=fa").get_data(as_text=True)
    assert "پاسخ" in page and page.count('class="too-few"') >= table["too_few"].sum()
