"""Weighted moments and interval formulas shared by the statistics modules.

Weights are survey (probability) weights: a mean is ``sum(w*y)/sum(w)`` and its variance is
the with-replacement linearisation estimator, the one R's ``survey`` package uses for a
design with weights only. With all weights equal every formula reduces to the textbook one.
"""

from __future__ import annotations

import numpy as np

# scipy.stats is imported by the functions that use it: the driver analysis needs only the
# weighted moments here, and scipy.stats costs it a second at the start of a command.


def _unit(w: np.ndarray) -> bool:
    """All weights 1 (no weighting): the formulas then take the textbook form, which avoids
    the temporary arrays of the weighted ones (at a million answers, most of their cost)."""
    return bool(w.size) and w[0] == 1.0 and bool(np.all(w == 1.0))


def kish_effective_n(weights: np.ndarray) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``.

    Kish, L. (1965). *Survey Sampling*. Wiley, section 11.7. Missing or negative weights are
    refused; the weights are scaled first (the result does not depend on their scale), so
    weights such as 1e200 do not overflow. All-zero weights give 0.
    """
    w = np.asarray(weights, dtype="float64")
    if np.isnan(w).any() or (w < 0).any() or np.isinf(w).any():
        raise ValueError(
            f"weights must be zero or positive numbers; got {int(np.isnan(w).sum())} missing, "
            f"{int((w < 0).sum())} negative and {int(np.isinf(w).sum())} infinite"
        )
    if _unit(w):
        return float(w.size)
    top = w.max(initial=0.0)
    if top == 0:
        return 0.0
    w = w / top
    total = w.sum()
    return float(total * total / np.dot(w, w))


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    if _unit(weights):
        return float(np.mean(values))
    return float(np.dot(weights, values) / weights.sum())


def weighted_mean_se(values: np.ndarray, weights: np.ndarray) -> tuple[float, float, float]:
    """Mean, standard deviation and standard error of the mean.

    ``sd^2 = n/(n-1) * sum w (y - m)^2 / sum w`` and
    ``se^2 = n/(n-1) * sum w^2 (y - m)^2 / (sum w)^2``; with equal weights these are the
    sample variance and ``s^2/n``.
    """
    y = np.asarray(values, dtype="float64")
    w = np.asarray(weights, dtype="float64")
    n = y.size
    mean = weighted_mean(y, w)
    if n < 2:
        return mean, float("nan"), float("nan")
    resid = y - mean
    correction = n / (n - 1)
    if _unit(w):  # sd^2 = sum (y - m)^2 / (n - 1), se = sd / sqrt(n)
        sd = np.sqrt(np.dot(resid, resid) / (n - 1))
        return mean, float(sd), float(sd / np.sqrt(n))
    sd = np.sqrt(correction * np.dot(w, resid * resid) / w.sum())
    se = np.sqrt(correction * np.dot(w * w, resid * resid)) / w.sum()
    return mean, float(sd), float(se)


def t_interval(estimate: float, se: float, df: float, ci: float) -> tuple[float, float]:
    """Two-sided Student t interval ``estimate -/+ t_{(1+ci)/2, df} * se``."""
    if not np.isfinite(se) or df <= 0:
        return float("nan"), float("nan")
    from scipy import stats

    half = stats.t.ppf((1 + ci) / 2, df) * se
    return float(estimate - half), float(estimate + half)


def z_quantile(ci: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf((1 + ci) / 2))


def wilson_interval(share: np.ndarray, n: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion (vectorised over arrays of shares and n).

    ``(p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``; with weights, ``n`` is
    Kish's effective sample size. Wilson, E. B. (1927). JASA 22(158), 209-212,
    doi:10.1080/01621459.1927.10502953.
    """
    p = np.asarray(share, dtype="float64")
    m = np.asarray(n, dtype="float64")
    z = z_quantile(ci)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1 + z * z / m
        centre = (p + z * z / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / denom
        low = np.where(m > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(m > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def weighted_correlation(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Pearson correlation matrix of the columns of ``values`` under weights."""
    x = np.asarray(values, dtype="float64")
    w = np.asarray(weights, dtype="float64")
    centred = x - (w @ x) / w.sum()
    cov = (centred * w[:, None]).T @ centred
    scale = np.sqrt(np.diag(cov))
    corr = cov / np.outer(scale, scale)
    np.fill_diagonal(corr, 1.0)
    return (corr + corr.T) / 2


def korn_graubard_interval(
    share: float, variance: float, n: int, df: float, ci: float
) -> tuple[float, float]:
    """Korn & Graubard's (1998) interval for a proportion estimated under a survey design.

    The effective sample size ``n* = p(1-p)/variance`` (at most ``n``, and ``n`` when ``p`` is
    0 or 1 or the variance is 0, as the NCHS standard for proportions prescribes) is scaled
    by ``(t_{(1-ci)/2, n-1} / t_{(1-ci)/2, df})^2``; the interval is Clopper-Pearson's at
    ``x = n* p``: ``[B^-1(a/2; x, n*-x+1), B^-1(1-a/2; x+1, n*-x)]``. No interval when
    ``df < 1`` or ``n < 2``. The same as R's ``survey::svyciprop(method="beta")`` when the
    design effect is at least 1. Korn, E. L. & Graubard, B. I. (1998). *Survey Methodology*
    24(2), 193-201; Parker, J. D. et al. (2017). National Center for Health Statistics data
    presentation standards for proportions. *Vital Health Stat* 2(175).
    """
    if n < 2 or not df >= 1 or not np.isfinite(share):
        return float("nan"), float("nan")
    from scipy import stats

    alpha = 1 - ci
    effective = float(n)
    if 0 < share < 1 and variance > 0:
        effective = min(share * (1 - share) / variance, float(n))
    effective *= (stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, df)) ** 2
    x = effective * share
    low = 0.0 if x <= 0 else float(stats.beta.ppf(alpha / 2, x, effective - x + 1))
    high = 1.0 if x >= effective else float(stats.beta.ppf(1 - alpha / 2, x + 1, effective - x))
    return low, high
