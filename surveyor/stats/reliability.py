"""Internal consistency of a multi-item scale: Cronbach's alpha with Feldt's interval,
alpha if an item is deleted, and corrected item-total correlations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import _validation as v
from ._moments import kish_effective_n, weighted_mean_se


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of ``k`` items on ``n`` complete responses.

    ``standardized_alpha`` is the alpha of the z-scored items,
    ``k r / (1 + (k-1) r)`` with ``r`` the mean inter-item correlation. ``n_eff`` is Kish's
    effective sample size behind the interval (equal to ``n`` without weights).
    """

    n: int
    k: int
    alpha: float
    ci_low: float
    ci_high: float
    standardized_alpha: float
    n_eff: float


_REVERSE_ADVICE = (
    "items that cancel each other out are usually negatively worded items that need "
    "reverse-scoring first (on a 1-5 scale, 6 minus the answer); reverse-score them or leave "
    "one out"
)
_TOLERANCE = 1e-10  # a sum-score variance below this share of the item variances counts as 0


def _covariance(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted covariance matrix ``sum w (x - m)(x - m)' / sum w`` (``m`` the weighted
    means). Its scale does not matter here: alpha and correlations are ratios of its entries."""
    centred = x - (w @ x) / w.sum()
    return (centred * w[:, None]).T @ centred


def _alpha(cov: np.ndarray, names, dropped: str | None = None) -> float:
    """``k/(k-1) (1 - tr(S) / 1'S1)`` from the items' covariance matrix ``S``."""
    k = cov.shape[0]
    item_var = np.trace(cov)
    total_var = cov.sum()
    if total_var <= _TOLERANCE * item_var:
        listed = ", ".join(repr(str(name)) for name in names)
        without = f"without {dropped!r}, " if dropped is not None else ""
        raise ValueError(
            f"{without}the sum of {listed} is the same for every response, so Cronbach's "
            f"alpha is undefined (it divides by the sum's variance, 0); {_REVERSE_ADVICE}"
        )
    return float(k / (k - 1) * (1 - item_var / total_var))


def _items(data: pd.DataFrame, items, minimum_items: int, weights: str | None):
    names = v.column_list(items, what="items")
    if len(names) < minimum_items:
        raise ValueError(
            f"a reliability analysis needs at least {minimum_items} items; got {len(names)}"
        )
    values, w = v.complete_cases(data, names, weights=weights)
    v.require_n(len(values), 3, "a reliability analysis")
    v.require_variation(values)  # a constant item has no variance: its correlations are 0/0
    return values, w


def cronbach_alpha(
    data: pd.DataFrame, *, items, weights: str | None = None, ci: float = 0.95
) -> AlphaResult:
    """Cronbach's alpha with Feldt's F-based confidence interval.

    ``alpha = k/(k-1) (1 - sum s_i^2 / s_T^2)`` with ``s_i^2`` the item variances and
    ``s_T^2`` the variance of the sum score (Cronbach 1951, doi:10.1007/BF02310555); in
    matrix form ``k/(k-1) (1 - tr(S) / 1'S1)`` with ``S`` the items' covariance matrix.
    ``(1 - alpha_pop) / (1 - alpha)`` follows an F distribution with ``n-1`` and
    ``(n-1)(k-1)`` degrees of freedom, giving
    ``[1 - (1-alpha) F_{(1+ci)/2}, 1 - (1-alpha) F_{(1-ci)/2}]`` (Feldt 1965,
    doi:10.1007/BF02289499).

    Parameters
    ----------
    items : list of str
        Two or more item columns, scored in the same direction (reverse-score first).
    weights : str, optional
        Column of survey weights. ``S`` is then the weighted covariance matrix
        ``sum w (x - m)(x - m)' / sum w`` (alpha is a ratio of its entries, so the
        normalisation does not matter) and ``standardized_alpha`` uses the weighted
        correlations. Feldt's degrees of freedom use Kish's effective sample size
        ``n_eff = (sum w)^2 / sum w^2`` (Kish 1965, *Survey Sampling*, section 11.7) in place
        of ``n``: an approximation for survey weights (Feldt's F assumes independent,
        equally weighted responses), the convention of this package's other weighted
        intervals. Integer *frequency* weights give the same alpha as repeating each row
        ``w`` times, but not the same interval: repeated rows count ``sum w`` responses,
        Kish counts fewer; expand the rows for a frequency-weight interval.
    ci : float

    Returns
    -------
    AlphaResult

    Raises
    ------
    ValueError
        When an item is constant, or when the items sum to the same score for every response
        (alpha divides by the sum's variance) or their z-scores do (the standardized alpha
        divides by ``1 + (k-1) r``): usually items that need reverse-scoring.

    Notes
    -----
    Responses missing any item (or the weight, or with weight 0) are deleted listwise.
    Validated against a hand-worked example (exact fractions) and the F quantiles of
    ``scipy.stats.f``; with weights, against repeated rows (alpha) and a hand-worked Kish
    interval.
    """
    ci = v.check_ci(ci)
    values, w = _items(data, items, 2, weights)
    names = list(values.columns)
    cov = _covariance(values.to_numpy(), w)
    n, k = values.shape
    alpha = _alpha(cov, names)
    n_eff = kish_effective_n(w)
    df1, df2 = n_eff - 1, (n_eff - 1) * (k - 1)
    scale = np.sqrt(np.diag(cov))
    corr = cov / np.outer(scale, scale)
    mean_r = (corr.sum() - np.trace(corr)) / (k * (k - 1))
    if 1 + (k - 1) * mean_r <= _TOLERANCE:
        raise ValueError(
            f"the z-scores of {', '.join(repr(str(c)) for c in names)} sum to the same value for "
            "every response (mean inter-item correlation -1/(k-1)), so the standardized alpha "
            f"is undefined; {_REVERSE_ADVICE}"
        )
    return AlphaResult(
        n=n,
        k=k,
        alpha=alpha,
        ci_low=float(1 - (1 - alpha) * stats.f.ppf((1 + ci) / 2, df1, df2)),
        ci_high=float(1 - (1 - alpha) * stats.f.ppf((1 - ci) / 2, df1, df2)),
        standardized_alpha=float(k * mean_r / (1 + (k - 1) * mean_r)),
        n_eff=n_eff,
    )


def item_analysis(data: pd.DataFrame, *, items, weights: str | None = None) -> pd.DataFrame:
    """Item statistics for scale construction.

    - ``corrected_item_total``: Pearson correlation of the item with the sum of the *other*
      items (the item itself removed from the total, so it does not correlate with itself).
    - ``alpha_if_deleted``: Cronbach's alpha of the remaining items (NaN with only 2 items).

    Parameters
    ----------
    items : list of str
    weights : str, optional
        Column of survey weights: means, standard deviations (as in :func:`mean_ci`),
        correlations and alphas are weighted as in :func:`cronbach_alpha`; ``n`` still
        counts responses.

    Returns
    -------
    pandas.DataFrame
        ``item, n, mean, sd, corrected_item_total, alpha_if_deleted``.

    Raises
    ------
    ValueError
        As :func:`cronbach_alpha`, and when the items other than one sum to the same score
        for every response (that item's correlation and alpha-if-deleted are undefined).

    Notes
    -----
    Listwise deletion over all items, so every row uses the same responses. Validated
    against a hand-worked example; with weights, against repeated rows.
    """
    values, w = _items(data, items, 2, weights)
    names = list(values.columns)
    x = values.to_numpy()
    n, k = x.shape
    cov = _covariance(x, w)
    _alpha(cov, names)
    rows = []
    for j, name in enumerate(names):
        rest = [i for i in range(k) if i != j]
        others = cov[np.ix_(rest, rest)]
        # raises first when the other items sum to a constant (a single item cannot: it varies)
        alpha_without = (
            _alpha(others, [names[i] for i in rest], dropped=name) if k > 2 else float("nan")
        )
        r = float(cov[j, rest].sum() / np.sqrt(cov[j, j] * others.sum()))
        mean, sd, _ = weighted_mean_se(x[:, j], w)
        rows.append((name, n, mean, sd, r, alpha_without))
    return pd.DataFrame(
        rows, columns=["item", "n", "mean", "sd", "corrected_item_total", "alpha_if_deleted"]
    )
