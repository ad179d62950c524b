"""The change in overall satisfaction that the manager summary may state: between the first and
the last month with enough responses, only when it is significant and large enough."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import stats

SIGNIFICANCE = 0.05     # two-sided p-value of the change below this
MIN_CHANGE_SHARE = 0.05  # and at least this share of the scale's range (0.2 points on 1-5)


@dataclass(frozen=True)
class SatisfactionChange:
    """``before``/``after``: (year, month); ``stated``: significant and large enough."""

    before: tuple[int, int]
    after: tuple[int, int]
    result: stats.ChangeResult
    threshold: float
    stated: bool


def satisfaction_change(frame: pd.DataFrame, *, value: str, date: str, trend: pd.DataFrame,
                        minimum: int, scale_min: float, scale_max: float,
                        timezone: str = "Asia/Tehran", design: dict | None = None) -> SatisfactionChange | None:
    """The change of the mean of ``value`` from the first to the last month of ``trend`` that
    hold at least ``minimum`` responses (:func:`surveyor.stats.period_change`: under ``design``,
    the keyword arguments of :meth:`~.sampling.PageDesign.arguments`, else Welch's t);
    None when fewer than two months do or the change cannot be tested (no spread).
    ``stated`` is true when ``p < 0.05`` and ``|change| >= 0.05 * (scale_max - scale_min)``."""
    enough = trend[trend["n"] >= minimum]
    if len(enough) < 2:
        return None
    first, last = enough.iloc[0], enough.iloc[-1]
    months = stats.jalali_months(frame[date], timezone)
    period = months["year"].astype("Int64").astype(str) + "-" + months["month"].astype("Int64").astype(str)
    data = pd.DataFrame({"value": frame[value].to_numpy(), "period": period.to_numpy()})
    before = f"{int(first['year'])}-{int(first['month'])}"
    after = f"{int(last['year'])}-{int(last['month'])}"
    try:
        aligned = {key: pd.Series(getattr(arg, "to_numpy", lambda: arg)(), index=data.index)
                   if isinstance(arg, pd.Series) else arg for key, arg in (design or {}).items()}
        result = stats.period_change(data, value="value", period="period", before=before, after=after,
                                     **aligned)
    except ValueError:  # every answer alike in both months: no standard error
        return None
    threshold = MIN_CHANGE_SHARE * (scale_max - scale_min)
    stated = bool(result.p_value < SIGNIFICANCE and abs(result.change) >= threshold)
    return SatisfactionChange((int(first["year"]), int(first["month"])), (int(last["year"]), int(last["month"])),
                              result, threshold, stated)
