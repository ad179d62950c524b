"""Descriptive statistics of rating items: means with t intervals, top- and bottom-box
shares and answer distributions, all optionally weighted and, for means and shares, under a
clustered and stratified survey design (:mod:`.design`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validation as v
from ._moments import (
    korn_graubard_interval,
    kish_effective_n,
    t_interval,
    weighted_mean_se,
    wilson_interval,
)
from .design import SurveyDesign, domain_estimates, is_design, survey_design

MEAN_COLUMNS = ["variable", "n", "n_eff", "mean", "sd", "se", "ci_low", "ci_high", "df", "deff",
                "n_clusters", "n_strata"]
BOX_COLUMNS = ["variable", "n", "n_eff", "top_box", "top_ci_low", "top_ci_high", "bottom_box",
               "bottom_ci_low", "bottom_ci_high", "top_se", "bottom_se", "df", "top_deff",
               "bottom_deff"]


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


def _design_values(data, columns, weights, listwise):
    """Yield (column, answers of every row, NaN where not used); ``weights`` is only checked
    here, not to be analysed as well."""
    names = v.column_list(columns, what="columns")
    v.require_columns(data, names)
    if weights is not None and weights in names:
        raise ValueError(
            f"{weights!r} is both analysed and used as the weights column; choose one role"
        )
    values = v.numeric_columns(data, names)
    complete = values.notna().all(axis=1).to_numpy()
    for name in names:
        y = values[name].to_numpy()
        yield name, np.where(complete, y, np.nan) if listwise else y


def design_mean(design: SurveyDesign, y: np.ndarray, name: str):
    """The design-based mean of ``y`` over every row that answered, with its Kish n_eff."""
    estimate = domain_estimates(design, y, np.zeros(y.size, dtype=np.int64), 1)
    if estimate.n[0] == 0 and np.isfinite(y).any():
        raise ValueError(
            f"every response with an answer to {name!r} has a zero or missing weight, so "
            "nothing is left to analyse; check the weights"
        )
    used = np.isfinite(y) & (design.weights > 0)
    return estimate, kish_effective_n(design.weights[used])


def mean_ci(
    data: pd.DataFrame,
    *,
    columns,
    weights: str | None = None,
    cluster=None,
    strata=None,
    calibration=None,
    lonely_psu: str = "adjust",
    ci: float = 0.95,
    listwise: bool = True,
) -> pd.DataFrame:
    """Mean of each column with a Student t confidence interval, under the survey design.

    ``mean = sum(w y) / sum(w)``. Without ``cluster``, ``strata`` or ``calibration`` the
    answers are an independent sample: ``se^2 = n/(n-1) sum w^2 (y-mean)^2 / (sum w)^2``
    (``s^2/n`` without weights) and ``df = n - 1``. With them, ``se^2`` is the linearisation
    variance of :mod:`surveyor.stats.design` (between-cluster, within-stratum; residuals on
    the raking margins for calibrated weights) and ``df`` = clusters - strata. The interval
    is ``mean -/+ t_{(1+ci)/2, df} se`` (none when df < 1). Lumley, T. (2010). *Complex
    Surveys*, Wiley, ch. 2-3 and 7; Wolter, K. M. (2007). *Introduction to Variance
    Estimation*, Springer, ch. 6.

    Parameters
    ----------
    columns : str or list of str
    weights : str, optional
        Column of survey weights.
    cluster : str, Series or array, optional
        The primary sampling unit of each row: the service point (``"service_point_id"``).
        A row without one is a cluster of its own.
    strata : str, Series or array, optional
        The stratum of each row: the district. Clusters are nested in strata.
    calibration : str or list of str, optional
        The margins the weights were raked to (:attr:`WeightingResult.margins`), so that the
        standard error accounts for the calibration.
    lonely_psu : {"adjust", "average", "remove", "fail"}
        A stratum with a single cluster: see :data:`surveyor.stats.design.LONELY_PSU`.
    listwise : bool
        True (default): use responses that answered every column; False: each column uses
        all of its own answers.

    Returns
    -------
    pandas.DataFrame
        ``variable, n, n_eff, mean, sd, se, ci_low, ci_high, df, deff, n_clusters,
        n_strata``: ``n_eff`` is Kish's effective sample size of the weights, ``sd`` the
        weighted standard deviation, ``deff`` the design effect ``se^2 / (sd^2 / n)``,
        ``n_clusters`` and ``n_strata`` the clusters and strata that answered (``n`` and 1
        without a design).

    Notes
    -----
    Under a design, rows without an answer (or weight) stay in the design with nothing to
    contribute, as R's ``na.rm=TRUE``: a service point whose answers are all missing still
    counts among its district's points. Validated against ``scipy.stats.t`` intervals
    (unweighted), the HC1 standard error of an intercept-only statsmodels ``WLS`` (weighted),
    and R's ``survey`` 4.1.1, to 1e-10: ``confint(svymean(~y, subset(des, !is.na(y)),
    deff="replace"), df=degf(...))`` with ``des <- svydesign(ids=~point, strata=~district,
    weights=~w, nest=TRUE)``, with and without weights, clusters only, strata only, each
    ``survey.lonely.psu`` option, and a design from ``rake()``
    (``tests/stats/data/design_survey.R``).
    """
    ci = v.check_ci(ci)
    if not is_design(cluster, strata, calibration):
        return _independent_means(data, columns, weights, listwise, ci)
    design = survey_design(data, weights=weights, cluster=cluster, strata=strata,
                           calibration=calibration, lonely_psu=lonely_psu)
    rows = []
    for name, y in _design_values(data, columns, weights, listwise):
        estimate, n_eff = design_mean(design, y, name)
        v.require_n(int(estimate.n[0]), 2, f"a confidence interval for {name!r}")
        mean, se, df = estimate.mean[0], estimate.se[0], int(estimate.df[0])
        rows.append((name, int(estimate.n[0]), n_eff, mean, estimate.sd[0], se,
                     *t_interval(mean, se, df, ci), df, estimate.deff[0],
                     int(estimate.n_clusters[0]), int(estimate.n_strata[0])))
    return pd.DataFrame(rows, columns=MEAN_COLUMNS)


def _srs_deff(se: float, sd: float, n: int) -> float:
    """``se^2 / (sd^2 / n)``: 1 for an unweighted mean, NaN when the answers do not vary."""
    return float(se * se * n / (sd * sd)) if sd > 0 else float("nan")


def _independent_means(data, columns, weights, listwise, ci) -> pd.DataFrame:
    rows = []
    for name, y, w in _item_values(data, columns, weights, listwise):
        v.require_n(len(y), 2, f"a confidence interval for {name!r}")
        mean, sd, se = weighted_mean_se(y, w)
        low, high = t_interval(mean, se, len(y) - 1, ci)
        rows.append((name, len(y), kish_effective_n(w), mean, sd, se, low, high, len(y) - 1,
                     _srs_deff(se, sd, len(y)), len(y), 1))
    return pd.DataFrame(rows, columns=MEAN_COLUMNS)


def _check_scale(name: str, y: np.ndarray, scale_min: float, scale_max: float) -> None:
    y = y[np.isfinite(y)]
    outside = (y < scale_min) | (y > scale_max)
    if outside.any():
        raise ValueError(
            f"column {name!r} has {outside.sum()} answers outside the scale "
            f"{scale_min}-{scale_max} "
            f"(for example {y[outside][0]:g}); fix the scale bounds or mark such codes as missing"
        )


def _check_boxes(scale_min, scale_max, boxes) -> None:
    if scale_max <= scale_min:
        raise ValueError(f"scale_max ({scale_max}) must be above scale_min ({scale_min})")
    if not isinstance(boxes, int) or boxes < 1 or 2 * boxes > scale_max - scale_min + 1:
        raise ValueError(
            f"boxes is how many scale points form the top (and bottom) box, from 1 to half the "
            f"scale; got {boxes!r}"
        )


def box_shares(
    data: pd.DataFrame,
    *,
    columns,
    scale_min: float,
    scale_max: float,
    boxes: int = 2,
    weights: str | None = None,
    cluster=None,
    strata=None,
    calibration=None,
    lonely_psu: str = "adjust",
    ci: float = 0.95,
    listwise: bool = True,
) -> pd.DataFrame:
    """Top-box and bottom-box shares (e.g. top-two-box: 4 or 5 on a 1-5 scale).

    The top box holds answers ``>= scale_max - boxes + 1``, the bottom box answers
    ``<= scale_min + boxes - 1``. Shares are (weighted) means of the indicators, with ``se``
    and ``deff`` as in :func:`mean_ci`. Intervals stay within [0, 1]:

    - without ``cluster``, ``strata`` or ``calibration``: Wilson score intervals on Kish's
      effective sample size (Wilson 1927, doi:10.1080/01621459.1927.10502953);
    - under a design: Korn & Graubard's (1998) Clopper-Pearson interval on the effective
      sample size ``n* = p(1-p)/se^2``, times ``(t_{n-1} / t_df)^2`` for the design's degrees
      of freedom: ``[B^-1(a/2; n*p, n*(1-p)+1), B^-1(1-a/2; n*p+1, n*(1-p))]``. Following
      the NCHS standard (Parker, J. D. et al. (2017). *Vital Health Stat* 2(175)), ``n*`` is
      at most ``n`` (a design effect below 1 counts as 1) and is ``n`` when ``p`` is 0 or 1.
      Korn, E. L. & Graubard, B. I. (1998). Confidence intervals for proportions with small
      expected number of positive counts estimated from survey data. *Survey Methodology*
      24(2), 193-201.

    Parameters
    ----------
    weights, cluster, strata, calibration, lonely_psu
        The survey design, as in :func:`mean_ci`.

    Returns
    -------
    pandas.DataFrame
        ``variable, n, n_eff, top_box, top_ci_low, top_ci_high, bottom_box, bottom_ci_low,
        bottom_ci_high, top_se, bottom_se, df, top_deff, bottom_deff``.

    Notes
    -----
    Validated against ``statsmodels.stats.proportion.proportion_confint(method="wilson")``,
    a hand-worked example, and R's ``survey`` 4.1.1 to 1e-10: ``svyciprop(~I(y >= 4),
    subset(des, !is.na(y)), method="beta")`` and ``svymean(..., deff="replace")``, also on a
    raked design.
    """
    ci = v.check_ci(ci)
    _check_boxes(scale_min, scale_max, boxes)
    top_from, bottom_to = scale_max - boxes + 1, scale_min + boxes - 1
    if not is_design(cluster, strata, calibration):
        return _independent_boxes(data, columns, weights, listwise, ci, scale_min, scale_max,
                                  top_from, bottom_to)
    design = survey_design(data, weights=weights, cluster=cluster, strata=strata,
                           calibration=calibration, lonely_psu=lonely_psu)
    rows = []
    for name, y in _design_values(data, columns, weights, listwise):
        _check_scale(name, y, scale_min, scale_max)
        answered = np.isfinite(y)
        shares = []
        for box in (y >= top_from, y <= bottom_to):
            estimate, n_eff = design_mean(design, np.where(answered, box, np.nan), name)
            shares.append(estimate)
        v.require_n(int(estimate.n[0]), 1, f"box shares of {name!r}")
        n, df = int(estimate.n[0]), int(estimate.df[0])
        (top, top_low, top_high), (bottom, bottom_low, bottom_high) = (
            (e.mean[0], *korn_graubard_interval(e.mean[0], e.var[0], n, df, ci))
            for e in shares
        )
        rows.append((name, n, n_eff, top, top_low, top_high, bottom, bottom_low, bottom_high,
                     shares[0].se[0], shares[1].se[0], df, shares[0].deff[0],
                     shares[1].deff[0]))
    return pd.DataFrame(rows, columns=BOX_COLUMNS)


def _independent_boxes(data, columns, weights, listwise, ci, scale_min, scale_max, top_from,
                       bottom_to) -> pd.DataFrame:
    rows = []
    for name, y, w in _item_values(data, columns, weights, listwise):
        v.require_n(len(y), 1, f"box shares of {name!r}")
        _check_scale(name, y, scale_min, scale_max)
        n_eff = kish_effective_n(w)
        fitted = [weighted_mean_se((box).astype("float64"), w)
                  for box in (y >= top_from, y <= bottom_to)]
        (top_low, bottom_low), (top_high, bottom_high) = wilson_interval(
            np.array([fitted[0][0], fitted[1][0]]), np.array([n_eff, n_eff]), ci
        )
        (top, top_sd, top_se), (bottom, bottom_sd, bottom_se) = fitted
        rows.append((name, len(y), n_eff, top, top_low, top_high, bottom, bottom_low,
                     bottom_high, top_se, bottom_se, len(y) - 1,
                     _srs_deff(top_se, top_sd, len(y)), _srs_deff(bottom_se, bottom_sd, len(y))))
    return pd.DataFrame(rows, columns=BOX_COLUMNS)


def _refuse_infinite(name: str, answers: pd.Series) -> None:
    """An infinite number is not an answer: refused as the numeric functions refuse it."""
    if pd.api.types.is_numeric_dtype(answers) and not pd.api.types.is_bool_dtype(answers):
        infinite = np.isinf(answers.to_numpy(dtype="float64"))
    else:
        infinite = np.fromiter(
            (isinstance(a, (float, np.floating)) and np.isinf(a) for a in answers),
            dtype=bool, count=len(answers),
        )
    if infinite.any():
        raise ValueError(
            f"column {name!r} holds infinite values; replace them or leave them empty"
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
    _refuse_infinite(column, answers)
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
