"""A whole instrument's answers as one table for analysis, read with two queries."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select

from ..models import Answer, Response
from .columns import RESPONSE_COLUMNS, RESPONSE_ID

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
    handling costs more than the query itself at millions of answers."""
    result = connection.execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def read_responses(session, instrument_id: int, *, include_flagged: bool = True,
                   after_id: int | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """``(frame, ids)``: :func:`answers_frame` for the responses with an id above ``after_id``
    (all when None), and the ids of every response read, those without any answer included
    (the frame holds only responses with at least one answer)."""
    responses = (select(Response.id.label("response_id"), Response.instrument_version_id,
                        Response.service_point_id, Response.submitted_at, Response.language, Response.channel,
                        Response.duration_seconds, Response.is_flagged)
                 .where(Response.instrument_id == instrument_id).order_by(Response.id))
    answers = (select(Answer.response_id, Answer.item_code, Answer.value_number, Answer.value_text)
               .join(Response, Answer.response_id == Response.id)
               .where(Response.instrument_id == instrument_id))
    if not include_flagged:
        responses = responses.where(Response.is_flagged.is_(False))
        answers = answers.where(Response.is_flagged.is_(False))
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
    meta = pd.DataFrame([tuple(row) for row in connection.execute(responses)], columns=list(RESPONSE_COLUMNS))
    ids = meta[RESPONSE_ID].to_numpy(dtype=np.int64)
    long = pd.DataFrame.from_records(_driver_rows(connection, answers), columns=ANSWER_COLUMNS)
    if long.empty:
        return pd.DataFrame(columns=list(RESPONSE_COLUMNS)), ids
    meta = meta.set_index(RESPONSE_ID)
    meta = meta[meta.index.isin(long["response_id"])]  # responses with at least one answer
    numbers = long.pivot(index="response_id", columns="item_code", values="value_number")
    texts = long.pivot(index="response_id", columns="item_code", values="value_text")
    wide = numbers.astype(object).where(numbers.notna(), texts)
    for column in wide.columns:
        if texts[column].isna().all():
            wide[column] = pd.to_numeric(wide[column])
    wide.columns.name = None
    wide.index.name = RESPONSE_ID
    return meta.join(wide).reset_index(), ids
