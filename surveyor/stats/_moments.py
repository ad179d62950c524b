"""Weighted moments and interval formulas shared by the statistics modules.

Weights are survey (probability) weights: a mean is ``sum(w*y)/sum(w)`` and its variance is
the with-replacement linearisation estimator, the one R's ``survey`` package uses for a
design with weights only. With all weights equal every formula reduces to the textbook one.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def _unit(w: np.ndarray) -> bool:
    """All weights 1 (no weighting): the formulas then take the textbook form, which avoids
    the temporary arrays of the weighted ones (at a million answers, most of their cost)."""
    return bool(w.size) and w[0] == 1.0 and bool(np.all(w == 1.0))


def kish_effective_n(weights: np.ndarray) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``.

    Kish, L. (1965). *Survey Sampling*. Wiley, section 11.7.
    """
    w = np.asarray(weights, dtype="float64")
    if _unit(w):
        return float(w.size)
    total = w.sum()
    return float(total * total / np.dot(w, w)) if total > 0 else 0.0


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
    half = stats.t.ppf((1 + ci) / 2, df) * se
    return float(estimate - half), float(estimate + half)


def z_quantile(ci: float) -> float:
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
