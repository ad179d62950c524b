"""Net Promoter Score with a confidence interval from the multinomial variance, or under a
clustered and stratified survey design."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validation as v
from ._moments import kish_effective_n, t_interval, z_quantile
from .design import domain_estimates, is_design, survey_design

PROMOTER_MIN = 9  # 9-10 promote
DETRACTOR_MAX = 6  # 0-6 detract


@dataclass(frozen=True)
class NPSResult:
    """Net Promoter Score on the -100..100 scale.

    ``promoters``, ``passives`` and ``detractors`` are shares (0-1); ``se`` is the standard
    error of ``nps``; ``n`` the answers used and ``n_eff`` Kish's effective sample size.
    ``df`` is the interval's degrees of freedom (infinite for the normal interval without a
    design, clusters - strata under one); ``deff`` the design effect: Kish's ``n / n_eff``
    without a design (what the multinomial interval assumes), ``se^2 / (sd^2 / n)`` under one.
    """

    n: int
    n_eff: float
    nps: float
    se: float
    ci_low: float
    ci_high: float
    promoters: float
    passives: float
    detractors: float
    df: float = float("inf")
    deff: float = float("nan")


def nps_from_scores(scores: np.ndarray, weights: np.ndarray, ci: float) -> NPSResult:
    """Core computation on 0-10 scores that are already checked and free of missing values.
    A single answer has no interval."""
    n = scores.size
    total = weights.sum()
    promoters = float(weights @ (scores >= PROMOTER_MIN) / total)
    detractors = float(weights @ (scores <= DETRACTOR_MAX) / total)
    n_eff = kish_effective_n(weights)
    score = promoters - detractors
    # Var(P - D) for multinomial shares: (P + D - (P - D)^2) / n
    se = float(np.sqrt(max(promoters + detractors - score * score, 0.0) / n_eff))
    if n < 2:
        se = float("nan")
    half = z_quantile(ci) * se
    return NPSResult(
        n=n,
        n_eff=n_eff,
        nps=100 * score,
        se=100 * se,
        ci_low=100 * max(score - half, -1.0) if n > 1 else float("nan"),
        ci_high=100 * min(score + half, 1.0) if n > 1 else float("nan"),
        promoters=promoters,
        passives=1 - promoters - detractors,
        detractors=detractors,
        deff=n / n_eff if n_eff > 0 else float("nan"),
    )


def nps_indicator(scores: np.ndarray) -> np.ndarray:
    """100 for a promoter, -100 for a detractor, 0 for a passive (NaN stays NaN): the NPS is
    the mean of this score, which is how it is estimated under a survey design."""
    score = 100.0 * ((scores >= PROMOTER_MIN).astype(float) - (scores <= DETRACTOR_MAX))
    score[np.isnan(scores)] = np.nan
    return score


def check_nps_scores(name: str, scores: np.ndarray) -> None:
    scores = scores[np.isfinite(scores)]
    bad = (scores < 0) | (scores > 10) | (scores != np.round(scores))
    if bad.any():
        raise ValueError(
            f"column {name!r} has {bad.sum()} answers that are not whole numbers from 0 to 10 "
            f"(for example {scores[bad][0]:g}); the NPS question uses a 0-10 scale"
        )


def net_promoter_score(
    data: pd.DataFrame,
    *,
    column: str,
    weights: str | None = None,
    cluster=None,
    strata=None,
    calibration=None,
    lonely_psu: str = "adjust",
    ci: float = 0.95,
) -> NPSResult:
    """Net Promoter Score of a 0-10 "would you recommend" question.

    ``NPS = 100 (P - D)`` with P the share of 9-10 answers and D the share of 0-6 answers.

    - Without ``cluster``, ``strata`` or ``calibration``: the counts of promoters, passives
      and detractors are multinomial, so ``Var(P - D) = (P + D - (P - D)^2) / n``; the
      interval is the Wald interval ``NPS -/+ z_{(1+ci)/2} * 100 * sqrt(Var)``. Under weights
      the shares are weighted and ``n`` is Kish's effective sample size. Rocks, B. (2016).
      Interval estimation for the "Net Promoter Score". *The American Statistician* 70(4),
      365-372; arXiv:1601.07235.
    - Under a design: the NPS is the mean of the score 100 / 0 / -100 (promoter / passive /
      detractor), with the linearisation variance and the t interval of :func:`mean_ci`
      (clusters - strata degrees of freedom).

    Intervals are clipped to [-100, 100]; a single answer has none.

    Parameters
    ----------
    weights, cluster, strata, calibration, lonely_psu
        The survey design, as in :func:`mean_ci`.

    Returns
    -------
    NPSResult

    Notes
    -----
    Validated against a hand-worked example, the variance of ``P - D`` computed from the
    multinomial covariance matrix, and R's ``survey`` 4.1.1 to 1e-10 under a design:
    ``confint(svymean(~I(100 * ((r >= 9) - (r <= 6))), subset(des, !is.na(r)),
    deff="replace"), df=degf(...))``.
    """
    ci = v.check_ci(ci)
    if is_design(cluster, strata, calibration):
        return _design_nps(data, column, weights, cluster, strata, calibration, lonely_psu, ci)
    values, w = v.complete_cases(data, [column], weights=weights)
    v.require_n(len(values), 1, f"the NPS of {column!r}")
    scores = values[column].to_numpy()
    check_nps_scores(column, scores)
    return nps_from_scores(scores, w, ci)


def _design_nps(data, column, weights, cluster, strata, calibration, lonely_psu, ci):
    v.require_columns(data, [column])
    scores = v.numeric_columns(data, [column])[column].to_numpy()
    check_nps_scores(column, scores)
    design = survey_design(data, weights=weights, cluster=cluster, strata=strata,
                           calibration=calibration, lonely_psu=lonely_psu)
    zero = np.zeros(scores.size, dtype=np.int64)
    estimate = domain_estimates(design, nps_indicator(scores), zero, 1)
    n = int(estimate.n[0])
    v.require_n(n, 1, f"the NPS of {column!r}")
    used = np.isfinite(scores) & (design.weights > 0)
    w, answered = design.weights[used], scores[used]
    promoters = float(w @ (answered >= PROMOTER_MIN) / w.sum())
    detractors = float(w @ (answered <= DETRACTOR_MAX) / w.sum())
    nps, se, df = float(estimate.mean[0]), float(estimate.se[0]), int(estimate.df[0])
    low, high = t_interval(nps, se, df, ci)
    return NPSResult(n=n, n_eff=kish_effective_n(w), nps=nps, se=se if n > 1 else np.nan,
                     ci_low=float(np.clip(low, -100, 100)), ci_high=float(np.clip(high, -100, 100)),
                     promoters=promoters, passives=1 - promoters - detractors,
                     detractors=detractors, df=float(df), deff=float(estimate.deff[0]))
