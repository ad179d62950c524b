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
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import jdatetime
import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

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


def utc_moments(moments: pd.Series) -> np.ndarray:
    """Timestamps (UTC; naive ones are taken as UTC) as int64 nanoseconds, sorted, for
    :func:`month_counts`."""
    if moments.empty:
        return np.array([], dtype="int64")
    utc = pd.to_datetime(pd.Series(moments), utc=True).dt.tz_localize(None)
    return np.sort(utc.to_numpy(dtype="datetime64[ns]").astype("int64"))


def month_counts(moments: np.ndarray, bounds: MonthBounds) -> tuple[int, int]:
    """How many of ``moments`` (sorted, from :func:`utc_moments`) fall in this month and in
    last month."""
    last, this, following = np.searchsorted(moments, [bounds.last.value, bounds.this.value, bounds.next.value])
    return int(following - this), int(this - last)


@dataclass
class QuestionnaireFigures:
    """What a questionnaire's row shows that does not change with the day: the results page's
    figures, its strongest driver, the months of its trend line and its answers' times."""

    results: object              # QuestionnaireResults, as the results page computes it
    strongest_driver: str | None
    strongest_share: float | None
    sparkline: list              # (month index, estimate) of the months with a figure
    months: int                  # months from the first to the last response
    moments: np.ndarray          # utc_moments of the responses counted


def questionnaire_figures(results, moments: pd.Series) -> QuestionnaireFigures:
    drivers = results.drivers
    first = None if drivers is None or drivers.empty else drivers.iloc[0]
    trend = results.trend
    points = [] if trend is None else [(i, float(v)) for i, v in enumerate(trend["estimate"]) if v == v]
    return QuestionnaireFigures(results, None if first is None else str(first["driver"]),
                                None if first is None else float(first["shapley"]), points,
                                0 if trend is None else len(trend), utc_moments(moments))


@dataclass
class QuestionnaireRow:
    instrument: Instrument
    figures: QuestionnaireFigures
    this_month: int = 0
    last_month: int = 0

    @property
    def results(self):
        return self.figures.results

    @property
    def strongest_driver(self) -> str | None:
        return self.figures.strongest_driver

    @property
    def strongest_share(self) -> float | None:
        return self.figures.strongest_share

    @property
    def months(self) -> int:
        return self.figures.months

    def sparkline_path(self, width: float = 120, height: float = 28) -> str:
        """The SVG polyline points of the monthly means (months with too few responses left
        out); empty without two months to join."""
        overall, sparkline = self.results.overall, self.figures.sparkline
        if overall is None or len(sparkline) < 2:
            return ""
        # The months' own range, at least a tenth of the scale wide: a flat line on the whole
        # scale would hide every movement, a line on a tiny range would magnify noise.
        values = [value for _i, value in sparkline]
        span = max(max(values) - min(values), (overall["scale_max"] - overall["scale_min"]) / 10)
        middle = (max(values) + min(values)) / 2
        low, high = middle - span / 2, middle + span / 2
        step = width / max(self.months - 1, 1)
        return " ".join(f"{i * step:.1f},{height - (value - low) / (high - low) * height:.1f}"
                        for i, value in sparkline)


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


def questionnaire_rows(session, tables, *, timezone: str, today: dt.date, minimum: int,
                       cache: OverviewCache) -> list[QuestionnaireRow]:
    """A row for every questionnaire with responses, by code."""
    from ..responses.columns import SUBMITTED_AT
    from ..results.data import load_responses
    from ..results.filters import Filters
    from ..results.questionnaire import questionnaire_results

    with_data = set(session.scalars(select(Response.instrument_id).distinct()))
    instruments = [i for i in session.scalars(select(Instrument).where(Instrument.kind == "questionnaire")
                                              .options(selectinload(Instrument.versions))
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
            return questionnaire_figures(results, frame[SUBMITTED_AT] if SUBMITTED_AT in frame else pd.Series())
        figures = cache.get(instrument.id, key, compute)
        rows.append(QuestionnaireRow(instrument, figures, *month_counts(figures.moments, bounds)))
    return rows


def checklist_rows(session, *, timezone: str, today: dt.date, cache: OverviewCache) -> list[ChecklistRow]:
    """A row for every checklist with submitted inspections, by code."""
    from ..results.checklist import overall_compliance, selected_inspections
    from ..results.filters import Filters

    counts = dict(session.execute(select(Inspection.instrument_id, func.count(Inspection.id))
                                  .where(Inspection.status == "submitted").group_by(Inspection.instrument_id)).all())
    instruments = [i for i in session.scalars(select(Instrument).where(Instrument.kind == "checklist")
                                              .options(selectinload(Instrument.versions))
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
            return utc_moments(frame["submitted_at"]), mean, low, high
        moments, mean, low, high = cache.get(instrument.id, key, compute)
        rows.append(ChecklistRow(instrument, len(moments), _number(mean), _number(low), _number(high),
                                 *month_counts(moments, bounds)))
    return rows


def _districts(session) -> tuple:
    """Every point's district: the strata of the intervals, so a part of each row's key."""
    return tuple(session.execute(select(ServicePoint.id, ServicePoint.district).order_by(ServicePoint.id)).all())


def _number(value) -> float | None:
    return None if value is None or value != value else float(value)
