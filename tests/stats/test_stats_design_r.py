"""Design-based estimates against R's survey package (4.1.1, R 4.2.2), to 1e-10.

The data, ``data/design_survey.csv``, come from ``data/design_survey.py``: 13 districts
(strata) with 3 to 6 service points (clusters) each, 1,199 answers whose points differ, unequal
weights ``w`` and missing answers. ``data/design_survey.R`` computes every value below; each
is stored with the R call that made it. R is not needed to run these tests. In R:

    d <- read.csv("design_survey.csv")
    weighted <- svydesign(ids = ~point, strata = ~district, weights = ~w, nest = TRUE, data = d)
    unweighted <- svydesign(ids = ~point, strata = ~district, nest = TRUE, data = d)
    options(survey.lonely.psu = "adjust")

and a "row" is ``c(coef(m), SE(m), confint(m, df = degf(a)), degf(a), deff(m))`` for
``a <- subset(design, !is.na(y)); m <- svymean(~y, a, na.rm = TRUE, deff = "replace")``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveyor.stats import (
    box_shares,
    group_mean_test,
    group_means,
    mean_ci,
    monthly_trend,
    net_promoter_score,
    pairwise_mean_differences,
    period_change,
    rake,
)

TOLERANCE = dict(rtol=1e-10, atol=1e-12)
DESIGN = dict(cluster="point", strata="district")
MEAN_ROW = ["mean", "se", "ci_low", "ci_high", "df", "deff"]

# row(unweighted, "score")
UNWEIGHTED_MEAN = [
    3.3038086802480073, 0.05815758876324819, 3.1871069405661436, 3.420510419929871, 52,
    3.6665215817825749
]
# row(weighted, "score")
WEIGHTED_MEAN = [
    3.3268826994914882, 0.058976258450892022, 3.2085381788965135, 3.4452272200864629, 52,
    3.8209300448620871
]
# row(svydesign(ids = ~point, weights = ~w, data = d), "score")
CLUSTER_ONLY_MEAN = [
    3.3268826994914882, 0.066735570731959779, 3.1935630708424361, 3.4602023281405403, 64,
    4.8924839652303636
]
# row(svydesign(ids = ~1, strata = ~district, weights = ~w, data = d), "score")
STRATA_ONLY_MEAN = [
    3.3268826994914882, 0.031622587273807713, 3.2648362757631184, 3.388929123219858, 1116,
    1.0985237548974756
]
# lonely <- d[d$lonely == "True", ] (districts 4 and 9 keep one point each);
# options(survey.lonely.psu = option); row(svydesign(ids = ~point, strata = ~district,
#     weights = ~w, nest = TRUE, data = lonely), "score")
LONELY_ADJUST = [
    3.3838103819417542, 0.064071578970858911, 3.2546825992404722, 3.5129381646430362, 44,
    3.876278722823411
]
LONELY_AVERAGE = [
    3.3838103819417542, 0.06903658947295542, 3.2446762780677743, 3.5229444858157342, 44,
    4.5003138296210237
]
LONELY_REMOVE = [
    3.3838103819417542, 0.063504425979388462, 3.2558256209892305, 3.511795142894278, 44,
    3.8079578558331737
]
# sapply(1:13, function(k) row(subset(weighted, district == k), "score")): the mean, se, ci_low,
# ci_high, df and deff of each district; the estimates and standard errors equal those of
# svyby(~score, ~district, weighted, svymean, na.rm = TRUE)
DISTRICTS = [
    [
        3.2597109193724489, 3.5995872411215797, 3.4571311059815577, 2.9501971944714742,
        3.5347501524696043, 4.3535830609120865, 3.4106443150916079, 2.9417555294943303,
        3.245405166467811, 3.3450710930599374, 3.1357214168639667, 3.3900598820989027,
        2.8239850471578825,
    ],
    [
        0.18909004970811411, 0.21505371445577406, 0.28455598985514025, 0.11525444920024031,
        0.28897525733913437, 0.071233386847718461, 0.18587148108453355, 0.29809672182545305,
        0.21377214184748397, 0.19051915317169565, 0.23893464569499212, 0.091686235925044005,
        0.18805495920861612,
    ],
    [
        2.773639472293203, 3.0467740690554486, 2.2327854994647787, 2.6539262008810685,
        2.7324262137070918, 4.1268866321257196, 2.8945823512385904, 2.114106345306543,
        2.5650868034727008, 2.8553260185759641, 2.4723324893619365, 3.1543729094521189,
        2.2255102370341437,
    ],
    [
        3.7457823664516949, 4.1524004131877108, 4.6814767124983367, 3.24646818806188,
        4.3370740912321164, 4.5802794896984533, 3.9267062789446254, 3.7694047136821176,
        3.9257235294629211, 3.8348161675439107, 3.7991103443659968, 3.6257468547456866,
        3.4224598572816212,
    ],
    [5, 5, 2, 5, 4, 3, 4, 4, 3, 5, 4, 5, 3],
    [
        3.9907076377577515, 5.0750072546016423, 4.2082083526524645, 1.7155039234978766,
        7.3585474369489976, 0.81922098719142711, 3.5885471237579467, 6.9856600260597723,
        3.666026704646193, 3.9688614502989656, 4.0346947778779052, 0.89328669135707484,
        2.8500652600400307,
    ],
]
# a <- subset(weighted, !is.na(score)); c(coef(m), SE(m), attr(svyciprop(~top, a,
#     method = "beta"), "ci"), deff(m)) with m <- svymean(~top, a, deff = "replace") and
#     top = as.numeric(score >= 4) (bottom: score <= 2)
TOP_BOX = [
    0.43557297349680246, 0.02620518816783865, 0.3823421821998827, 0.48992813372055211,
    3.1507572119896747
]
BOTTOM_BOX = [
    0.2064509895743038, 0.019825859828831623, 0.16776284257058555, 0.24956249331275937,
    2.7063405141702734
]
# row(weighted, "nps") with nps = 100 * ((recommend >= 9) - (recommend <= 6))
NPS = [
    -52.194068315550318, 3.4957686437413309, -59.208841295748691, -45.179295335351945, 52,
    2.7547864986397395
]
# test <- regTermTest(svyglm(score ~ factor(district), weighted), ~factor(district),
#     method = "WorkingWald", lrt.approximation = "satterthwaite"); lambda <- test$lambda;
#     c(test$chisq / (test$df * mean(lambda)), test$df * mean(lambda)^2 / mean(lambda^2),
#       test$ddf, test$p)
DISTRICT_TEST = [2.8835824640185077, 9.4518053067780237, 40, 0.0092321137988495509]
# pair_model <- svyglm(score ~ factor(district), subset(weighted, district %in% c(a, b)));
#     c(summary(pair_model)$coefficients[2, 1:3], pair_model$df.residual, ...[2, 4]): the
#     estimate (mean of b - mean of a), its se, t, df and p
PAIRS = {
    (1, 2): [0.33987632174913041, 0.2863619161128842, 1.186876824832918, 9,
             0.26565882838546168],
    (3, 11): [-0.32140968911759138, 0.37156678575436469, -0.86501189406651879, 5,
              0.42657717691895952],
    (5, 13): [-0.71076510531172143, 0.34477727163659361, -2.0615196063761734, 6,
              0.084877744441217234],
}
# change <- svyglm(score ~ month, subset(weighted, month %in% c("1403-01", "1403-02")));
#     c(coef, SE, t, df.residual, p of month1403-02, confint(change, df = df.residual))
MONTH_CHANGE = [
    -0.10727099144307432, 0.075650228178630943, -1.4179863567599305, 51, 0.16227625858905062,
    -0.25914516175518348, 0.044603178869034851
]
# svyby(~score, ~month, weighted, svymean, na.rm = TRUE): coef and SE
MONTH_MEAN = [3.3820872426729882, 3.2748162512299137, 3.3256911507844524]
MONTH_SE = [0.077898154706401948, 0.066153732591660644, 0.074159987835597227]
# raked <- rake(unweighted, list(~visitor, ~gender),
#     list(data.frame(visitor = c("pilgrim", "resident"), Freq = c(350000, 650000)),
#          data.frame(gender = c("f", "m"), Freq = c(500000, 500000))),
#     control = list(maxit = 500, epsilon = 1e-12))
# range(weights(raked) / mean(weights(raked)))
RAKED_WEIGHT_RANGE = [0.8438260914199559, 1.2886097885823584]
# row(raked, "score")
RAKED_MEAN = [
    3.3104783546453578, 0.058407008362524514, 3.1932761179214868, 3.4276805913692288, 52,
    3.6878299198130104
]
# top <- svymean(~top, subset(raked, !is.na(score)), na.rm = TRUE, deff = "replace");
#     c(coef(top), SE(top), deff(top))
RAKED_TOP_BOX = [0.4307008544229104, 0.025752834190014121, 3.0510048471542142]
# row(svydesign(ids = ~point, strata = ~district, nest = TRUE, weights = ~raked_w,
#     data = transform(d, raked_w = weights(raked))), "score"): the same weights as if they
#     were not calibrated
RAKED_MEAN_IGNORING_CALIBRATION = [
    3.3104783546453578, 0.058029874595681055, 3.1940328921898038, 3.4269238171009118, 52,
    3.6403590762667615
]


@pytest.fixture(scope="module")
def survey(design_survey) -> pd.DataFrame:
    data = design_survey
    assert len(data) == 1199 and data["district"].nunique() == 13
    assert data.groupby("district")["point"].nunique().between(3, 6).all()
    return data


@pytest.fixture(scope="module")
def raked(survey):
    result = rake(survey, margins={"visitor": {"pilgrim": 350000, "resident": 650000},
                                   "gender": {"f": 500000, "m": 500000}}, tolerance=1e-14)
    assert result.converged and result.margins == ("visitor", "gender")
    return survey.assign(raked=result.weights), result.margins


def _row(table: pd.DataFrame) -> list[float]:
    return table.iloc[0][MEAN_ROW].astype(float).tolist()


@pytest.mark.parametrize("arguments, expected", [
    (dict(DESIGN), UNWEIGHTED_MEAN),
    (dict(DESIGN, weights="w"), WEIGHTED_MEAN),
    (dict(cluster="point", weights="w"), CLUSTER_ONLY_MEAN),
    (dict(strata="district", weights="w"), STRATA_ONLY_MEAN),
], ids=["unweighted", "weighted", "clusters only", "strata only"])
def test_mean_ci_matches_svymean(survey, arguments, expected):
    table = mean_ci(survey, columns="score", **arguments)
    np.testing.assert_allclose(_row(table), expected, **TOLERANCE)
    assert table.iloc[0]["n"] == survey["score"].notna().sum()


@pytest.mark.parametrize("option, expected", [
    ("adjust", LONELY_ADJUST), ("average", LONELY_AVERAGE), ("remove", LONELY_REMOVE)])
def test_a_stratum_with_one_cluster_as_each_lonely_psu_option(survey, option, expected):
    lonely = survey[survey["lonely"]]
    assert (lonely.groupby("district")["point"].nunique() == 1).sum() == 2
    table = mean_ci(lonely, columns="score", weights="w", lonely_psu=option, **DESIGN)
    np.testing.assert_allclose(_row(table), expected, **TOLERANCE)


def test_district_means_match_svyby(survey):
    table = group_means(survey, value="score", group="district", weights="w", **DESIGN)
    assert table["group"].tolist() == list(range(1, 14))
    np.testing.assert_allclose(table[MEAN_ROW].to_numpy(dtype=float).T, DISTRICTS, **TOLERANCE)
    assert (table["n_strata"] == 1).all() and (table["df"] == table["n_clusters"] - 1).all()


def test_shares_match_svyciprop_korn_graubard(survey):
    row = box_shares(survey, columns="score", scale_min=1, scale_max=5, weights="w",
                     **DESIGN).iloc[0]
    top = row[["top_box", "top_se", "top_ci_low", "top_ci_high", "top_deff"]]
    bottom = row[["bottom_box", "bottom_se", "bottom_ci_low", "bottom_ci_high", "bottom_deff"]]
    np.testing.assert_allclose(top.astype(float), TOP_BOX, **TOLERANCE)
    np.testing.assert_allclose(bottom.astype(float), BOTTOM_BOX, **TOLERANCE)
    assert row["df"] == 52


def test_nps_matches_svymean_of_the_promoter_score(survey):
    result = net_promoter_score(survey, column="recommend", weights="w", **DESIGN)
    got = [result.nps, result.se, result.ci_low, result.ci_high, result.df, result.deff]
    np.testing.assert_allclose(got, NPS, **TOLERANCE)
    assert result.promoters - result.detractors == pytest.approx(result.nps / 100, abs=1e-12)


def test_district_comparison_matches_the_working_wald_test_and_svyglm(survey):
    test = group_mean_test(survey, value="score", group="district", weights="w", **DESIGN)
    np.testing.assert_allclose([test.f, test.df_num, test.df_den, test.p_value], DISTRICT_TEST,
                               **TOLERANCE)
    assert test.groups == 13 and test.n == survey["score"].notna().sum()
    pairs = pairwise_mean_differences(survey, value="score", group="district", weights="w",
                                      **DESIGN).set_index(["group_a", "group_b"])
    assert len(pairs) == 78
    for (a, b), (difference, se, t, df, p) in PAIRS.items():
        row = pairs.loc[(a, b)]
        # R's coefficient is b - a; the table's difference is a - b
        np.testing.assert_allclose([-row["difference"], row["se"], -row["t"], row["df"],
                                    row["p_value"]], [difference, se, t, df, p], **TOLERANCE)


def test_period_change_matches_svyglm(survey):
    result = period_change(survey, value="score", period="month", before="1403-01",
                           after="1403-02", weights="w", **DESIGN)
    got = [result.change, result.se, result.t, result.df, result.p_value, result.ci_low,
           result.ci_high]
    np.testing.assert_allclose(got, MONTH_CHANGE, **TOLERANCE)


def test_monthly_means_match_svyby(survey):
    months = group_means(survey, value="score", group="month", weights="w", **DESIGN)
    np.testing.assert_allclose(months["mean"], MONTH_MEAN, **TOLERANCE)
    np.testing.assert_allclose(months["se"], MONTH_SE, **TOLERANCE)
    dated = survey.assign(at=survey["month"].map(
        {"1403-01": "2024-03-25", "1403-02": "2024-04-25", "1403-03": "2024-05-25"}))
    trend = monthly_trend(dated, value="score", date="at", weights="w", **DESIGN)
    assert trend["period"].tolist() == ["1403-01", "1403-02", "1403-03"]
    np.testing.assert_allclose(trend["estimate"], MONTH_MEAN, **TOLERANCE)
    np.testing.assert_allclose(trend["se"], MONTH_SE, **TOLERANCE)


def test_raked_weights_match_rake(raked):
    data, _ = raked
    ratio = data["raked"] / data["raked"].mean()
    np.testing.assert_allclose([ratio.min(), ratio.max()], RAKED_WEIGHT_RANGE, rtol=1e-10)


def test_standard_errors_on_raked_weights_account_for_the_calibration(raked):
    data, margins = raked
    calibrated = mean_ci(data, columns="score", weights="raked", calibration=margins, **DESIGN)
    np.testing.assert_allclose(_row(calibrated), RAKED_MEAN, **TOLERANCE)
    ignoring = mean_ci(data, columns="score", weights="raked", **DESIGN)
    np.testing.assert_allclose(_row(ignoring), RAKED_MEAN_IGNORING_CALIBRATION, **TOLERANCE)
    # the difference is small but real, as the 0.04831 against 0.04810
    assert abs(calibrated["se"].iloc[0] / ignoring["se"].iloc[0] - 1) > 1e-3
    row = box_shares(data, columns="score", scale_min=1, scale_max=5, weights="raked",
                     calibration=margins, **DESIGN).iloc[0]
    np.testing.assert_allclose(row[["top_box", "top_se", "top_deff"]].astype(float),
                               RAKED_TOP_BOX, **TOLERANCE)
