"""Inter-rater agreement against published worked examples and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats import inter_rater

from surveyor.stats import cohen_kappa, fleiss_kappa, krippendorff_alpha

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section E: 4 observers,
# 12 units, values 1-5, missing cells empty.
KRIPPENDORFF_2011 = pd.DataFrame(
    {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
)


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_worked_example(level, published):
    result = krippendorff_alpha(
        KRIPPENDORFF_2011, raters=list("ABCD"), level=level, seed=1, n_boot=200
    )
    assert result.estimate == pytest.approx(published, abs=5e-4)
    assert result.n_units == 11  # unit 12 has a single value and is not pairable
    assert result.ci_low <= result.estimate <= result.ci_high and np.isnan(result.p_value)


def test_krippendorff_nominal_takes_text_labels():
    labels = KRIPPENDORFF_2011.apply(lambda c: c.map({1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}))
    result = krippendorff_alpha(labels, raters=list("ABCD"), n_boot=50, seed=0)
    assert result.estimate == pytest.approx(0.743, abs=5e-4)


# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories;
# P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
FLEISS_COUNTS = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)


def fleiss_wide() -> pd.DataFrame:
    rows = [np.repeat(np.arange(1, 6), counts) for counts in FLEISS_COUNTS]
    return pd.DataFrame(rows, columns=[f"rater{i}" for i in range(14)])


def test_fleiss_kappa_worked_example():
    data = fleiss_wide()
    result = fleiss_kappa(data, raters=list(data.columns), seed=0, n_boot=200)
    assert result.estimate == pytest.approx(0.210, abs=5e-4)
    assert result.estimate == pytest.approx(inter_rater.fleiss_kappa(FLEISS_COUNTS), abs=1e-14)
    assert (result.n_units, result.n_raters) == (10, 14)
    # Fleiss, Nee & Landis (1979) null variance, by hand from the category shares
    p = FLEISS_COUNTS.sum(axis=0) / 140
    q = 1 - p
    var0 = 2 / (10 * 14 * 13) * ((p @ q) ** 2 - (p * q * (q - p)).sum()) / (p @ q) ** 2
    from scipy import stats

    assert result.p_value == pytest.approx(2 * stats.norm.sf(result.estimate / np.sqrt(var0)))


def test_cohen_kappa_worked_example():
    # Wikipedia, "Cohen's kappa": 50 proposals, both yes 20, A yes/B no 5, A no/B yes 10,
    # both no 15; p_o = 0.7, p_e = 0.5, kappa = 0.4.
    data = pd.DataFrame(
        {
            "a": ["yes"] * 25 + ["no"] * 25,
            "b": ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15,
        }
    )
    result = cohen_kappa(data, rater_a="a", rater_b="b")
    assert result.estimate == pytest.approx(0.4)
    reference = inter_rater.cohens_kappa(pd.crosstab(data["a"], data["b"]).to_numpy())
    assert result.se == pytest.approx(np.sqrt(reference.var_kappa))
    assert result.p_value == pytest.approx(reference.pvalue_two_sided)
    assert result.ci_low == pytest.approx(0.4 - 1.959964 * result.se, abs=1e-6)


@pytest.mark.parametrize("weighting", ["linear", "quadratic"])
def test_weighted_kappa_matches_statsmodels(weighting):
    rng = np.random.default_rng(4)
    a = rng.integers(1, 5, 80)
    data = pd.DataFrame({"a": a, "b": np.clip(a + rng.integers(-1, 2, 80), 1, 4)})
    result = cohen_kappa(data, rater_a="a", rater_b="b", weighting=weighting)
    reference = inter_rater.cohens_kappa(pd.crosstab(data["a"], data["b"]).to_numpy(), wt=weighting)
    assert result.estimate == pytest.approx(reference.kappa, abs=1e-12)
    assert result.se == pytest.approx(np.sqrt(reference.var_kappa), abs=1e-12)


def test_kappa_categories_and_errors():
    data = pd.DataFrame({"a": [1, 2, 2, 4], "b": [1, 2, 3, 4]})
    with pytest.raises(ValueError, match="not in categories"):
        cohen_kappa(data, rater_a="a", rater_b="b", categories=[1, 2, 3])
    with pytest.raises(ValueError, match="single category"):
        cohen_kappa(data.assign(a=1, b=1), rater_a="a", rater_b="b")
    with pytest.raises(ValueError, match="same rating throughout"):
        cohen_kappa(data.assign(a=1, b=1), rater_a="a", rater_b="b", categories=[1, 2])
    with pytest.raises(ValueError, match="n_boot"):
        fleiss_kappa(data, raters=["a", "b"], n_boot=5)
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(data, raters=["a", "b"], level="fuzzy")


def test_numbers_mixed_with_text_are_named():
    # hand-worked: 3 and "good" cannot be ordered, which sorted() reports as a TypeError
    data = pd.DataFrame(
        {"a": [1, 2, "good", 3], "b": [1, 2, 3, 3], "c": ["x", "y", "x", "y"]}, dtype=object
    )
    with pytest.raises(ValueError, match="rater column 'a' mixes numbers and text"):
        cohen_kappa(data, rater_a="a", rater_b="b")
    with pytest.raises(ValueError, match="rater column 'a' mixes numbers and text"):
        krippendorff_alpha(data, raters=["b", "a"], n_boot=10)
    with pytest.raises(ValueError, match="'b' hold numbers but 'c' hold text"):
        fleiss_kappa(data, raters=["b", "c"], n_boot=10)
    # ints and floats are one kind and still work; hand-worked p_o = 3/4, p_e = 1/2, kappa 1/2
    mixed_numbers = pd.DataFrame({"a": [1, 2.0, 2, 1], "b": [1, 2, 2, 2.0]}, dtype=object)
    assert cohen_kappa(mixed_numbers, rater_a="a", rater_b="b").estimate == pytest.approx(0.5)
