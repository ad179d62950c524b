"""Checklist compliance on a hand-worked set of inspections."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from surveyor.stats import compliance_by_site, item_pass_rates

INSPECTIONS = pd.DataFrame(
    {
        "site": ["A", "A", "B", "B", "B"],
        "i1": [1, 1, 0, np.nan, 1],
        "i2": [1, 1, 1, np.nan, 0],
        "i3": [0, 1, 1, np.nan, 1],  # critical
        "i4": [np.nan, 1, 1, np.nan, np.nan],
    }
)
ITEMS = ["i1", "i2", "i3", "i4"]


def test_compliance_by_site_hand_worked():
    # A: inspections score 2/3 and 1 -> 5/6, one of two has the critical item failed.
    # B: 3/4 and 2/3 (the third inspection had nothing applicable) -> 17/24, no critical failure.
    table = compliance_by_site(INSPECTIONS, site="site", items=ITEMS, critical=["i3"])
    a, b = table.iloc[0], table.iloc[1]
    assert (a["site"], a["n"], b["n"]) == ("A", 2, 2)
    assert a["compliance"] == pytest.approx(5 / 6) and b["compliance"] == pytest.approx(17 / 24)
    low, high = stats.t.interval(0.95, 1, loc=5 / 6, scale=stats.sem([2 / 3, 1]))
    assert (a["ci_low"], a["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert (a["critical_n"], a["critical_failures"], a["critical_failure_rate"]) == (2, 1, 0.5)
    assert (b["critical_n"], b["critical_failures"], b["critical_failure_rate"]) == (2, 0, 0.0)
    low, high = proportion_confint(1, 2, method="wilson")
    assert a["critical_ci_low"] == pytest.approx(low) and a["critical_ci_high"] == pytest.approx(
        high
    )
    assert list(table["rank"]) == [1, 2]


def test_item_pass_rates():
    table = item_pass_rates(INSPECTIONS, items=ITEMS)
    rates = dict(zip(table["item"], table["pass_rate"]))
    assert rates == {"i1": 0.75, "i2": 0.75, "i3": 0.75, "i4": 1.0}
    assert list(table["n"]) == [4, 4, 4, 2]
    assert table["item"].iloc[-1] == "i4"  # worst first, best last


def test_codes_other_than_pass_fail_are_refused():
    with pytest.raises(ValueError, match="other than 1 \\(pass\\), 0 \\(fail\\)"):
        item_pass_rates(INSPECTIONS.assign(i1=2), items=ITEMS)
    with pytest.raises(ValueError, match="not among the items"):
        compliance_by_site(INSPECTIONS, site="site", items=["i1", "i2"], critical=["i3"])


def test_inspections_without_a_site_form_their_own_row():
    # hand-worked: two more inspections with no site, scoring 1/2 and 1 (critical i3 failed
    # in the first): a last row with n 2, compliance 3/4, 1 critical failure in 2, no rank
    extra = pd.DataFrame(
        {"site": [None, np.nan], "i1": [1, 1], "i2": [np.nan, 1], "i3": [0, 1], "i4": [np.nan] * 2}
    )
    data = pd.concat([INSPECTIONS, extra], ignore_index=True)
    table = compliance_by_site(data, site="site", items=ITEMS, critical=["i3"])
    assert len(table) == 3 and list(table["site"].iloc[:2]) == ["A", "B"]
    last = table.iloc[2]
    assert pd.isna(last["site"]) and pd.isna(last["rank"])
    assert (last["n"], last["compliance"]) == (2, pytest.approx(3 / 4))
    assert (last["critical_n"], last["critical_failures"]) == (2, 1)
    assert list(table["rank"].iloc[:2]) == [1, 2]  # A's 5/6 beats B's 17/24; 3/4 is not ranked
    # every inspection has a site: no extra row
    assert len(compliance_by_site(INSPECTIONS, site="site", items=ITEMS)) == 2
