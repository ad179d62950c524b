"""Dashboard indicators of one instrument by district and Jalali month.

Questionnaires: responses ``n`` and the mean overall satisfaction (the item whose role is
``outcome``) with its t interval, from :func:`surveyor.stats.monthly_trend`; responses flagged
for data quality are left out. Checklists: submitted inspections ``n``, the mean overall
compliance percent (each inspection's ``score_percent``, critical rule applied) with its t
interval, also from :func:`~surveyor.stats.monthly_trend`, and the share of inspections with
a failed critical item. Months are Jalali calendar months in the display time zone.

Intervals follow the results pages' design (:mod:`surveyor.results.sampling`): within a
district, the service point (the inspected site) is the cluster, so a district whose answers
come from several points gets an interval on points - 1 degrees of freedom; a district with a
single point, an interval over its independent answers.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from zoneinfo import ZoneInfo

import jdatetime
import pandas as pd
from sqlalchemy import and_, select

from .. import stats
from ..formatting import ascii_digits
from ..models import Answer, Inspection, Instrument, Response, ServicePoint
from ..results.sampling import page_design

DECIMALS = 4
INTERVAL_DESIGN = {"cluster": "service_point", "strata": "district",
                   "single_point": "independent answers of that point"}
KEYS = ["district", "year", "month"]


# The Jalali years the API answers for (Gregorian 1921 to 2121): a dashboard asks for months of
# data, and every month in the range converts to a date (year 0 or 10000 made the API a 500).
FIRST_YEAR, LAST_YEAR = 1300, 1499
PERIOD = re.compile(r"([0-9]{4})-([0-9]{1,2})")


class PeriodError(ValueError):
    """A month parameter that is not a Jalali month ``YYYY-MM`` in the API's range."""

    def __init__(self, parameter: str):
        self.parameter = parameter
        super().__init__(f"{parameter!r} must be a Jalali month YYYY-MM from {FIRST_YEAR}-01 to {LAST_YEAR}-12")


def parse_period(text: str | None, what: str) -> tuple[int, int] | None:
    """``"1403-07"`` (ASCII, Persian or Arabic digits) -> ``(1403, 7)``; None for no value;
    :class:`PeriodError` naming the parameter ``what`` for anything else."""
    if text is None or text == "":
        return None
    found = PERIOD.fullmatch(ascii_digits(text).strip())
    if found is None or not (FIRST_YEAR <= int(found[1]) <= LAST_YEAR and 1 <= int(found[2]) <= 12):
        raise PeriodError(what)
    return int(found[1]), int(found[2])


def month_start(period: tuple[int, int], timezone: str) -> dt.datetime:
    """The instant (UTC) at which a Jalali month begins in ``timezone``."""
    year, month = period
    day = jdatetime.date(year, month, 1).togregorian()
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(timezone)).astimezone(dt.timezone.utc)


def _next_month(period: tuple[int, int]) -> tuple[int, int]:
    year, month = period
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _number(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, DECIMALS)


def _monthly_means(frame: pd.DataFrame, value: str, timezone: str) -> pd.DataFrame:
    """Per district and month: ``n`` rows, and ``value_n, mean, ci_low, ci_high`` of ``value``
    (the interval clustered by ``point``, see the module's docstring)."""
    months = stats.jalali_months(frame["submitted_at"], timezone)
    frame = frame.assign(year=months["year"].astype(int), month=months["month"].astype(int))
    counts = frame.groupby(KEYS, dropna=False).size().rename("n").reset_index()
    trends = []
    for district, part in frame.groupby("district", dropna=False, sort=True):
        if part[value].notna().any():
            design = page_design(part["point"].reset_index(drop=True), part["district"].reset_index(drop=True))
            trend = stats.monthly_trend(part.reset_index(drop=True), value=value, date="submitted_at",
                                        timezone=timezone, fill_gaps=False, **design.arguments())
            trends.append(trend.assign(district=district))
    columns = [*KEYS, "value_n", "mean", "ci_low", "ci_high"]
    if not trends:
        return counts.assign(value_n=0, mean=math.nan, ci_low=math.nan, ci_high=math.nan)
    means = (pd.concat(trends, ignore_index=True)
             .rename(columns={"n": "value_n", "estimate": "mean"})[columns])
    table = counts.merge(means, on=KEYS, how="left")
    table["value_n"] = table["value_n"].fillna(0).astype(int)
    return table.sort_values(KEYS, na_position="last").reset_index(drop=True)


