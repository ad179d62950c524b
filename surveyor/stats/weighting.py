"""Survey weights that match known population figures: post-stratification to cell counts
and raking (iterative proportional fitting) to margins, e.g. resident / pilgrim, gender
and age band. The weights they produce go into the ``weights=`` argument of the other
functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validation as v
from ._moments import kish_effective_n


@dataclass(frozen=True)
class WeightingResult:
    """Weights for every row of the data, and how well they reproduce the targets.

    ``weights`` is aligned with the data's index and sums to ``total`` (by default the
    number of rows, i.e. mean weight 1). ``design_effect`` is Kish's ``n / n_eff``;
    ``max_margin_error`` the largest absolute difference between a weighted share and its
    target share. ``margins`` names the columns the weights were raked to: pass it as
    ``calibration=`` to :func:`mean_ci` and the other design-based functions, so that their
    standard errors account for the calibration (empty for post-stratification).
    """

    weights: pd.Series
    n: int
    n_eff: float
    design_effect: float
    iterations: int
    converged: bool
    max_margin_error: float
    margins: tuple[str, ...] = ()


def _base_weights(data: pd.DataFrame, base_weights: str | None) -> np.ndarray:
    if base_weights is None:
        return np.ones(len(data))
    w = v.weight_values(data, base_weights)
    if w.isna().any() or (w <= 0).any():
        raise ValueError(
            f"base weights {base_weights!r} must be present and positive for every row"
        )
    return w.to_numpy(dtype="float64")


def _cell_keys(frame: pd.DataFrame, names: list[str]) -> pd.Series:
    """One hashable key per row: the value, or the tuple of values for several strata."""
    if len(names) == 1:
        return frame[names[0]].astype("object")
    return pd.Series(list(zip(*(frame[c] for c in names))), index=frame.index, dtype="object")


def _codes(answers: pd.Series, column: str, targets: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """Category code of every row and the target shares, after checking they match."""
    if answers.isna().any():
        raise ValueError(
            f"{int(answers.isna().sum())} rows have no value for {column!r}; give them a category "
            "that has a population figure (e.g. 'unknown') or drop them before weighting"
        )
    categories = list(targets)
    unknown = sorted(map(str, set(answers.unique()) - set(categories)))
    if unknown:
        raise ValueError(
            f"{column!r} has answers without a population figure: {', '.join(unknown)}; "
            "add them to the targets or recode them"
        )
    share = np.array([float(targets[c]) for c in categories])
    if np.isnan(share).any() or (share < 0).any() or share.sum() <= 0:
        raise ValueError(f"population figures for {column!r} must be non-negative and not all zero")
    position = {category: i for i, category in enumerate(categories)}
    codes = np.fromiter((position[a] for a in answers), dtype=np.intp, count=len(answers))
    counts = np.bincount(codes, minlength=len(categories))
    empty = [str(c) for c, k, s in zip(categories, counts, share) if k == 0 and s > 0]
    if empty:
        raise ValueError(
            f"{column!r}: no respondent in {', '.join(empty)}, which has a population share; "
            "collapse it with a neighbouring category"
        )
    return codes, share / share.sum()


def _result(
    data: pd.DataFrame, w: np.ndarray, iterations: int, converged: bool, error: float,
    margins: tuple[str, ...] = (),
) -> WeightingResult:
    n_eff = kish_effective_n(w)
    return WeightingResult(
        weights=pd.Series(w, index=data.index, name="weight"),
        n=len(w),
        n_eff=n_eff,
        design_effect=len(w) / n_eff,
        iterations=iterations,
        converged=converged,
        max_margin_error=error,
        margins=margins,
    )


def _check_total(total: float | None, n: int) -> float:
    if total is None:
        return float(n)
    if not total > 0:
        raise ValueError(
            f"total is the sum the weights should have, a positive number; got {total!r}"
        )
    return float(total)


def post_stratify(
    data: pd.DataFrame,
    *,
    strata,
    population: pd.DataFrame,
    base_weights: str | None = None,
    total: float | None = None,
) -> WeightingResult:
    """Post-stratification weights: each cell's weighted share equals its population share.

    ``w_i = b_i * T * P_h / sum_{j in h} b_j`` for respondent i in cell h, with ``b`` the base
    weights (1 without), ``P_h`` the population share of the cell and ``T`` the total the
    weights sum to (Holt & Smith 1979, *JRSS A* 142(1), 33-46; Lohr 2019, *Sampling: Design
    and Analysis*, section 4.4).

    Parameters
    ----------
    strata : str or list of str
        Columns that define the cells, e.g. ``["visitor_type", "gender"]``.
    population : pandas.DataFrame
        One row per cell with the strata columns and a ``population`` column holding counts
        or shares (they are normalised).
    base_weights : str, optional
        Column of design weights to adjust.
    total : float, optional
        Sum of the returned weights; the number of rows by default.

    Returns
    -------
    WeightingResult

    Notes
    -----
    Validated against a hand-worked example.
    """
    names = v.column_list(strata, what="strata")
    v.require_columns(data, names)
    v.require_columns(population, names + ["population"], what="population column")
    if population.duplicated(names).any():
        raise ValueError("population lists the same cell more than once; give each cell one row")
    b = _base_weights(data, base_weights)
    t = _check_total(total, len(data))
    if data[names].isna().any(axis=None):
        raise ValueError(
            f"{int(data[names].isna().any(axis=1).sum())} rows have no value for one of "
            f"{', '.join(map(repr, names))}; give them a category with a population figure "
            "or drop them"
        )
    figures = v.numeric_columns(population, ["population"])["population"]
    targets = dict(zip(_cell_keys(population, names), figures))
    codes, share = _codes(_cell_keys(data, names), " x ".join(names), targets)
    cell_totals = np.bincount(codes, weights=b, minlength=len(share))
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(cell_totals > 0, t * share / cell_totals, 0.0)
    w = b * factor[codes]
    achieved = np.bincount(codes, weights=w, minlength=len(share)) / w.sum()
    return _result(data, w, 1, True, float(np.abs(achieved - share).max()))


def rake(
    data: pd.DataFrame,
    *,
    margins: Mapping[str, Mapping[object, float]],
    base_weights: str | None = None,
    total: float | None = None,
    max_iterations: int = 100,
    tolerance: float = 1e-10,
) -> WeightingResult:
    """Raking (iterative proportional fitting) to known population margins.

    Cycle through the margins; for each, multiply every respondent's weight by
    ``T * P_c / (sum of weights in category c)`` so that margin matches exactly; stop when
    every weighted share is within ``tolerance`` of its target (Deming & Stephan 1940,
    doi:10.1214/aoms/1177731829). The result is the weighting closest to the base weights,
    in the raking (Kullback-Leibler) sense, that reproduces all margins (Deville & Särndal
    1992, doi:10.1080/01621459.1992.10475217).

    Parameters
    ----------
    margins : mapping
        ``{column: {category: count or share}}``, e.g.
        ``{"visitor_type": {"resident": 0.7, "pilgrim": 0.3}, "gender": {...}}``.
    base_weights, total
        As in :func:`post_stratify`.
    max_iterations : int
        Full cycles through the margins before giving up (``converged`` is then False).
    tolerance : float

    Returns
    -------
    WeightingResult

    Notes
    -----
    Validated against the closed form for a 2x2 table (raking preserves the sample's odds
    ratio while matching both margins), for a single margin, post-stratification, and the
    weights of R's ``survey::rake()`` (to 1e-10). Standard errors of estimates on these
    weights account for the raking when ``result.margins`` is passed as ``calibration=``.
    """
    if not isinstance(max_iterations, int) or max_iterations < 1:
        raise ValueError(
            f"max_iterations must be a whole number, 1 or more; got {max_iterations!r}"
        )
    if not margins:
        raise ValueError("margins is empty; give at least one {column: {category: target}}")
    v.require_columns(data, list(margins))
    w = _base_weights(data, base_weights)
    t = _check_total(total, len(data))
    coded = [_codes(data[column], column, targets) for column, targets in margins.items()]
    w = w * (t / w.sum())
    error, iteration = np.inf, 0
    for iteration in range(1, max_iterations + 1):
        for codes, share in coded:
            totals = np.bincount(codes, weights=w, minlength=len(share))
            with np.errstate(divide="ignore", invalid="ignore"):
                w = w * np.where(totals > 0, t * share / totals, 0.0)[codes]
        error = max(
            float(
                np.abs(np.bincount(codes, weights=w, minlength=len(share)) / w.sum() - share).max()
            )
            for codes, share in coded
        )
        if error <= tolerance:
            break
    return _result(data, w, iteration, bool(error <= tolerance), error, tuple(margins))
