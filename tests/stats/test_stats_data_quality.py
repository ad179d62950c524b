"""Speeders, straight-liners and duplicates on a hand-worked set of responses."""

from __future__ import annotations

import pandas as pd
import pytest

from surveyor.stats import flag_quality

RESPONSES = pd.DataFrame(
    {
        "q1": [4, 3, 5, 3, 4, None, 2],
        "q2": [4, 4, 5, 4, 4, None, 2],
        "q3": [4, 2, 5, 2, 4, None, 3],
        "seconds": [300, 280, 90, 260, 310, 20, 200],
    }
)


def test_flags_hand_worked():
    # median time 260 s, half of it 130 s: rows 2 (90 s) and 5 (20 s) are speeders;
    # rows 0, 2 and 4 answer the same to all three items (straight-liners, min_answered=3);
    # row 3 repeats row 1 and row 4 repeats row 0 (duplicates); row 5 answered nothing.
    report = flag_quality(RESPONSES, items=["q1", "q2", "q3"], duration="seconds", min_answered=3)
    assert report.n == 7
    assert list(report.flags["speeder"]) == [False, False, True, False, False, True, False]
    assert list(report.flags["straight_liner"]) == [True, False, True, False, True, False, False]
    assert list(report.flags["duplicate"]) == [False, False, False, True, True, False, False]
    assert list(report.flags["any_flag"]) == [True, False, True, True, True, True, False]
    counts = report.counts.set_index("flag")
    assert counts.loc["speeder", "count"] == 2 and counts.loc["any_flag", "count"] == 5
    assert counts.loc["duplicate", "share"] == pytest.approx(2 / 7)


def test_without_duration_speeding_is_not_checked():
    report = flag_quality(RESPONSES, items=["q1", "q2", "q3"], min_answered=3)
    counts = report.counts.set_index("flag")
    assert not counts.loc["speeder", "checked"] and counts.loc["speeder", "count"] == 0
    assert counts.loc["straight_liner", "checked"]


def test_default_needs_five_answers_for_straight_lining():
    report = flag_quality(RESPONSES, items=["q1", "q2", "q3"])
    assert not report.flags["straight_liner"].any()


def test_duplicate_columns_narrow_duplicates():
    data = RESPONSES.assign(device=["a", "b", "c", "d", "e", "f", "g"])
    report = flag_quality(data, items=["q1", "q2", "q3"], duplicate_columns=["device"])
    assert not report.flags["duplicate"].any()
    with pytest.raises(ValueError, match="speeder_fraction"):
        flag_quality(data, items=["q1"], duration="seconds", speeder_fraction=2)
