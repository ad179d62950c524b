"""The engine's defects found when it was checked again against R (issue 11, "Statistics: the
engine, checked again"): each test reproduces one, and failed before its fix."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from surveyor.stats import (
    box_shares,
    distribution,
    jalali_months,
    key_drivers,
    kish_effective_n,
    mean_ci,
    monthly_trend,
    net_promoter_score,
    ordinal_drivers,
    period_change,
    relative_weights,
    shapley_r2,
    subset_r2,
    treat_as_missing,
)


@pytest.fixture(autouse=True)
def warnings_are_errors():
    """A numpy overflow or a pandas deprecation is a defect here, not noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("after", [5, 4])
def test_weighted_period_change_refuses_constant_answers(after):
    # Ten 5s in each month with unequal weights: the weighted means differ only by rounding
    # (1e-15), whose "standard error" of 3e-16 gave t = 2.79, p = 0.02.
    data = pd.DataFrame({
        "month": ["1403-01"] * 10 + ["1403-02"] * 10,
        "score": [5] * 10 + [after] * 10,
        "w": np.linspace(0.3, 2.9, 20),
    })
    for weights in (None, "w"):
        with pytest.raises(ValueError, match="no variation within either period"):
            period_change(data, value="score", period="month", before="1403-01",
                          after="1403-02", weights=weights)


def test_period_change_still_tests_when_one_period_varies():
    data = pd.DataFrame({"month": ["a"] * 4 + ["b"] * 4, "score": [5, 5, 5, 5, 3, 4, 5, 4],
                         "w": [1.0, 2.0, 1.0, 3.0, 1.0, 1.0, 2.0, 1.0]})
    result = period_change(data, value="score", period="month", before="a", after="b",
                           weights="w")
    assert result.change < 0 and np.isfinite(result.p_value)


@pytest.mark.parametrize("dates", [
    ["2024-03-20", "2024-04-25", None],
    ("2024-03-20", "2024-04-25", None),
    np.array(["2024-03-20", "2024-04-25", None], dtype=object),
    pd.Index(["2024-03-20", "2024-04-25", None]),
])
def test_jalali_months_of_a_list_array_or_index(dates):
    months = jalali_months(dates)
    assert months.iloc[:2].astype(int).to_numpy().tolist() == [[1403, 1], [1403, 2]]
    assert months.iloc[2].isna().all() and list(months.index) == [0, 1, 2]


def test_jalali_months_refuses_a_frame_with_advice():
    with pytest.raises(ValueError, match=r"not a DataFrame; pass the column"):
        jalali_months(pd.DataFrame({"at": ["2024-03-20"]}))
    with pytest.raises(ValueError, match="list or array of dates"):
        jalali_months("2024-03-20")


COVARIANCE = np.array([[4.0, 1.0, 1.5], [1.0, 2.0, 0.8], [1.5, 0.8, 1.0]])
# symmetric, unit diagonal, but no data has it: x1 and x2 agree, x2 and y agree, x1 and y
# disagree (eigenvalue -0.8). subset_r2 gave R² = 16.2 for both drivers.
IMPOSSIBLE = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])


@pytest.mark.parametrize("function", [relative_weights, shapley_r2, subset_r2])
def test_relative_importance_refuses_what_is_not_a_correlation_matrix(function):
    with pytest.raises(ValueError, match="ones on its diagonal.*not a covariance"):
        function(COVARIANCE)
    with pytest.raises(ValueError, match="not positive semi-definite"):
        function(IMPOSSIBLE)
    # rounding is not refused: a correlation matrix off by 1e-12 still works
    valid = np.array([[1.0, 0.3, 0.5], [0.3, 1.0, 0.4], [0.5, 0.4, 1.0]])
    np.testing.assert_allclose(function(valid + 1e-12), function(valid), atol=1e-9)


def test_kish_effective_n_refuses_missing_or_negative_weights():
    with pytest.raises(ValueError, match="1 missing"):
        kish_effective_n(np.array([1.0, np.nan, 2.0]))
    with pytest.raises(ValueError, match="1 negative"):
        kish_effective_n(np.array([1.0, -2.0, 3.0]))
    assert kish_effective_n(np.zeros(3)) == 0.0
    assert kish_effective_n(np.array([1e200, 1e200, 2e200])) == pytest.approx(16 / 6)


