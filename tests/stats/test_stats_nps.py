"""Net Promoter Score against a hand-worked example and the multinomial covariance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveyor.stats import kish_effective_n, net_promoter_score

SCORES = pd.DataFrame({"recommend": [10, 9, 9, 8, 7, 6, 5, 0, 10, 3, np.nan]})


def test_hand_worked_example():
    # 10 answers: 4 promoters (10, 9, 9, 10), 2 passives (8, 7), 4 detractors (6, 5, 0, 3).
    # NPS = 100 (0.4 - 0.4) = 0; Var = (0.4 + 0.4 - 0^2) / 10 = 0.08; se = 28.284...
    result = net_promoter_score(SCORES, column="recommend")
    assert result.n == 10
    assert (result.promoters, result.passives, result.detractors) == (0.4, pytest.approx(0.2), 0.4)
    assert result.nps == pytest.approx(0.0)
    assert result.se == pytest.approx(100 * np.sqrt(0.08))
    assert result.ci_low == pytest.approx(-1.959964 * 100 * np.sqrt(0.08), abs=1e-4)
    assert result.ci_high == pytest.approx(1.959964 * 100 * np.sqrt(0.08), abs=1e-4)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=2, max_size=200))
def test_variance_equals_the_multinomial_covariance_form(scores):
    # Var(P - D) = a' (diag(p) - p p') a / n with a = (1, 0, -1) over (promoter, passive, detractor)
    result = net_promoter_score(pd.DataFrame({"q": scores}), column="q")
    y = np.array(scores)
    p = np.array([(y >= 9).mean(), ((y >= 7) & (y <= 8)).mean(), (y <= 6).mean()])
    a = np.array([1.0, 0.0, -1.0])
    variance = a @ (np.diag(p) - np.outer(p, p)) @ a / len(y)
    assert result.se == pytest.approx(100 * np.sqrt(variance), abs=1e-9)
    assert -100 <= result.ci_low <= result.nps <= result.ci_high <= 100


def test_weighted_shares_and_effective_n():
    data = pd.DataFrame({"q": [10, 0, 8], "w": [3.0, 1.0, 1.0]})
    result = net_promoter_score(data, column="q", weights="w")
    assert result.promoters == pytest.approx(0.6) and result.detractors == pytest.approx(0.2)
    assert result.nps == pytest.approx(40.0)
    n_eff = kish_effective_n(np.array([3.0, 1.0, 1.0]))
    assert result.n_eff == pytest.approx(n_eff)
    assert result.se == pytest.approx(100 * np.sqrt((0.8 - 0.16) / n_eff))


def test_all_promoters():
    result = net_promoter_score(pd.DataFrame({"q": [9, 10, 10]}), column="q")
    assert (result.nps, result.se, result.ci_low, result.ci_high) == (100.0, 0.0, 100.0, 100.0)


@pytest.mark.parametrize("bad", [11, 7.5, -1])
def test_scale_is_checked(bad):
    with pytest.raises(ValueError, match="0 to 10"):
        net_promoter_score(pd.DataFrame({"q": [5, bad]}), column="q")
