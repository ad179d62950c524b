"""What research staff narrow results by: a plain value, without pandas, so that the pages
that read a filter from the query string can be imported without the analysis libraries."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
