"""Inspections as CSV: one row per inspection with every item's finding, section and total scores.

The first line names the export and its filters (see :mod:`surveyor.exports.selection`).
Columns: inspection_id, checklist_version, service_point, district, inspector_id, started_utc,
submitted_utc, submitted_jalali, latitude, longitude, accuracy_m, score_percent, grade,
critical_failed, failed_items, critical_failed_items (the codes of the failed items that the
inspection's checklist version marks critical, ``;``-separated), then ``section:<code>`` per
section, then per check item its
finding (``pass``/``fail``/``na``, the 0-4 rating, or the measured value) and, for site items,
the recorded value; item columns in first-seen order across versions. A site value that its
checklist version would refuse today (stored before site values were checked, such as ``=1+2``
for a number) is exported as missing, so that no old value can break the SPSS file.
"""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..exports.codebook import item_column
from ..exports.selection import EVERY_ROW, Selection
from ..formatting import jalali_datetime
from ..models import Inspection, Instrument
from ..responses.export import write_csv_rows
from .submission import site_value

FIXED = ("inspection_id", "checklist_version", "service_point", "district", "inspector_id", "started_utc",
         "submitted_utc", "submitted_jalali", "latitude", "longitude", "accuracy_m", "score_percent", "grade",
         "critical_failed", "failed_items", "critical_failed_items")
BATCH = 1000


def _iso(moment):
    return moment.isoformat().replace("+00:00", "Z") if moment else ""


def _columns(instrument: Instrument) -> tuple[list[str], list[str]]:
    sections, items = {}, {}
    for version in instrument.versions:
        for dimension in version.definition["dimensions"]:
            sections.setdefault(dimension["code"], None)
        for item in version.definition["items"]:
            items.setdefault(item["code"], None)
    return list(sections), list(items)


def _finding(row, item: dict | None) -> object:
    if row is None:
        return ""
    if row.text_value is not None:
        return _site_value(row.text_value, item)
    if row.result == "na":
        return "na"
    if row.rating is not None:
        return row.rating
    if row.measured is not None:
        return int(row.measured) if float(row.measured).is_integer() else row.measured
    return row.result or ""


def _site_value(text: str, item: dict | None) -> str:
    if item is None or item.get("role") != "site":
        return text
    try:
        return site_value(item, text) or ""
    except ValueError:
        return ""


def rows(session, instrument: Instrument, timezone: str = "Asia/Tehran",
         selection: Selection = EVERY_ROW) -> Iterator[list]:
    """The header, then one list per submitted inspection that ``selection`` keeps."""
    sections, items = _columns(instrument)
    critical = {version.id: {item["code"] for item in version.definition["items"] if item.get("critical")}
                for version in instrument.versions}
    definitions = {version.id: {item["code"]: item for item in version.definition["items"]}
                   for version in instrument.versions}
    yield [*FIXED, *(f"section:{code}" for code in sections), *(item_column(code, FIXED) for code in items)]
    query = (select(Inspection).where(Inspection.instrument_id == instrument.id, Inspection.status == "submitted")
             .options(selectinload(Inspection.items), selectinload(Inspection.service_point),
                      selectinload(Inspection.version)).order_by(Inspection.id))
    for inspection in session.scalars(query.execution_options(yield_per=BATCH)):
        if not selection.keeps(inspection.id):
            continue
        by_code = {item.item_code: item for item in inspection.items}
        failed = [item.item_code for item in inspection.items if item.result == "fail"]
        scores = inspection.section_scores or {}
        yield [inspection.id, inspection.version.number, inspection.service_point.code,
               inspection.service_point.district, inspection.inspector_id, _iso(inspection.started_at),
               _iso(inspection.submitted_at),
               jalali_datetime(inspection.submitted_at, "en", timezone) if inspection.submitted_at else "",
               "" if inspection.latitude is None else inspection.latitude,
               "" if inspection.longitude is None else inspection.longitude,
               "" if inspection.location_accuracy_m is None else inspection.location_accuracy_m,
               "" if inspection.score_percent is None else round(inspection.score_percent, 2),
               inspection.grade or "", int(bool(inspection.critical_failed)), ";".join(failed),
               ";".join(code for code in failed if code in critical[inspection.instrument_version_id]),
               *("" if scores.get(code) is None else round(scores[code], 2) for code in sections),
               *(_finding(by_code.get(code), definitions[inspection.instrument_version_id].get(code))
                 for code in items)]


def write_csv(session, instrument: Instrument, stream, timezone: str = "Asia/Tehran",
              selection: Selection = EVERY_ROW) -> int:
    """The inspections of ``instrument`` that ``selection`` keeps, as CSV (UTF-8 with BOM) whose
    first line names the filters; returns the row count."""
    return write_csv_rows(rows(session, instrument, timezone, selection), stream,
                          selection.preamble(instrument.code, "inspections"))
