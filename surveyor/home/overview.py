"""The researcher's overview: one row per instrument with data, each figure the one its results
page shows without filters.

A questionnaire's row comes from :func:`surveyor.results.questionnaire.questionnaire_results`
on the rows :func:`surveyor.results.data.load_responses` gives the results page (through the
app's :class:`~surveyor.results.cache.ResponseTables`), so the headline, its interval, the
minimum number of responses, the trend, the strongest driver and the stated change are the
page's own. A checklist's row is :func:`surveyor.results.checklist.overall_compliance` of the
page's inspections. Computing every row costs some 50 ms per questionnaire on the demo, so rows
are kept per process and computed again only when their instrument's data changed
(:class:`OverviewCache`); counting this month's and last month's rows is done on every visit.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import jdatetime
import pandas as pd
from sqlalchemy import func, select

from ..models import Inspection, Instrument, Response, ServicePoint


@dataclass(frozen=True)
class MonthBounds:
    """The first instants (UTC) of last month, this month and next month, in the Jalali calendar
    of the display time zone."""

    last: pd.Timestamp
    this: pd.Timestamp
    next: pd.Timestamp


def month_bounds(today: dt.date, timezone: str) -> MonthBounds:
    """Where this Jalali month and the previous one begin and end, as UTC instants."""
    jd = jdatetime.date.fromgregorian(date=today)
    index = jd.year * 12 + jd.month - 1

    def start(k: int) -> pd.Timestamp:
        day = jdatetime.date(k // 12, k % 12 + 1, 1).togregorian()
        local = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(timezone))
        return pd.Timestamp(local).tz_convert("UTC")
    return MonthBounds(start(index - 1), start(index), start(index + 1))


def month_counts(moments: pd.Series, bounds: MonthBounds) -> tuple[int, int]:
    """How many of ``moments`` (UTC; naive ones are taken as UTC) fall in this month and in last
    month."""
    if moments.empty:
        return 0, 0
    when = pd.to_datetime(moments, utc=True)
    return int(((when >= bounds.this) & (when < bounds.next)).sum()), \
        int(((when >= bounds.last) & (when < bounds.this)).sum())


@dataclass
class QuestionnaireRow:
    instrument: Instrument
    results: object              # QuestionnaireResults, as the results page computes it
    this_month: int = 0
    last_month: int = 0
    sparkline: list = field(default_factory=list)  # (index, estimate) of the months with a figure
    months: int = 0              # months from the first to the last response

    def sparkline_path(self, width: float = 120, height: float = 28) -> str:
        """The SVG polyline points of the monthly means (months with too few responses left
        out); empty without two months to join."""
        overall = self.results.overall
        if overall is None or len(self.sparkline) < 2:
            return ""
        # The months' own range, at least a tenth of the scale wide: a flat line on the whole
        # scale would hide every movement, a line on a tiny range would magnify noise.
        values = [value for _i, value in self.sparkline]
        span = max(max(values) - min(values), (overall["scale_max"] - overall["scale_min"]) / 10)
        middle = (max(values) + min(values)) / 2
        low, high = middle - span / 2, middle + span / 2
        step = width / max(self.months - 1, 1)
        return " ".join(f"{i * step:.1f},{height - (value - low) / (high - low) * height:.1f}"
                        for i, value in self.sparkline)

    @property
    def strongest_driver(self) -> str | None:
        drivers = self.results.drivers
        return None if drivers is None or drivers.empty else str(drivers.iloc[0]["driver"])

    @property
    def strongest_share(self) -> float | None:
        drivers = self.results.drivers
        return None if drivers is None or drivers.empty else float(drivers.iloc[0]["shapley"])


@dataclass
class ChecklistRow:
    instrument: Instrument
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    this_month: int = 0
    last_month: int = 0


class OverviewCache:
    """Each instrument's computed row with the key of the data it was computed from; a row is
    computed again when its key changes. One per app (``app.extensions["home_overview"]``)."""

    def __init__(self):
        self._rows: dict[int, tuple[object, object]] = {}
        self._lock = threading.Lock()
        self.computed = 0  # rows computed (not taken from the cache), for tests and benchmarks

    def get(self, instrument_id: int, key, compute):
        with self._lock:
            held = self._rows.get(instrument_id)
        if held is not None and _same(held[0], key):
            return held[1]
        value = compute()
        self.computed += 1
        with self._lock:
            self._rows[instrument_id] = (key, value)
        return value


def _same(a, b) -> bool:
    """Keys hold the answers frame itself (compared by identity: the response cache gives a new
    frame whenever responses were added) and plain values."""
    return len(a) == len(b) and all(x is y if isinstance(x, pd.DataFrame) else x == y for x, y in zip(a, b))


def _sparkline(trend) -> tuple[list, int]:
    if trend is None or trend.empty:
        return [], 0
    points = [(i, float(row.estimate)) for i, row in enumerate(trend.itertuples()) if row.estimate == row.estimate]
    return points, len(trend)


def questionnaire_rows(session, tables, *, timezone: str, today: dt.date, minimum: int,
                       cache: OverviewCache) -> list[QuestionnaireRow]:
    """A row for every questionnaire with responses, by code."""
    from ..responses.columns import SUBMITTED_AT
    from ..results.data import load_responses
    from ..results.filters import Filters
    from ..results.questionnaire import questionnaire_results

    with_data = set(session.scalars(select(Response.instrument_id).distinct()))
    instruments = [i for i in session.scalars(select(Instrument).where(Instrument.kind == "questionnaire")
                                              .order_by(Instrument.code)) if i.id in with_data]
    bounds = month_bounds(today, timezone)
    districts = _districts(session)
    rows = []
    for instrument in instruments:
        version = instrument.latest
        # The answers table itself is the key: the response cache gives a new one when responses were added.
        key = (tables.frame(session, instrument.id), version.id, minimum, timezone, districts)

        def compute(instrument_id=instrument.id, definition=version.definition):
            frame, row_districts, flagged = load_responses(session, instrument_id, Filters(), timezone, tables)
            results = questionnaire_results(frame, definition, flagged_excluded=flagged, districts=row_districts,
                                            timezone=timezone, comment_limit=1, min_responses=minimum)
            return results, frame[SUBMITTED_AT] if SUBMITTED_AT in frame else pd.Series(dtype="datetime64[ns, UTC]")
        results, moments = cache.get(instrument.id, key, compute)
        this_month, last_month = month_counts(moments, bounds)
        points, months = _sparkline(results.trend)
        rows.append(QuestionnaireRow(instrument, results, this_month, last_month, points, months))
    return rows


def checklist_rows(session, *, timezone: str, today: dt.date, cache: OverviewCache) -> list[ChecklistRow]:
    """A row for every checklist with submitted inspections, by code."""
    from ..results.checklist import overall_compliance, selected_inspections
    from ..results.filters import Filters

    counts = dict(session.execute(select(Inspection.instrument_id, func.count(Inspection.id))
                                  .where(Inspection.status == "submitted").group_by(Inspection.instrument_id)).all())
    instruments = [i for i in session.scalars(select(Instrument).where(Instrument.kind == "checklist")
                                              .order_by(Instrument.code)) if counts.get(i.id)]
    bounds = month_bounds(today, timezone)
    districts = _districts(session)
    rows = []
    for instrument in instruments:
        newest = session.execute(select(func.max(Inspection.id), func.max(Inspection.submitted_at)).where(
            Inspection.instrument_id == instrument.id, Inspection.status == "submitted")).one()
        key = (counts[instrument.id], *newest, districts, timezone)

        def compute(instrument=instrument):
            frame = selected_inspections(session, instrument, Filters(), timezone)
            mean, low, high = overall_compliance(frame)
            return frame[["submitted_at"]].copy(), mean, low, high
        moments, mean, low, high = cache.get(instrument.id, key, compute)
        this_month, last_month = month_counts(moments["submitted_at"], bounds)
        rows.append(ChecklistRow(instrument, len(moments), _number(mean), _number(low), _number(high),
                                 this_month, last_month))
    return rows


def _districts(session) -> tuple:
    """Every point's district: the strata of the intervals, so a part of each row's key."""
    return tuple(session.execute(select(ServicePoint.id, ServicePoint.district).order_by(ServicePoint.id)).all())


def _number(value) -> float | None:
    return None if value is None or value != value else float(value)
