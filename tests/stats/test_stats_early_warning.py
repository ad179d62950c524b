"""Early warning (surveyor.stats.early_warning) checked by simulation with fixed seeds.

Independent sources: Siegmund's approximation of the CUSUM's average run length as Montgomery
(2013) tabulates it for the two-sided chart (Table 9.3, k = 0.5: ARL0 = 168 at h = 4 and 465 at
h = 5, 10.4 for a one-sigma shift at h = 5; a one-sided chart has twice the in-control ARL,
Montgomery's example 336 + 336 -> 168); the run lengths of the simulated charts below, on
normal answers and on 5-point answers with the skew of a satisfied public (most 4 and 5).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from surveyor.stats import early_warning as ew

SCORES = np.arange(1, 6)
SATISFIED = np.array([0.05, 0.08, 0.17, 0.35, 0.35])  # mean 3.87, sd 1.13
VERY_SATISFIED = np.array([0.02, 0.03, 0.10, 0.35, 0.50])  # mean 4.28, sd 0.90


def moments(shares):
    mean = shares @ SCORES
    return mean, math.sqrt(shares @ (SCORES - mean) ** 2)


def draw(rng, shares, size, drop=0.0):
    """5-point answers; ``drop`` points lower on average by moving a share of the answers one
    point down (answers of 1 stay 1)."""
    answers = SCORES[np.searchsorted(np.cumsum(shares), rng.random(size), side="right").clip(0, 4)]
    if drop:
        down = rng.random(size) < drop / (1 - shares[0])
        answers = np.where(down & (answers > 1), answers - 1, answers)
    return answers


def run_lengths(rng, *, responses_per_year, shares=None, normal=False, drop=0.0, runs=1000):
    """Responses to the first alarm of :func:`cusum_drop`'s rule in ``runs`` independent
    charts, simulated side by side (the same recursion and threshold as the function)."""
    mean, sd = moments(shares if shares is not None else SATISFIED)
    k = ew.DROP_SHIFT / sd / 2
    h = ew.cusum_threshold(k, ew.DESIGN_MARGIN * responses_per_year)
    c = np.zeros(runs)
    lengths = np.zeros(runs, dtype=int)
    for i in range(1, 40 * responses_per_year):
        x = rng.normal(mean, sd, runs) if normal else draw(rng, shares, runs, drop)
        c = np.maximum(0.0, c + (mean - x) / sd - k)
        crossed = (c > h) & (lengths == 0)
        lengths[crossed] = i
        if lengths.all():
            return lengths
    raise AssertionError("some charts never alarmed")


def test_siegmund_matches_montgomery_table():
    # Montgomery (2013) Table 9.3 (two-sided, k = 0.5): 1/ARL = 1/ARL+ + 1/ARL-.
    def two_sided(h, shift):
        return 1 / (1 / ew.cusum_arl(0.5, h, shift) + 1 / ew.cusum_arl(0.5, h, -shift))
    assert ew.cusum_arl(0.5, 4, 0.0) == pytest.approx(336, rel=0.01)
    assert two_sided(4, 0.0) == pytest.approx(168, rel=0.01)
    assert two_sided(5, 0.0) == pytest.approx(465, rel=0.02)
    assert two_sided(5, 1.0) == pytest.approx(10.4, rel=0.02)
    assert ew.cusum_threshold(0.5, 2 * 168) == pytest.approx(4, abs=0.02)


def test_function_and_simulation_agree_on_the_alarm():
    """The vectorised simulation below is the function's recursion: the same answers give the
    same first alarm."""
    rng = np.random.default_rng(3)
    mean, sd = moments(SATISFIED)
    answers = draw(rng, SATISFIED, 3000, drop=0.3)
    times = pd.date_range("2026-01-01", periods=answers.size, freq="h", tz="UTC")
    watch = ew.cusum_drop(pd.DataFrame({"at": times, "score": answers}), time="at", value="score",
                          baseline_mean=mean, baseline_sd=sd, responses_per_year=520)
    k, h = watch.reference, watch.threshold
    c, first = 0.0, None
    for i, x in enumerate(answers):
        c = max(0.0, c + (mean - x) / sd - k)
        if c > h:
            first = i
            break
    assert first is not None
    assert watch.alarms["detected_at"].iloc[0] == times[first]
    assert watch.path["statistic"].iloc[first] > h
    assert (watch.path["statistic"].iloc[:first] <= h).all()
    assert watch.alarms["mean"].iloc[0] < mean - 0.15  # the answers since the drop began are low


@pytest.mark.parametrize("responses_per_year", [520, 2600])  # 10 a week; 50 a week
def test_false_alarms_in_control_normal_answers(responses_per_year):
    """Normal answers: the mean run length is Siegmund's 1.5 N (within 15%), i.e. 0.67 false
    alarms a year; and the run length is roughly exponential (median / mean near ln 2), as a
    CUSUM's is. A Shewhart rule, a two-sided chart or no margin would fall outside."""
    rng = np.random.default_rng(20261207)
    lengths = run_lengths(rng, responses_per_year=responses_per_year, normal=True, runs=600)
    ratio = lengths.mean() / responses_per_year
    assert 1.5 * 0.85 < ratio < 1.5 * 1.15
    assert 0.55 < np.median(lengths) / lengths.mean() < 0.8


