"""Group comparisons against published R examples, scipy and hand-worked values."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from surveyor.stats import chi_square, kruskal_wallis, pairwise_mann_whitney, period_change


def long(groups: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [(g, x) for g, xs in groups.items() for x in xs], columns=["group", "value"]
    )


MUCOCILIARY = long(
    {  # R kruskal.test example: Hollander & Wolfe (1973), p. 116, mucociliary efficiency
        "normal": [2.9, 3.0, 2.5, 2.6, 3.2],
        "obstructive": [3.8, 2.7, 4.0, 2.4],
        "asbestosis": [2.8, 3.4, 3.7, 2.2, 2.0],
    }
)


def test_kruskal_wallis_published_example():
    # R: kruskal.test(list(x, y, z)) -> Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68
    result = kruskal_wallis(MUCOCILIARY, value="value", group="group")
    assert result.h == pytest.approx(0.77143, abs=5e-6)
    assert result.df == 2 and result.groups == 3 and result.n == 14
    assert result.p_value == pytest.approx(0.68, abs=5e-3)
    assert result.epsilon_squared == pytest.approx(result.h / 13)


def test_mann_whitney_published_example():
    # R: wilcox.test(x, y, alternative = "g") (Hollander & Wolfe 1973, p. 69, permeability
    # constants) -> W = 35, p-value = 0.1272; the exact two-sided p-value is twice that.
    data = long(
        {
            "at_term": [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46],
            "early": [1.15, 0.88, 0.90, 0.74, 1.21],
        }
    )
    table = pairwise_mann_whitney(data, value="value", group="group")
    row = table.iloc[0]
    assert (row["group_a"], row["group_b"], row["n_a"], row["n_b"]) == ("at_term", "early", 10, 5)
    assert row["u"] == 35
    assert row["p_value"] == pytest.approx(2 * 0.1272, abs=2e-4)
    assert row["rank_biserial"] == pytest.approx(2 * 35 / 50 - 1)
    assert row["p_adjusted"] == row["p_value"]  # a single comparison needs no correction


@pytest.mark.parametrize("seed, scale", [(1, 5), (2, 5), (3, 11), (4, 3)])
def test_mann_whitney_from_counts_equals_scipy_on_ratings(seed, scale):
    """Ratings (few distinct values) take the counting path; U and p match scipy's ranking."""
    rng = np.random.default_rng(seed)
    sizes = [9, 10, 40, 300, 2500, 7, 3]  # the last two are small: scipy decides the method
    groups = {f"g{i}": np.clip(rng.normal(scale / 2 + 0.3 * i / len(sizes), scale / 4, n).round(), 0, scale - 1)
              for i, n in enumerate(sizes)}
    table = pairwise_mann_whitney(long(groups), value="value", group="group")
    for row in table.itertuples():
        u, p = stats.mannwhitneyu(groups[row.group_a], groups[row.group_b], alternative="two-sided")
        assert row.u == pytest.approx(u, rel=1e-12, abs=1e-9)
        assert row.p_value == pytest.approx(p, rel=1e-9, abs=1e-15)


def test_holm_equals_statsmodels():
    from statsmodels.stats.multitest import multipletests

    from surveyor.stats.comparisons import holm
    rng = np.random.default_rng(7)
    for m in (1, 2, 5, 78):
        p = rng.uniform(0, 0.2, m) ** 2
        p[: m // 3] = p[0]  # ties
        np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1], rtol=1e-15, atol=0)


def test_holm_correction_hand_worked():
    table = pairwise_mann_whitney(MUCOCILIARY, value="value", group="group")
    assert list(table.columns) == [
        "group_a",
        "group_b",
        "n_a",
        "n_b",
        "u",
        "p_value",
        "p_adjusted",
        "rank_biserial",
    ]
    # Holm: sort p ascending, multiply the i-th smallest by (m - i + 1), keep monotone, cap at 1
    p = table["p_value"].to_numpy()
    order = np.argsort(p)
    adjusted = np.minimum(1, np.maximum.accumulate(p[order] * np.array([3, 2, 1])))
    expected = np.empty(3)
    expected[order] = adjusted
    np.testing.assert_allclose(table["p_adjusted"], expected)