def test_huge_weights_give_the_same_figures_as_their_ratios():
    # Weights of 1e200 overflowed when squared: NaN intervals with only a numpy warning.
    data = pd.DataFrame({
        "score": [1, 2, 3, 4, 5, 4, 3, 5, 2, 4.0],
        "recommend": [10, 9, 3, 7, 8, 6, 9, 10, 2, 5],
        "month": ["a"] * 5 + ["b"] * 5,
        "ratio": [1, 2, 1, 3, 1, 2, 2, 1, 1, 3.0],
    })
    data["huge"] = data["ratio"] * 1e200
    for weights in ("ratio", "huge"):
        mean = mean_ci(data, columns="score", weights=weights).iloc[0]
        box = box_shares(data, columns="score", scale_min=1, scale_max=5,
                         weights=weights).iloc[0]
        nps = net_promoter_score(data, column="recommend", weights=weights)
        change = period_change(data, value="score", period="month", before="a", after="b",
                               weights=weights)
        figures = [mean["se"], mean["ci_low"], mean["n_eff"], box["top_ci_high"], nps.ci_low,
                   change.p_value]
        if weights == "ratio":
            expected = figures
    assert np.isfinite(figures).all()
    np.testing.assert_allclose(figures, expected, rtol=1e-12)


def test_an_all_missing_outcome_is_not_called_the_same_answer():
    data = pd.DataFrame({"overall": [np.nan] * 6, "clean": [1, 2, 3, 4, 5, 3.0],
                         "staff": [2, 3, 4, 5, 1, 2.0]})
    with pytest.raises(ValueError, match="only 0 remain") as error:
        ordinal_drivers(data, outcome="overall", drivers=["clean", "staff"])
    assert "same answer" not in str(error.value)
    with pytest.raises(ValueError, match="only 0 remain"):
        key_drivers(data, outcome="overall", drivers=["clean", "staff"])


def test_all_zero_weights_are_not_reported_as_missing_answers():
    data = pd.DataFrame({"score": [1, 2, 3.0], "w": [0.0, 0.0, 0.0],
                         "at": ["2024-04-01", "2024-04-02", "2024-04-03"]})
    for call in (lambda: mean_ci(data, columns="score", weights="w"),
                 lambda: monthly_trend(data, value="score", date="at", weights="w")):
        with pytest.raises(ValueError, match="zero or missing weight in 'w'") as error:
            call()
        assert "missing answers" not in str(error.value) and "date" not in str(error.value)


def test_monthly_trend_without_any_score_says_so():
    data = pd.DataFrame({"score": [np.nan, np.nan], "at": ["2024-04-01", "2024-04-02"]})
    with pytest.raises(ValueError, match="only 0 remain after leaving out missing answers"):
        monthly_trend(data, value="score", date="at")


def test_distribution_refuses_infinite_answers():
    for column in (pd.Series([1.0, 2.0, np.inf]), pd.Series([1, "a", -np.inf], dtype=object)):
        with pytest.raises(ValueError, match="infinite values"):
            distribution(pd.DataFrame({"y": column}), column="y")
    table = distribution(pd.DataFrame({"y": ["inf", "a", "a"]}), column="y")  # text "inf" is text
    assert table["count"].tolist() == [2, 1]


@pytest.mark.parametrize("dtype", ["str", "string", "category", "datetime64[ns]", "object",
                                   "float64", "Int64", "bool"])
def test_treat_as_missing_on_an_empty_frame(dtype):
    # pandas 3 warned (Pandas4Warning) on an empty text column and raised TypeError on an
    # empty category or date column: the masks were pandas Series of the column's dtype.
    empty = pd.DataFrame({"y": pd.Series([], dtype=dtype)})
    result = treat_as_missing(empty, answers=["don't know", 99])
    assert result.empty and list(result.columns) == ["y"]


def test_treat_as_missing_still_matches_text_and_numbers():
    data = pd.DataFrame({"y": pd.Series([" DK ", "4", None, 99], dtype=object),
                         "z": pd.Series(["a", "dk", "b", "c"], dtype="str")})
    result = treat_as_missing(data, answers=["dk", 99])
    assert result["y"].tolist()[1] == 4 and result["y"].isna().tolist() == [True, False, True,
                                                                              True]
    assert result["z"].isna().tolist() == [False, True, False, False]


@pytest.mark.parametrize("statistic, column", [("nps", "recommend"), ("mean", "score")])
def test_a_month_with_one_response_has_no_interval(statistic, column):
    # monthly_trend(statistic="nps") gave the one-answer month the interval [100, 100].
    data = pd.DataFrame({"recommend": [10, 3, 9], "score": [5, 2, 4],
                         "at": ["2024-04-01", "2024-05-01", "2024-05-02"]})
    trend = monthly_trend(data, value=column, date="at", statistic=statistic)
    single = trend.iloc[0]
    assert single["n"] == 1 and np.isfinite(single["estimate"])
    assert np.isnan(single["ci_low"]) and np.isnan(single["ci_high"])
    assert np.isfinite(trend.iloc[1][["ci_low", "ci_high"]].astype(float)).all()
    alone = net_promoter_score(data.iloc[:1], column="recommend")
    assert alone.nps == 100 and np.isnan(alone.ci_low) and np.isnan(alone.se)
