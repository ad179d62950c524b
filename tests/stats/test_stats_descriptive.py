"""Means, box shares and distributions against scipy/statsmodels and hand-worked values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from surveyor.stats import box_shares, distribution, kish_effective_n, mean_ci, treat_as_missing

RATINGS = pd.DataFrame(
    {
        "clean": [1, 2, 3, 4, 5, 5, 4, 2, 4, np.nan],
        "staff": [2, 2, 3, 3, 4, 5, 5, 5, 1, 4],
        "w": [1.0, 2.0, 1.0, 0.5, 1.5, 1.0, 2.0, 1.0, 3.0, 1.0],
    }
)


def test_mean_interval_matches_scipy_t():
    table = mean_ci(RATINGS, columns=["staff"], ci=0.9)
    y = RATINGS["staff"].to_numpy()
    low, high = stats.t.interval(0.9, len(y) - 1, loc=y.mean(), scale=stats.sem(y))
    row = table.iloc[0]
    assert (row["n"], row["mean"], row["sd"]) == (
        10,
        pytest.approx(y.mean()),
        pytest.approx(y.std(ddof=1)),
    )
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert list(table.columns) == [
        "variable",
        "n",
        "n_eff",
        "mean",
        "sd",
        "se",
        "ci_low",
        "ci_high",
        "df",
        "deff",
        "n_clusters",
        "n_strata",
    ]
    # an independent sample: n - 1 degrees of freedom, design effect 1, every answer a cluster
    assert (row["df"], row["n_clusters"], row["n_strata"]) == (9, 10, 1)
    assert row["deff"] == pytest.approx(1.0, abs=1e-12)


def test_weighted_mean_se_is_the_linearisation_estimator():
    # Same estimator: HC1 standard error of an intercept-only WLS fit.
    table = mean_ci(RATINGS, columns=["staff"], weights="w")
    fit = sm.WLS(RATINGS["staff"], np.ones(10), weights=RATINGS["w"]).fit(cov_type="HC1")
    assert table["mean"].iloc[0] == pytest.approx(fit.params.iloc[0], abs=1e-12)
    assert table["se"].iloc[0] == pytest.approx(fit.bse.iloc[0], abs=1e-12)
    assert table["n_eff"].iloc[0] == pytest.approx(kish_effective_n(RATINGS["w"].to_numpy()))


def test_kish_effective_n_hand_worked():
    # (1+1+2+4)^2 / (1+1+4+16) = 64/22
    assert kish_effective_n(np.array([1.0, 1.0, 2.0, 4.0])) == pytest.approx(64 / 22)
    assert kish_effective_n(np.ones(7)) == pytest.approx(7)


def test_listwise_or_per_column():
    both = mean_ci(RATINGS, columns=["clean", "staff"])
    assert list(both["n"]) == [9, 9]
    separate = mean_ci(RATINGS, columns=["clean", "staff"], listwise=False)
    assert list(separate["n"]) == [9, 10]
    assert separate["mean"].iloc[1] == pytest.approx(3.4)


def test_box_shares_hand_worked_and_wilson():
    # clean (9 answers 1,2,3,4,5,5,4,2,4): top-two-box 5/9, bottom-two-box 3/9
    table = box_shares(RATINGS, columns=["clean"], scale_min=1, scale_max=5)
    row = table.iloc[0]
    assert row["top_box"] == pytest.approx(5 / 9) and row["bottom_box"] == pytest.approx(3 / 9)
    low, high = proportion_confint(5, 9, alpha=0.05, method="wilson")
    assert (row["top_ci_low"], row["top_ci_high"]) == (pytest.approx(low), pytest.approx(high))
    low, high = proportion_confint(3, 9, alpha=0.05, method="wilson")
    assert (row["bottom_ci_low"], row["bottom_ci_high"]) == (
        pytest.approx(low),
        pytest.approx(high),
    )
    top1 = box_shares(RATINGS, columns=["clean"], scale_min=1, scale_max=5, boxes=1)
    assert top1["top_box"].iloc[0] == pytest.approx(2 / 9)


def test_weighted_box_share_uses_effective_n():
    table = box_shares(RATINGS, columns=["staff"], scale_min=1, scale_max=5, weights="w")
    w, y = RATINGS["w"].to_numpy(), RATINGS["staff"].to_numpy()
    share = w[y >= 4].sum() / w.sum()
    n_eff = kish_effective_n(w)
    low, high = proportion_confint(share * n_eff, n_eff, alpha=0.05, method="wilson")
    row = table.iloc[0]
    assert row["top_box"] == pytest.approx(share)
    assert (row["top_ci_low"], row["top_ci_high"]) == (pytest.approx(low), pytest.approx(high))


def test_box_share_checks_the_scale():
    with pytest.raises(ValueError, match="outside the scale 1-4"):
        box_shares(RATINGS, columns=["clean"], scale_min=1, scale_max=4)
    with pytest.raises(ValueError, match="boxes"):
        box_shares(RATINGS, columns=["clean"], scale_min=1, scale_max=5, boxes=3)


def test_distribution_counts_and_weights():
    data = pd.DataFrame(
        {"visit": ["first", "repeat", "first", None, "first"], "w": [1, 1, 2, 5, 1]}
    )
    table = distribution(data, column="visit")
    assert list(table["value"]) == ["first", "repeat"]
    assert list(table["count"]) == [3, 1]
    np.testing.assert_allclose(table["share"], [0.75, 0.25])
    low, high = proportion_confint(3, 4, method="wilson")
    assert table["ci_low"].iloc[0] == pytest.approx(low) and table["ci_high"].iloc[
        0
    ] == pytest.approx(high)
    weighted = distribution(data, column="visit", weights="w")
    np.testing.assert_allclose(weighted["share"], [4 / 5, 1 / 5])
    assert weighted["n"].iloc[0] == 4


def test_dont_know_must_be_marked_missing():
    data = pd.DataFrame({"q": [5, 4, "Don't know", 3, "99"], "w": 1.0})
    with pytest.raises(ValueError, match="treat_as_missing"):
        mean_ci(data, columns=["q"])
    cleaned = treat_as_missing(data, answers=["don't know ", 99, "99"])
    table = mean_ci(cleaned, columns=["q"])
    assert table["n"].iloc[0] == 3 and table["mean"].iloc[0] == pytest.approx(4.0)


@pytest.mark.parametrize("bad", [0, 1, 1.5, "0.95"])
def test_confidence_level_is_checked(bad):
    with pytest.raises(ValueError, match="confidence level"):
        mean_ci(RATINGS, columns=["staff"], ci=bad)


def test_negative_weights_are_refused():
    with pytest.raises(ValueError, match="negative"):
        mean_ci(RATINGS.assign(w=-1.0), columns=["staff"], weights="w")
