"""Cronbach's alpha, Feldt's interval and item statistics on a hand-worked example."""

from __future__ import annotations

from fractions import Fraction
from statistics import correlation, variance

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from surveyor.stats import cronbach_alpha, item_analysis

ITEMS = pd.DataFrame(
    {"q1": [1, 2, 3, 4, 5, 3], "q2": [2, 3, 3, 5, 4, np.nan], "q3": [2, 3, 4, 4, 5, 1]}
)
COMPLETE = ITEMS.dropna().astype(int)


def exact_alpha(columns) -> Fraction:
    """alpha = k/(k-1) (1 - sum var_i / var_total), in exact fractions."""
    rows = [[Fraction(v) for v in row] for row in COMPLETE[columns].itertuples(index=False)]
    k = len(columns)
    item_var = sum(variance([r[j] for r in rows]) for j in range(k))
    total_var = variance([sum(r) for r in rows])
    return Fraction(k, k - 1) * (1 - item_var / total_var)


def test_alpha_hand_worked_exactly():
    # Listwise: 5 complete responses. Item variances 5/2, 13/10, 13/10 (sum 51/10); sum
    # scores 5, 8, 10, 13, 14 with variance 27/2; alpha = 3/2 * (1 - (51/10)/(27/2)) = 14/15.
    assert exact_alpha(["q1", "q2", "q3"]) == Fraction(14, 15)
    result = cronbach_alpha(ITEMS, items=["q1", "q2", "q3"])
    assert (result.n, result.k) == (5, 3)
    assert result.alpha == pytest.approx(14 / 15, abs=1e-14)


def test_feldt_interval():
    # Feldt (1965): [1 - (1-a) F_.975(n-1, (n-1)(k-1)), 1 - (1-a) F_.025(...)], n=5, k=3
    result = cronbach_alpha(ITEMS, items=["q1", "q2", "q3"], ci=0.95)
    a = 14 / 15
    assert result.ci_low == pytest.approx(1 - (1 - a) * stats.f.ppf(0.975, 4, 8), abs=1e-12)
    assert result.ci_high == pytest.approx(1 - (1 - a) * stats.f.ppf(0.025, 4, 8), abs=1e-12)
    assert result.ci_low < result.alpha < result.ci_high


def test_standardized_alpha():
    r = COMPLETE.corr().to_numpy()
    mean_r = r[np.triu_indices(3, 1)].mean()
    result = cronbach_alpha(ITEMS, items=["q1", "q2", "q3"])
    assert result.standardized_alpha == pytest.approx(3 * mean_r / (1 + 2 * mean_r), abs=1e-12)


def test_item_analysis_hand_worked():
    table = item_analysis(ITEMS, items=["q1", "q2", "q3"])
    assert list(table.columns) == [
        "item",
        "n",
        "mean",
        "sd",
        "corrected_item_total",
        "alpha_if_deleted",
    ]
    for j, item in enumerate(["q1", "q2", "q3"]):
        others = [c for c in ["q1", "q2", "q3"] if c != item]
        rest_total = COMPLETE[others].sum(axis=1)
        row = table.iloc[j]
        assert row["corrected_item_total"] == pytest.approx(
            correlation(COMPLETE[item].astype(float), rest_total.astype(float)), abs=1e-12
        )
        assert row["alpha_if_deleted"] == pytest.approx(float(exact_alpha(others)), abs=1e-12)
        assert row["n"] == 5 and row["mean"] == pytest.approx(COMPLETE[item].mean())


def test_two_items_have_no_alpha_if_deleted():
    table = item_analysis(ITEMS, items=["q1", "q3"])
    assert table["alpha_if_deleted"].isna().all()


def test_errors():
    with pytest.raises(ValueError, match="at least 2 items"):
        cronbach_alpha(ITEMS, items=["q1"])
    with pytest.raises(ValueError, match="same answer"):
        cronbach_alpha(ITEMS.assign(q4=3), items=["q1", "q4"])