@pytest.mark.parametrize("shares", [SATISFIED, VERY_SATISFIED], ids=["satisfied", "very-satisfied"])
def test_at_most_one_false_alarm_a_year_on_five_point_answers(shares):
    """The stated rate: skewed 5-point answers at 10 a week raise at most one false alert a
    year (mean run length of at least N = 520 responses), and not far fewer than the design's
    (a rule that never alarms would pass the first bound, so the second)."""
    rng = np.random.default_rng(7)
    lengths = run_lengths(rng, responses_per_year=520, shares=shares)
    assert 1.0 < lengths.mean() / 520 < 1.6


def test_detects_a_drop_of_three_tenths_within_the_stated_delay():
    """A drop of 0.3 points at 10 answers a week: Siegmund predicts about 60 responses
    (6 weeks) on normal answers; on 5-point answers the mean delay is under 8 weeks (70
    responses here) and 9 in 10 drops are caught within 15 weeks (150 responses), against a
    mean of about 600 responses without a drop."""
    rng = np.random.default_rng(11)
    lengths = run_lengths(rng, responses_per_year=520, shares=SATISFIED, drop=0.3)
    assert 40 < lengths.mean() < 80
    assert np.percentile(lengths, 90) < 150


def test_cusum_drop_in_control_raises_no_alarm_over_a_typical_year_most_of_the_time():
    """Through the function itself: 200 points of 10 answers a week watched for a year raise
    at most about one false alert each (the expected count is under 1 a year; here 1/1.5 of
    it after the design margin, less the skew's 15-25%)."""
    rng = np.random.default_rng(5)
    mean, sd = moments(SATISFIED)
    times = pd.date_range("2026-01-01", periods=520, freq="16h50min", tz="UTC")
    alarms = 0
    for _ in range(200):
        data = pd.DataFrame({"at": times, "score": draw(rng, SATISFIED, 520)})
        alarms += len(ew.cusum_drop(data, time="at", value="score", baseline_mean=mean, baseline_sd=sd,
                                    responses_per_year=520).alarms)
    assert alarms / 200 < 1.0


def test_irregular_times_and_missing_answers():
    """Answers out of order are watched in time order; missing scores are left out."""
    data = pd.DataFrame({"at": pd.to_datetime(["2026-03-02", "2026-03-01", "2026-03-03"], utc=True),
                         "score": [1.0, 5.0, None]})
    watch = ew.cusum_drop(data, time="at", value="score", baseline_mean=4, baseline_sd=1,
                          responses_per_year=100)
    assert watch.n == 2
    assert list(watch.path["value"]) == [5.0, 1.0]
    assert watch.path["statistic"].iloc[0] == 0.0
    assert watch.path["statistic"].iloc[1] == pytest.approx(3 - watch.reference)


