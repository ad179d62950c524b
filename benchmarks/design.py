"""Design-based statistics benchmark: what the clustered, stratified (and raked) design costs
on a results page's answers, against the same figures computed as an independent sample.

    python -m benchmarks.design                     # 1,000,000 answers at 55 points
    python -m benchmarks.design --answers 200000

The answers are generated in memory (13 districts, 55 service points, unequal weights, a
year of dates, 5% missing). Every figure a results page shows is computed once as an
independent sample (no cluster, no strata) and once under the design (``cluster`` the point,
``strata`` the district), and once more on raked weights with ``calibration=``; the run
prints each time, the ratio design / independent, and the total against the target. Times
are CPU seconds of the process (``time.process_time``): on the shared 2-core machine the wall
clock mostly measured the other sessions' work.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from surveyor import stats

TARGET_SECONDS = 2.0  # every design-based figure of one results page, 1,000,000 answers


def answers(n: int, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    point = rng.integers(0, 55, n)
    district = point % 13 + 1
    station = rng.normal(0, 0.3, 55)[point]
    latent = 3.5 + station + rng.normal(0, 1.0, n)
    score = np.clip(np.rint(latent), 1, 5)
    score[rng.random(n) < 0.05] = np.nan
    days = rng.integers(0, 365, n)
    return pd.DataFrame({
        "service_point_id": point,
        "district": district,
        "overall": score,
        "recommend": np.clip(np.rint(2.3 * (latent - 1) + rng.normal(0, 1.3, n)), 0, 10),
        "visitor": np.where(rng.random(n) < 0.3, "pilgrim", "resident"),
        "gender": np.where(rng.random(n) < 0.45, "f", "m"),
        "submitted_at": pd.Timestamp("2024-03-20") + pd.to_timedelta(days, unit="D"),
        "month": days // 31,
        "w": rng.uniform(0.5, 2.5, n),
    })


def figures(data: pd.DataFrame, **design) -> dict[str, float]:
    """CPU seconds for each figure of a results page."""
    calls = {
        "mean_ci": lambda: stats.mean_ci(data, columns="overall", **design),
        "box_shares": lambda: stats.box_shares(data, columns="overall", scale_min=1,
                                               scale_max=5, **design),
        "net_promoter_score": lambda: stats.net_promoter_score(data, column="recommend",
                                                               **design),
        "group_means (13 districts)": lambda: stats.group_means(
            data, value="overall", group="district", **design),
        "group_mean_test": lambda: stats.group_mean_test(
            data, value="overall", group="district", **design),
        "pairwise_mean_differences (78)": lambda: stats.pairwise_mean_differences(
            data, value="overall", group="district", **design),
        "period_change": lambda: stats.period_change(
            data, value="overall", period="month", before=0, after=11, **design),
        "monthly_trend (12 months)": lambda: stats.monthly_trend(
            data, value="overall", date="submitted_at", **design),
    }
    seconds = {}
    for name, call in calls.items():
        start = time.process_time()
        call()
        seconds[name] = time.process_time() - start
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    args = parser.parse_args()
    data = answers(args.answers)
    raked = stats.rake(data, margins={"visitor": {"resident": 0.7, "pilgrim": 0.3},
                                      "gender": {"f": 0.5, "m": 0.5}})
    data["raked"] = raked.weights
    design = dict(cluster="service_point_id", strata="district", weights="w")
    runs = {
        "independent": figures(data, weights="w"),
        "design": figures(data, **design),
        "design, raked": figures(data, cluster="service_point_id", strata="district",
                                 weights="raked", calibration=list(raked.margins)),
    }
    print(f"{args.answers:,} answers at 55 points in 13 districts (CPU seconds)")
    print(f"{'figure':34} {'independent':>12} {'design':>8} {'ratio':>6} {'raked':>8}")
    for name in runs["independent"]:
        plain, clustered = runs["independent"][name], runs["design"][name]
        # group comparisons have no independent-sample version here (the page used rank tests)
        print(f"{name:34} {plain:12.3f} {clustered:8.3f} {clustered / plain:6.1f} "
              f"{runs['design, raked'][name]:8.3f}")
    total = sum(runs["design"].values())
    print(f"{'total':34} {sum(runs['independent'].values()):12.3f} {total:8.3f} "
          f"{total / sum(runs['independent'].values()):6.1f} "
          f"{sum(runs['design, raked'].values()):8.3f}")
    scaled = total * 1_000_000 / args.answers
    verdict = "met" if scaled < TARGET_SECONDS else "MISSED"
    print(f"target: every design-based figure under {TARGET_SECONDS} s at 1,000,000 answers: "
          f"{verdict} ({scaled:.2f} s scaled to 1,000,000)")
    mean = stats.mean_ci(data, columns="overall", **design).iloc[0]
    naive = stats.mean_ci(data, columns="overall", weights="w").iloc[0]
    print(f"design effect of the overall mean: {mean['deff']:.1f} "
          f"(se {mean['se']:.4f} against {naive['se']:.4f} as an independent sample)")


if __name__ == "__main__":
    main()
