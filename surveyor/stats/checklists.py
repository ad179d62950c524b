"""Inspection checklists: compliance and critical-failure rates per site, site rankings and
item pass rates. Data: one row per inspection, one column per checklist item holding 1
(pass), 0 (fail) or missing (not applicable). Inspector agreement lives in
:mod:`surveyor.stats.agreement`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validation as v
from ._moments import t_interval, weighted_mean_se, wilson_interval

SITE_COLUMNS = [
    "site",
    "n",
    "compliance",
    "ci_low",
    "ci_high",
    "critical_n",
    "critical_failures",
    "critical_failure_rate",
    "critical_ci_low",
    "critical_ci_high",
    "rank",
]


def _pass_fail(data: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    """Item columns as 1.0 / 0.0 / NaN, refusing any other code."""
    values = v.numeric_columns(data, items)
    other = values.notna() & ~values.isin([0.0, 1.0])
    if other.any(axis=None):
        name = next(c for c in items if other[c].any())
        raise ValueError(
            f"checklist item {name!r} has answers other than 1 (pass), 0 (fail) or empty "
            f"(not applicable), e.g. {values[name][other[name]].iloc[0]:g}; recode them"
        )
    return values


def compliance_by_site(
    data: pd.DataFrame, *, site: str, items, critical=(), ci: float = 0.95
) -> pd.DataFrame:
    """Compliance and critical-failure rate of every site, ranked.

    - An inspection's compliance is the share of its applicable items that passed; a site's
      ``compliance`` is the mean over its inspections, with a t interval over inspections
      (items within one inspection are not independent, so inspections are the units).
    - An inspection has a critical failure when any applicable ``critical`` item failed;
      ``critical_failure_rate`` is the share of inspections with one (among the
      ``critical_n`` inspections where a critical item applied), with a Wilson interval.
    - ``rank`` 1 is the most compliant site (ties share the best rank).
    - Inspections without a site (``site`` missing) are not dropped: they form a last row
      whose ``site`` is missing and ``rank`` empty (``<NA>``), with the same figures, so
      that every inspection is counted somewhere. The row is absent when every inspection
      has a site.

    Returns
    -------
    pandas.DataFrame
        ``site, n, compliance, ci_low, ci_high, critical_n, critical_failures,
        critical_failure_rate, critical_ci_low, critical_ci_high, rank``; ``n`` counts
        inspections with at least one applicable item.

    Notes
    -----
    Validated against a hand-worked example.
    """
    ci = v.check_ci(ci)
    names = v.column_list(items, what="items")
    critical_names = v.column_list(critical, what="critical") if len(critical) else []
    stray = [c for c in critical_names if c not in names]
    if stray:
        raise ValueError(f"critical items {stray} are not among the items; list them in items too")
    v.require_columns(data, names + [site])
    checks = _pass_fail(data, names)
    score = checks.mean(axis=1)  # NaN when no item applied
    crit = checks[critical_names] if critical_names else pd.DataFrame(index=checks.index)
    crit_applies = (
        crit.notna().any(axis=1) if critical_names else pd.Series(False, index=checks.index)
    )
    crit_failed = (
        (crit == 0).any(axis=1) if critical_names else pd.Series(False, index=checks.index)
    )
    located = data[site].notna()
    groups = list(data[located].groupby(site, sort=True).groups.items())
    if not located.all():
        groups.append((None, data.index[~located]))
    rows = []
    for name, index in groups:
        scores = score[index].dropna().to_numpy()
        n = len(scores)
        if n:
            mean, _, se = weighted_mean_se(scores, np.ones(n))
            low, high = t_interval(mean, se, n - 1, ci) if n > 1 else (np.nan, np.nan)
        else:
            mean = low = high = np.nan
        applies = crit_applies[index]
        crit_n = int(applies.sum())
        failures = int(crit_failed[index][applies].sum())
        rate = failures / crit_n if crit_n else np.nan
        (c_low,), (c_high,) = wilson_interval(np.array([rate]), np.array([crit_n]), ci)
        rows.append((name, n, mean, low, high, crit_n, failures, rate, c_low, c_high))
    table = pd.DataFrame(rows, columns=SITE_COLUMNS[:-1])
    ranked = table["compliance"].where(table["site"].notna())
    table["rank"] = ranked.rank(ascending=False, method="min").astype("Int64")
    return table


def item_pass_rates(data: pd.DataFrame, *, items, ci: float = 0.95) -> pd.DataFrame:
    """Pass rate of every checklist item over the inspections where it applied.

    Returns
    -------
    pandas.DataFrame
        ``item, n, passes, pass_rate, ci_low, ci_high`` (Wilson interval), worst item first.

    Notes
    -----
    Validated against statsmodels' Wilson interval.
    """
    ci = v.check_ci(ci)
    names = v.column_list(items, what="items")
    v.require_columns(data, names)
    checks = _pass_fail(data, names)
    n = checks.notna().sum().to_numpy()
    passes = checks.sum().to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, passes / n, np.nan)
    low, high = wilson_interval(rate, n, ci)
    table = pd.DataFrame(
        {
            "item": names,
            "n": n,
            "passes": passes.astype(int),
            "pass_rate": rate,
            "ci_low": low,
            "ci_high": high,
        }
    )
    return table.sort_values("pass_rate", kind="stable").reset_index(drop=True)