def test_an_estimated_baseline_is_lowered_by_its_standard_error():
    data = pd.DataFrame({"at": pd.to_datetime(["2026-03-01"], utc=True), "score": [3.0]})
    known = ew.cusum_drop(data, time="at", value="score", baseline_mean=4, baseline_sd=1, responses_per_year=100)
    estimated = ew.cusum_drop(data, time="at", value="score", baseline_mean=4, baseline_sd=1,
                              responses_per_year=100, baseline_n=25)
    assert known.path["z"].iloc[0] == pytest.approx(1.0)
    assert estimated.path["z"].iloc[0] == pytest.approx(0.8)  # (4 - 1/5 - 3) / 1


@pytest.mark.parametrize("kwargs, message", [
    ({"baseline_sd": 0.0}, "standard deviation"),
    ({"baseline_sd": float("nan")}, "standard deviation"),
    ({"baseline_mean": float("nan")}, "mean"),
    ({"shift": 0.0}, "drop"),
    ({"responses_per_year": 0}, "rate"),
    ({"baseline_n": 1}, "2 answers"),
])
def test_bad_arguments_are_refused_with_a_message(kwargs, message):
    arguments = {"baseline_mean": 4, "baseline_sd": 1, "responses_per_year": 100} | kwargs
    with pytest.raises(ValueError, match=message):
        ew.cusum_drop(pd.DataFrame({"at": [], "score": []}), time="at", value="score", **arguments)


def test_silence_threshold_keeps_one_false_alarm_a_year_by_simulation():
    """Poisson arrivals at 10 a week for 200 years: gaps above the threshold happen about
    once a year (the formula's N exp(-lambda g) = 1)."""
    rng = np.random.default_rng(9)
    per_day = 520 / ew.DAYS_PER_YEAR
    gaps = rng.exponential(1 / per_day, size=520 * 200)
    threshold = ew.silence_threshold_days(520)
    assert threshold == pytest.approx(math.log(520) / per_day)
    assert 0.8 < (gaps > threshold).sum() / 200 < 1.25


def test_silence_of_a_point():
    times = pd.to_datetime(["2026-03-01T08:00", "2026-03-02T08:00"], utc=True)
    busy = ew.silence(times, now="2026-03-04T08:00", responses_per_year=5000)  # 13.7 a day
    assert busy.silent and busy.days == pytest.approx(2.0)
    quiet = ew.silence(times, now="2026-03-04T08:00", responses_per_year=100)  # one in 3.7 days
    assert not quiet.silent and quiet.threshold_days > 10
    assert ew.silence([], now="2026-03-04", responses_per_year=100).silent
    # a response after "now" (clock skew) does not hide the silence before it
    assert ew.silence(times, now="2026-03-01T09:00", responses_per_year=100).last == times[0]


def test_flagged_bursts():
    days = pd.date_range("2026-03-01", periods=30, freq="D", tz="UTC")
    rows = []
    rng = np.random.default_rng(2)
    for day in days:
        for minute in range(100):  # 100 answers a day, 2% flagged as usual
            rows.append({"at": day + pd.Timedelta(minutes=minute * 10), "flagged": rng.random() < 0.02})
    quiet = pd.DataFrame(rows)
    assert ew.flagged_bursts(quiet, time="at", flagged="flagged", baseline_share=0.02).empty
    stuffed = pd.concat([quiet, pd.DataFrame({"at": [days[12] + pd.Timedelta(hours=3)] * 40,
                                              "flagged": [True] * 40})])
    bursts = ew.flagged_bursts(stuffed, time="at", flagged="flagged", baseline_share=0.02)
    assert list(bursts["day"]) == [days[12]]
    assert bursts["flagged"].iloc[0] >= 40 and bursts["n"].iloc[0] == 140
    # a history without any flag: four flags are not yet a burst, eight are
    few = pd.DataFrame({"at": [days[0]] * 20, "flagged": [True] * 4 + [False] * 16})
    assert ew.flagged_bursts(few, time="at", flagged="flagged", baseline_share=0.0).empty
    with pytest.raises(ValueError, match="share"):
        ew.flagged_bursts(few, time="at", flagged="flagged", baseline_share=1.0)
