"""Internal consistency of a multi-item scale: Cronbach's alpha with Feldt's interval,
alpha if an item is deleted, and corrected item-total correlations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import _validation as v


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of ``k`` items on ``n`` complete responses.

    ``standardized_alpha`` is the alpha of the z-scored items,
    ``k r / (1 + (k-1) r)`` with ``r`` the mean inter-item correlation.
    """

    n: int
    k: int
    alpha: float
    ci_low: float
    ci_high: float
    standardized_alpha: float


def _alpha(x: np.ndarray) -> float:
    k = x.shape[1]
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var))


def _items(data: pd.DataFrame, items, minimum_items: int) -> pd.DataFrame:
    names = v.column_list(items, what="items")
    if len(names) < minimum_items:
        raise ValueError(
            f"a reliability analysis needs at least {minimum_items} items; got {len(names)}"
        )
    values, _ = v.complete_cases(data, names)
    v.require_n(len(values), 3, "a reliability analysis")
    v.require_variation(values)
    return values


def cronbach_alpha(data: pd.DataFrame, *, items, ci: float = 0.95) -> AlphaResult:
    """Cronbach's alpha with Feldt's F-based confidence interval.

    ``alpha = k/(k-1) (1 - sum s_i^2 / s_T^2)`` with ``s_i^2`` the item variances and
    ``s_T^2`` the variance of the sum score (Cronbach 1951, doi:10.1007/BF02310555).
    ``(1 - alpha_pop) / (1 - alpha)`` follows an F distribution with ``n-1`` and
    ``(n-1)(k-1)`` degrees of freedom, giving
    ``[1 - (1-alpha) F_{(1+ci)/2}, 1 - (1-alpha) F_{(1-ci)/2}]`` (Feldt 1965,
    doi:10.1007/BF02289499).

    Parameters
    ----------
    items : list of str
        Two or more item columns, scored in the same direction (reverse-score first).
    ci : float

    Returns
    -------
    AlphaResult

    Notes
    -----
    Responses missing any item are deleted listwise. Validated against a hand-worked
    example (exact fractions) and the F quantiles of ``scipy.stats.f``.
    """
    ci = v.check_ci(ci)
    values = _items(data, items, 2)
    x = values.to_numpy()
    n, k = x.shape
    alpha = _alpha(x)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    corr = np.corrcoef(x, rowvar=False)
    mean_r = (corr.sum() - k) / (k * (k - 1))
    return AlphaResult(
        n=n,
        k=k,
        alpha=alpha,
        ci_low=float(1 - (1 - alpha) * stats.f.ppf((1 + ci) / 2, df1, df2)),
        ci_high=float(1 - (1 - alpha) * stats.f.ppf((1 - ci) / 2, df1, df2)),
        standardized_alpha=float(k * mean_r / (1 + (k - 1) * mean_r)),
    )


def item_analysis(data: pd.DataFrame, *, items) -> pd.DataFrame:
    """Item statistics for scale construction.

    - ``corrected_item_total``: Pearson correlation of the item with the sum of the *other*
      items (the item itself removed from the total, so it does not correlate with itself).
    - ``alpha_if_deleted``: Cronbach's alpha of the remaining items (NaN with only 2 items).

    Returns
    -------
    pandas.DataFrame
        ``item, n, mean, sd, corrected_item_total, alpha_if_deleted``.

    Notes
    -----
    Listwise deletion over all items, so every row uses the same responses. Validated
    against a hand-worked example.
    """
    values = _items(data, items, 2)
    x = values.to_numpy()
    n, k = x.shape
    total = x.sum(axis=1)
    rows = []
    for j, name in enumerate(values.columns):
        rest = np.delete(x, j, axis=1)
        r = float(np.corrcoef(x[:, j], total - x[:, j])[0, 1])
        alpha_without = _alpha(rest) if k > 2 else float("nan")
        rows.append((name, n, float(x[:, j].mean()), float(x[:, j].std(ddof=1)), r, alpha_without))
    return pd.DataFrame(
        rows, columns=["item", "n", "mean", "sd", "corrected_item_total", "alpha_if_deleted"]
    )
