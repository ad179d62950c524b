"""Key driver analysis: how much each driver (a rated service aspect) contributes to an
outcome such as overall satisfaction, by exact Shapley decomposition of R², Johnson's
relative weights and standardized coefficients, with bootstrap intervals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validation as v
from .regression import RegressionInput, fit_standardized_ols, regression_input, vif_from_corr
from .relative_importance import MAX_EXACT_DRIVERS, relative_weights, shapley_r2

KEY_DRIVER_COLUMNS = [
    "driver",
    "shapley",
    "shapley_share",
    "relative_weight",
    "relative_weight_share",
    "beta",
    "beta_se",
    "beta_p_value",
    "vif",
    "rank",
]


@dataclass(frozen=True)
class KeyDrivers:
    """Result of :func:`key_drivers`.

    Attributes
    ----------
    n : int
        Complete responses used.
    n_eff : float
        Kish's effective sample size (equals ``n`` without weights).
    r2 : float
        R² of the full linear model (weighted under weights).
    method : str
        ``"shapley"`` when the ranking uses exact Shapley values, ``"relative_weights"``
        when there were more than ``exact_limit`` drivers.
    table : pandas.DataFrame
        One row per driver with the columns in ``KEY_DRIVER_COLUMNS``.
    """

    n: int
    n_eff: float
    r2: float
    method: str
    table: pd.DataFrame


def _r2(corr: np.ndarray) -> float:
    r = corr[:-1, -1]
    return float(r @ np.linalg.solve(corr[:-1, :-1], r))


def _check_limit(exact_limit: int) -> int:
    if not isinstance(exact_limit, int) or exact_limit < 0:
        raise ValueError(f"exact_limit is a number of drivers (0 or more); got {exact_limit!r}")
    return exact_limit


def _shares(values: np.ndarray, r2: float) -> np.ndarray:
    """Values as shares of R²; undefined (NaN) when the drivers explain nothing."""
    return values / r2 if r2 > 0 else np.full(values.shape, np.nan)


def _ranks(values: np.ndarray) -> np.ndarray:
    return pd.Series(-values).rank(method="min").astype(int).to_numpy()


def key_drivers(
    data: pd.DataFrame,
    *,
    outcome: str,
    drivers,
    weights: str | None = None,
    exact_limit: int = MAX_EXACT_DRIVERS,
) -> KeyDrivers:
    """Importance of each driver for the outcome, by several standard measures.

    - ``shapley``: exact Shapley value (LMG) of the driver in the decomposition of R²,
      ``phi_j = sum_{S not containing j} |S|!(p-|S|-1)!/p! (R²(S+j) - R²(S))``, averaged
      over all orderings of the drivers; the values sum to ``r2``. Computed from every
      subset's R² (see :func:`surveyor.stats.relative_importance.subset_r2`). Lindeman,
      Merenda & Gold (1980); Grömping (2007), doi:10.1198/000313007X188252.
    - ``relative_weight``: Johnson's (2000) relative weight, doi:10.1207/S15327906MBR3501_1;
      the weights also sum to ``r2`` and approximate the Shapley values.
    - ``beta``: standardized OLS coefficient, ``beta_se`` its HC3 robust standard error
      and ``beta_p_value`` the t test (see :func:`standardized_coefficients`).
    - ``vif``: variance inflation factor.
    - ``*_share``: the value divided by ``r2`` (shares of the explained variance).
    - ``rank``: 1 for the most important driver by Shapley value, or by relative weight
      when there are more than ``exact_limit`` drivers (then ``shapley`` is NaN).

    Parameters
    ----------
    data : pandas.DataFrame
    outcome : str
        The outcome column, e.g. overall satisfaction.
    drivers : list of str
        The driver columns.
    weights : str, optional
        Column of survey weights; correlations, R² and the regression are then weighted.
        Responses with a missing or zero weight are left out.
    exact_limit : int
        Largest number of drivers for exact Shapley values (default
        ``MAX_EXACT_DRIVERS``; see that constant for measured run times).

    Returns
    -------
    KeyDrivers

    Notes
    -----
    Missing answers are deleted listwise. Validated against the published ``domir``
    (``mtcars``), ``dominanceanalysis`` (``attitude``) and ``rwa`` (``mtcars``) results,
    against brute-force Shapley values over all orderings, and against pingouin and
    dominance-analysis in ``benchmarks/drivers.py``.
    """
    limit = _check_limit(exact_limit)
    inp = regression_input(data, outcome, drivers, weights)
    r2 = _r2(inp.corr)
    exact = len(inp.drivers) <= limit
    shapley = shapley_r2(inp.corr) if exact else np.full(len(inp.drivers), np.nan)
    weights_rw = relative_weights(inp.corr)
    fit = fit_standardized_ols(inp)
    table = pd.DataFrame(
        {
            "driver": inp.drivers,
            "shapley": shapley,
            "shapley_share": _shares(shapley, r2),
            "relative_weight": weights_rw,
            "relative_weight_share": _shares(weights_rw, r2),
            "beta": fit.beta,
            "beta_se": fit.se,
            "beta_p_value": fit.p_value,
            "vif": vif_from_corr(inp.corr[:-1, :-1]),
            "rank": _ranks(shapley if exact else weights_rw),
        },
        columns=KEY_DRIVER_COLUMNS,
    )
    return KeyDrivers(inp.n, inp.n_eff, r2, "shapley" if exact else "relative_weights", table)


def shapley_importance(
    data: pd.DataFrame,
    *,
    outcome: str,
    drivers,
    weights: str | None = None,
    exact_limit: int = MAX_EXACT_DRIVERS,
) -> pd.DataFrame:
    """Exact Shapley (LMG) decomposition of R² alone, without the regression diagnostics.

    The same values as the ``shapley`` column of :func:`key_drivers` (see there for the
    formula and references), for callers that need only the decomposition.

    Returns
    -------
    pandas.DataFrame
        ``driver, shapley, share, rank, n``; ``shapley`` sums to the model's R² and
        ``share`` to 1.

    Raises
    ------
    ValueError
        With more than ``exact_limit`` drivers; use :func:`key_drivers`, which then
        reports relative weights.
    """
    limit = _check_limit(exact_limit)
    inp = regression_input(data, outcome, drivers, weights)
    if len(inp.drivers) > limit:
        raise ValueError(
            f"{len(inp.drivers)} drivers is more than the {limit} for which exact Shapley "
            "values are "
            "computed; use key_drivers(), which reports relative weights instead"
        )
    shapley = shapley_r2(inp.corr)
    return pd.DataFrame(
        {
            "driver": inp.drivers,
            "shapley": shapley,
            "share": _shares(shapley, float(shapley.sum())),
            "rank": _ranks(shapley),
            "n": inp.n,
        }
    )


def _standardized_values(inp: RegressionInput) -> np.ndarray:
    """Centred, unit-scaled columns: keeps the resampled moments free of cancellation."""
    x = inp.values.to_numpy()
    mean = inp.weights @ x / inp.weights.sum()
    return (x - mean) / x.std(axis=0)


def _resampled_corr(z: np.ndarray, frequency: np.ndarray) -> np.ndarray | None:
    """Weighted correlation of already standardized columns, or None if one is constant."""
    total = frequency.sum()
    mean = frequency @ z / total
    cov = (z * frequency[:, None]).T @ z / total - np.outer(mean, mean)
    scale = np.sqrt(np.diag(cov))
    if np.any(scale < 1e-8):
        return None
    corr = cov / np.outer(scale, scale)
    np.fill_diagonal(corr, 1.0)
    return corr


def _replicate(corr: np.ndarray, exact: bool) -> tuple[np.ndarray, np.ndarray | None] | None:
    try:
        return relative_weights(corr), (shapley_r2(corr) if exact else None)
    except ValueError:  # drivers became collinear in this resample
        return None


def bootstrap_importance(
    data: pd.DataFrame,
    *,
    outcome: str,
    drivers,
    weights: str | None = None,
    n_boot: int = 500,
    ci: float = 0.95,
    seed: int | None = None,
    exact_limit: int = MAX_EXACT_DRIVERS,
) -> pd.DataFrame:
    """Bootstrap percentile intervals for the Shapley values and relative weights.

    Respondents are resampled with replacement (``n`` out of ``n``, each keeping its
    weight); every replicate recomputes the correlation matrix and both decompositions, and
    the interval is the ``(1-ci)/2`` and ``(1+ci)/2`` quantiles of the replicates (Efron &
    Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 13). Replicates in which a
    driver is constant or redundant are discarded; ``n_boot`` reports those kept.

    Returns
    -------
    pandas.DataFrame
        ``driver, shapley, shapley_ci_low, shapley_ci_high, relative_weight,
        relative_weight_ci_low, relative_weight_ci_high, n, n_boot``; the Shapley columns are
        NaN beyond ``exact_limit`` drivers.

    Notes
    -----
    Validated by coverage: on simulated data with known population importances the 95%
    intervals cover them at about the nominal rate (``tests/stats/test_stats_drivers.py``).
    """
    ci = v.check_ci(ci)
    limit = _check_limit(exact_limit)
    v.check_n_boot(n_boot)
    inp = regression_input(data, outcome, drivers, weights)
    exact = len(inp.drivers) <= limit
    z = _standardized_values(inp)
    rng = np.random.default_rng(seed)
    replicates = []
    for _ in range(n_boot):
        counts = np.bincount(rng.integers(0, inp.n, inp.n), minlength=inp.n)
        corr = _resampled_corr(z, counts * inp.weights)
        if corr is not None and (result := _replicate(corr, exact)) is not None:
            replicates.append(result)
    if len(replicates) < 10:
        raise ValueError(
            "fewer than 10 usable bootstrap replicates; the sample is too small or too uniform"
        )
    rw_reps = np.array([rw for rw, _ in replicates])
    tails = [(1 - ci) / 2, (1 + ci) / 2]
    rw_low, rw_high = np.quantile(rw_reps, tails, axis=0)
    if exact:
        shap_low, shap_high = np.quantile(np.array([sh for _, sh in replicates]), tails, axis=0)
        shapley = shapley_r2(inp.corr)
    else:
        shap_low = shap_high = shapley = np.full(len(inp.drivers), np.nan)
    return pd.DataFrame(
        {
            "driver": inp.drivers,
            "shapley": shapley,
            "shapley_ci_low": shap_low,
            "shapley_ci_high": shap_high,
            "relative_weight": relative_weights(inp.corr),
            "relative_weight_ci_low": rw_low,
            "relative_weight_ci_high": rw_high,
            "n": inp.n,
            "n_boot": len(replicates),
        }
    )
