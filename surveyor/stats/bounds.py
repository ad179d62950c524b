"""Intervals kept inside the range a statistic can take (a rating scale, -100 to 100 for NPS)."""

from __future__ import annotations

import numpy as np


def clip_to_scale(low, high, *, scale_min: float, scale_max: float):
    """The interval ``[low, high]`` intersected with the scale ``[scale_min, scale_max]``.

    A mean of answers on a 1-5 scale lies in [1, 5], so the part of a t interval outside the
    scale holds no possible value; cutting it off keeps every value the interval held that the
    mean can take, and so keeps its coverage: a confidence set intersected with the parameter
    space covers the true value whenever the set did (Mandelkern 2002, "Setting confidence
    intervals for bounded parameters", Statistical Science 17(2), 149-172,
    doi:10.1214/ss/1030550861). The method is clipping, not a bounded (e.g. logit) interval:
    inside the scale the interval is the usual one, unchanged.

    Parameters
    ----------
    low, high : float or array-like
        Interval bounds (NaN stays NaN: no interval).
    scale_min, scale_max : float
        The scale; ``scale_min < scale_max``.

    Returns
    -------
    tuple
        ``(low, high)`` clipped, floats for scalars and arrays for arrays.

    Notes
    -----
    Validated against hand-worked cases (tests/stats/test_stats_bounds.py).
    """
    if not scale_min < scale_max:
        raise ValueError(f"the scale must run from a lower to a higher value, not {scale_min} to {scale_max}")
    low_clipped = np.clip(np.asarray(low, dtype=float), scale_min, scale_max)
    high_clipped = np.clip(np.asarray(high, dtype=float), scale_min, scale_max)
    if low_clipped.ndim == 0:
        return float(low_clipped), float(high_clipped)
    return low_clipped, high_clipped
