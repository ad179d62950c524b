"""Exact Shapley (LMG) values and relative weights: published values, brute force, properties."""

from __future__ import annotations

from itertools import combinations, permutations
from math import factorial

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from surveyor.stats import key_drivers, relative_weights, shapley_r2, subset_r2
from surveyor.stats import relative_importance as ri
from surveyor.stats.regression import redundant_drivers


def lstsq_r2(x: np.ndarray, y: np.ndarray, subset) -> float:
    """R² of an OLS fit with intercept, straight from the raw data (independent of corr)."""
    if not subset:
        return 0.0
    design = np.column_stack([np.ones(len(y)), x[:, list(subset)]])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


def brute_force_shapley(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Average of each driver's R² increment over all p! orderings."""
    p = x.shape[1]
    r2 = {frozenset(s): lstsq_r2(x, y, s) for k in range(p + 1) for s in combinations(range(p), k)}
    total = np.zeros(p)
    for order in permutations(range(p)):
        entered: frozenset = frozenset()
        for j in order:
            total[j] += r2[entered | {j}] - r2[entered]
            entered = entered | {j}
    return total / factorial(p)


def correlated_data(rng, n: int, p: int):
    x = rng.normal(size=(n, p)) @ rng.normal(size=(p, p))
    y = x @ rng.normal(size=p) + rng.normal(scale=2.0, size=n)
    return x, y


def corr_of(x, y):
    return np.corrcoef(np.column_stack([x, y]), rowvar=False)


@pytest.mark.parametrize("p", [1, 2, 3, 5, 8])
def test_shapley_equals_brute_force_over_all_orderings(p):
    # Independent reference: R² of every subset refitted by least squares on the raw data,
    # then the increments averaged over all p! orderings (Lindeman, Merenda & Gold 1980).
    rng = np.random.default_rng(100 + p)
    x, y = correlated_data(rng, 200, p)
    np.testing.assert_allclose(
        shapley_r2(corr_of(x, y)), brute_force_shapley(x, y), rtol=0, atol=1e-10
    )


def test_subset_r2_matches_least_squares_for_every_subset():
    rng = np.random.default_rng(7)
    x, y = correlated_data(rng, 150, 6)
    values = subset_r2(corr_of(x, y))
    for mask in range(1 << 6):
        subset = [j for j in range(6) if mask >> j & 1]
        assert values[mask] == pytest.approx(lstsq_r2(x, y, subset), abs=1e-12)


def test_chunked_elimination_gives_the_same_values(monkeypatch):
    rng = np.random.default_rng(11)
    x, y = correlated_data(rng, 300, 10)
    corr = corr_of(x, y)
    whole = subset_r2(corr)
    monkeypatch.setattr(ri, "_STATE_BUDGET", 300)  # forces the chunked path
    np.testing.assert_allclose(subset_r2(corr), whole, rtol=0, atol=1e-14)


def test_published_domir_vignette_mtcars(mtcars):
    # domir vignette "Conceptual Introduction to Dominance Analysis" (Luchman 2023):
    # domin(mpg ~ am + cyl + carb, lm, list(summary, "r.squared"), data = mtcars)
    # Overall 0.8113023; general dominance am 0.2156848, cyl 0.4173094, carb 0.1783081.
    result = key_drivers(mtcars, outcome="mpg", drivers=["am", "cyl", "carb"])
    assert result.r2 == pytest.approx(0.8113023, abs=5e-8)
    np.testing.assert_allclose(
        result.table["shapley"], [0.2156848, 0.4173094, 0.1783081], atol=5e-8
    )
    assert list(result.table["rank"]) == [2, 1, 3]


def test_published_dominanceanalysis_attitude(attitude):
    # dominanceanalysis README (Bustos Navarrete & Coutinho Soares): averageContribution of
    # lm(rating ~ ., attitude): complaints 0.371, privileges 0.051, learning 0.156,
    # raises 0.120, critical 0.007, advance 0.028; full model R² 0.733.
    drivers = ["complaints", "privileges", "learning", "raises", "critical", "advance"]
    result = key_drivers(attitude, outcome="rating", drivers=drivers)
    assert result.r2 == pytest.approx(0.733, abs=5e-4)
    np.testing.assert_allclose(
        result.table["shapley"], [0.371, 0.051, 0.156, 0.120, 0.007, 0.028], atol=5e-4
    )


def test_published_rwa_relative_weights_mtcars(mtcars):
    # rwa package article "regression methods" (Chan): rwa_multiregress(mtcars, "mpg",
    # c("cyl", "disp", "hp", "wt")): raw weights 0.2096904, 0.1883043, 0.1799590, 0.2706812;
    # rescaled 24.70914, 22.18908, 21.20570, 31.89607; R-squared 0.8486.
    result = key_drivers(mtcars, outcome="mpg", drivers=["cyl", "disp", "hp", "wt"])
    np.testing.assert_allclose(
        result.table["relative_weight"], [0.2096904, 0.1883043, 0.1799590, 0.2706812], atol=5e-8
    )
    np.testing.assert_allclose(
        100 * result.table["relative_weight_share"],
        [24.70914, 22.18908, 21.20570, 31.89607],
        atol=5e-6,
    )
    assert result.r2 == pytest.approx(0.8486, abs=5e-5)


def test_redundant_driver_is_named():
    rng = np.random.default_rng(3)
    x, y = correlated_data(rng, 80, 3)
    x = np.column_stack([x, x[:, 0] + x[:, 1]])
    assert redundant_drivers(corr_of(x, y)[:4, :4]) == [3]
    with pytest.raises(ValueError, match="linear combinations"):
        subset_r2(corr_of(x, y))
    frame = pd.DataFrame(np.column_stack([x, y]), columns=["a", "b", "c", "total", "y"])
    with pytest.raises(ValueError, match="'total' can be computed exactly"):
        key_drivers(frame, outcome="y", drivers=["a", "b", "c", "total"])


def test_corr_shape_is_checked():
    with pytest.raises(ValueError, match="square"):
        shapley_r2(np.eye(3)[:2])


# --- properties (hypothesis) on survey-like 1-5 ratings --------------------------------

ratings = st.integers(min_value=1, max_value=5)


def usable(values: np.ndarray) -> bool:
    if np.any(values.std(axis=0) == 0):
        return False
    corr = np.corrcoef(values, rowvar=False)
    return not redundant_drivers(corr[:-1, :-1]) and np.linalg.eigvalsh(corr[:-1, :-1]).min() > 1e-4


def rating_frames(max_p: int = 6):
    return st.integers(min_value=1, max_value=max_p).flatmap(
        lambda p: hnp.arrays(
            np.int64, st.tuples(st.integers(p + 12, 60), st.just(p + 1)), elements=ratings
        )
    )


property_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


def frame_of(values: np.ndarray) -> tuple[pd.DataFrame, list[str]]:
    names = [f"d{j}" for j in range(values.shape[1] - 1)]
    return pd.DataFrame(values, columns=names + ["y"]), names


@property_settings
@given(rating_frames())
def test_shares_sum_to_r2(values):
    assume(usable(values))
    x, y = values[:, :-1].astype(float), values[:, -1].astype(float)
    shares = shapley_r2(corr_of(x, y))
    full = lstsq_r2(x, y, range(x.shape[1]))
    assert shares.sum() == pytest.approx(full, abs=1e-10)
    assert relative_weights(corr_of(x, y)).sum() == pytest.approx(full, abs=1e-10)


@property_settings
@given(
    rating_frames(), st.floats(0.01, 100) | st.floats(-100, -0.01), st.floats(-50, 50), st.data()
)
def test_invariant_to_rescaling_a_driver(values, factor, shift, data):
    assume(usable(values))
    frame, names = frame_of(values)
    j = data.draw(st.integers(0, len(names) - 1))
    rescaled = frame.astype(float)
    rescaled[names[j]] = rescaled[names[j]] * factor + shift
    before = key_drivers(frame, outcome="y", drivers=names).table
    after = key_drivers(rescaled, outcome="y", drivers=names).table
    np.testing.assert_allclose(after["shapley"], before["shapley"], atol=1e-10)
    np.testing.assert_allclose(after["relative_weight"], before["relative_weight"], atol=1e-10)


@property_settings
@given(rating_frames(max_p=5))
def test_symmetric_drivers_get_equal_shares(values):
    # Appending every response with d0 and d1 swapped makes the two drivers exchangeable.
    assume(values.shape[1] >= 3)
    swapped = values.copy()
    swapped[:, [0, 1]] = values[:, [1, 0]]
    both = np.vstack([values, swapped])
    assume(usable(both))
    shares = shapley_r2(np.corrcoef(both, rowvar=False))
    assert shares[0] == pytest.approx(shares[1], abs=1e-10)
    weights = relative_weights(np.corrcoef(both, rowvar=False))
    assert weights[0] == pytest.approx(weights[1], abs=1e-10)


@property_settings
@given(rating_frames())
def test_weights_of_one_change_nothing(values):
    assume(usable(values))
    frame, names = frame_of(values)
    plain = key_drivers(frame, outcome="y", drivers=names)
    weighted = key_drivers(frame.assign(w=1.0), outcome="y", drivers=names, weights="w")
    assert weighted.r2 == pytest.approx(plain.r2, abs=1e-12)
    assert weighted.n == plain.n and weighted.n_eff == pytest.approx(plain.n)
    for column in ["shapley", "relative_weight", "beta", "beta_se", "vif"]:
        np.testing.assert_allclose(weighted.table[column], plain.table[column], atol=1e-10)


@property_settings
@given(rating_frames(), st.randoms(use_true_random=False))
def test_reordering_drivers_reorders_shares(values, random):
    assume(usable(values))
    frame, names = frame_of(values)
    shuffled = names[:]
    random.shuffle(shuffled)
    first = key_drivers(frame, outcome="y", drivers=names).table.set_index("driver")
    second = key_drivers(frame, outcome="y", drivers=shuffled).table.set_index("driver")
    np.testing.assert_allclose(second.loc[names, "shapley"], first["shapley"], atol=1e-10)