def _estimate(row) -> dict:
    return {"n": int(row.value_n), "mean": _number(row.mean), "ci_low": _number(row.ci_low),
            "ci_high": _number(row.ci_high)}


def _keys(row) -> dict:
    district = None if pd.isna(row.district) else int(row.district)
    return {"district": district, "period": f"{row.year:04d}-{row.month:02d}", "year": int(row.year),
            "month": int(row.month), "n": int(row.n)}


def _window(query, column, start, end):
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column < end)
    return query


def questionnaire_indicators(session, instrument: Instrument, start, end, timezone: str) -> list[dict]:
    outcome = {item["code"] for version in instrument.versions for item in version.definition["items"]
               if item["role"] == "outcome"}
    query = (select(Response.submitted_at, ServicePoint.district, Answer.value_number.label("satisfaction"),
                    Response.service_point_id)
             .outerjoin(ServicePoint, ServicePoint.id == Response.service_point_id)
             .outerjoin(Answer, and_(Answer.response_id == Response.id, Answer.item_code.in_(outcome)))
             .where(Response.instrument_id == instrument.id, Response.is_flagged.is_(False)))
    rows = session.execute(_window(query, Response.submitted_at, start, end)).all()
    if not rows:
        return []
    frame = pd.DataFrame(rows, columns=["submitted_at", "district", "satisfaction", "point"])
    frame["satisfaction"] = pd.to_numeric(frame["satisfaction"])
    table = _monthly_means(frame, "satisfaction", timezone)
    return [{**_keys(row), "satisfaction": _estimate(row)} for row in table.itertuples()]


def checklist_indicators(session, instrument: Instrument, start, end, timezone: str) -> list[dict]:
    query = (select(Inspection.submitted_at, ServicePoint.district, Inspection.score_percent,
                    Inspection.critical_failed, Inspection.service_point_id)
             .join(ServicePoint, ServicePoint.id == Inspection.service_point_id)
             .where(Inspection.instrument_id == instrument.id, Inspection.status == "submitted"))
    rows = session.execute(_window(query, Inspection.submitted_at, start, end)).all()
    if not rows:
        return []
    frame = pd.DataFrame(rows, columns=["submitted_at", "district", "score_percent", "critical_failed", "point"])
    frame["score_percent"] = pd.to_numeric(frame["score_percent"])
    table = _monthly_means(frame, "score_percent", timezone)
    months = stats.jalali_months(frame["submitted_at"], timezone)
    failures = (frame.assign(year=months["year"].astype(int), month=months["month"].astype(int),
                             failed=frame["critical_failed"].fillna(False).astype(bool))
                .groupby(KEYS, dropna=False)["failed"].sum().rename("failures").reset_index())
    table = table.merge(failures, on=KEYS, how="left")
    return [{**_keys(row), "compliance": _estimate(row), "critical_failures": int(row.failures),
             "critical_failure_rate": _number(row.failures / row.n)} for row in table.itertuples()]


def indicators(session, instrument: Instrument, first: tuple[int, int] | None, last: tuple[int, int] | None,
               timezone: str) -> dict:
    """The indicators document of ``instrument`` for Jalali months ``first``..``last`` (inclusive)."""
    if first and last and first > last:
        raise ValueError("'from' is after 'to'; give the earlier month in 'from'")
    start = month_start(first, timezone) if first else None
    end = month_start(_next_month(last), timezone) if last else None
    document = {"instrument": instrument.code, "kind": instrument.kind,
                "from": f"{first[0]:04d}-{first[1]:02d}" if first else None,
                "to": f"{last[0]:04d}-{last[1]:02d}" if last else None, "timezone": timezone,
                "interval_design": INTERVAL_DESIGN}
    if instrument.kind == "checklist":
        return {**document, "indicators": checklist_indicators(session, instrument, start, end, timezone)}
    outcome = next((item for item in instrument.latest.definition["items"] if item["role"] == "outcome"), None)
    values = [option["value"] for option in (outcome or {}).get("options", [])]
    scale = {"item": outcome["code"], "min": min(values), "max": max(values)} if values else None
    return {**document, "satisfaction_scale": scale, "flagged_excluded": True,
            "indicators": questionnaire_indicators(session, instrument, start, end, timezone)}
