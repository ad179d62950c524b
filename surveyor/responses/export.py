"""Responses as a CSV file researchers open in Excel, SPSS or R: one row per response.

The first line names the export and its filters (``# Surveyor export of TRN-Q01 (responses);
filters: district=3; flagged=excluded``); the header is the second line. Columns: response_id, instrument_version, service_point, district, language, channel,
submitted_utc (ISO 8601), submitted_jalali, duration_seconds, flags, dont_know_items, then
one column per item code in the order the items first appear across the instrument's
versions, so the columns stay put when a new version adds or drops an item (an item coded like
one of the columns before it, such as CUL-Q04's ``language``, is ``item:language``). A "don't know"
answer leaves its cell empty (numeric columns stay numeric) and is listed in dont_know_items.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from sqlalchemy import select

from ..exports.codebook import item_column
from ..exports.formulas import inert_row
from ..exports.selection import EVERY_ROW, Selection
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


def _answers_by_response(connection, instrument: Instrument) -> Iterator[tuple[int, list]]:
    """``(response_id, answers)`` in response order, streamed."""
    query = (select(Answer.response_id, Answer.item_code, Answer.value_number, Answer.value_text, Answer.dont_know)
             .join(Response, Answer.response_id == Response.id)
             .where(Response.instrument_id == instrument.id)
             .order_by(Answer.response_id))
    # On the statement, not the connection: Connection.execution_options() changes the session's
    # connection in place, and every later statement of the request (an INSERT on PostgreSQL:
    # "DECLARE ... CURSOR FOR INSERT") would then run through a server-side cursor.
    result = connection.execute(query.execution_options(yield_per=BATCH))
    for response_id, group in groupby(result, key=itemgetter(0)):
        yield response_id, list(group)


def rows(session, instrument: Instrument, timezone: str = "Asia/Tehran",
         selection: Selection = EVERY_ROW) -> Iterator[list]:
    """The header, then one list per response that ``selection`` keeps, streamed in batches (a
    million rows stay small).

    Two streams in response order, merged here: the responses, and their answers. (One joined
    query repeated the response's columns on each of its ~17 answer rows.)
    """
    items = item_columns(instrument)
    yield [*FIXED_COLUMNS, *(item_column(code, FIXED_COLUMNS) for code in items)]
    responses = (select(Response.id, InstrumentVersion.number, ServicePoint.code, ServicePoint.district,
                        Response.language, Response.channel, Response.submitted_at, Response.duration_seconds,
                        Response.quality_flags)
                 .join(InstrumentVersion, InstrumentVersion.id == Response.instrument_version_id)
                 .outerjoin(ServicePoint, ServicePoint.id == Response.service_point_id)
                 .where(Response.instrument_id == instrument.id)
                 .order_by(Response.id))
    connection = session.connection()
    answers = _answers_by_response(connection, instrument)
    pending = next(answers, None)
    for response in connection.execute(responses.execution_options(yield_per=BATCH)):
        group = []
        if pending is not None and pending[0] == response.id:
            group = pending[1]
            pending = next(answers, None)
        if not selection.keeps(response.id):
            continue
        values = {row.item_code: _cell(row.value_number, row.value_text) for row in group if not row.dont_know}
        dont_know = [row.item_code for row in group if row.dont_know]
        submitted = response.submitted_at
        yield [response.id, response.number, response.code or "", response.district or "", response.language,
               response.channel, submitted.isoformat().replace("+00:00", "Z"),
               jalali_datetime(submitted, "en", timezone),
               "" if response.duration_seconds is None else response.duration_seconds,
               ";".join(response.quality_flags or []), ";".join(dont_know),
               *(values.get(code, "") for code in items)]


def write_csv_rows(table, stream, first_line: str | None = None) -> int:
    """Write a header and rows as UTF-8 CSV with a byte-order mark (so Excel reads Persian),
    after ``first_line`` (what the file is and which filters made it) when given; returns the
    number of data rows. Texts that a spreadsheet would run as formulas are neutralised
    (:func:`surveyor.exports.formulas.inert`)."""
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    if first_line is not None:
        writer.writerow([first_line])
    count = -1
    for count, row in enumerate(table):
        writer.writerow(inert_row(row))
    return count


def write_csv(session, instrument: Instrument, stream, timezone: str = "Asia/Tehran",
              selection: Selection = EVERY_ROW) -> int:
    """The responses of ``instrument`` that ``selection`` keeps, as CSV whose first line names
    the filters; returns the row count."""
    return write_csv_rows(rows(session, instrument, timezone, selection), stream,
                          selection.preamble(instrument.code, "responses"))
