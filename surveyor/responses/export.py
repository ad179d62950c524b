"""Responses as a CSV file researchers open in Excel, SPSS or R: one row per response.

Columns: response_id, instrument_version, service_point, district, language, channel,
submitted_utc (ISO 8601), submitted_jalali, duration_seconds, flags, dont_know_items, then
one column per item code in the order the items first appear across the instrument's
versions, so the columns stay put when a new version adds or drops an item. A "don't know"
answer leaves its cell empty (numeric columns stay numeric) and is listed in dont_know_items.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import groupby

from sqlalchemy import select

from ..formatting import jalali_datetime
from ..models import Answer, Instrument, InstrumentVersion, Response, ServicePoint

FIXED_COLUMNS = ("response_id", "instrument_version", "service_point", "district", "language", "channel",
                 "submitted_utc", "submitted_jalali", "duration_seconds", "flags", "dont_know_items")
BATCH = 5000


def item_columns(instrument: Instrument) -> list[str]:
    """Item codes of every version, in order of first appearance."""
    seen: dict[str, None] = {}
    for version in instrument.versions:
        for item in version.definition["items"]:
            seen.setdefault(item["code"], None)
    return list(seen)


def _cell(answer_number, answer_text):
    if answer_number is not None:
        return int(answer_number) if float(answer_number).is_integer() else answer_number
    return answer_text if answer_text is not None else ""


def rows(session, instrument: Instrument, timezone: str = "Asia/Tehran") -> Iterator[list]:
    """The header, then one list per response, streamed in batches (a million rows stay small)."""
    items = item_columns(instrument)
    yield [*FIXED_COLUMNS, *items]
    query = (select(Response.id, InstrumentVersion.number, ServicePoint.code, ServicePoint.district,
                    Response.language, Response.channel, Response.submitted_at, Response.duration_seconds,
                    Response.quality_flags, Answer.item_code, Answer.value_number, Answer.value_text,
                    Answer.dont_know)
             .join(InstrumentVersion, InstrumentVersion.id == Response.instrument_version_id)
             .outerjoin(ServicePoint, ServicePoint.id == Response.service_point_id)
             .outerjoin(Answer, Answer.response_id == Response.id)
             .where(Response.instrument_id == instrument.id)
             .order_by(Response.id))
    result = session.execute(query.execution_options(yield_per=BATCH))
    for _, group in groupby(result, key=lambda row: row[0]):
        group = list(group)
        first = group[0]
        values = {row.item_code: _cell(row.value_number, row.value_text) for row in group
                  if row.item_code is not None and not row.dont_know}
        dont_know = [row.item_code for row in group if row.dont_know]
        submitted = first.submitted_at
        yield [first.id, first.number, first.code or "", first.district or "", first.language, first.channel,
               submitted.isoformat().replace("+00:00", "Z"), jalali_datetime(submitted, "en", timezone),
               "" if first.duration_seconds is None else first.duration_seconds,
               ";".join(first.quality_flags or []), ";".join(dont_know),
               *(values.get(code, "") for code in items)]


def write_csv_rows(table, stream) -> int:
    """Write a header and rows as UTF-8 CSV with a byte-order mark (so Excel reads Persian);
    returns the number of data rows."""
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    count = -1
    for count, row in enumerate(table):
        writer.writerow(row)
    return count


def write_csv(session, instrument: Instrument, stream, timezone: str = "Asia/Tehran") -> int:
    """The responses of ``instrument`` as CSV; returns the row count."""
    return write_csv_rows(rows(session, instrument, timezone), stream)
