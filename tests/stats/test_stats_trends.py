"""Jalali monthly series: calendar conversion against known Nowruz dates, hand-worked means."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from surveyor.stats import jalali_months, mean_ci, monthly_trend, net_promoter_score


def test_nowruz_boundaries():
    # 1 Farvardin 1403 was 20 March 2024 and 1 Farvardin 1404 was 21 March 2025.
    dates = pd.Series(["2024-03-19", "2024-03-20", "2025-03-20", "2025-03-21", None])
    months = jalali_months(dates)
    assert months.iloc[:4].astype(int).values.tolist() == [
        [1402, 12],
        [1403, 1],
        [1403, 12],
        [1404, 1],
    ]
    assert months.iloc[4].isna().all()


def test_time_zone_aware_timestamps_use_tehran_time():
    # 21:00 UTC on 19 March 2024 is 00:30 on 20 March in Tehran (UTC+3:30): Farvardin 1403.
    stamps = pd.Series(pd.to_datetime(["2024-03-19T21:00:00Z", "2024-03-19T20:00:00Z"]))
    months = jalali_months(stamps)
    assert months.astype(int).values.tolist() == [[1403, 1], [1402, 12]]


def test_monthly_means_with_gap_filled():
    data = pd.DataFrame(
        {
            "at": [
                "2024-03-21",
                "2024-04-01",
                "2024-04-05",
                "2024-06-01",
                "2024-06-02",
                "2024-06-03",
            ],
            "score": [4, 5, 3, 2, np.nan, 4],
        }
    )
    # Farvardin 1403 = 20 Mar - 19 Apr 2024; Ordibehesht = 20 Apr - 20 May;
    # Khordad = 21 May - 20 Jun
    table = monthly_trend(data, value="score", date="at")
    assert list(table["period"]) == ["1403-01", "1403-02", "1403-03"]
    assert list(table["month_name"]) == ["Farvardin", "Ordibehesht", "Khordad"]
    assert list(table["n"]) == [3, 0, 2]
    assert table["estimate"].iloc[0] == pytest.approx(4.0)
    assert np.isnan(table["estimate"].iloc[1])
    first = mean_ci(data.iloc[:3], columns=["score"]).iloc[0]
    assert table["ci_low"].iloc[0] == pytest.approx(first["ci_low"])
    assert table["ci_high"].iloc[0] == pytest.approx(first["ci_high"])
    assert list(monthly_trend(data, value="score", date="at", fill_gaps=False)["period"]) == [
        "1403-01",
        "1403-03",
    ]


def test_monthly_nps():
    data = pd.DataFrame({"at": ["2024-03-21"] * 4 + ["2024-04-25"] * 2, "q": [10, 9, 3, 8, 10, 10]})
    table = monthly_trend(data, value="q", date="at", statistic="nps")
    expected = net_promoter_score(data.iloc[:4], column="q")
    assert table["estimate"].iloc[0] == pytest.approx(expected.nps)
    assert table["ci_low"].iloc[0] == pytest.approx(expected.ci_low)
    assert table["estimate"].iloc[1] == pytest.approx(100.0)


def test_unreadable_dates():
    with pytest.raises(ValueError, match="could not be read"):
        monthly_trend(pd.DataFrame({"at": ["yesterday"], "q": [3]}), value="q", date="at")


def test_iso_strings_with_different_utc_offsets_use_tehran_time():
    # Before 2022 Tehran kept summer time (+04:30). 1 Ordibehesht 1400 was 21 April 2021,
    # so Tehran's month changed at 2021-04-20T19:30Z (known date; offsets hand-worked).
    dates = pd.Series(
        [
            "2021-04-20T19:20:00Z",  # 23:50 +04:30: still Farvardin
            "2021-04-20T19:40:00Z",  # 00:10 +04:30: Ordibehesht
            "2021-04-20T23:50:00+04:30",
            "2021-04-21T00:10:00+04:30",
            "2024-03-19T21:00:00Z",  # 00:30 +03:30 on 20 March 2024: Farvardin 1403
            "2024-03-19T23:59:00+03:30",  # Esfand 1402
            None,
        ]
    )
    months = jalali_months(dates)
    assert months.iloc[:6].astype(int).values.tolist() == [
        [1400, 1],
        [1400, 2],
        [1400, 1],
        [1400, 2],
        [1403, 1],
        [1402, 12],
    ]
    assert months.iloc[6].isna().all()
    # datetime objects with fixed offsets (UTC, +04:30, +03:30) in one column: the same months
    objects = pd.Series([datetime.fromisoformat(text) for text in dates[:6]], dtype=object)
    assert jalali_months(objects).astype(int).values.tolist() == months.iloc[:6].values.tolist()


def test_timestamps_with_and_without_offsets_are_refused():
    dates = pd.Series(["2024-03-19T21:00:00Z", "2024-03-20T10:00:00+03:30", "2024-03-20T10:00"])
    with pytest.raises(ValueError, match="2 timestamps carry a UTC offset .* 1 do not"):
        jalali_months(dates)
