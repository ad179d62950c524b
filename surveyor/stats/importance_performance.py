"""Importance-performance analysis: each driver's importance (from the key driver
analysis) against its mean score, with the quadrant it falls in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validation as v
from ._moments import kish_effective_n, weighted_mean
from .drivers import KeyDrivers, key_drivers
from .relative_importance import MAX_EXACT_DRIVERS

QUADRANTS = {
    (True, False): "concentrate here",
    (True, True): "keep up the good work",
    (False, False): "low priority",
    (False, True): "possible overkill",
}
CROSSHAIRS = ("mean", "median", "scale")
FIX_FIRST_COUNT = 3


def _check_key(
    key: KeyDrivers, drivers: list[str], n: int, w: np.ndarray, exact_limit: int
) -> None:
    """Refuse a ``key`` that was not computed for these drivers, responses and weights."""
    computed = list(key.table["driver"])
    if sorted(map(str, computed)) != sorted(map(str, drivers)):
        raise ValueError(
            f"key was computed for the drivers {computed}, not {list(drivers)}; pass the "
            "key_drivers() result for the same drivers, or leave key out"
        )
    advice = (
        "pass the key_drivers() result for the same data, outcome and weights, or leave key out"
    )
    if key.n != n:
        raise ValueError(
            f"key used {key.n} complete responses, but these data leave {n}; {advice}"
        )
    n_eff = kish_effective_n(w)
    if not np.isclose(key.n_eff, n_eff, rtol=1e-9, atol=0):
        raise ValueError(
            f"key has an effective sample size of {key.n_eff:.2f}, but the weights given make "
            f"it {n_eff:.2f}, so it was computed with other weights; {advice}"
        )
    method = "shapley" if len(drivers) <= exact_limit else "relative_weights"
    if key.method != method:
        raise ValueError(
            f"key ranks by {key.method}, but exact_limit={exact_limit} asks for {method}; "
            "compute key with the same exact_limit, or leave key out"
        )


def importance_performance(
    data: pd.DataFrame,
    *,
    outcome: str,
    drivers,
    weights: str | None = None,
    crosshair: str = "mean",
    scale_min: float | None = None,
    scale_max: float | None = None,
    exact_limit: int = MAX_EXACT_DRIVERS,
    key: KeyDrivers | None = None,
) -> pd.DataFrame:
    """Place every driver on the importance-performance grid.

    Importance is the driver's share of the explained variance (its Shapley value divided
    by R², or its relative weight share beyond ``exact_limit`` drivers, as in
    :func:`key_drivers`); performance is its (weighted) mean score over the same complete
    responses. The cross-hairs split the grid into four quadrants (Martilla & James 1977,
    doi:10.1177/002224297704100112):

    - high importance, low performance: "concentrate here"
    - high importance, high performance: "keep up the good work"
    - low importance, low performance: "low priority"
    - low importance, high performance: "possible overkill"

    A value exactly on a cross-hair counts as high.

    Parameters
    ----------
    crosshair : {"mean", "median", "scale"}
        Where the cross-hairs go: the mean (data-centred, the common choice) or median of the
        drivers' importances and performances; or ``"scale"``: importance at an equal share
        ``1/p`` and performance at the scale midpoint ``(scale_min + scale_max) / 2``.
    scale_min, scale_max : float, optional
        The rating scale, required for ``crosshair="scale"``.
    key : KeyDrivers, optional
        The result of :func:`key_drivers` for the same data, outcome, drivers, weights and
        ``exact_limit``, when the caller already has it (it is not computed twice). A key
        whose drivers, number of complete responses, effective sample size (the weights) or
        method (``exact_limit``) differ from those of the arguments is refused; a different
        outcome on the same responses cannot be detected.

    Returns
    -------
    pandas.DataFrame
        ``driver, importance, performance, quadrant, importance_cut, performance_cut,
        crosshair, n``.

    Notes
    -----
    Validated against a hand-worked example with known quadrants.
    """
    v.check_choice(crosshair, CROSSHAIRS, what="crosshair")
    if crosshair == "scale" and (scale_min is None or scale_max is None or scale_max <= scale_min):
        raise ValueError('crosshair="scale" needs scale_min and scale_max, e.g. 1 and 5')
    result = key if key is not None else key_drivers(
        data, outcome=outcome, drivers=drivers, weights=weights, exact_limit=exact_limit
    )
    if not result.r2 > 0:
        raise ValueError(
            "the drivers explain none of the outcome (R² = 0); importance is undefined"
        )
    table = result.table
    share = table["shapley_share"] if result.method == "shapley" else table["relative_weight_share"]
    importance = share.to_numpy()
    names = list(table["driver"])
    # the same complete responses as the driver analysis
    values, w = v.complete_cases(data, names + [outcome], weights=weights)
    if key is not None:
        _check_key(key, v.column_list(drivers, what="drivers"), len(values), w, exact_limit)
    performance = np.array([weighted_mean(values[name].to_numpy(), w) for name in names])
    if crosshair == "mean":
        cuts = importance.mean(), performance.mean()
    elif crosshair == "median":
        cuts = float(np.median(importance)), float(np.median(performance))
    else:
        cuts = 1.0 / len(names), (scale_min + scale_max) / 2
    quadrant = [
        QUADRANTS[(bool(i >= cuts[0]), bool(p >= cuts[1]))] for i, p in zip(importance, performance)
    ]
    return pd.DataFrame(
        {
            "driver": names,
            "importance": importance,
            "performance": performance,
            "quadrant": quadrant,
            "importance_cut": cuts[0],
            "performance_cut": cuts[1],
            "crosshair": crosshair,
            "n": result.n,
        }
    )


def fix_first(matrix: pd.DataFrame, count: int = FIX_FIRST_COUNT) -> list[str]:
    """The drivers to improve first, read off an :func:`importance_performance` matrix.

    The rule: the drivers in the "concentrate here" quadrant (importance at or above the
    cross-hair, performance below it: they matter more than the average driver and are rated
    worse), most important first, a lower score first among equals, at most ``count``. When
    the quadrant is empty the list is empty: a driver rated above the average is never called
    a thing to fix, so the list can never contradict the matrix (Martilla & James 1977,
    doi:10.1177/002224297704100112, "concentrate here").

    Returns
    -------
    list of str
        Driver names, most important first.

    Notes
    -----
    Validated against hand-placed matrices and against the demo model's drivers that are
    important and weak by design (tests/results/test_fix_first.py).
    """
    v.require_columns(matrix, ["driver", "importance", "performance", "quadrant"])
    weak = matrix[matrix["quadrant"] == QUADRANTS[(True, False)]]
    weak = weak.sort_values(["importance", "performance"], ascending=[False, True], kind="stable")
    return [str(name) for name in weak["driver"].head(count)]
