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


def test_items_summing_to_a_constant_are_refused_with_advice():
    # hand-worked: b = 6 - a makes every sum score 6, so alpha divides by a variance of 0
    data = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [5, 4, 3, 2, 1], "c": [2, 2, 3, 5, 4]})
    for function in (cronbach_alpha, item_analysis):
        with pytest.raises(ValueError, match="same for every response.*reverse-scor"):
            function(data, items=["a", "b"])
    # with c the sum varies, so alpha exists; but without c, a and b cancel out again
    assert np.isfinite(cronbach_alpha(data, items=["a", "b", "c"]).alpha)
    with pytest.raises(ValueError, match="without 'c', the sum of 'a', 'b'"):
        item_analysis(data, items=["a", "b", "c"])


def test_z_scores_summing_to_a_constant_are_refused():
    # hand-worked: b = 10 - 2a has correlation -1 with a, so the standardized alpha's
    # denominator 1 + (k-1) r is 0, while the raw sum 10 - a still varies
    data = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [8, 6, 4, 2, 0]})
    with pytest.raises(ValueError, match="z-scores .* standardized alpha is undefined"):
        cronbach_alpha(data, items=["a", "b"])


def test_weights_of_one_change_nothing():
    plain = cronbach_alpha(ITEMS, items=["q1", "q2", "q3"])
    ones = cronbach_alpha(ITEMS.assign(w=1.0), items=["q1", "q2", "q3"], weights="w")
    assert ones == plain and ones.n_eff == 5
    pd.testing.assert_frame_equal(
        item_analysis(ITEMS.assign(w=1), items=["q1", "q2", "q3"], weights="w"),
        item_analysis(ITEMS, items=["q1", "q2", "q3"]),
    )


FREQUENCY = [1, 2, 1, 3, 1]  # weights of the 5 complete responses: 8 responses in all


def test_integer_weights_give_the_alpha_of_repeated_rows():
    # independent reference: the unweighted formulas on each row repeated w times
    weighted = COMPLETE.assign(w=FREQUENCY)
    repeated = COMPLETE.loc[COMPLETE.index.repeat(FREQUENCY)].reset_index(drop=True)
    items = ["q1", "q2", "q3"]
    result = cronbach_alpha(weighted, items=items, weights="w")
    expected = cronbach_alpha(repeated, items=items)
    assert result.n == 5 and expected.n == 8
    assert result.alpha == pytest.approx(expected.alpha, abs=1e-12)
    assert result.standardized_alpha == pytest.approx(expected.standardized_alpha, abs=1e-12)
    table = item_analysis(weighted, items=items, weights="w")
    reference = item_analysis(repeated, items=items)
    for column in ["mean", "corrected_item_total", "alpha_if_deleted"]:
        np.testing.assert_allclose(table[column], reference[column], rtol=0, atol=1e-12)


def test_weighted_interval_uses_kish_effective_n():
    # hand-worked: n_eff = (sum w)^2 / sum w^2 = 8^2 / 16 = 4, so Feldt's F has 3 and
    # 3 * (k-1) = 6 degrees of freedom; alpha as on the repeated rows (exact fractions)
    weighted = COMPLETE.assign(w=FREQUENCY)
    repeated = COMPLETE.loc[COMPLETE.index.repeat(FREQUENCY)]
    rows = [[Fraction(v) for v in row] for row in repeated.itertuples(index=False)]
    item_var = sum(variance([r[j] for r in rows]) for j in range(3))
    a = float(Fraction(3, 2) * (1 - item_var / variance([sum(r) for r in rows])))
    result = cronbach_alpha(weighted, items=["q1", "q2", "q3"], weights="w")
    assert result.n_eff == 4
    assert result.alpha == pytest.approx(a, abs=1e-12)
    assert result.ci_low == pytest.approx(1 - (1 - a) * stats.f.ppf(0.975, 3, 6), abs=1e-12)
    assert result.ci_high == pytest.approx(1 - (1 - a) * stats.f.ppf(0.025, 3, 6), abs=1e-12)
    # documented: frequency weights would count 8 responses, so repeated rows give a
    # narrower interval than Kish's 4
    narrower = cronbach_alpha(repeated, items=["q1", "q2", "q3"])
    assert narrower.ci_high - narrower.ci_low < result.ci_high - result.ci_low
