"""Early-warning benchmark: the delay to detect a drop of 0.3 points (on a 1-5 scale) as a
function of a service point's response rate, from 10 answers a week (a public toilet) to 500 a
day (a metro station).

    python -m benchmarks.early_warning                 # 300 simulated drops per rate
    python -m benchmarks.early_warning --runs 1000 --in-control

For each rate, ``surveyor.stats.cusum_drop`` watches 5-point answers (mean 3.87, sd 1.13, the
skew of a satisfied public) arriving as a Poisson process, whose mean drops by 0.3 at the start;
the table prints the threshold ``h``, Siegmund's predicted delay on normal answers, and the
simulated delay in responses and in days (mean, median, 90th percentile). The baseline in the
same run is the rule people use without a chart: the weekly mean (the daily mean from 50 a day)
below the baseline by three standard errors. ``--in-control`` also counts false alarms a
year without a drop (slow at high rates: the CUSUM must run a year of answers per point).
"""
from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd

SCORES = np.arange(1, 6)
SHARES = np.array([0.05, 0.08, 0.17, 0.35, 0.35])
RATES = [("10 a week", 10 / 7), ("50 a week", 50 / 7), ("10 a day", 10.0), ("50 a day", 50.0),
         ("100 a day", 100.0), ("500 a day", 500.0)]
DROP = 0.3


def answers(rng, size, drop):
    drawn = SCORES[np.searchsorted(np.cumsum(SHARES), rng.random(size), side="right").clip(0, 4)]
    if drop:
        down = rng.random(size) < drop / (1 - SHARES[0])
        drawn = np.where(down & (drawn > 1), drawn - 1, drawn)
    return drawn


def times(rng, size, per_day):
    start = pd.Timestamp("2026-01-01", tz="UTC")
    return start + pd.to_timedelta(np.cumsum(rng.exponential(1 / per_day, size)), unit="D")


def cusum_delays(rng, per_day, runs, mean, sd):
    """Days and responses to the first alarm after a drop at time 0."""
    from surveyor.stats import cusum_drop

    per_year = per_day * 365.25
    days, responses = [], []
    for _ in range(runs):
        size = 2000
        at = times(rng, size, per_day)
        watch = cusum_drop(pd.DataFrame({"at": at, "score": answers(rng, size, DROP)}), time="at",
                           value="score", baseline_mean=mean, baseline_sd=sd, responses_per_year=per_year)
        if watch.alarms.empty:
            days.append(math.inf)
            responses.append(math.inf)
            continue
        first = watch.alarms["detected_at"].iloc[0]
        days.append((first - pd.Timestamp("2026-01-01", tz="UTC")).total_seconds() / 86400)
        responses.append(int((watch.path["at"] <= first).sum()))
    return np.array(days), np.array(responses)


def period_mean_delays(rng, per_day, runs, mean, sd):
    """Days to the first period (a week, a day from 50 a day) whose mean is three standard
    errors below the baseline."""
    period = 1.0 if per_day >= 50 else 7.0
    delays = []
    for _ in range(runs):
        for k in range(1, 520):
            n = rng.poisson(per_day * period)
            if n and answers(rng, n, DROP).mean() < mean - 3 * sd / math.sqrt(n):
                delays.append(k * period)
                break
        else:
            delays.append(math.inf)
    return np.array(delays)


def false_alarms_a_year(rng, per_day, points, mean, sd):
    from surveyor.stats import cusum_drop

    size = int(per_day * 365.25)
    total = 0
    for _ in range(points):
        data = pd.DataFrame({"at": times(rng, size, per_day), "score": answers(rng, size, 0.0)})
        total += len(cusum_drop(data, time="at", value="score", baseline_mean=mean, baseline_sd=sd,
                                responses_per_year=per_day * 365.25).alarms)
    return total / points


def main(argv=None) -> None:
    from surveyor.stats import cusum_arl, cusum_threshold
    from surveyor.stats.early_warning import DESIGN_MARGIN, DROP_SHIFT

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300, help="simulated drops per rate")
    parser.add_argument("--in-control", action="store_true", help="also count false alarms a year")
    parser.add_argument("--seed", type=int, default=20261208)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    mean = float(SHARES @ SCORES)
    sd = math.sqrt(float(SHARES @ (SCORES - mean) ** 2))
    k = DROP_SHIFT / sd / 2
    print(f"Drop of {DROP} points on a 1-5 scale (mean {mean:.2f}, sd {sd:.2f}, k = {k:.3f} sd); "
          f"{args.runs} drops per rate; one false alarm a year by design\n")
    header = (f"{'rate':>10} {'h':>5} {'Siegmund':>9} {'responses':>22} {'days: mean':>11} {'median':>7} "
              f"{'p90':>7} {'period mean (days)':>19} {'ratio':>6}")
    if args.in_control:
        header += f" {'false/year':>10}"
    print(header)
    print(f"{'':>10} {'':>5} {'(resp.)':>9} {'mean  median  p90':>22}")
    for name, per_day in RATES:
        per_year = per_day * 365.25
        h = cusum_threshold(k, DESIGN_MARGIN * per_year)
        predicted = cusum_arl(k, h, DROP / sd)
        days, responses = cusum_delays(rng, per_day, args.runs, mean, sd)
        baseline = period_mean_delays(rng, per_day, args.runs, mean, sd)
        line = (f"{name:>10} {h:5.1f} {predicted:9.0f} {responses.mean():8.0f} {np.median(responses):6.0f} "
                f"{np.percentile(responses, 90):6.0f} {days.mean():11.2f} {np.median(days):7.2f} "
                f"{np.percentile(days, 90):7.2f} {np.median(baseline):19.2f} "
                f"{np.median(baseline) / np.median(days):6.1f}")
        if args.in_control:
            points = max(20, min(200, int(20000 / per_day)))
            line += f" {false_alarms_a_year(rng, per_day, points, mean, sd):10.2f}"
        print(line)
    print("\nratio: the period-mean rule's median delay over the CUSUM's (higher is better for the "
          "CUSUM); the period-mean rule raises about 0.07 false alarms a year checked weekly and 0.5 daily.")


if __name__ == "__main__":
    main()
