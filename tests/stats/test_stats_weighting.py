"""Post-stratification and raking: hand-worked weights and the 2x2 closed form."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveyor.stats import mean_ci, post_stratify, rake


def test_post_stratification_hand_worked():
    # 4 residents and 1 pilgrim; population half and half. Residents get 0.5 * 5 / 4 = 0.625,
    # the pilgrim 0.5 * 5 / 1 = 2.5; Kish n_eff = 25 / (4 * 0.625^2 + 2.5^2) = 3.2.
    data = pd.DataFrame({"visitor": ["resident"] * 4 + ["pilgrim"], "score": [4, 4, 5, 3, 2]})
    population = pd.DataFrame(
        {"visitor": ["resident", "pilgrim"], "population": [1_000_000, 1_000_000]}
    )
    result = post_stratify(data, strata="visitor", population=population)
    np.testing.assert_allclose(result.weights, [0.625] * 4 + [2.5])
    assert result.weights.name == "weight" and (result.weights.index == data.index).all()
    assert result.n_eff == pytest.approx(3.2) and result.design_effect == pytest.approx(5 / 3.2)
    assert result.max_margin_error < 1e-15
    weighted = mean_ci(data.assign(w=result.weights), columns=["score"], weights="w")
    assert weighted["mean"].iloc[0] == pytest.approx(0.5 * 4 + 0.5 * 2)


def test_post_stratification_two_strata_with_base_weights_and_total():
    data = pd.DataFrame(
        {
            "visitor": ["r", "r", "p", "p", "r"],
            "gender": ["f", "m", "f", "m", "f"],
            "b": [1.0, 2.0, 1.0, 1.0, 3.0],
        }
    )
    population = pd.DataFrame(
        {
            "visitor": ["r", "r", "p", "p"],
            "gender": ["f", "m", "f", "m"],
            "population": [0.4, 0.3, 0.2, 0.1],
        }
    )
    result = post_stratify(
        data, strata=["visitor", "gender"], population=population, base_weights="b", total=100
    )
    # cell (r, f) has base weights 1 and 3 sharing 40: 10 and 30
    np.testing.assert_allclose(result.weights, [10.0, 30.0, 20.0, 10.0, 30.0])


def test_post_stratification_errors():
    data = pd.DataFrame({"visitor": ["resident", "tourist", None]})
    population = pd.DataFrame({"visitor": ["resident", "pilgrim"], "population": [1, 1]})
    with pytest.raises(ValueError, match="1 rows have no value"):
        post_stratify(data, strata="visitor", population=population)
    with pytest.raises(ValueError, match="without a population figure: tourist"):
        post_stratify(data.dropna(), strata="visitor", population=population)
    with pytest.raises(ValueError, match="no respondent in .*pilgrim"):
        post_stratify(data.iloc[:1], strata="visitor", population=population)


def closed_form_2x2(odds_ratio: float, r1: float, c1: float) -> float:
    """Cell (1,1) share of the 2x2 table with margins r1, c1 and the given odds ratio.

    m (1 - r1 - c1 + m) = OR (r1 - m)(c1 - m) is a quadratic in m with one admissible root.
    """
    a = 1 - odds_ratio
    b = 1 - r1 - c1 + odds_ratio * (r1 + c1)
    c = -odds_ratio * r1 * c1
    roots = np.roots([a, b, c]) if abs(a) > 1e-15 else np.array([-c / b])
    low, high = max(0.0, r1 + c1 - 1), min(r1, c1)
    return float(next(r.real for r in roots if low - 1e-12 <= r.real <= high + 1e-12))


def test_raking_2x2_matches_closed_form():
    # Raking preserves the sample's odds ratio (Deming & Stephan 1940), which with the two
    # margins determines the table.
    cells = {("r", "f"): 30, ("r", "m"): 10, ("p", "f"): 15, ("p", "m"): 45}
    data = pd.DataFrame(
        [key for key, k in cells.items() for _ in range(k)], columns=["visitor", "gender"]
    )
    margins = {"visitor": {"r": 0.7, "p": 0.3}, "gender": {"f": 0.45, "m": 0.55}}
    result = rake(data, margins=margins)
    assert result.converged and result.max_margin_error <= 1e-10
    share = result.weights.groupby([data["visitor"], data["gender"]]).sum() / result.weights.sum()
    odds_ratio = (30 * 45) / (10 * 15)
    assert share[("r", "f")] == pytest.approx(closed_form_2x2(odds_ratio, 0.7, 0.45), abs=1e-9)
    assert share[("r", "f")] * share[("p", "m")] / (
        share[("r", "m")] * share[("p", "f")]
    ) == pytest.approx(odds_ratio)
    assert result.weights.sum() == pytest.approx(100)


def test_raking_on_one_margin_is_post_stratification():
    data = pd.DataFrame({"age": ["18-29", "30-49", "30-49", "50+", "50+", "50+"]})
    margins = {"age": {"18-29": 30, "30-49": 40, "50+": 30}}
    raked = rake(data, margins=margins)
    population = pd.DataFrame(
        {"age": list(margins["age"]), "population": list(margins["age"].values())}
    )
    post = post_stratify(data, strata="age", population=population)
    np.testing.assert_allclose(raked.weights, post.weights)
    assert raked.iterations == 1


def test_raking_reports_non_convergence():
    data = pd.DataFrame({"a": ["x", "x", "y"], "b": ["u", "v", "u"]})
    # (y, v) is empty, so the margins below cannot both be met exactly
    result = rake(
        data, margins={"a": {"x": 0.1, "y": 0.9}, "b": {"u": 0.1, "v": 0.9}}, max_iterations=20
    )
    assert not result.converged and result.iterations == 20 and result.max_margin_error > 1e-3
