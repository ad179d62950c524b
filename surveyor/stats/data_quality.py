"""Data-quality flags for survey responses: speeders, straight-liners and duplicates.

Flags are advice for the researcher, not automatic deletions: the report says which
responses look doubtful and how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validation as v

FLAGS = ("speeder", "straight_liner", "duplicate")


@dataclass(frozen=True)
class QualityReport:
    """Flags per response and counts per flag.

    ``flags`` is aligned with the data's index and has boolean columns ``speeder,
    straight_liner, duplicate, any_flag``; ``counts`` has ``flag, checked, count, share``
    (a check that could not run, e.g. speeding without a duration column, has
    ``checked=False`` and count 0); ``n`` is the number of responses.
    """

    n: int
    flags: pd.DataFrame
    counts: pd.DataFrame


def _durations(data: pd.DataFrame, duration: str) -> pd.Series:
    v.require_columns(data, [duration], what="duration column")
    column = data[duration]
    if pd.api.types.is_timedelta64_dtype(column):
        return column.dt.total_seconds()
    seconds = v.numeric_columns(data, [duration])[duration]
    if (seconds < 0).any():
        raise ValueError(
            f"duration column {duration!r} has negative durations; check how it was computed"
        )
    return seconds


def flag_quality(
    data: pd.DataFrame,
    *,
    items,
    duration: str | None = None,
    speeder_fraction: float = 0.5,
    min_answered: int = 5,
    duplicate_columns=None,
) -> QualityReport:
    """Flag speeders, straight-liners and duplicate responses.

    - **speeder**: completion time below ``speeder_fraction`` times the median completion
      time (a relative rule, as discussed by Greszki, Meyer & Schoen 2015, *Public Opinion
      Quarterly* 79(2), 471-503); needs ``duration`` (seconds or timedeltas).
    - **straight_liner**: the same answer to every item of the grid ``items``, among
      respondents who answered at least ``min_answered`` of them (Kim et al. 2019,
      doi:10.1177/0894439317752406).
    - **duplicate**: identical answers to ``items`` (plus ``duplicate_columns``, e.g. a
      device id) as an earlier response; the first occurrence is not flagged, and responses
      that answered none of the items are never duplicates.

    Returns
    -------
    QualityReport

    Notes
    -----
    Validated against a hand-worked example.
    """
    names = v.column_list(items, what="items")
    extra = (
        []
        if duplicate_columns is None
        else v.column_list(duplicate_columns, what="duplicate_columns")
    )
    v.require_columns(data, names + extra)
    if not 0 < speeder_fraction < 1:
        raise ValueError(
            "speeder_fraction is a share of the median time between 0 and 1; "
            f"got {speeder_fraction!r}"
        )
    if not isinstance(min_answered, int) or min_answered < 2:
        raise ValueError(
            f"min_answered must be a whole number of items, at least 2; got {min_answered!r}"
        )
    answers = data[names]
    answered = answers.notna().sum(axis=1)

    checked = {"speeder": duration is not None, "straight_liner": True, "duplicate": True}
    speeder = pd.Series(False, index=data.index)
    if duration is not None:
        seconds = _durations(data, duration)
        median = seconds.median()
        speeder = (seconds < speeder_fraction * median).fillna(False)
    straight = (answered >= min_answered) & (answers.nunique(axis=1, dropna=True) == 1)
    duplicate = data[names + extra].duplicated(keep="first") & (answered > 0)
    flags = pd.DataFrame(
        {
            "speeder": speeder.astype(bool),
            "straight_liner": straight.astype(bool),
            "duplicate": duplicate.astype(bool),
        }
    )
    flags["any_flag"] = flags.any(axis=1)
    n = len(data)
    counts = pd.DataFrame(
        {
            "flag": list(FLAGS) + ["any_flag"],
            "checked": [checked[f] for f in FLAGS] + [True],
            "count": [int(flags[f].sum()) for f in list(FLAGS) + ["any_flag"]],
        }
    )
    counts["share"] = counts["count"] / n if n else np.nan
    return QualityReport(n, flags, counts)
