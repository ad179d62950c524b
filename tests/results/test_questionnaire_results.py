"""Questionnaire results from demo data: the figures the page and the report show."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from surveyor.models import Instrument
from surveyor.results.data import Filters, load_responses
from surveyor.results.questionnaire import questionnaire_results


def test_results_from_demo_data(loaded, runner):
    assert runner.invoke(args=["demo", "--responses", "1200", "--instrument", "TRN-Q01", "--seed", "5"]).exit_code == 0
    session = loaded.session
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    frame, districts, flagged = load_responses(session, metro.id, Filters())
    results = questionnaire_results(frame, metro.latest.definition, flagged_excluded=flagged, districts=districts)
    assert results.n + flagged == 1200 and 10 <= flagged <= 70
    assert 1 < results.overall["ci_low"] < results.overall["mean"] < results.overall["ci_high"] < 5
    assert results.drivers is not None and list(results.drivers["rank"])[0] == 1
    assert abs(results.drivers["shapley"].sum() - results.drivers_r2) < 1e-9
    assert set(results.ipa["quadrant"]) <= {"concentrate here", "keep up the good work", "low priority",
                                            "possible overkill"}
    weak = results.ipa[results.ipa["quadrant"] == "concentrate here"].sort_values("importance", ascending=False)
    assert results.fix_first == list(weak["driver"])[:3]
    # one metro station per district: a district's difference is its station's, so none is tested
    assert results.districts["district"].nunique() == 13 and results.district_test is None
    assert results.wait["standard"] == 7 and 0 < results.wait["within_standard"] < 1
    assert results.trend["n"].sum() == results.n
    assert 0 < results.reliability.alpha < 1

    only = load_responses(session, metro.id, Filters(district=3, language="fa", include_flagged=True))[0]
    assert 0 < len(only) < 1200 and set(only["_language"]) == {"fa"}
    today = dt.date.today()
    recent = load_responses(session, metro.id, Filters(date_from=today - dt.timedelta(days=30)))[0]
    assert 0 < len(recent) < results.n


def test_comment_search_reaches_past_the_newest_shown(loaded, runner):
    assert runner.invoke(args=["demo", "--responses", "600", "--instrument", "TRN-Q01", "--seed", "3"]).exit_code == 0
    session = loaded.session
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    frame, _, _ = load_responses(session, metro.id, Filters())
    oldest = frame["_submitted_at"].min() - dt.timedelta(days=1)
    frame.loc[len(frame)] = {**{c: None for c in frame.columns}, "_submitted_at": oldest, "overall": 2.0,
                             "comment": "دستگاه بلیت ایستگاه کار نمی‌کرد", "_language": "fa",
                             "_is_flagged": False}
    newest = questionnaire_results(frame, metro.latest.definition, comment_limit=5)
    assert len(newest.comments) == 5 and newest.comments_matching > 5
    assert all(c["submitted_at"] > oldest for c in newest.comments)
    found = questionnaire_results(frame, metro.latest.definition, comment_limit=5, comment_query="دستگاه بليت")
    assert [c["text"] for c in found.comments] == ["دستگاه بلیت ایستگاه کار نمی‌کرد"]
    assert found.comments_matching == 1


def test_respondent_filter_compares_numbers_as_numbers():
    import numpy as np
    import pandas as pd

    from surveyor.results.data import _equals
    codes = pd.Series([1.0, 3.0, np.nan])
    assert list(_equals(codes, "3")) == [False, True, False]
    assert list(_equals(codes, "3.0")) == [False, True, False]
    assert not _equals(codes, "resident").any()
    assert list(_equals(pd.Series(["resident", None, "pilgrim"]), "resident")) == [True, False, False]


@pytest.fixture
def metro_sample(loaded, runner):
    """300 demo responses to TRN-Q01: (definition, frame, districts, driver codes)."""
    assert runner.invoke(args=["demo", "--responses", "300", "--instrument", "TRN-Q01", "--seed", "5"]).exit_code == 0
    metro = loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    definition = metro.latest.definition
    frame, districts, _flagged = load_responses(loaded.session, metro.id, Filters())
    return definition, frame, districts, [i["code"] for i in definition["items"] if i["role"] == "driver"]


def test_a_selection_where_everyone_agrees_still_gives_a_page(metro_sample):
    """A small filter can make a driver, or every answer in every district, the same: such a
    driver is left out (and named), the district test is skipped, and nothing raises."""
    definition, frame, districts, drivers = metro_sample
    agreed = frame.copy()
    agreed[drivers[1]] = 4.0
    results = questionnaire_results(agreed, definition, districts=districts)
    assert results.drivers_left_out == [drivers[1]]
    assert set(results.drivers["driver"]) == set(drivers) - {drivers[1]}

    outcome = next(i["code"] for i in definition["items"] if i["role"] == "outcome")
    unanimous = frame.copy()
    unanimous[outcome] = 4.0
    results = questionnaire_results(unanimous, definition, districts=districts)
    assert results.drivers is None and results.district_test is None
    assert results.overall["mean"] == 4.0


def test_a_driver_equal_to_another_in_the_selection_leaves_no_driver_analysis_but_a_page(metro_sample):
    definition, frame, districts, drivers = metro_sample
    copied = frame.copy()
    copied[drivers[1]] = copied[drivers[0]]
    results = questionnaire_results(copied, definition, districts=districts)
    assert results.drivers is None and results.overall["n"] > 0
