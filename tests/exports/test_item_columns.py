"""An item coded like a record column: CUL-Q04 asks pilgrims their ``language``, and every
response also records the language of the page. The export keeps both, under two names
(``language`` and ``item:language``), in CSV, Excel and SPSS; before, the CSV repeated the
header and the SPSS export answered 500 (issue 11, found by the instrument sweep)."""
from __future__ import annotations

import csv

import pyreadstat
import pytest
from openpyxl import load_workbook

from surveyor.exports.codebook import item_column
from tests.exports.test_xlsx import export


@pytest.fixture
def pilgrims(loaded, runner):
    result = runner.invoke(args=["demo", "--responses", "40", "--instrument", "CUL-Q04", "--seed", "3"])
    assert result.exit_code == 0, result.output


def test_the_item_gets_its_own_column_in_every_format(pilgrims, runner, tmp_path):
    with open(export(runner, "responses", "CUL-Q04", "csv", tmp_path / "p.csv"), encoding="utf-8-sig") as f:
        _first, header, *rows = list(csv.reader(f))
    assert header.count("language") == 1 and header.count("item:language") == 1 and len(rows) == 40
    record, answer = header.index("language"), header.index("item:language")
    assert {row[record] for row in rows} <= {"fa", "en", "ar"}
    assert {row[answer] for row in rows} <= {"1", "2", "3", "4", "5", ""}  # ratings, apart from the page language

    book = load_workbook(export(runner, "responses", "CUL-Q04", "xlsx", tmp_path / "p.xlsx", "en"), read_only=True)
    codebook = {row[0]: row for row in book["codebook"].iter_rows(values_only=True)}
    assert codebook["item:language"][4] == "driver" and codebook["language"][4] == "record"

    frame, meta = pyreadstat.read_sav(str(export(runner, "responses", "CUL-Q04", "sav", tmp_path / "p.sav", "en")))
    assert len(frame) == 40 and {"language", "item_language"} <= set(frame.columns)
    assert meta.column_names_to_labels["item_language"] != meta.column_names_to_labels["language"]


def test_only_a_colliding_code_is_renamed():
    assert item_column("language", ("response_id", "language")) == "item:language"
    assert item_column("overall", ("response_id", "language")) == "overall"
