"""Design-based estimation: hand-worked variances, what clustering does on demo-like data, and
the arguments a clumsy caller gives. The comparison with R is in test_stats_design_r.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from surveyor.demo.model import DISTRICT_SD
from surveyor.stats import (
    box_shares,
    group_mean_test,
    group_means,
    kruskal_wallis,
    mean_ci,
    monthly_trend,
    net_promoter_score,
    pairwise_mean_differences,
    period_change,
)
from surveyor.stats._moments import korn_graubard_interval

DESIGN = dict(cluster="point", strata="district")

# Stratum A: points p1 (answers 1, 3), p2 (one response, no answer), p3 (5); stratum B: the
# single point p4 (4, 4). Unweighted mean 17/5 = 3.4; influence z = (y - 3.4) / 5, PSU totals
# p1 -0.56, p2 0, p3 0.32, p4 0.24. Stratum A: mean total -0.08, deviations -0.48, 0.08, 0.4,
# 3/2 * (0.2304 + 0.0064 + 0.16) = 0.5952. Stratum B (lonely) under "adjust": 0.24^2 = 0.0576.
HAND = pd.DataFrame({
    "district": ["A", "A", "A", "A", "B", "B"],
    "point": ["p1", "p1", "p2", "p3", "p4", "p4"],
    "score": [1, 3, np.nan, 5, 4, 4],
})


@pytest.mark.parametrize("option, variance", [
    ("adjust", 0.5952 + 0.0576),
    ("remove", 0.5952),
    ("average", 0.5952 * 2 / 1),  # the one stratum with two or more points stands for both
])
def test_hand_worked_variance_with_a_lonely_stratum(option, variance):
    row = mean_ci(HAND, columns="score", lonely_psu=option, **DESIGN).iloc[0]
    assert row["mean"] == pytest.approx(3.4, abs=1e-14)
    assert row["se"] ** 2 == pytest.approx(variance, abs=1e-14)
    # clusters that answered (p1, p3, p4) - strata (A, B)
    assert (row["df"], row["n_clusters"], row["n_strata"], row["n"]) == (1, 3, 2, 5)
    half = stats.t.ppf(0.975, 1) * np.sqrt(variance)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(3.4 - half), pytest.approx(3.4 + half))


def test_a_point_whose_answers_are_all_missing_still_counts_in_its_district():
    # Without p2 stratum A has two points: 2/1 * (0.44^2 + 0.44^2) = 0.7744, not 0.5952.
    without = HAND[HAND["point"] != "p2"]
    assert mean_ci(without, columns="score", **DESIGN)["se"].iloc[0] ** 2 == \
        pytest.approx(0.7744 + 0.0576, abs=1e-14)


def test_lonely_psu_fail_names_the_strata_and_other_options_are_refused():
    with pytest.raises(ValueError, match=r"strata B have a single cluster"):
        mean_ci(HAND, columns="score", lonely_psu="fail", **DESIGN)
    assert mean_ci(HAND[HAND["district"] == "A"], columns="score", lonely_psu="fail",
                   **DESIGN)["df"].iloc[0] == 1
    with pytest.raises(ValueError, match="lonely_psu must be one of"):
        mean_ci(HAND, columns="score", lonely_psu="certainty", **DESIGN)


def demo_like(seed: int, station_sd: float, district_sd: float = DISTRICT_SD,
              stations: int = 4, answers: int = 100) -> pd.DataFrame:
    """As ``surveyor demo``'s satisfaction (``3.5 + u_d/2 + noise``, rounded to 1-5), with 13
    districts of ``stations`` metro stations each, and a station effect ``N(0, station_sd²)``
    that the demo does not have."""
    rng = np.random.default_rng(seed)
    parts = []
    for district in range(1, 14):
        u = rng.normal(0, district_sd)
        for station in range(stations):
            e = rng.normal(0, station_sd)
            score = np.clip(np.rint(3.5 + u / 2 + e + rng.normal(0, 1.0, answers)), 1, 5)
            parts.append(pd.DataFrame({"district": district, "point": 100 * district + station,
                                       "score": score}))
    return pd.concat(parts, ignore_index=True)


def test_where_stations_differ_the_naive_interval_is_about_three_times_too_narrow():
    data = demo_like(seed=1, station_sd=0.3)
    naive = mean_ci(data, columns="score").iloc[0]
    design = mean_ci(data, columns="score", **DESIGN).iloc[0]
    assert design["deff"] > 6
    assert 2.5 < design["se"] / naive["se"] < 3.6
    assert design["se"] / naive["se"] == pytest.approx(np.sqrt(design["deff"]), rel=0.02)
    districts = group_means(data, value="score", group="district", **DESIGN)
    naive_se = data.groupby("district")["score"].sem().to_numpy()
    assert 2.3 < np.median(districts["se"] / naive_se) < 3.7
    assert np.median(districts["deff"]) > 5 and (districts["df"] == 3).all()


def test_where_stations_do_not_differ_the_design_effect_is_near_one():
    data = demo_like(seed=1, station_sd=0.0)
    design = mean_ci(data, columns="score", **DESIGN).iloc[0]
    assert 0.5 < design["deff"] < 1.5
    districts = group_means(data, value="score", group="district", **DESIGN)
    assert 0.5 < np.median(districts["deff"]) < 1.5


def test_station_effects_do_not_make_districts_look_different():
    # No district effect at all; stations differ (sd 0.3). The rank test on the answers calls
    # the districts different nearly every time; the design-based test about 1 time in 20.
    naive = design = 0
    for seed in range(40):
        data = demo_like(seed, station_sd=0.3, district_sd=0.0)
        naive += kruskal_wallis(data, value="score", group="district").p_value < 0.05
        design += group_mean_test(data, value="score", group="district", **DESIGN).p_value < 0.05
    assert naive >= 30 and design <= 6


def test_real_district_differences_are_still_found():
    data = demo_like(seed=3, station_sd=0.3, district_sd=1.2)
    assert group_mean_test(data, value="score", group="district", **DESIGN).p_value < 0.001


@pytest.fixture(scope="module")
def answers(design_survey) -> pd.DataFrame:
    return design_survey.assign(at=design_survey["month"].map(
        {"1403-01": "2024-03-25", "1403-02": "2024-04-25", "1403-03": "2024-05-25"}))


def _figures(data, **design):
    """Every design-based figure of one call each, flattened."""
    mean = mean_ci(data, columns="score", **design).iloc[0]
    box = box_shares(data, columns="score", scale_min=1, scale_max=5, **design).iloc[0]
    nps = net_promoter_score(data, column="recommend", **design)
    groups = group_means(data, value="score", group="district", **design)
    test = group_mean_test(data, value="score", group="district", **design)
    change = period_change(data, value="score", period="month", before="1403-01",
                           after="1403-03", **design)
    trend = monthly_trend(data, value="score", date="at", **design)
    return np.concatenate([
        mean[["mean", "se", "ci_low", "deff"]].astype(float), box[["top_ci_high"]].astype(float),
        [nps.ci_low, test.f, test.p_value, change.se, change.p_value],
        groups[["se", "ci_high"]].to_numpy().ravel(), trend["ci_low"].to_numpy()])


def test_scale_of_weights_order_of_rows_and_labels_do_not_matter(answers):
    expected = _figures(answers, weights="w", **DESIGN)
    scaled = answers.assign(w=answers["w"] * 1e200)
    np.testing.assert_allclose(_figures(scaled, weights="w", **DESIGN), expected, rtol=1e-11)
    shuffled = answers.sample(frac=1, random_state=7)
    np.testing.assert_allclose(_figures(shuffled, weights="w", **DESIGN), expected, rtol=1e-11)
    relabelled = answers.assign(point="station " + answers["point"].astype(str))
    np.testing.assert_allclose(_figures(relabelled, weights="w", **DESIGN), expected, rtol=1e-11)


def test_strata_and_clusters_as_a_series_or_an_array(answers):
    expected = _figures(answers, weights="w", **DESIGN)
    reindexed = answers.set_axis(answers.index[::-1] * 10)
    districts = pd.Series(reindexed["district"].to_numpy(), index=reindexed.index)
    got = _figures(reindexed.drop(columns="district").assign(district=districts), weights="w",
                   cluster=reindexed["point"].to_numpy(), strata=districts.sample(frac=1))
    np.testing.assert_allclose(got, expected, rtol=1e-11)


def test_misaligned_series_and_arrays_are_refused(answers):
    with pytest.raises(ValueError, match="strata Series has no value for 1 rows"):
        mean_ci(answers, columns="score", cluster="point", strata=answers["district"].iloc[1:])
    with pytest.raises(ValueError, match=r"one value per row \(1199\)"):
        mean_ci(answers, columns="score", cluster=[1, 2, 3])
    with pytest.raises(ValueError, match="cluster column 'station' not found"):
        mean_ci(answers, columns="score", cluster="station")


def test_a_row_without_a_cluster_is_a_cluster_of_its_own(answers):
    holes = answers.assign(point=answers["point"].where(answers.index % 17 != 0))
    filled = holes.assign(point=holes["point"].fillna(pd.Series(-1 - holes.index,
                                                                index=holes.index)))
    np.testing.assert_allclose(_figures(holes, weights="w", **DESIGN),
                               _figures(filled, weights="w", **DESIGN), rtol=1e-11)


def test_rows_without_a_stratum_form_one_stratum():
    data = HAND.assign(district=HAND["district"].replace("B", None))
    filled = HAND.assign(district=HAND["district"].replace("B", "(none)"))
    np.testing.assert_allclose(mean_ci(data, columns="score", **DESIGN)["se"],
                               mean_ci(filled, columns="score", **DESIGN)["se"], rtol=1e-14)


def test_every_answer_its_own_cluster_is_the_independent_sample(answers):
    complete = answers.dropna(subset=["score"]).reset_index(drop=True)
    plain = mean_ci(complete, columns="score", weights="w").iloc[0]
    rows = mean_ci(complete, columns="score", weights="w", cluster=complete.index).iloc[0]
    np.testing.assert_allclose(rows[["mean", "se", "ci_low", "df", "deff"]].astype(float),
                               plain[["mean", "se", "ci_low", "df", "deff"]].astype(float),
                               rtol=1e-12)


def test_a_group_from_one_service_point_has_no_interval_and_is_not_tested(answers):
    one_point = answers[(answers["district"] != 4) | (answers["point"] == 117)]
    assert one_point.loc[one_point["district"] == 4, "point"].nunique() == 1
    table = group_means(one_point, value="score", group="district", **DESIGN).set_index("group")
    assert (table.loc[4, "df"], table.loc[4, "n_clusters"]) == (0, 1)
    assert np.isnan(table.loc[4, "ci_low"]) and np.isfinite(table.loc[5, "ci_low"])
    with pytest.raises(ValueError, match=r"in group\(s\) 4 has no variance"):
        group_mean_test(one_point, value="score", group="district", **DESIGN)
    others = [d for d in range(1, 14) if d != 4]
    test = group_mean_test(one_point, value="score", group="district", groups=others, **DESIGN)
    assert test.groups == 12
    pairs = pairwise_mean_differences(one_point, value="score", group="district",
                                      groups=others, **DESIGN)
    assert len(pairs) == 66 and 4 not in set(pairs["group_a"]) | set(pairs["group_b"])


def test_group_arguments_a_clumsy_caller_gives(answers):
    with pytest.raises(ValueError, match="groups 99 have no responses"):
        group_mean_test(answers, value="score", group="district", groups=[1, 99], **DESIGN)
    with pytest.raises(ValueError, match="1 group"):
        group_mean_test(answers, value="score", group="district", groups=[3], **DESIGN)
    with pytest.raises(ValueError, match="correction must be one of"):
        pairwise_mean_differences(answers, value="score", group="district",
                                  correction="none", **DESIGN)
    with pytest.raises(ValueError, match="no response has both an answer"):
        group_means(answers.assign(score=np.nan), value="score", group="district", **DESIGN)


def test_pairwise_differences_adjust_and_point_the_right_way(answers):
    pairs = pairwise_mean_differences(answers, value="score", group="district", **DESIGN)
    means = group_means(answers, value="score", group="district", **DESIGN).set_index("group")
    first = pairs.iloc[0]
    assert (first["group_a"], first["group_b"]) == (1, 2)
    assert first["difference"] == pytest.approx(means.loc[1, "mean"] - means.loc[2, "mean"])
    assert (pairs["p_adjusted"] >= pairs["p_value"] - 1e-15).all()
    inside = (pairs["ci_low"] < pairs["difference"]) & (pairs["difference"] < pairs["ci_high"])
    assert inside.all()


def test_period_change_under_the_design_refuses_constant_answers():
    data = pd.DataFrame({"month": ["a"] * 6 + ["b"] * 6, "score": [5] * 12,
                         "point": [1, 1, 2, 2, 3, 3] * 2, "w": np.linspace(0.5, 3, 12)})
    with pytest.raises(ValueError, match="no variation within either period"):
        period_change(data, value="score", period="month", before="a", after="b", weights="w",
                      cluster="point")


def test_a_station_answering_in_both_months_links_them(answers):
    # The change's se is not sqrt(se_before² + se_after²): the months share the points.
    change = period_change(answers, value="score", period="month", before="1403-01",
                           after="1403-02", **DESIGN)
    months = group_means(answers, value="score", group="month", **DESIGN).set_index("group")
    apart = np.hypot(months.loc["1403-01", "se"], months.loc["1403-02", "se"])
    assert abs(change.se / apart - 1) > 0.02


def test_calibration_needs_positive_weights_and_known_categories(answers):
    with pytest.raises(ValueError, match="1 rows have a zero or missing weight"):
        mean_ci(answers.assign(w=answers["w"].where(answers.index != 5, 0.0)), columns="score",
                weights="w", calibration=["visitor"], **DESIGN)
    with pytest.raises(ValueError, match="no value for the raking margin 'gender'"):
        mean_ci(answers.assign(gender=answers["gender"].where(answers.index != 5)),
                columns="score", weights="w", calibration=["visitor", "gender"], **DESIGN)


def test_all_zero_weights_under_the_design_are_said_so(answers):
    with pytest.raises(ValueError, match="zero or missing weight, so nothing is left"):
        mean_ci(answers.assign(w=0.0), columns="score", weights="w", **DESIGN)


def test_korn_graubard_at_zero_and_one_and_below_a_design_effect_of_one():
    # p = 0 or a variance of 0: n* = n, so Clopper-Pearson's interval for 0 of n (scaled by
    # (t_{n-1} / t_df)^2); a design effect below 1 counts as 1 (NCHS).
    n, df = 40, 12
    scale = (stats.t.ppf(0.025, n - 1) / stats.t.ppf(0.025, df)) ** 2
    low, high = korn_graubard_interval(0.0, 0.0, n, df, 0.95)
    assert low == 0.0 and high == pytest.approx(stats.beta.ppf(0.975, 1, n * scale))
    low, high = korn_graubard_interval(1.0, 0.0, n, df, 0.95)
    assert high == 1.0 and low == pytest.approx(stats.beta.ppf(0.025, n * scale, 1))
    narrow = korn_graubard_interval(0.3, 0.3 * 0.7 / (4 * n), n, df, 0.95)
    assert narrow == korn_graubard_interval(0.3, 0.3 * 0.7 / n, n, df, 0.95)
    assert all(np.isnan(korn_graubard_interval(0.3, 0.01, n, 0, 0.95)))


def test_shares_and_nps_intervals_stay_on_their_scales():
    data = pd.DataFrame({"score": [5, 5, 5, 4, 5, 5], "recommend": [10, 10, 9, 10, 10, 9],
                         "point": [1, 1, 2, 2, 3, 3]})
    box = box_shares(data, columns="score", scale_min=1, scale_max=5, cluster="point").iloc[0]
    assert box["top_box"] == 1 and box["top_ci_high"] == 1 and 0 < box["top_ci_low"] < 1
    assert box["bottom_box"] == 0 and box["bottom_ci_low"] == 0
    nps = net_promoter_score(data, column="recommend", cluster="point")
    assert nps.nps == 100 and nps.ci_high <= 100 and nps.df == 2


def test_monthly_trend_reads_only_the_answers_dates_and_takes_a_repeated_index(answers):
    expected = monthly_trend(answers, value="score", date="at", weights="w", **DESIGN)
    messy = answers.assign(at=answers["at"].where(answers["score"].notna(), "not a date"))
    messy.index = [0] * len(messy)  # e.g. frames concatenated without ignore_index
    got = monthly_trend(messy, value="score", date="at", weights="w", **DESIGN)
    pd.testing.assert_frame_equal(got, expected)
    with pytest.raises(ValueError, match="could not be read"):
        monthly_trend(messy.assign(at="not a date"), value="score", date="at", **DESIGN)
