"""Key driver analysis: table contents, weights, regression checks, bootstrap, IPA."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import variance_inflation_factor

from surveyor.stats import (
    bootstrap_importance,
    importance_performance,
    key_drivers,
    ordinal_drivers,
    shapley_importance,
    shapley_r2,
    standardized_coefficients,
    variance_inflation,
)
from surveyor.stats.drivers import KEY_DRIVER_COLUMNS


def simulated_survey(n: int, seed: int, weights: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)) @ np.array(
        [[1, 0.4, 0.2, 0], [0, 1, 0.3, 0.1], [0, 0, 1, 0.5], [0, 0, 0, 1]]
    )
    y = x @ np.array([0.6, 0.3, 0.2, 0.1]) + rng.normal(size=n)
    frame = pd.DataFrame(x, columns=["staff", "wait", "clean", "signs"]).assign(overall=y)
    if weights:
        frame["w"] = rng.integers(1, 4, size=n).astype(float)
    return frame


DRIVERS = ["staff", "wait", "clean", "signs"]


def test_table_has_the_documented_columns_and_sums(mtcars):
    result = key_drivers(mtcars, outcome="mpg", drivers=["cyl", "disp", "hp", "wt"])
    assert list(result.table.columns) == KEY_DRIVER_COLUMNS
    assert result.n == 32 and result.n_eff == pytest.approx(32)
    assert result.method == "shapley"
    assert result.table["shapley"].sum() == pytest.approx(result.r2, abs=1e-12)
    assert result.table["relative_weight"].sum() == pytest.approx(result.r2, abs=1e-12)
    assert result.table["shapley_share"].sum() == pytest.approx(1.0, abs=1e-12)
    # car::vif(lm(mpg ~ cyl + disp + hp + wt, mtcars)) = 6.737707 10.373286 3.405983 4.848016
    np.testing.assert_allclose(
        result.table["vif"], [6.737707, 10.373286, 3.405983, 4.848016], atol=5e-7
    )


def test_betas_match_published_lm_coefficients(mtcars):
    # domir vignette, summary(lm(mpg ~ am + cyl + carb, mtcars)):
    # am 4.2430, cyl -1.7175, carb -1.1304 (raw coefficients); beta = b * sd(x) / sd(y).
    table = standardized_coefficients(mtcars, outcome="mpg", drivers=["am", "cyl", "carb"])
    raw = (
        table["beta"].to_numpy()
        * mtcars["mpg"].std()
        / mtcars[["am", "cyl", "carb"]].std().to_numpy()
    )
    np.testing.assert_allclose(raw, [4.2430, -1.7175, -1.1304], atol=5e-5)
    assert list(table.columns) == [
        "driver",
        "beta",
        "se",
        "t",
        "p_value",
        "ci_low",
        "ci_high",
        "vif",
        "n",
    ]


def test_hc3_standard_errors_match_the_sandwich_formula(mtcars):
    # Hand-coded HC3 (MacKinnon & White 1985): (X'X)^-1 X' diag(e²/(1-h)²) X (X'X)^-1
    drivers = ["cyl", "disp", "hp", "wt"]
    z = (mtcars[drivers + ["mpg"]] - mtcars[drivers + ["mpg"]].mean()) / mtcars[
        drivers + ["mpg"]
    ].std()
    x = np.column_stack([np.ones(32), z[drivers]])
    bread = np.linalg.inv(x.T @ x)
    resid = z["mpg"].to_numpy() - x @ (bread @ x.T @ z["mpg"].to_numpy())
    h = np.einsum("ij,jk,ik->i", x, bread, x)
    cov = bread @ (x.T * (resid / (1 - h)) ** 2) @ x @ bread
    table = standardized_coefficients(mtcars, outcome="mpg", drivers=drivers)
    np.testing.assert_allclose(table["se"], np.sqrt(np.diag(cov))[1:], rtol=1e-10)


@pytest.mark.parametrize("weighted", [False, True])
def test_the_whole_inference_matches_statsmodels_hc3(weighted):
    # The fit is our own QR and sandwich; statsmodels' OLS/WLS with cov_type="HC3" and t
    # inference (its SVD pseudo-inverse) is the independent reference, to 1e-9.
    data = simulated_survey(300, seed=11, weights=True)
    w = data["w"].to_numpy() if weighted else np.ones(len(data))
    z = data[DRIVERS + ["overall"]]
    z = (z - np.average(z, axis=0, weights=w)) / np.sqrt(
        np.average((z - np.average(z, axis=0, weights=w)) ** 2, axis=0, weights=w))
    model = sm.WLS(z["overall"], sm.add_constant(z[DRIVERS]), weights=w)
    fit = model.fit(cov_type="HC3", use_t=True)
    low, high = np.asarray(fit.conf_int(alpha=0.1)).T
    table = standardized_coefficients(data, outcome="overall", drivers=DRIVERS,
                                      weights="w" if weighted else None, ci=0.9)
    for column, expected in [("beta", fit.params), ("se", fit.bse), ("t", fit.tvalues),
                             ("p_value", fit.pvalues), ("ci_low", low), ("ci_high", high)]:
        np.testing.assert_allclose(table[column], np.asarray(expected)[1:], rtol=1e-9, atol=1e-12,
                                   err_msg=column)


def test_a_response_with_leverage_one_leaves_the_inference_undefined():
    # The only response with a 1 in "rare" alone determines its coefficient: HC3 divides by
    # (1 - h)^2 = 0, so the sandwich and every standard error are undefined (NaN; statsmodels
    # says inf for all of them), never a finite figure from rounding errors.
    data = simulated_survey(60, seed=3)
    data["rare"] = 0.0
    data.loc[7, "rare"] = 1.0
    table = standardized_coefficients(data, outcome="overall", drivers=DRIVERS + ["rare"])
    assert np.isfinite(table["beta"]).all()
    assert table[["se", "t", "p_value", "ci_low", "ci_high"]].isna().all(axis=None)


def test_the_driver_analysis_imports_neither_statsmodels_nor_scipy_stats():
    # `surveyor analyze drivers` paid over a second for these imports before any figure.
    import subprocess
    import sys

    code = ("import pandas as pd, sys\nfrom surveyor.stats import key_drivers\n"
            "data = pd.DataFrame({'a': [1., 2, 3, 4, 5, 2], 'b': [2., 1, 4, 3, 5, 5], "
            "'y': [1., 3, 2, 5, 4, 3]})\nkey_drivers(data, outcome='y', drivers=['a', 'b'])\n"
            "print(sorted(m for m in ('statsmodels', 'scipy.stats') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_vif_matches_statsmodels(mtcars):
    drivers = ["cyl", "disp", "hp", "wt", "qsec"]
    exog = sm.add_constant(mtcars[drivers]).to_numpy()
    expected = [variance_inflation_factor(exog, j) for j in range(1, 6)]
    table = variance_inflation(mtcars, drivers=drivers)
    np.testing.assert_allclose(table["vif"], expected, rtol=1e-10)
    np.testing.assert_allclose(table["r2_on_others"], 1 - 1 / np.array(expected), rtol=1e-10)


def test_weighted_r2_and_betas_match_statsmodels_wls():
    data = simulated_survey(400, seed=5, weights=True)
    result = key_drivers(data, outcome="overall", drivers=DRIVERS, weights="w")
    fit = sm.WLS(data["overall"], sm.add_constant(data[DRIVERS]), weights=data["w"]).fit()
    assert result.r2 == pytest.approx(fit.rsquared, abs=1e-12)
    w = data["w"].to_numpy()

    def wsd(column):
        centred = data[column] - np.average(data[column], weights=w)
        return np.sqrt(np.average(centred**2, weights=w))

    raw = result.table["beta"].to_numpy() * wsd("overall") / np.array([wsd(d) for d in DRIVERS])
    np.testing.assert_allclose(raw, fit.params[1:], rtol=1e-10)
    assert result.n_eff < result.n


def test_integer_weights_equal_repeated_responses():
    # Frequency weights of 1-3 must give what the data with each row repeated gives.
    data = simulated_survey(150, seed=9, weights=True)
    weighted = key_drivers(data, outcome="overall", drivers=DRIVERS, weights="w")
    repeated = data.loc[data.index.repeat(data["w"].astype(int))]
    plain = key_drivers(repeated, outcome="overall", drivers=DRIVERS)
    np.testing.assert_allclose(weighted.table["shapley"], plain.table["shapley"], atol=1e-12)
    np.testing.assert_allclose(
        weighted.table["relative_weight"], plain.table["relative_weight"], atol=1e-12
    )


def test_switches_to_relative_weights_beyond_the_exact_limit(mtcars):
    result = key_drivers(mtcars, outcome="mpg", drivers=["cyl", "disp", "hp", "wt"], exact_limit=3)
    assert result.method == "relative_weights"
    assert result.table["shapley"].isna().all()
    assert list(result.table["rank"]) == [2, 3, 4, 1]  # by relative weight: wt, cyl, disp, hp
    assert result.r2 == pytest.approx(0.8486348, abs=1e-7)


def test_shapley_importance_alone(mtcars):
    drivers = ["cyl", "disp", "hp", "wt"]
    table = shapley_importance(mtcars, outcome="mpg", drivers=drivers)
    full = key_drivers(mtcars, outcome="mpg", drivers=drivers)
    assert list(table.columns) == ["driver", "shapley", "share", "rank", "n"]
    np.testing.assert_allclose(table["shapley"], full.table["shapley"], atol=1e-15)
    assert table["share"].sum() == pytest.approx(1.0) and list(table["rank"]) == list(
        full.table["rank"]
    )
    with pytest.raises(ValueError, match="use key_drivers"):
        shapley_importance(mtcars, outcome="mpg", drivers=drivers, exact_limit=3)


def test_nullable_integer_columns(mtcars):
    data = mtcars.astype({"cyl": "Int64", "hp": "Int64"})
    data.loc[3, "hp"] = pd.NA
    result = key_drivers(data, outcome="mpg", drivers=["cyl", "hp", "wt"])
    assert result.n == 31


def test_listwise_deletion_reports_n(mtcars):
    data = mtcars.copy()
    data.loc[[0, 5], "hp"] = np.nan
    data.loc[9, "mpg"] = np.nan
    result = key_drivers(data, outcome="mpg", drivers=["cyl", "hp", "wt"])
    assert result.n == 29
    expected = key_drivers(
        data.dropna(subset=["mpg", "cyl", "hp", "wt"]), outcome="mpg", drivers=["cyl", "hp", "wt"]
    )
    np.testing.assert_allclose(result.table["shapley"], expected.table["shapley"], atol=1e-15)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"outcome": "mpg", "drivers": ["mpg", "wt"]}, "both the outcome and a driver"),
        ({"outcome": "mpg", "drivers": ["wt", "nope"]}, "'nope' not found"),
        ({"outcome": "mpg", "drivers": ["wt", "wt"]}, "more than once"),
        ({"outcome": "mpg", "drivers": []}, "empty"),
        ({"outcome": "mpg", "drivers": ["model"]}, "not numbers"),
        ({"outcome": "mpg", "drivers": ["wt"], "weights": "hp", "exact_limit": -1}, "exact_limit"),
    ],
)
def test_input_errors_are_actionable(mtcars, kwargs, message):
    with pytest.raises(ValueError, match=message):
        key_drivers(mtcars, **kwargs)


def test_constant_driver_and_too_few_responses(mtcars):
    with pytest.raises(ValueError, match="same answer in every complete response"):
        key_drivers(mtcars.assign(k=1), outcome="mpg", drivers=["wt", "k"])
    with pytest.raises(ValueError, match="at least 5 complete responses"):
        key_drivers(mtcars.head(4), outcome="mpg", drivers=["wt", "hp", "cyl"])


def test_bootstrap_is_reproducible_and_brackets_the_estimate(attitude):
    drivers = ["complaints", "learning", "raises"]
    first = bootstrap_importance(attitude, outcome="rating", drivers=drivers, n_boot=200, seed=3)
    second = bootstrap_importance(attitude, outcome="rating", drivers=drivers, n_boot=200, seed=3)
    pd.testing.assert_frame_equal(first, second)
    assert (first["shapley_ci_low"] <= first["shapley"]).all()
    assert (first["shapley"] <= first["shapley_ci_high"]).all()
    assert first["n"].iloc[0] == 30 and first["n_boot"].iloc[0] == 200
    reference = key_drivers(attitude, outcome="rating", drivers=drivers).table
    np.testing.assert_allclose(first["shapley"], reference["shapley"], atol=1e-15)


def test_bootstrap_intervals_cover_population_importances():
    # Population correlation of (x, y) for x ~ N(0, S), y = x'b + e, Var(e) = 1, is known,
    # so are the population Shapley values; 95% intervals should cover them ~95% of the time.
    s = np.array([[1.0, 0.5, 0.3], [0.5, 1.0, 0.4], [0.3, 0.4, 1.0]])
    b = np.array([0.5, 0.3, 0.4])
    cov = np.block([[s, (s @ b)[:, None]], [(s @ b)[None, :], np.array([[b @ s @ b + 1]])]])
    sd = np.sqrt(np.diag(cov))
    truth = shapley_r2(cov / np.outer(sd, sd))
    rng = np.random.default_rng(2024)
    hits = []
    for rep in range(40):
        x = rng.multivariate_normal(np.zeros(3), s, size=300)
        frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(y=x @ b + rng.normal(size=300))
        boot = bootstrap_importance(
            frame, outcome="y", drivers=["a", "b", "c"], n_boot=200, seed=rep
        )
        hits.extend((boot["shapley_ci_low"] <= truth) & (truth <= boot["shapley_ci_high"]))
    assert 0.85 <= np.mean(hits) <= 1.0


def test_bootstrap_beyond_exact_limit_has_only_relative_weights(attitude):
    boot = bootstrap_importance(
        attitude,
        outcome="rating",
        drivers=["complaints", "learning", "raises"],
        n_boot=50,
        seed=1,
        exact_limit=2,
    )
    assert boot["shapley"].isna().all() and boot["relative_weight_ci_low"].notna().all()


def test_ordinal_model_matches_published_polr(housing):
    # Venables & Ripley (2002), MASS 4th ed., section 7.3: polr(Sat ~ Infl + Type + Cont,
    # weights = Freq, data = housing): InflMedium 0.5664, InflHigh 1.2888, TypeApartment
    # -0.5724, TypeAtrium -0.3662, TypeTerrace -1.0910, ContHigh 0.3603; standard errors
    # 0.1047, 0.1272, 0.1192, 0.1552, 0.1515, 0.0955.
    rows = housing.loc[housing.index.repeat(housing["Freq"])]
    data = pd.DataFrame(
        {
            "sat": rows["Sat"].map({"Low": 1, "Medium": 2, "High": 3}),
            "infl_medium": (rows["Infl"] == "Medium").astype(float),
            "infl_high": (rows["Infl"] == "High").astype(float),
            "type_apartment": (rows["Type"] == "Apartment").astype(float),
            "type_atrium": (rows["Type"] == "Atrium").astype(float),
            "type_terrace": (rows["Type"] == "Terrace").astype(float),
            "cont_high": (rows["Cont"] == "High").astype(float),
        }
    )
    drivers = list(data.columns[1:])
    table = ordinal_drivers(data, outcome="sat", drivers=drivers, standardize=False)
    np.testing.assert_allclose(
        table["coefficient"], [0.5664, 1.2888, -0.5724, -0.3662, -1.0910, 0.3603], atol=6e-5
    )
    np.testing.assert_allclose(
        table["se"], [0.1047, 0.1272, 0.1192, 0.1552, 0.1515, 0.0955], atol=6e-5
    )
    assert table["n"].iloc[0] == 1681
    assert list(table["rank"]) == [4, 1, 3, 5, 2, 6]  # by |coefficient|


def test_ordinal_model_needs_three_categories(mtcars):
    with pytest.raises(ValueError, match="at least 3 ordered categories"):
        ordinal_drivers(mtcars, outcome="am", drivers=["wt"])


def test_importance_performance_quadrants():
    # Hand-worked: importances are the Shapley shares, performances the driver means, and
    # the cross-hairs their means; each quadrant follows from the two comparisons.
    data = simulated_survey(500, seed=1)
    data[DRIVERS] = data[DRIVERS] + np.array([1.0, 3.0, 2.5, 4.0])  # different mean scores
    grid = importance_performance(data, outcome="overall", drivers=DRIVERS)
    shares = key_drivers(data, outcome="overall", drivers=DRIVERS).table["shapley_share"].to_numpy()
    means = data[DRIVERS].mean().to_numpy()
    np.testing.assert_allclose(grid["importance"], shares)
    np.testing.assert_allclose(grid["performance"], means)
    high_i, high_p = shares >= shares.mean(), means >= means.mean()
    expected = {
        (True, False): "concentrate here",
        (True, True): "keep up the good work",
        (False, False): "low priority",
        (False, True): "possible overkill",
    }
    assert list(grid["quadrant"]) == [expected[(a, b)] for a, b in zip(high_i, high_p)]
    given = importance_performance(data, outcome="overall", drivers=DRIVERS,
                                   key=key_drivers(data, outcome="overall", drivers=DRIVERS))
    pd.testing.assert_frame_equal(given, grid)
    scale = importance_performance(
        data, outcome="overall", drivers=DRIVERS, crosshair="scale", scale_min=1, scale_max=5
    )
    assert scale["importance_cut"].iloc[0] == 0.25 and scale["performance_cut"].iloc[0] == 3.0
    with pytest.raises(ValueError, match="needs scale_min and scale_max"):
        importance_performance(data, outcome="overall", drivers=DRIVERS, crosshair="scale")


def test_importance_performance_median_crosshair():
    # Hand-worked rule: with four drivers each cross-hair is the median of four values, the
    # mean of the middle two. Performances near 1, 3, 2.7 and 9 put the median (about 2.85)
    # below "wait" (about 3) and the mean (about 3.9) above it, so the rules must differ.
    data = simulated_survey(500, seed=1)
    data[DRIVERS] = data[DRIVERS] + np.array([1.0, 3.0, 2.7, 9.0])
    grid = importance_performance(data, outcome="overall", drivers=DRIVERS, crosshair="median")
    shares = key_drivers(data, outcome="overall", drivers=DRIVERS).table["shapley_share"].to_numpy()
    means = data[DRIVERS].mean().to_numpy()
    cut_i, cut_p = np.sort(shares)[1:3].mean(), np.sort(means)[1:3].mean()
    assert grid["importance_cut"].iloc[0] == pytest.approx(cut_i, abs=1e-15)
    assert grid["performance_cut"].iloc[0] == pytest.approx(cut_p, abs=1e-15)
    assert (grid["crosshair"] == "median").all()
    quadrant = dict(zip(grid["driver"], grid["quadrant"]))
    by_mean = dict(zip(DRIVERS, importance_performance(
        data, outcome="overall", drivers=DRIVERS)["quadrant"]))
    assert means[1] >= cut_p and means[1] < means.mean()
    assert quadrant["wait"] != by_mean["wait"]
    for driver, share, mean in zip(DRIVERS, shares, means):
        high = "keep up the good work" if mean >= cut_p else "concentrate here"
        low = "possible overkill" if mean >= cut_p else "low priority"
        assert quadrant[driver] == (high if share >= cut_i else low)


def test_importance_performance_refuses_a_key_for_other_inputs():
    data = simulated_survey(300, seed=2, weights=True)
    cases = [
        (key_drivers(data, outcome="overall", drivers=DRIVERS[:3]), {}, "computed for the drivers"),
        (key_drivers(data.iloc[:200], outcome="overall", drivers=DRIVERS), {}, "200 complete"),
        (key_drivers(data, outcome="overall", drivers=DRIVERS, weights="w"), {}, "other weights"),
        (key_drivers(data, outcome="overall", drivers=DRIVERS), {"weights": "w"}, "other weights"),
        (key_drivers(data, outcome="overall", drivers=DRIVERS, exact_limit=2), {}, "exact_limit"),
    ]
    for key, extra, message in cases:
        with pytest.raises(ValueError, match=message):
            importance_performance(data, outcome="overall", drivers=DRIVERS, key=key, **extra)
    weighted = key_drivers(data, outcome="overall", drivers=DRIVERS, weights="w")
    pd.testing.assert_frame_equal(
        importance_performance(data, outcome="overall", drivers=DRIVERS, weights="w", key=weighted),
        importance_performance(data, outcome="overall", drivers=DRIVERS, weights="w"),
    )
