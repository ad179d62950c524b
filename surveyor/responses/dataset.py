"""A whole instrument's answers as one table for analysis, read with two queries."""
from __future__ import annotations

import gc
from operator import itemgetter

import numpy as np
import pandas as pd
from sqlalchemy import select

from ..models import Answer, Response
from .columns import IS_FLAGGED, RESPONSE_COLUMNS, RESPONSE_ID, SUBMITTED_AT

ANSWER_COLUMNS = ("response_id", "item_code", "value_number", "value_text")


def answers_frame(session, instrument_id: int, include_flagged: bool = True) -> pd.DataFrame:
    """One row per response, one column per item code (numbers as floats, texts as strings;
    "don't know" and unanswered are missing), plus the response columns named in
    :mod:`surveyor.responses.columns` (``_submitted_at``, ``_language``...), which no item code
    can take.

    Two queries: the responses (one row each), then their answers. The answers, about 17 rows
    per response, are read through a Core connection as plain tuples: the ORM's row handling
    and one joined row per answer with its response's timestamp cost 15 s of the 20 s that
    100,000 responses took.
    """
    return read_responses(session, instrument_id, include_flagged=include_flagged)[0]


def _driver_rows(connection, statement) -> list[tuple]:
    """Every row of ``statement`` as the database driver returns it (plain tuples, fetched in
    one call). For the answers only, which have no type conversions: SQLAlchemy's per-row
    handling costs more than the query itself at millions of answers.

    The cyclic garbage collector is paused meanwhile: the rows are millions of new tuples, none
    of them in a cycle, and each few hundred would otherwise start a collection that walks the
    young ones (a third of the reading time at 1.7 million answers)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        result = connection.execute(statement)
        try:
            return result.cursor.fetchall()
        finally:
            result.close()
    finally:
        if paused:
            gc.enable()


def read_responses(session, instrument_id: int, *, include_flagged: bool = True,
                   after_id: int | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """``(frame, ids)``: :func:`answers_frame` for the responses with an id above ``after_id``
    (all when None), and the ids of every response read, those without any answer included
    (the frame holds only responses with at least one answer)."""
    responses = (select(Response.id.label("response_id"), Response.instrument_version_id,
                        Response.service_point_id, Response.submitted_at, Response.language, Response.channel,
                        Response.duration_seconds, Response.is_flagged)
                 .where(Response.instrument_id == instrument_id).order_by(Response.id))
    wanted = select(Response.id).where(Response.instrument_id == instrument_id)
    if not include_flagged:
        responses = responses.where(Response.is_flagged.is_(False))
        wanted = wanted.where(Response.is_flagged.is_(False))
    # ``IN (responses)`` rather than a join: the same rows, for a quarter less CPU on SQLite
    # (1.6-1.8 s against 2.1-2.3 s for 1.7 million answers).
    answers = (select(Answer.response_id, Answer.item_code, Answer.value_number, Answer.value_text)
               .where(Answer.response_id.in_(wanted)))
    if after_id is not None:
        # The newest responses of a large table: ask for the answers by their own key range
        # (SQLite would otherwise walk every response of the instrument to join them).
        newer = select(Response.id).where(Response.instrument_id == instrument_id, Response.id > after_id)
        if not include_flagged:
            newer = newer.where(Response.is_flagged.is_(False))
        responses = responses.where(Response.id > after_id)
        answers = (select(Answer.response_id, Answer.item_code, Answer.value_number, Answer.value_text)
                   .where(Answer.response_id > after_id, Answer.response_id.in_(newer)))
    connection = session.connection()
    meta = _response_frame(_driver_rows(connection, responses))
    ids = meta[RESPONSE_ID].to_numpy(dtype=np.int64)
    rows = _driver_rows(connection, answers)
    if not rows:
        return pd.DataFrame(columns=list(RESPONSE_COLUMNS)), ids
    answered, items = _item_columns(rows, ids)
    frame = meta[answered].reset_index(drop=True)  # responses with at least one answer
    return pd.concat([frame, pd.DataFrame(items)], axis=1), ids


def _response_frame(rows: list[tuple]) -> pd.DataFrame:
    """The responses' columns from the driver's rows, converted a column at a time rather than
    by SQLAlchemy row by row: the timestamps, stored as naive UTC (text on SQLite), become aware
    UTC (as :class:`surveyor.models.base.UTCDateTime` reads them), and the flags booleans
    (integers on SQLite)."""
    frame = pd.DataFrame(rows, columns=list(RESPONSE_COLUMNS))
    if rows:
        frame[SUBMITTED_AT] = pd.to_datetime(frame[SUBMITTED_AT], utc=True, format="ISO8601")
        frame[IS_FLAGGED] = frame[IS_FLAGGED].astype(bool)
    return frame


def _item_columns(rows: list[tuple], ids: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``(answered, columns)``: which of the responses ``ids`` have an answer among ``rows``
    (``ANSWER_COLUMNS`` tuples), and one column per item code (sorted) for those responses.

    One pass into numpy arrays: each row's response becomes a position in ``ids`` and its item
    a column number, and the values are put in place at once. A long DataFrame of the same rows
    pivoted twice (numbers, texts) took half as long again as reading them. An item
    with no text answer is a float column (missing: NaN); an item with any text holds objects,
    the number where there is one, else the text (missing: NaN).
    """
    def field(name: str, dtype) -> np.ndarray:
        # a list of existing objects, not zip(*rows): that makes an iterator per row
        return np.array(list(map(itemgetter(ANSWER_COLUMNS.index(name)), rows)), dtype=dtype)

    response_id = np.fromiter(map(itemgetter(0), rows), np.int64, len(rows))
    position = np.searchsorted(ids, response_id)
    # an answer of a response the first query did not see (committed between the two) is left out
    known = position < len(ids)
    known[known] = ids[position[known]] == response_id[known]
    answered = np.zeros(len(ids), dtype=bool)
    answered[position[known]] = True
    row = (np.cumsum(answered) - 1)[position[known]]
    column, codes = pd.factorize(field("item_code", object)[known], sort=True)
    number = field("value_number", float)[known]  # None becomes NaN
    text = field("value_text", object)[known]
    has_text = text != None  # noqa: E711 - element-wise
    shape = (len(codes), int(answered.sum()))  # one row per item: each column contiguous
    numbers = np.full(shape, np.nan)
    numbers[column, row] = number
    with_text = np.zeros(len(codes), dtype=bool)
    with_text[column[has_text]] = True
    items = {}
    for j, code in enumerate(codes):
        if not with_text[j]:
            items[str(code)] = numbers[j]
    if with_text.any():
        texts = np.full(shape, np.nan, dtype=object)
        texts[column[has_text], row[has_text]] = text[has_text]
        for j in np.flatnonzero(with_text):
            values = texts[j]
            given = ~np.isnan(numbers[j])
            values[given] = numbers[j, given]
            items[str(codes[j])] = pd.Series(values, dtype=object)
    return answered, {str(code): items[str(code)] for code in codes}
