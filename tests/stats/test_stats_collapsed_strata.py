"""Collapsed strata and each group against the rest, against R's survey package 4.1.1 (R 4.2.2),
to 1e-10. ``data/collapsed_strata.R`` computed the stored values from ``data/design_survey.csv``
(13 districts with 3 to 6 points each); R is not needed to run the tests."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveyor import stats
from surveyor.stats.comparisons import holm

TOLERANCE = dict(rtol=1e-10, atol=1e-12)

# one <- d[d$point %in% tapply(d$point, d$district, min), ]  (one point per district)
# a <- subset(svydesign(ids=~point, strata=~I(rep("pooled", nrow(one))), weights=~w, nest=TRUE,
#             data=one), !is.na(score)); m <- svymean(~score, a, na.rm=TRUE)
# c(coef(m), SE(m), confint(m, df=degf(a)), degf(a))
POOLED_MEAN = [3.3461079710012482, 0.16019532919109758, 2.99707233250692, 3.6951436094955765, 12]
# summary(svyglm(score ~ I(district == 3), svydesign(ids=~point, strata=~district, weights=~w,
#         nest=TRUE, data=d)))$coefficients[2, c(1, 2, 4)], and df.residual
DISTRICT_3_VERSUS_REST = [0.13770268454493384, 0.29087477684885749, 0.63794173135130883, 51]


@pytest.fixture(scope="module")
def survey():
    return pd.read_csv(Path(__file__).parent / "data" / "design_survey.csv")


def test_lonely_districts_pooled_into_one_stratum_match_r(survey):
    first = survey.groupby("district")["point"].min()
    one = survey[survey["point"].isin(first)].reset_index(drop=True)
    strata = stats.collapse_lonely_strata(one["point"], one["district"])
    assert set(strata) == {stats.POOLED_STRATUM}
    row = stats.mean_ci(one, columns="score", weights="w", cluster="point", strata=strata).iloc[0]
    np.testing.assert_allclose(row[["mean", "se", "ci_low", "ci_high", "df"]].astype(float), POOLED_MEAN,
                               **TOLERANCE)
    # without pooling every district is lonely: no degree of freedom, no interval
    plain = stats.mean_ci(one, columns="score", weights="w", cluster="point", strata="district").iloc[0]
    assert plain["df"] == 0 and np.isnan(plain["ci_low"])


def test_only_lonely_strata_are_pooled_and_a_single_one_is_left():
    points = pd.Series([1, 1, 2, 3, 4, 5, None])
    districts = pd.Series([1, 1, 1, 2, 3, 3, 4])
    assert list(stats.collapse_lonely_strata(points, districts)) == ["1", "1", "1", "pooled", "3", "3", "pooled"]
    single = stats.collapse_lonely_strata(pd.Series([1, 2, 3]), pd.Series([1, 1, 2]))
    assert list(single) == ["1", "1", "2"]


def test_district_against_the_rest_of_the_city_matches_r(survey):
    table = stats.group_versus_rest(survey, value="score", group="district", groups=[3, 5], weights="w",
                                    cluster="point", strata="district")
    row = table.iloc[0]
    np.testing.assert_allclose([row["difference"], row["se"], row["p_value"], row["df"]],
                               DISTRICT_3_VERSUS_REST, **TOLERANCE)
    pair = stats.pairwise_mean_differences(
        survey.assign(inside=np.where(survey["district"] == 5, "a", "b")), value="score", group="inside",
        weights="w", cluster="point", strata="district").iloc[0]
    assert table.iloc[1]["p_value"] == pytest.approx(pair["p_value"], rel=1e-12)
    assert list(table["p_adjusted"]) == pytest.approx(list(holm(table["p_value"].to_numpy())))


def test_period_change_without_variance_under_the_design_is_refused():
    """Answers vary, but every point's answers average the same in both months: the design gives
    the change no variance; a clear error, not a division by zero."""
    data = pd.DataFrame({"y": [3, 5, 3, 5, 4, 6, 4, 6], "point": [1, 1, 2, 2, 1, 1, 2, 2],
                         "period": ["a"] * 4 + ["b"] * 4})
    with pytest.raises(ValueError, match="no variance under the design"):
        stats.period_change(data, value="y", period="period", before="a", after="b", cluster="point")
