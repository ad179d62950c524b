"""The answers table read in one pass into columns (issue 13, item 8: the cold report path).

:func:`surveyor.responses.dataset.read_responses` puts the database driver's rows straight into
numpy arrays instead of pivoting a long DataFrame. These tests build the expected table from the
ORM objects, one cell at a time, and compare: the awkward cases are an item answered with numbers
by some and words by others, "don't know", a response with no answer at all, flagged responses
and the responses above an id.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from surveyor.models import Answer, Instrument, Response
from surveyor.responses.columns import RESPONSE_COLUMNS
from surveyor.responses.dataset import read_responses

# (item_code -> value) per response: a number, a text, "dk" (don't know) or absent
ANSWERS = [
    {"overall": 4, "mixed": 2, "comment": "خوب بود"},
    {"overall": 5, "mixed": "other", "zeta": 1.5},
    {"overall": "dk", "mixed": "dk"},
    {},  # a response without any answer: counted in the ids, not in the table
    {"overall": 1, "comment": "شلوغ", "alpha": 0},
    {"mixed": 3.25},
]


def _store(session, flagged_at=(1,)):
    instrument = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    start = dt.datetime(2026, 3, 1, 8, 30, 15, 250000, tzinfo=dt.timezone.utc)
    responses = []
    for number, answers in enumerate(ANSWERS):
        response = Response(client_id=f"reader-{number}", instrument_id=instrument.id,
                            instrument_version_id=instrument.latest.id, channel="qr", language="fa",
                            submitted_at=start + dt.timedelta(hours=number * 7), duration_seconds=40 + number,
                            is_flagged=number in flagged_at)
        for code, value in answers.items():
            response.answers.append(Answer(
                item_code=code, dont_know=value == "dk",
                value_number=float(value) if isinstance(value, (int, float)) else None,
                value_text=value if isinstance(value, str) and value != "dk" else None))
        session.add(response)
        responses.append(response)
    session.commit()
    return instrument, responses


def _expected(responses: list[Response]) -> pd.DataFrame:
    """The table the reader must give, cell by cell from the ORM objects."""
    answered = [r for r in responses if r.answers]
    codes = sorted({a.item_code for r in answered for a in r.answers})
    with_text = {a.item_code for r in answered for a in r.answers if a.value_text is not None}
    columns = {name: [] for name in RESPONSE_COLUMNS}
    for r in answered:
        for name, value in zip(RESPONSE_COLUMNS, (r.id, r.instrument_version_id, r.service_point_id, r.submitted_at,
                                                  r.language, r.channel, r.duration_seconds, r.is_flagged)):
            columns[name].append(value)
    frame = pd.DataFrame(columns)
    for code in codes:
        cells = []
        for r in answered:
            answer = next((a for a in r.answers if a.item_code == code), None)
            value = None if answer is None else answer.value_number if answer.value_number is not None \
                else answer.value_text
            cells.append(float("nan") if value is None else value)
        frame[code] = pd.Series(cells, dtype=object) if code in with_text else pd.Series(cells, dtype=float)
    return frame


def _same(actual: pd.DataFrame, expected: pd.DataFrame):
    assert list(actual.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False, check_exact=True)
    for name in expected.columns:
        assert actual[name].dtype == expected[name].dtype or name in RESPONSE_COLUMNS, name
        if expected[name].dtype == object:  # numbers stay numbers, texts texts, missing NaN
            kinds = [type(value) if not (isinstance(value, float) and math.isnan(value)) else "nan"
                     for value in actual[name]]
            assert kinds == [type(value) if not (isinstance(value, float) and math.isnan(value)) else "nan"
                             for value in expected[name]], name


def test_the_table_holds_every_answer_where_the_orm_has_it(loaded):
    instrument, responses = _store(loaded.session)
    frame, ids = read_responses(loaded.session, instrument.id)
    assert list(ids) == [r.id for r in responses]  # the response without answers included
    _same(frame, _expected(responses))
    assert str(frame["_submitted_at"].dtype) == "datetime64[us, UTC]"
    assert frame["_submitted_at"].iloc[0] == pd.Timestamp(responses[0].submitted_at)
    assert frame["_is_flagged"].dtype == bool and frame["_is_flagged"].tolist() == [False, True, False, False, False]
    assert frame["overall"].dtype == float and frame["mixed"].dtype == object
    assert frame["mixed"].tolist()[:2] == [2.0, "other"] and math.isnan(frame["mixed"].iloc[2])


@pytest.mark.parametrize("include_flagged", [True, False])
def test_flagged_left_out_and_the_newer_responses_alone(loaded, include_flagged):
    instrument, responses = _store(loaded.session, flagged_at=(1, 4))
    kept = [r for r in responses if include_flagged or not r.is_flagged]
    frame, ids = read_responses(loaded.session, instrument.id, include_flagged=include_flagged)
    assert list(ids) == [r.id for r in kept]
    _same(frame, _expected(kept))
    after = responses[2].id
    frame, ids = read_responses(loaded.session, instrument.id, include_flagged=include_flagged, after_id=after)
    newer = [r for r in kept if r.id > after]
    assert list(ids) == [r.id for r in newer]
    _same(frame, _expected(newer))


def test_no_answers_at_all_gives_an_empty_table_with_the_response_columns(loaded):
    instrument = loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    frame, ids = read_responses(loaded.session, instrument.id)
    assert frame.empty and list(frame.columns) == list(RESPONSE_COLUMNS) and len(ids) == 0
    assert np.asarray(ids).dtype == np.int64
