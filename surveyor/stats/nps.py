"""Net Promoter Score with a confidence interval from the multinomial variance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validation as v
from ._moments import kish_effective_n, z_quantile

PROMOTER_MIN = 9  # 9-10 promote
DETRACTOR_MAX = 6  # 0-6 detract


@dataclass(frozen=True)
class NPSResult:
    """Net Promoter Score on the -100..100 scale.

    ``promoters``, ``passives`` and ``detractors`` are shares (0-1); ``se`` is the standard
    error of ``nps``; ``n`` the answers used and ``n_eff`` Kish's effective sample size.
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


def nps_from_scores(scores: np.ndarray, weights: np.ndarray, ci: float) -> NPSResult:
    """Core computation on 0-10 scores that are already checked and free of missing values."""
    n = scores.size
    total = weights.sum()
    promoters = float(weights @ (scores >= PROMOTER_MIN) / total)
    detractors = float(weights @ (scores <= DETRACTOR_MAX) / total)
    n_eff = kish_effective_n(weights)
    score = promoters - detractors
    # Var(P - D) for multinomial shares: (P + D - (P - D)^2) / n
    se = float(np.sqrt(max(promoters + detractors - score * score, 0.0) / n_eff))
    half = z_quantile(ci) * se
    return NPSResult(
        n=n,
        n_eff=n_eff,
        nps=100 * score,
        se=100 * se,
        ci_low=100 * max(score - half, -1.0),
        ci_high=100 * min(score + half, 1.0),
        promoters=promoters,
        passives=1 - promoters - detractors,
        detractors=detractors,
    )


def check_nps_scores(name: str, scores: np.ndarray) -> None:
    bad = (scores < 0) | (scores > 10) | (scores != np.round(scores))
    if bad.any():
        raise ValueError(
            f"column {name!r} has {bad.sum()} answers that are not whole numbers from 0 to 10 "
            f"(for example {scores[bad][0]:g}); the NPS question uses a 0-10 scale"
        )


def net_promoter_score(
    data: pd.DataFrame, *, column: str, weights: str | None = None, ci: float = 0.95
) -> NPSResult:
    """Net Promoter Score of a 0-10 "would you recommend" question.

    ``NPS = 100 (P - D)`` with P the share of 9-10 answers and D the share of 0-6 answers.
    The counts of promoters, passives and detractors are multinomial, so
    ``Var(P - D) = (P + D - (P - D)^2) / n``; the interval is the Wald interval
    ``NPS -/+ z_{(1+ci)/2} * 100 * sqrt(Var)``, clipped to [-100, 100]. Under weights the
    shares are weighted and ``n`` is Kish's effective sample size.

    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The American
    Statistician* 70(4), 365-372; arXiv:1601.07235.

    Returns
    -------
    NPSResult

    Notes
    -----
    Validated against a hand-worked example and against the variance of ``P - D`` computed
    from the multinomial covariance matrix.
    """
    ci = v.check_ci(ci)
    values, w = v.complete_cases(data, [column], weights=weights)
    v.require_n(len(values), 1, f"the NPS of {column!r}")
    scores = values[column].to_numpy()
    check_nps_scores(column, scores)
    return nps_from_scores(scores, w, ci)
