"""Loading a questionnaire's responses for the results page and the report, with their filters."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select

from ..models import InstrumentVersion, ServicePoint
from ..responses import answers_frame, columns
from .cache import ResponseTables


@dataclass(frozen=True)
class Filters:
    """What research staff narrow results by. Dates are Gregorian (parsed from Jalali input)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    district: int | None = None
    service_point_id: int | None = None
    language: str | None = None
    channel: str | None = None
    # (item code, value), e.g. ("rider_type", "foreign_visitor"): only the instrument's respondent
    # items (role "respondent") filter; any other code, an internal column such as
    # ``response_id`` or a device's hash, filters nothing (penetration test, Low 14).
    respondent: tuple[str, str] | None = None
    include_flagged: bool = False
    inspector_id: int | None = None  # checklists: one inspector's inspections


def load_responses(session, instrument_id: int, filters: Filters, timezone: str = "Asia/Tehran",
                   tables: ResponseTables | None = None):
    """``(frame, districts, flagged_excluded)``: the filtered responses, each row's district,
    and how many flagged responses the filters would otherwise have shown.

    ``tables`` (the app's :class:`~surveyor.results.cache.ResponseTables`) saves reading the
    whole instrument from the database on every call; without it the answers are read afresh.
    """
    frame = tables.frame(session, instrument_id) if tables is not None else \
        answers_frame(session, instrument_id, include_flagged=True)
    if frame.empty:
        return frame, pd.Series(dtype="float"), 0
    points = dict(session.execute(select(ServicePoint.id, ServicePoint.district)).all())
    district = frame[columns.SERVICE_POINT_ID].map(points)
    keep = pd.Series(True, index=frame.index)
    if filters.date_from or filters.date_to:
        local_day = _local_days(frame[columns.SUBMITTED_AT], timezone)
        if filters.date_from:
            keep &= local_day >= np.datetime64(filters.date_from, "D")
        if filters.date_to:
            keep &= local_day <= np.datetime64(filters.date_to, "D")
    if filters.district:
        keep &= district == filters.district
    if filters.service_point_id:
        keep &= frame[columns.SERVICE_POINT_ID] == filters.service_point_id
    if filters.language:
        keep &= frame[columns.LANGUAGE] == filters.language
    if filters.channel:
        keep &= frame[columns.CHANNEL] == filters.channel
    if filters.respondent and filters.respondent[0] in frame \
            and filters.respondent[0] in respondent_codes(session, instrument_id):
        keep &= _equals(frame[filters.respondent[0]], filters.respondent[1])
    flagged = keep & frame[columns.IS_FLAGGED].astype(bool)
    if not filters.include_flagged:
        keep &= ~frame[columns.IS_FLAGGED].astype(bool)
    return frame[keep].reset_index(drop=True), district[keep].reset_index(drop=True), \
        0 if filters.include_flagged else int(flagged.sum())


def respondent_codes(session, instrument_id: int) -> frozenset[str]:
    """The codes of the instrument's respondent items (role ``respondent``, in any version): the
    only columns the ``respondent`` filter may select by."""
    definitions = session.scalars(select(InstrumentVersion.definition)
                                  .where(InstrumentVersion.instrument_id == instrument_id))
    return frozenset(item["code"] for definition in definitions for item in definition["items"]
                     if item.get("role") == "respondent")


def _equals(column: pd.Series, value: str) -> pd.Series:
    """Where a respondent item's answer is ``value`` (text from the page's query string):
    compared as a number in a numeric column (a code 3 matches "3" and "3.0"), else as text."""
    if pd.api.types.is_numeric_dtype(column):
        try:
            return column == float(value)
        except ValueError:
            return pd.Series(False, index=column.index)
    return column == value


def _local_days(submitted_at: pd.Series, timezone: str) -> np.ndarray:
    """Each UTC timestamp's calendar day in ``timezone``, as ``datetime64[D]`` (comparing
    these is some 50 times faster than comparing ``datetime.date`` objects)."""
    local = pd.to_datetime(submitted_at, utc=True).dt.tz_convert(timezone).dt.tz_localize(None)
    return local.to_numpy().astype("datetime64[D]")
