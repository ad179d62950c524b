"""A checklist's results: compliance by site and district, critical failures, trend, actions and
inspector agreement, from the scores stored with each inspection."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import stats
from ..models import CorrectiveAction, Inspection, Instrument
from ..results.data import Filters


@dataclass
class ChecklistResults:
    n: int = 0
    mean_score: float | None = None
    critical_rate: float | None = None
    sites: pd.DataFrame | None = None       # site, name, district, n, mean, critical, last
    districts: pd.DataFrame | None = None   # district, n, mean, critical_rate
    trend: pd.DataFrame | None = None
    actions: list = field(default_factory=list)
    overdue_actions: int = 0
    agreement: stats.AgreementResult | None = None
    agreement_pairs: int = 0


def _frame(session, instrument: Instrument, filters: Filters, timezone: str) -> pd.DataFrame:
    query = (select(Inspection).where(Inspection.instrument_id == instrument.id, Inspection.status == "submitted")
             .options(selectinload(Inspection.service_point), selectinload(Inspection.items)))
    rows = []
    for inspection in session.scalars(query):
        point = inspection.service_point
        rows.append({"id": inspection.id, "site": point.code, "name": point.name_fa, "point_id": point.id,
                     "district": point.district, "inspector": inspection.inspector_id,
                     "submitted_at": inspection.submitted_at, "score": inspection.score_percent,
                     "critical": bool(inspection.critical_failed),
                     "items": {item.item_code: item.result for item in inspection.items}})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    day = pd.to_datetime(frame["submitted_at"], utc=True).dt.tz_convert(timezone).dt.date
    frame["day"] = day
    keep = pd.Series(True, index=frame.index)
    if filters.date_from:
        keep &= day >= filters.date_from
    if filters.date_to:
        keep &= day <= filters.date_to
    if filters.district:
        keep &= frame["district"] == filters.district
    if filters.service_point_id:
        keep &= frame["point_id"] == filters.service_point_id
    return frame[keep].reset_index(drop=True)


def _agreement(frame: pd.DataFrame):
    """Cohen's kappa on item findings where two inspectors inspected the same site on the same day."""
    pairs = []
    for _, group in frame.groupby(["site", "day"]):
        if group["inspector"].nunique() < 2:
            continue
        first, second = group.drop_duplicates("inspector").iloc[:2].to_dict("records")
        for code in set(first["items"]) & set(second["items"]):
            a, b = first["items"][code], second["items"][code]
            if a in ("pass", "fail") and b in ("pass", "fail"):
                pairs.append({"a": a, "b": b})
    if len(pairs) < 10:
        return None, len(pairs)
    return stats.cohen_kappa(pd.DataFrame(pairs), rater_a="a", rater_b="b"), len(pairs)


def checklist_results(session, instrument: Instrument, filters: Filters,
                      timezone: str = "Asia/Tehran") -> ChecklistResults:
    frame = _frame(session, instrument, filters, timezone)
    results = ChecklistResults()
    action_query = (select(CorrectiveAction).join(Inspection).where(Inspection.instrument_id == instrument.id,
                                                                  CorrectiveAction.status != "verified")
                    .order_by(CorrectiveAction.due_on))
    results.actions = list(session.scalars(action_query))
    today = dt.date.today()
    results.overdue_actions = sum(1 for a in results.actions if a.status == "open" and a.due_on and a.due_on < today)
    if frame.empty:
        return results
    scored = frame[frame["score"].notna()]
    results.n = len(frame)
    results.mean_score = float(scored["score"].mean()) if not scored.empty else None
    results.critical_rate = float(frame["critical"].mean())
    results.sites = (frame.groupby(["site", "name", "district"])
                     .agg(n=("id", "size"), mean=("score", "mean"), critical=("critical", "sum"),
                          last=("submitted_at", "max"))
                     .reset_index().sort_values("mean", ascending=False))
    results.sites["rank"] = results.sites["mean"].rank(ascending=False, method="min")
    results.districts = (frame.groupby("district").agg(n=("id", "size"), mean=("score", "mean"),
                                                       critical_rate=("critical", "mean")).reset_index())
    if len(scored) >= 2:
        results.trend = stats.monthly_trend(scored, value="score", date="submitted_at", timezone=timezone,
                                            fill_gaps=False)
    results.agreement, results.agreement_pairs = _agreement(frame)
    return results
