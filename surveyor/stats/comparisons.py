"""Comparisons across districts, service points, periods or respondent groups: rank tests
with effect sizes, chi-square for categories, and the change between two periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import special, stats
from statsmodels.stats.multitest import multipletests

from . import _validation as v
from ._moments import t_interval, weighted_mean_se
from .design import domain_estimates, is_design, survey_design


@dataclass(frozen=True)
class KruskalResult:
    """Kruskal-Wallis H test (tie-corrected) with epsilon² as effect size."""

    n: int
    groups: int
    h: float
    df: int
    p_value: float
    epsilon_squared: float


@dataclass(frozen=True)
class ChiSquareResult:
    """Pearson chi-square test of independence with Cramér's V.

    ``min_expected`` is the smallest expected count; below 5 the p-value is unreliable.
    """

    n: int
    chi2: float
    df: int
    p_value: float
    cramers_v: float
    min_expected: float


@dataclass(frozen=True)
class ChangeResult:
    """Change in a mean between two periods (``after - before``): Welch's t without a design,
    the design-based t under one. ``deff`` is ``se^2 / (sd_b^2/n_b + sd_a^2/n_a)``."""

    n_before: int
    n_after: int
    mean_before: float
    mean_after: float
    change: float
    se: float
    df: float
    t: float
    p_value: float
    ci_low: float
    ci_high: float
    standardized_change: float
    deff: float = float("nan")


def _groups(data: pd.DataFrame, value: str, group: str) -> dict[object, np.ndarray]:
    v.require_columns(data, [value, group])
    values = v.numeric_columns(data, [value])[value]
    keep = values.notna() & data[group].notna()
    frame = pd.DataFrame({"value": values[keep], "group": data[group][keep]})
    groups = {name: part["value"].to_numpy() for name, part in frame.groupby("group", sort=True)}
    if len(groups) < 2:
        raise ValueError(
            f"column {group!r} has {len(groups)} group(s) with answers; "
            "a comparison needs two or more"
        )
    return groups


MAX_COUNTED_LEVELS = 1000


def _level_counts(groups: dict[object, np.ndarray]) -> dict[object, np.ndarray] | None:
    """Each group's count of every distinct value (over all groups, ascending), or None when
    there are more than :data:`MAX_COUNTED_LEVELS` distinct values."""
    levels = np.unique(np.concatenate(list(groups.values())))
    if len(levels) > MAX_COUNTED_LEVELS:
        return None
    return {name: np.bincount(np.searchsorted(levels, x), minlength=len(levels)).astype(float)
            for name, x in groups.items()}


def _mann_whitney_counts(cx: np.ndarray, cy: np.ndarray) -> tuple[float, float]:
    """Two-sided Mann-Whitney ``(U of x, p)`` from the counts of each distinct value, with the
    normal approximation, tie correction and continuity correction of
    ``scipy.stats.mannwhitneyu`` (its ``_get_mwu_z``): ``U_x = sum_l cx_l (below_y_l + cy_l/2)``,
    ``mu = n1 n2 / 2``, ``s² = n1 n2 / 12 ((n + 1) - sum(t³ - t) / (n (n - 1)))`` with ``t_l =
    cx_l + cy_l``, ``z = (max(U_x, U_y) - mu - 1/2) / s``, ``p = 2 Φ(-z)`` clipped to [0, 1]."""
    n1, n2 = cx.sum(), cy.sum()
    n = n1 + n2
    u1 = float(np.sum(cx * (np.cumsum(cy) - cy + cy / 2)))
    u = max(u1, n1 * n2 - u1)
    t = cx + cy
    s = np.sqrt(n1 * n2 / 12 * ((n + 1) - np.sum(t**3 - t) / (n * (n - 1))))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (u - n1 * n2 / 2 - 0.5) / s
    return u1, float(np.clip(2 * special.ndtr(-z), 0.0, 1.0))


def kruskal_wallis(data: pd.DataFrame, *, value: str, group: str) -> KruskalResult:
    """Kruskal-Wallis test that a rating has the same distribution in every group.

    ``H = [12 / (n(n+1)) sum R_g^2 / n_g - 3(n+1)] / C`` with ``R_g`` the rank sums and
    ``C`` the tie correction, referred to chi-square with ``g-1`` df (Kruskal & Wallis
    1952, doi:10.1080/01621459.1952.10483441); computed by ``scipy.stats.kruskal``.
    Effect size ``epsilon² = H / (n - 1)`` (Tomczak & Tomczak 2014, *Trends in Sport
    Sciences* 21(1), 19-25).

    Returns
    -------
    KruskalResult

    Raises
    ------
    ValueError
        When every answer is the same: all ranks tie, ``C = 1 - sum(t³ - t)/(n³ - n)`` is 0
        and ``H`` is 0/0. ``scipy.stats.kruskal`` documents ``H`` as the tie-corrected
        statistic and ``p`` as the chi-square tail at ``H``, so neither is defined; it now
        returns NaN with a RuntimeWarning, while scipy's own ``scipy.stats.mstats.kruskal``
        (and ``scipy.stats.kruskal`` in older releases) raise "All numbers are identical".
        A p-value of 1 would be a figure no test computed, so this is an error.

    Notes
    -----
    Unweighted: ``H`` and its chi-square reference distribution assume independent,
    equally weighted answers (under the null hypothesis every assignment of the ranks to
    the groups is equally likely), which survey weights break; a design-based rank test
    (Lumley & Scott 2013, *Biometrika* 100(4), 831-842; R's ``survey::svyranktest``) is not
    implemented. Compare weighted means with :func:`mean_ci` or :func:`period_change`.
    Validated against the published result of R's ``kruskal.test`` example (Hollander &
    Wolfe 1973, p. 116: H = 0.7714, df = 2, p = 0.68).
    """
    groups = _groups(data, value, group)
    samples = list(groups.values())
    n = sum(len(s) for s in samples)
    answers = np.concatenate(samples)
    if answers.min() == answers.max():
        raise ValueError(
            f"every answer in {value!r} is {answers[0]:g} in all {len(samples)} groups of "
            f"{group!r}, so the answers cannot differ between groups and the Kruskal-Wallis "
            "statistic is undefined (all ranks tie)"
        )
    h, p = stats.kruskal(*samples)
    return KruskalResult(n, len(samples), float(h), len(samples) - 1, float(p), float(h / (n - 1)))


def pairwise_mann_whitney(
    data: pd.DataFrame, *, value: str, group: str, correction: str = "holm"
) -> pd.DataFrame:
    """Mann-Whitney U tests between every pair of groups, with a multiple-testing correction.

    ``U`` is the statistic of ``group_a`` (the number of pairs in which a's answer is
    higher, ties counting half), computed by ``scipy.stats.mannwhitneyu`` (exact p-values
    for small samples without ties, otherwise the tie-corrected normal approximation).
    ``p_adjusted`` applies Holm's step-down correction by default (Holm 1979, *Scand. J.
    Statist.* 6(2), 65-70). ``rank_biserial = 2U / (n_a n_b) - 1`` is positive when a
    tends to answer higher (Kerby 2014, doi:10.2466/11.IT.3.1).

    Parameters
    ----------
    correction : {"holm", "bonferroni", "fdr_bh"}

    Returns
    -------
    pandas.DataFrame
        ``group_a, group_b, n_a, n_b, u, p_value, p_adjusted, rank_biserial``.

    Notes
    -----
    Unweighted, for the reason given in :func:`kruskal_wallis`: ``U``'s exact and normal
    reference distributions assume independent, equally weighted answers.
    Validated against the published result of R's ``wilcox.test`` example (Hollander &
    Wolfe 1973, p. 69: W = 35, p = 0.2544) and a hand-worked Holm correction. Ratings take
    few distinct values: when every group has more than 8 answers (where scipy uses the
    normal approximation) and there are at most :data:`MAX_COUNTED_LEVELS` distinct values,
    each pair is computed from the groups' answer counts instead (:func:`_mann_whitney_counts`,
    the same statistic and p-value as scipy's to rounding, checked in the tests), which
    turns 78 rankings of a million answers into arithmetic on 13 rows of counts.
    """
    v.check_choice(correction, ["holm", "bonferroni", "fdr_bh"], what="correction")
    groups = _groups(data, value, group)
    counted = _level_counts(groups)
    rows = []
    for a, b in combinations(groups, 2):
        x, y = groups[a], groups[b]
        if counted is not None and len(x) > 8 and len(y) > 8:
            u, p = _mann_whitney_counts(counted[a], counted[b])
        else:
            u, p = stats.mannwhitneyu(x, y, alternative="two-sided")
        rows.append(
            (a, b, len(x), len(y), float(u), float(p), float(2 * u / (len(x) * len(y)) - 1))
        )
    table = pd.DataFrame(
        rows, columns=["group_a", "group_b", "n_a", "n_b", "u", "p_value", "rank_biserial"]
    )
    adjusted = holm(table["p_value"].to_numpy()) if correction == "holm" else \
        multipletests(table["p_value"], method=correction)[1]
    table.insert(6, "p_adjusted", adjusted)
    return table


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values: with the ``m`` p-values sorted ascending,
    ``p_adj(i) = min(1, max_{j <= i} (m - j + 1) p(j))``, returned in the original order
    (Holm 1979, *Scand. J. Statist.* 6(2), 65-70). The same values as statsmodels'
    ``multipletests(method="holm")``, which also runs a full garbage collection on every
    call (150 ms on a results page holding a million answers)."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1)))
    adjusted = np.empty_like(stepped)
    adjusted[order] = stepped
    return adjusted


def chi_square(
    data: pd.DataFrame, *, row: str, column: str, yates: bool = False
) -> ChiSquareResult:
    """Chi-square test of independence between two categorical questions.

    ``chi2 = sum (O - E)^2 / E`` with ``E = row total * column total / n`` and
    ``(r-1)(c-1)`` df (Pearson 1900); Yates' continuity correction only when asked and only
    for 2x2 tables. ``Cramér's V = sqrt(chi2 / (n (min(r, c) - 1)))`` (Cramér 1946).

    Returns
    -------
    ChiSquareResult

    Notes
    -----
    Unweighted: with survey weights a Rao-Scott correction would be needed. Validated
    against the published result of R's ``chisq.test`` example (Agresti 2007, p. 39:
    X-squared = 30.07, df = 2, p = 2.954e-07).
    """
    v.require_columns(data, [row, column])
    pairs = data[[row, column]].dropna()
    table = pd.crosstab(pairs[row], pairs[column])
    if min(table.shape) < 2:
        raise ValueError(f"{row!r} and {column!r} each need at least two categories with answers")
    chi2, p, df, expected = stats.chi2_contingency(table.to_numpy(), correction=yates)
    n = int(table.to_numpy().sum())
    v_stat = np.sqrt(chi2 / (n * (min(table.shape) - 1)))
    return ChiSquareResult(n, float(chi2), int(df), float(p), float(v_stat), float(expected.min()))


def period_change(
    data: pd.DataFrame,
    *,
    value: str,
    period: str,
    before: object,
    after: object,
    weights: str | None = None,
    cluster=None,
    strata=None,
    calibration=None,
    lonely_psu: str = "adjust",
    ci: float = 0.95,
) -> ChangeResult:
    """Change of a mean score between two periods, with its interval and p-value.

    ``change = mean_after - mean_before``; ``standardized_change`` divides it by
    ``sqrt((sd_before^2 + sd_after^2) / 2)``.

    - Without ``cluster``, ``strata`` or ``calibration``: ``se^2 = se_before^2 +
      se_after^2`` (each the standard error of a (weighted) mean, see :func:`mean_ci`), and
      Welch-Satterthwaite degrees of freedom ``se^4 / (se_b^4/(n_b-1) + se_a^4/(n_a-1))``
      (Welch 1947, doi:10.1093/biomet/34.1-2.28).
    - Under a design: the two periods are domains of one design, so a service point that
      answers in both links the two means: ``se^2 = V_bb + V_aa - 2 V_ab`` from their joint
      linearisation covariance (:func:`group_means`), with clusters - strata - 1 degrees of
      freedom, as the coefficient of ``svyglm(y ~ period, des)`` (Lumley 2010, section 5.2).

    Parameters
    ----------
    period : str
        Column holding the period of each response (e.g. a Jalali month "1403-01").
    before, after : object
        The two values of ``period`` to compare.
    weights, cluster, strata, calibration, lonely_psu
        The survey design, as in :func:`mean_ci`.

    Returns
    -------
    ChangeResult

    Raises
    ------
    ValueError
        When each period's answers are all the same (ten 5s, then ten 5s or ten 4s): the
        change has no standard error, whatever rounding leaves of it.

    Notes
    -----
    Validated against ``scipy.stats.ttest_ind(equal_var=False)`` and its confidence
    interval (unweighted), a hand-worked weighted example, and R's ``survey`` 4.1.1 to 1e-10:
    ``svyglm(y ~ month, subset(des, month %in% c(before, after)))`` (coefficient, se, t, df,
    p and ``confint(df=df.residual)``).
    """
    ci = v.check_ci(ci)
    v.require_columns(data, [period, value])
    if is_design(cluster, strata, calibration):
        design = survey_design(data, weights=weights, cluster=cluster, strata=strata,
                               calibration=calibration, lonely_psu=lonely_psu)
        return _design_change(data, value, period, (before, after), design, ci)
    parts = []
    for label in (before, after):
        subset = data[data[period] == label]
        values, w = v.complete_cases(subset, [value], weights=weights)
        v.require_n(len(values), 2, f"period {label!r}")
        y = values[value].to_numpy()
        parts.append((len(values), y, *weighted_mean_se(y, w)))
    (n_b, y_b, mean_b, sd_b, se_b), (n_a, y_a, mean_a, sd_a, se_a) = parts
    _require_spread(value, [y_b, y_a])
    se = float(np.hypot(se_b, se_a))
    df = se**4 / (se_b**4 / (n_b - 1) + se_a**4 / (n_a - 1))
    return _change(n_b, n_a, mean_b, mean_a, se, float(df), sd_b, sd_a, ci)


def _require_spread(value: str, periods: list[np.ndarray]) -> None:
    if all(np.ptp(y) == 0 for y in periods):
        raise ValueError(
            f"{value!r} has no variation within either period; a test is not meaningful"
        )


def _change(n_b, n_a, mean_b, mean_a, se, df, sd_b, sd_a, ci) -> ChangeResult:
    change = mean_a - mean_b
    t = change / se
    low, high = t_interval(change, se, df, ci)
    return ChangeResult(
        n_before=n_b,
        n_after=n_a,
        mean_before=mean_b,
        mean_after=mean_a,
        change=change,
        se=se,
        df=float(df),
        t=float(t),
        p_value=float(2 * stats.t.sf(abs(t), df)),
        ci_low=low,
        ci_high=high,
        standardized_change=float(change / np.sqrt((sd_b**2 + sd_a**2) / 2)),
        deff=float(se * se / (sd_b**2 / n_b + sd_a**2 / n_a)),
    )


def _design_change(data, value, period, labels, design, ci) -> ChangeResult:
    y = v.numeric_columns(data, [value])[value].to_numpy()
    group = np.full(len(data), -1, dtype=np.int64)
    for code, label in enumerate(labels):
        group[(data[period] == label).to_numpy()] = code
    estimates = domain_estimates(design, y, group, 2)
    used = np.isfinite(y) & (design.weights > 0)
    for code, label in enumerate(labels):
        v.require_n(int(estimates.n[code]), 2, f"period {label!r}")
    _require_spread(value, [y[used & (group == code)] for code in (0, 1)])
    cov = estimates.cov
    se = float(np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]))
    if not se > 0:  # every service point's answers balance out exactly: nothing to test against
        raise ValueError(
            f"the change in {value!r} has no variance under the design (each service point's "
            "answers average alike); a test is not meaningful"
        )
    (n_b, n_a), (mean_b, mean_a), (sd_b, sd_a) = estimates.n, estimates.mean, estimates.sd
    return _change(int(n_b), int(n_a), float(mean_b), float(mean_a), se,
                   float(estimates.df_joint - 1), sd_b, sd_a, ci)
