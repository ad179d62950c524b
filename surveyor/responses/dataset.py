"""A whole instrument's answers as one table for analysis, read with a single query."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from ..models import Answer, Response

RESPONSE_COLUMNS = ("response_id", "instrument_version_id", "service_point_id", "submitted_at",
                    "language", "channel", "duration_seconds", "is_flagged")


def answers_frame(session, instrument_id: int, include_flagged: bool = True) -> pd.DataFrame:
    """One row per response, one column per item code (numbers as floats, texts as strings;
    "don't know" and unanswered are missing), plus the response columns above.

    The answers and their responses come from one SELECT joining the two tables.
    """
    query = (select(Response.id.label("response_id"), Response.instrument_version_id, Response.service_point_id,
                    Response.submitted_at, Response.language, Response.channel, Response.duration_seconds,
                    Response.is_flagged, Answer.item_code, Answer.value_number, Answer.value_text)
             .join(Answer, Answer.response_id == Response.id)
             .where(Response.instrument_id == instrument_id)
             .order_by(Response.id))
    if not include_flagged:
        query = query.where(Response.is_flagged.is_(False))
    long = pd.DataFrame(session.execute(query).all(),
                        columns=[*RESPONSE_COLUMNS, "item_code", "value_number", "value_text"])
    if long.empty:
        return pd.DataFrame(columns=list(RESPONSE_COLUMNS))
    meta = long[list(RESPONSE_COLUMNS)].drop_duplicates("response_id").set_index("response_id")
    numbers = long.pivot(index="response_id", columns="item_code", values="value_number")
    texts = long.pivot(index="response_id", columns="item_code", values="value_text")
    wide = numbers.astype(object).where(numbers.notna(), texts)
    for column in wide.columns:
        if texts[column].isna().all():
            wide[column] = pd.to_numeric(wide[column])
    wide.columns.name = None
    return meta.join(wide).reset_index()
