"""Early warning at a service point: a CUSUM that signals a drop in the mean score, a silence
that is too long for the point's rate (a torn poster) and a day with too many flagged answers.

**The drop detector** is Page's one-sided CUSUM on standardized responses (Page 1954, Montgomery
2013 §9.1). Each response ``x_i`` is standardized against the baseline, ``z_i = (mu0 - x_i) /
sigma0`` (positive when the answer is below the baseline), and

    C_0 = 0,    C_i = max(0, C_{i-1} + z_i - k),    alarm when C_i > h,

with the reference value ``k = delta / 2`` for a drop of ``delta`` standard deviations (the
likelihood-ratio choice for a normal mean). The statistic runs **per response, in the order of
their times**, not per calendar period: a week's ``n`` responses add ``n (zbar - k)`` between
two resets, which is the CUSUM of standardized period means weighted by the period's ``n``
(the likelihood ratio of the period's mean), so a toilet with 10 answers a week and a metro
station with 500 a day are watched by the same rule and nothing depends on how the calendar is
cut. After an alarm the statistic starts again at 0.

**The false-alarm rate** is set per point from its own rate: a point that receives ``N``
responses a year should raise at most ``F`` false alerts a year (``false_alarms_per_year``,
1 by default), so the in-control average run length must be at least ``ARL0 = N / F``
responses. ``h`` is set for ``1.5 ARL0`` (``DESIGN_MARGIN``: the skewed answers of a 5-point
scale reach ``h`` 15-25% sooner than normal ones) and solves Siegmund's approximation (Siegmund 1985, *Sequential Analysis*, eq. 2.57; Montgomery
2013 eq. 9.19)

    ARL(D) = (exp(-2 D b) + 2 D b - 1) / (2 D^2),   b = h + 1.166,

at ``D = -k`` (in control; ``D = delta - k`` after the drop gives the detection delay in
responses). A point with more answers therefore has a higher threshold, and still detects a
drop sooner in days: at a drop of 0.3 points on a 5-point scale with sd 1 (``k = 0.15``), 10
answers a week give ``h = 11.1`` and a delay of about 60 responses (6 weeks), 500 a day
``h = 30.2`` and about 187 responses (9 hours); ``benchmarks/early_warning.py`` prints the
table and ``tests/stats/test_early_warning.py`` checks both by simulation on 5-point answers.

The baseline (``mu0``, ``sigma0``) comes from the point's own history (``surveyor alerts scan``
uses its year before the watched weeks); an estimated baseline makes the real ARL0 shorter than the
nominal one when it rests on few answers (Jones, Champ & Rigdon 2004): a baseline mean that
happens to come out high makes the in-control drift smaller than ``-k``, and the false alarms
come sooner. Given the baseline's size ``n0`` (``baseline_n``), the chart therefore compares with
the baseline mean less one standard error, ``mu0 - sigma0 / sqrt(n0)``: in simulations of 330
baseline answers at 1,095 a year (0-10 answers) this lowers the share of points with a false
alarm in their first 250 answers from 20% to 14% (15% with a known baseline), and the median
run length from 0.7 to 1.5 years.

**Silence** (a torn poster, a broken QR code): responses at rate ``lambda`` a day arrive as a
Poisson process, so a gap longer than ``g`` days starts after a response with probability
``exp(-lambda g)``; with ``N`` responses a year the false-alarm rate is ``N exp(-lambda g)``
a year, and the silence threshold ``g = ln(N / F) / lambda`` keeps it at ``F``.

**Flagged bursts** (possible ballot stuffing): the day's flagged count ``X`` out of its ``n``
responses is binomial with the baseline flagged share ``p0`` in control; a day alarms when the
upper tail ``P(X >= x) < F / 365`` and at least ``min_flagged`` answers are flagged.

References: E. S. Page (1954), Continuous inspection schemes, *Biometrika* 41, 100-115,
doi:10.1093/biomet/41.1-2.100. D. C. Montgomery (2013), *Introduction to Statistical Quality
Control*, 7th ed., Wiley, ch. 9. D. Siegmund (1985), *Sequential Analysis*, Springer.
L. A. Jones, C. W. Champ, S. E. Rigdon (2004), The run length distribution of the CUSUM with
estimated parameters, *J. Quality Technology* 36, 95-108.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

SIEGMUND_CORRECTION = 1.166  # b = h + 1.166: the overshoot of a normal random walk over h
DAYS_PER_YEAR = 365.25
DROP_SHIFT = 0.3  # points on a 1-5 scale; 0.75 on 0-10 (the same share of the range)
# Siegmund's ARL is for normal answers; skewed 5-point answers (most 4 and 5, a few 1) reach h
# sooner, by 15-25% in the tests' simulations, so h is set for 1.5 times the nominal ARL0.
DESIGN_MARGIN = 1.5


def cusum_arl(reference: float, threshold: float, drift: float) -> float:
    """Siegmund's approximation to the average run length (in observations) of the one-sided
    CUSUM ``max(0, C + z - reference) > threshold`` on ``z ~ N(drift, 1)``.

    ``drift = 0`` gives the in-control ARL0; ``drift = delta`` the detection delay after a
    shift of ``delta`` standard deviations (Montgomery 2013, eq. 9.19)."""
    d = drift - reference
    b = threshold + SIEGMUND_CORRECTION
    if abs(d) < 1e-9:
        return b * b
    return (math.exp(-2 * d * b) + 2 * d * b - 1) / (2 * d * d)


def cusum_threshold(reference: float, arl0: float) -> float:
    """The ``h`` whose in-control ARL (:func:`cusum_arl` at drift 0) is ``arl0`` observations,
    by bisection (the ARL grows with ``h``). Raises ``ValueError`` for a reference <= 0 or an
    ``arl0`` below 1."""
    if reference <= 0:
        raise ValueError("the CUSUM reference value k must be positive")
    if arl0 < 1:
        raise ValueError("the in-control average run length must be at least 1 response")
    low, high = 0.0, 1.0
    while cusum_arl(reference, high, 0.0) < arl0:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        if cusum_arl(reference, middle, 0.0) < arl0:
            low = middle
        else:
            high = middle
    return high


@dataclass(frozen=True)
class DropWatch:
    """The result of :func:`cusum_drop`.

    ``path``: one row per response in time order, columns ``at`` (timestamp), ``value``, ``z``
    (standardized, positive below the baseline) and ``statistic`` (``C_i``, 0 again after an
    alarm). ``alarms``: one row per alarm, columns ``detected_at`` (the response that crossed
    ``h``), ``since`` (the last time the statistic was 0 before it: where the drop began, as
    the CUSUM estimates it), ``statistic``, ``responses`` (counted from ``since``) and
    ``mean`` (their mean). ``reference`` is ``k`` and ``threshold`` ``h`` in standard
    deviations; ``arl0`` the in-control average run length in responses; ``n`` the responses
    watched.
    """

    path: pd.DataFrame
    alarms: pd.DataFrame
    reference: float
    threshold: float
    arl0: float
    n: int


def cusum_drop(data: pd.DataFrame, *, time: str, value: str, baseline_mean: float,
               baseline_sd: float, responses_per_year: float, shift: float = DROP_SHIFT,
               false_alarms_per_year: float = 1.0, baseline_n: int | None = None) -> DropWatch:
    """Watch the mean of ``value`` for a drop of ``shift`` points below ``baseline_mean``.

    Parameters: ``data`` with the response times in ``time`` and the scores in ``value``
    (missing scores are left out); the baseline mean and standard deviation; the point's
    ``responses_per_year`` (its typical rate, which sets the threshold so that in control it
    raises ``false_alarms_per_year`` false alerts a year); ``shift`` in points (0.3 on a 1-5
    scale by default: 0.75 suits a 0-10 recommend score); ``baseline_n``, the answers the
    baseline was estimated from, lowers the baseline mean by its standard error (see the
    module's docstring; None: the baseline is taken as known).

    The method, its false-alarm rate and its references are in the module's docstring.
    Validated against: Siegmund's ARL by simulation of normal and 5-point answers
    (``tests/stats/test_early_warning.py``).
    """
    if not (baseline_sd > 0 and math.isfinite(baseline_sd)):
        raise ValueError("the baseline standard deviation must be a positive number "
                         "(a baseline where every answer is the same cannot be watched)")
    if not math.isfinite(baseline_mean):
        raise ValueError("the baseline mean must be a number")
    if not shift > 0:
        raise ValueError("the drop to detect must be a positive number of points")
    if not (responses_per_year > 0 and false_alarms_per_year > 0):
        raise ValueError("the response rate and the false-alarm rate must be positive")
    if baseline_n is not None:
        if baseline_n < 2:
            raise ValueError("an estimated baseline needs at least 2 answers")
        baseline_mean = baseline_mean - baseline_sd / math.sqrt(baseline_n)
    frame = data[[time, value]].dropna()
    frame = frame.sort_values(time, kind="stable")
    values = pd.to_numeric(frame[value], errors="raise").to_numpy(dtype=float)
    times = frame[time].to_numpy()
    reference = shift / baseline_sd / 2
    arl0 = max(responses_per_year / false_alarms_per_year, 1.0)
    threshold = cusum_threshold(reference, DESIGN_MARGIN * arl0)

    z = (baseline_mean - values) / baseline_sd
    statistic = np.empty(z.size)
    alarms = []
    c = 0.0
    since = 0  # index of the first response after the statistic was last 0
    for i, step in enumerate(z):
        c = c + step - reference
        if c <= 0:
            c = 0.0
            since = i + 1
        statistic[i] = c
        if c > threshold:
            alarms.append({"detected_at": times[i], "since": times[min(since, i)], "statistic": c,
                           "responses": i + 1 - since, "mean": float(values[since:i + 1].mean())})
            c = 0.0
            since = i + 1
    path = pd.DataFrame({"at": times, "value": values, "z": z, "statistic": statistic})
    columns = ["detected_at", "since", "statistic", "responses", "mean"]
    return DropWatch(path=path, alarms=pd.DataFrame(alarms, columns=columns), reference=reference,
                     threshold=threshold, arl0=arl0, n=int(z.size))


@dataclass(frozen=True)
class Silence:
    """The result of :func:`silence`: ``last`` response time (None without any), ``days``
    since then, the ``threshold_days`` of the point's rate and whether ``silent``."""

    last: pd.Timestamp | None
    days: float
    threshold_days: float
    silent: bool


def silence_threshold_days(responses_per_year: float, *, false_alarms_per_year: float = 1.0,
                           minimum_days: float = 1.0) -> float:
    """The gap, in days, after which a point with this rate counts as silent:
    ``ln(N / F) / lambda`` (see the module's docstring), never under ``minimum_days``."""
    if not (responses_per_year > 0 and false_alarms_per_year > 0):
        raise ValueError("the response rate and the false-alarm rate must be positive")
    per_day = responses_per_year / DAYS_PER_YEAR
    ratio = max(responses_per_year / false_alarms_per_year, math.e)
    return max(math.log(ratio) / per_day, minimum_days)


def silence(times, *, now, responses_per_year: float, false_alarms_per_year: float = 1.0,
            minimum_days: float = 1.0) -> Silence:
    """Whether a point whose responses came at ``times`` has been silent too long at ``now``
    for its usual ``responses_per_year``."""
    threshold = silence_threshold_days(responses_per_year, false_alarms_per_year=false_alarms_per_year,
                                       minimum_days=minimum_days)
    stamps = pd.to_datetime(pd.Series(list(times)), utc=True)
    now = pd.Timestamp(now)
    now = now.tz_localize("UTC") if now.tzinfo is None else now.tz_convert("UTC")
    stamps = stamps[stamps <= now]
    if stamps.empty:
        return Silence(last=None, days=float("inf"), threshold_days=threshold, silent=True)
    last = stamps.max()
    days = (now - last).total_seconds() / 86400
    return Silence(last=last, days=days, threshold_days=threshold, silent=days > threshold)


def flagged_bursts(data: pd.DataFrame, *, time: str, flagged: str, baseline_share: float,
                   false_alarms_per_year: float = 1.0, min_flagged: int = 5) -> pd.DataFrame:
    """Days with too many flagged responses for the baseline flagged share.

    ``data`` holds one row per response, its time in ``time`` and a boolean ``flagged``.
    Returns one row per alarming day (UTC dates), columns ``day``, ``n``, ``flagged``,
    ``expected`` (``n p0``) and ``p_value`` (binomial upper tail ``P(X >= flagged)``); a day
    alarms when ``p_value < false_alarms_per_year / 365`` and ``flagged >= min_flagged``.
    """
    from scipy.stats import binom

    if not 0 <= baseline_share < 1:
        raise ValueError("the baseline flagged share must be at least 0 and below 1")
    columns = ["day", "n", "flagged", "expected", "p_value"]
    if data.empty:
        return pd.DataFrame(columns=columns)
    days = pd.to_datetime(data[time], utc=True).dt.floor("D")
    counts = pd.DataFrame({"day": days, "flagged": data[flagged].astype(bool)}).groupby("day")["flagged"]
    table = pd.DataFrame({"n": counts.size(), "flagged": counts.sum()}).reset_index()
    share = max(baseline_share, 1e-6)  # a history without flags must not make one flag a burst
    table["expected"] = table["n"] * share
    table["p_value"] = binom.sf(table["flagged"] - 1, table["n"], share)
    alarming = (table["p_value"] < false_alarms_per_year / 365) & (table["flagged"] >= min_flagged)
    table = table.loc[alarming, columns].reset_index(drop=True)
    table["n"] = table["n"].astype(int)
    table["flagged"] = table["flagged"].astype(int)
    return table