def test_chi_square_published_example():
    # R chisq.test example (Agresti 2007, p. 39): party identification by gender
    # M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477)))
    # -> X-squared = 30.07, df = 2, p-value = 2.954e-07
    counts = {
        ("F", "Democrat"): 762,
        ("F", "Independent"): 327,
        ("F", "Republican"): 468,
        ("M", "Democrat"): 484,
        ("M", "Independent"): 239,
        ("M", "Republican"): 477,
    }
    rows = [key for key, k in counts.items() for _ in range(k)]
    data = pd.DataFrame(rows, columns=["gender", "party"])
    result = chi_square(data, row="gender", column="party")
    assert result.chi2 == pytest.approx(30.07, abs=5e-3)
    assert result.df == 2 and result.n == 2757
    assert result.p_value == pytest.approx(2.954e-07, rel=5e-4)
    assert result.cramers_v == pytest.approx(np.sqrt(result.chi2 / 2757))
    assert result.min_expected > 5


def test_period_change_matches_welch():
    before = [3, 4, 2, 5, 4, 3, 3, 4]
    after = [4, 5, 5, 3, 4, 5, 4, 5, 5, 2]
    data = pd.DataFrame({"month": ["1403-01"] * 8 + ["1403-02"] * 10, "score": before + after})
    result = period_change(data, value="score", period="month", before="1403-01", after="1403-02")
    reference = stats.ttest_ind(after, before, equal_var=False)
    ci = reference.confidence_interval(0.95)
    assert result.change == pytest.approx(np.mean(after) - np.mean(before))
    assert result.t == pytest.approx(reference.statistic)
    assert result.df == pytest.approx(reference.df)
    assert result.p_value == pytest.approx(reference.pvalue)
    assert (result.ci_low, result.ci_high) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert (result.n_before, result.n_after) == (8, 10)
    sd_mean = np.sqrt((np.var(before, ddof=1) + np.var(after, ddof=1)) / 2)
    assert result.standardized_change == pytest.approx(result.change / sd_mean)
    weighted = period_change(
        data.assign(w=1.0),
        value="score",
        period="month",
        before="1403-01",
        after="1403-02",
        weights="w",
    )
    assert weighted.ci_low == pytest.approx(result.ci_low) and weighted.p_value == pytest.approx(
        result.p_value
    )


def test_period_change_with_weights_hand_worked():
    # Linearisation formulas of _moments.weighted_mean_se, by hand:
    # before y = 1, 3 with w = 1, 3: mean 10/4 = 5/2; residuals -3/2, 1/2;
    #   sd² = 2/1 * (9/4 + 3/4) / 4 = 3/2; se² = 2 * (9/4 + 9 * 1/4) / 16 = 9/16
    # after y = 3, 5 with w = 2, 2: mean 4; sd² = 2 * (2 + 2) / 4 = 2; se² = 2 * (4 + 4) / 16 = 1
    # change 3/2, se = sqrt(25/16) = 5/4, t = 6/5, df = (25/16)² / ((9/16)² + 1²) = 625/337
    data = pd.DataFrame(
        {"period": ["b", "b", "a", "a"], "y": [1, 3, 3, 5], "w": [1.0, 3.0, 2.0, 2.0]}
    )
    result = period_change(data, value="y", period="period", before="b", after="a", weights="w")
    df = 625 / 337
    half = stats.t.ppf(0.975, df) * 5 / 4
    assert (result.mean_before, result.mean_after) == (pytest.approx(2.5), pytest.approx(4.0))
    assert result.change == pytest.approx(1.5, abs=1e-14)
    assert result.se == pytest.approx(1.25, abs=1e-14)
    assert result.t == pytest.approx(1.2, abs=1e-14)
    assert result.df == pytest.approx(df, abs=1e-12)
    assert result.p_value == pytest.approx(2 * stats.t.sf(1.2, df), abs=1e-12)
    assert result.ci_low == pytest.approx(1.5 - half, abs=1e-12)
    assert result.ci_high == pytest.approx(1.5 + half, abs=1e-12)
    assert result.standardized_change == pytest.approx(1.5 / np.sqrt((1.5 + 2) / 2), abs=1e-12)


def test_kruskal_wallis_refuses_identical_answers():
    # hand-worked: 8 answers all 4 form one tie of t = 8, so the tie correction
    # 1 - (8³ - 8) / (8³ - 8) is 0 and H = 0/0 (scipy.stats.kruskal returns NaN and warns)
    data = pd.DataFrame({"group": ["a"] * 5 + ["b"] * 3, "value": [4] * 8})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="every answer in 'value' is 4 in all 2 groups"):
            kruskal_wallis(data, value="value", group="group")


def test_errors():
    with pytest.raises(ValueError, match="two or more"):
        kruskal_wallis(MUCOCILIARY.assign(group="one"), value="value", group="group")
    with pytest.raises(ValueError, match="period 'x'"):
        period_change(MUCOCILIARY, value="value", period="group", before="x", after="normal")
