"""Item codes and response columns never meet in an analysis frame (issue 11, defect 1).

The pilgrims' questionnaire (CUL-Q04) has an item coded ``language``, the name of a response's
own column; its results page and report answered 500. Response columns now live in their own
namespace (``surveyor.responses.columns``), which the instrument schema keeps item codes out of.
"""
from __future__ import annotations

import re

from sqlalchemy import select

from surveyor.instruments.loader import schema
from surveyor.models import Instrument
from surveyor.responses import answers_frame
from surveyor.responses.columns import RESPONSE_COLUMNS
from surveyor.results.data import Filters, load_responses
from surveyor.results.questionnaire import questionnaire_results


def test_no_item_code_can_take_a_response_column_name():
    code = re.compile(schema()["$defs"]["code"]["pattern"])
    assert RESPONSE_COLUMNS and not any(code.fullmatch(name) for name in RESPONSE_COLUMNS)
    bare = [name.lstrip("_") for name in RESPONSE_COLUMNS]  # what the columns were called before
    assert all(code.fullmatch(name) for name in bare)  # ...which instruments may use as codes


def _pilgrims(loaded, runner):
    assert runner.invoke(args=["demo", "--responses", "120", "--instrument", "CUL-Q04", "--seed", "4"]).exit_code == 0
    pilgrims = loaded.session.scalar(select(Instrument).where(Instrument.code == "CUL-Q04"))
    assert any(item["code"] == "language" for item in pilgrims.latest.definition["items"])
    return pilgrims


def test_an_item_coded_like_a_response_column_keeps_both_values(loaded, runner):
    pilgrims = _pilgrims(loaded, runner)
    frame = answers_frame(loaded.session, pilgrims.id)
    assert len(frame) == 120
    assert set(frame["_language"]) <= {"fa", "en", "ar"}  # the language the pilgrim answered in
    answered = frame["language"].dropna()
    assert len(answered) > 60 and set(answered) <= {1.0, 2.0, 3.0, 4.0, 5.0}  # their rating of it

    only_english = load_responses(loaded.session, pilgrims.id, Filters(language="en"))[0]
    assert 0 < len(only_english) < 120 and set(only_english["_language"]) == {"en"}


def test_the_pilgrims_results_use_the_item_coded_language(loaded, runner):
    pilgrims = _pilgrims(loaded, runner)
    frame, districts, flagged = load_responses(loaded.session, pilgrims.id, Filters())
    results = questionnaire_results(frame, pilgrims.latest.definition, flagged_excluded=flagged, districts=districts)
    assert results.drivers is not None and "language" in set(results.drivers["driver"])
