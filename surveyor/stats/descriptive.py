"""Descriptive statistics of rating items: means with t intervals, top- and bottom-box
shares with Wilson intervals and answer distributions, all optionally weighted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validation as v
from ._moments import kish_effective_n, t_interval, weighted_mean_se, wilson_interval


def _item_values(data, columns, weights, listwise):
    """Yield (column, values, weights) with missing answers removed listwise or per column."""
    names = v.column_list(columns, what="columns")
    if listwise:
        values, w = v.complete_cases(data, names, weights=weights)
        for name in names:
            yield name, values[name].to_numpy(), w
    else:
        for name in names:
            values, w = v.complete_cases(data, [name], weights=weights)
            yield name, values[name].to_numpy(), w


def mean_ci(
    data: pd.DataFrame,
    *,
    columns,
    weights: str | None = None,
    ci: float = 0.95,
    listwise: bool = True,
) -> pd.DataFrame:
    """Mean of each column with a Student t confidence interval.

    ``mean = sum(w y) / sum(w)``; ``se^2 = n/(n-1) sum w^2 (y-mean)^2 / (sum w)^2`` (the
    linearisation variance of a weighted mean; ``s^2/n`` without weights); interval
    ``mean -/+ t_{(1+ci)/2, n-1} se``. Lumley, T. (2010). *Complex Surveys*, Wiley, ch. 2.

    Parameters
    ----------
    columns : str or list of str
    weights : str, optional
        Column of survey weights.
    listwise : bool
        True (default): use responses that answered every column; False: each column uses
        all of its own answers.

    Returns
    -------
    pandas.DataFrame
        ``variable, n, n_eff, mean, sd, se, ci_low, ci_high``.

    Notes
    -----
    Validated against ``scipy.stats.t`` intervals (unweighted) and the HC1 standard error of
    an intercept-only statsmodels ``WLS`` (weighted), which is the same estimator.
    """
    ci = v.check_ci(ci)
    rows = []
    for name, y, w in _item_values(data, columns, weights, listwise):
        v.require_n(len(y), 2, f"a confidence interval for {name!r}")
        mean, sd, se = weighted_mean_se(y, w)
        low, high = t_interval(mean, se, len(y) - 1, ci)
        rows.append((name, len(y), kish_effective_n(w), mean, sd, se, low, high))
    return pd.DataFrame(
        rows, columns=["variable", "n", "n_eff", "mean", "sd", "se", "ci_low", "ci_high"]
    )


def _check_scale(name: str, y: np.ndarray, scale_min: float, scale_max: float) -> None:
    outside = (y < scale_min) | (y > scale_max)
    if outside.any():
        raise ValueError(
            f"column {name!r} has {outside.sum()} answers outside the scale "
            f"{scale_min}-{scale_max} "
            f"(for example {y[outside][0]:g}); fix the scale bounds or mark such codes as missing"
        )


def box_shares(
    data: pd.DataFrame,
    *,
    columns,
    scale_min: float,
    scale_max: float,
    boxes: int = 2,
    weights: str | None = None,
    ci: float = 0.95,
    listwise: bool = True,
) -> pd.DataFrame:
    """Top-box and bottom-box shares (e.g. top-two-box: 4 or 5 on a 1-5 scale).

    The top box holds answers ``>= scale_max - boxes + 1``, the bottom box answers
    ``<= scale_min + boxes - 1``. Shares are weighted means of the indicators; intervals are
    Wilson score intervals on Kish's effective sample size (Wilson 1927,
    doi:10.1080/01621459.1927.10502953).

    Returns
    -------
    pandas.DataFrame
        ``variable, n, n_eff, top_box, top_ci_low, top_ci_high, bottom_box, bottom_ci_low,
        bottom_ci_high``.

    Notes
    -----
    Validated against ``statsmodels.stats.proportion.proportion_confint(method="wilson")``
    and a hand-worked example.
    """
    ci = v.check_ci(ci)
    if scale_max <= scale_min:
        raise ValueError(f"scale_max ({scale_max}) must be above scale_min ({scale_min})")
    if not isinstance(boxes, int) or boxes < 1 or 2 * boxes > scale_max - scale_min + 1:
        raise ValueError(
            f"boxes is how many scale points form the top (and bottom) box, from 1 to half the "
            f"scale; got {boxes!r}"
        )
    rows = []
    for name, y, w in _item_values(data, columns, weights, listwise):
        v.require_n(len(y), 1, f"box shares of {name!r}")
        _check_scale(name, y, scale_min, scale_max)
        n_eff = kish_effective_n(w)
        top = float(w @ (y >= scale_max - boxes + 1) / w.sum())
        bottom = float(w @ (y <= scale_min + boxes - 1) / w.sum())
        (top_low, bottom_low), (top_high, bottom_high) = wilson_interval(
            np.array([top, bottom]), np.array([n_eff, n_eff]), ci
        )
        rows.append((name, len(y), n_eff, top, top_low, top_high, bottom, bottom_low, bottom_high))
    return pd.DataFrame(
        rows,
        columns=[
            "variable",
            "n",
            "n_eff",
            "top_box",
            "top_ci_low",
            "top_ci_high",
            "bottom_box",
            "bottom_ci_low",
            "bottom_ci_high",
        ],
    )


def distribution(
    data: pd.DataFrame, *, column: str, weights: str | None = None, ci: float = 0.95
) -> pd.DataFrame:
    """Frequency distribution of one question's answers, with Wilson intervals for shares.

    Works for numeric and text answers alike; missing answers are left out. Shares are
    weighted under weights, and the intervals use Kish's effective sample size.

    Returns
    -------
    pandas.DataFrame
        ``value, count, weighted_count, share, ci_low, ci_high, n``, sorted by value;
        ``count`` is the number of respondents, ``weighted_count`` the sum of their weights.

    Notes
    -----
    Validated against ``pandas.Series.value_counts`` and statsmodels' Wilson interval.
    """
    ci = v.check_ci(ci)
    v.require_columns(data, [column])
    answers = data[column]
    keep = answers.notna()
    if weights is None:
        w = pd.Series(1.0, index=data.index)
    else:
        w = v.weight_values(data, weights)
        keep &= w.notna() & (w > 0)
    answers, w = answers[keep], w[keep]
    v.require_n(len(answers), 1, f"the distribution of {column!r}")
    grouped = pd.DataFrame({"value": answers, "w": w}).groupby("value", sort=True)["w"]
    counts, totals = grouped.size(), grouped.sum()
    share = (totals / totals.sum()).to_numpy()
    n_eff = kish_effective_n(w.to_numpy())
    low, high = wilson_interval(share, np.full(share.shape, n_eff), ci)
    return pd.DataFrame(
        {
            "value": counts.index.to_numpy(),
            "count": counts.to_numpy(),
            "weighted_count": totals.to_numpy(),
            "share": share,
            "ci_low": low,
            "ci_high": high,
            "n": len(answers),
        }
    )
