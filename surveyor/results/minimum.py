"""The minimum number of responses behind a questionnaire figure (``SURVEYOR_MIN_RESPONSES``).

Below it a figure, interval, test or change is not shown: the page and the report say "too few
responses (n = 2)" instead. A mean of two answers with an interval of -1.85 to 10.85 on a 1-5
scale is noise, not a finding. Groups (districts) and months below the minimum keep their
``n`` and lose their estimate, so a trend line breaks there.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .. import stats

DEFAULT_MIN_RESPONSES = 30


def configured_min_responses() -> int:
    """``SURVEYOR_MIN_RESPONSES`` of the current app, or the default outside one."""
    from flask import current_app, has_app_context
    return int(current_app.config.get("MIN_RESPONSES", DEFAULT_MIN_RESPONSES)) if has_app_context() \
        else DEFAULT_MIN_RESPONSES


def hide_small(table: pd.DataFrame, minimum: int, columns: tuple[str, ...]) -> pd.DataFrame:
    """``table`` with a ``too_few`` column (``n < minimum``) and ``columns`` emptied (NaN) in
    those rows; the ``n`` stays, so the reader sees how many there were."""
    table = table.copy()
    table["too_few"] = table["n"] < minimum
    for column in columns:
        table[column] = table[column].astype(float).where(~table["too_few"], np.nan)
    return table


def _all_months(trend: pd.DataFrame) -> pd.DataFrame:
    """``trend`` with a row (``n`` 0, no estimate) for every month without responses between
    its first and last, so a chart and a table show the gap instead of joining across it."""
    from ..stats.trends import JALALI_MONTHS  # imported when used: the statistics load slowly

    if trend.empty:
        return trend
    first, last = trend.iloc[0], trend.iloc[-1]
    start, end = int(first["year"]) * 12 + int(first["month"]) - 1, int(last["year"]) * 12 + int(last["month"]) - 1
    keys = pd.DataFrame({"year": [k // 12 for k in range(start, end + 1)],
                         "month": [k % 12 + 1 for k in range(start, end + 1)]})
    full = keys.merge(trend, on=["year", "month"], how="left")
    full["n"] = full["n"].fillna(0).astype(int)
    full["period"] = [f"{y:04d}-{m:02d}" for y, m in zip(full["year"], full["month"])]
    if "month_name" in trend:
        names = dict(zip(trend["month"], trend["month_name"]))
        full["month_name"] = [names.get(m, JALALI_MONTHS[m - 1]) for m in full["month"]]
    return full[list(trend.columns)]


def apply_minimum(results, frame: pd.DataFrame, definition: dict, minimum: int, timezone: str,
                  design: dict | None = None):
    """``results`` (a :class:`~surveyor.results.questionnaire.QuestionnaireResults`) with every
    figure below ``minimum`` responses withdrawn and every interval kept inside its scale
    (:func:`surveyor.stats.clip_to_scale`); the change between months set (see
    :mod:`surveyor.results.change`). Returns ``results``."""
    from .change import satisfaction_change
    from ..responses.columns import SUBMITTED_AT

    results.min_responses = minimum
    outcome = next(item for item in definition["items"] if item["role"] == "outcome")
    code = outcome["code"]
    values = [option["value"] for option in outcome["options"]]
    low, high = min(values), max(values)
    answered = int(frame[code].notna().sum()) if code in frame else 0
    if 0 < answered < minimum:
        results.too_few = answered
        results.overall = None
        results.nps = None
    if results.overall:
        o = results.overall
        o["ci_low"], o["ci_high"] = stats.clip_to_scale(o["ci_low"], o["ci_high"], scale_min=low, scale_max=high)
    if results.nps is not None:
        if results.nps.n < minimum:
            results.nps = None
        else:
            nps_low, nps_high = stats.clip_to_scale(results.nps.ci_low, results.nps.ci_high,
                                                    scale_min=-100, scale_max=100)
            results.nps = replace(results.nps, ci_low=nps_low, ci_high=nps_high)
    if results.drivers is not None and results.drivers_n < minimum:
        results.drivers, results.ipa, results.fix_first, results.reliability = None, None, [], None
    if results.districts is not None:
        table = hide_small(results.districts, minimum, ("mean", "ci_low", "ci_high"))
        table["ci_low"], table["ci_high"] = stats.clip_to_scale(table["ci_low"], table["ci_high"],
                                                                scale_min=low, scale_max=high)
        table["differs"] = table["differs"] & ~table["too_few"]
        results.districts = table
        if (~table["too_few"]).sum() < 2:
            results.district_test = None
    if results.trend is not None:
        trend = hide_small(_all_months(results.trend), minimum, ("estimate", "ci_low", "ci_high", "se"))
        trend["ci_low"], trend["ci_high"] = stats.clip_to_scale(trend["ci_low"], trend["ci_high"],
                                                                scale_min=low, scale_max=high)
        results.trend = trend
        if results.overall:
            results.change = satisfaction_change(frame, value=code, date=SUBMITTED_AT, trend=trend, minimum=minimum,
                                                 scale_min=low, scale_max=high, timezone=timezone, design=design)
    if results.wait and results.wait.get("n") and results.wait["n"] < minimum:
        results.wait = {"n": results.wait["n"], "standard": results.wait["standard"], "too_few": True}
    return results
