"""`--format xlsx`: the CSV's columns and rows with numbers as numbers, and a codebook sheet."""
from __future__ import annotations

import csv

from openpyxl import load_workbook

from surveyor.responses import DONT_KNOW
from tests.exports.conftest import METRO, STATIONS

CODEBOOK_HEADER = ("column", "spss_variable", "label", "type", "role", "dimension", "unit", "values",
                   "not_applicable_or_missing", "versions", "note")


def export(runner, kind, code, fmt, path, lang="fa"):
    result = runner.invoke(args=[kind, "export", code, "--format", fmt, "--lang", lang, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def sheet_rows(path, name):
    """The sheet's rows, each as long as the header (read-only mode drops empty trailing cells)."""
    rows = [list(row) for row in load_workbook(path, read_only=True)[name].iter_rows(values_only=True)]
    return [row + [None] * (len(rows[0]) - len(row)) for row in rows]


def test_responses_xlsx_matches_the_csv_and_describes_every_column(
        metro_responses, make_response, runner, tmp_path):
    make_response(metro_responses.latest, {"overall": 1, "headway": DONT_KNOW, "comment": "=HYPERLINK(\"x\")"})
    data = sheet_rows(export(runner, "responses", METRO, "xlsx", tmp_path / "metro.xlsx"), "data")
    with open(export(runner, "responses", METRO, "csv", tmp_path / "metro.csv"), encoding="utf-8-sig") as handle:
        first_line, *table = list(csv.reader(handle))
    assert first_line == ["# Surveyor export of TRN-Q01 (responses); filters: flagged=included"]
    assert data[0] == table[0] and len(data) == len(table) == 302
    header = data[0]
    for row, csv_row in zip(data[1:], table[1:]):
        assert ["" if cell is None else str(cell) for cell in row] == csv_row
    first = dict(zip(header, data[1]))
    assert isinstance(first["response_id"], int) and isinstance(first["overall"], int)
    assert isinstance(first["duration_seconds"], int) and isinstance(first["district"], int)
    last = dict(zip(header, data[-1]))
    assert last["comment"] == "'=HYPERLINK(\"x\")" and last["headway"] is None and last["dont_know_items"] == "headway"
    workbook = load_workbook(tmp_path / "metro.xlsx")
    assert workbook.sheetnames == ["data", "codebook", "filters"]
    assert [[c.value for c in row] for row in workbook["filters"].iter_rows()] == [["filter", "value"],
                                                                                 ["flagged", "included"]]
    assert workbook["data"].cell(row=302, column=header.index("comment") + 1).data_type == "s"  # not a formula
    assert workbook["data"].sheet_view.rightToLeft

    book = sheet_rows(tmp_path / "metro.xlsx", "codebook")
    assert tuple(book[0]) == CODEBOOK_HEADER
    rows = {row[0]: dict(zip(CODEBOOK_HEADER, row)) for row in book[1:]}
    assert list(rows) == header
    assert rows["overall"] == {
        "column": "overall", "spss_variable": "overall", "label": "روی‌هم‌رفته چقدر از خدمات قطار شهری راضی هستید؟",
        "type": "rating", "role": "outcome", "dimension": None, "unit": None,
        "values": "1 = خیلی ناراضی\n2 = ناراضی\n3 = نه راضی نه ناراضی\n4 = راضی\n5 = خیلی راضی",
        "not_applicable_or_missing": None, "versions": "1", "note": None}
    assert rows["headway"]["dimension"] == "reliability" and rows["headway"]["role"] == "driver"
    assert rows["headway"]["not_applicable_or_missing"].startswith("خالی = «نمی‌دانم»")
    assert rows["rider_type"]["values"].splitlines()[0] == "resident = ساکن این شهر"
    assert rows["wait_minutes"]["unit"] == "دقیقه" and rows["comment"]["type"] == "text"


def test_english_codebook(metro_responses, runner, tmp_path):
    path = export(runner, "responses", METRO, "xlsx", tmp_path / "metro-en.xlsx", lang="en")
    rows = {row[0]: row for row in sheet_rows(path, "codebook")[1:]}
    assert rows["overall"][2] == "Overall, how satisfied are you with the metro service?"
    assert rows["recommend"][7] == "0 = Not at all likely\n10 = Extremely likely"
    assert not load_workbook(path)["codebook"].sheet_view.rightToLeft


def test_inspections_xlsx(station_inspections, runner, tmp_path):
    path = export(runner, "inspections", STATIONS, "xlsx", tmp_path / "stations.xlsx", lang="en")
    data = sheet_rows(path, "data")
    header = data[0]
    assert len(data) == 13 and header[:2] == ["inspection_id", "checklist_version"]
    rows = [dict(zip(header, row)) for row in data[1:]]
    assert {row["district"] for row in rows} == {3, 8}
    assert all(isinstance(row["timetable_headway"], int) for row in rows)  # site numbers become numbers
    assert {row["entrances_open"] for row in rows} <= {"pass", "fail"}
    assert {type(row["concourse_cleanliness"]) for row in rows} == {int}
    assert "na" in {row["escalators_working"] for row in rows} | {row["lux_platform"] for row in rows}
    book = {row[0]: dict(zip(CODEBOOK_HEADER, row)) for row in sheet_rows(path, "codebook")[1:]}
    assert book["section:access"]["spss_variable"] == "section_access"
    assert book["section:access"]["note"] == "SPSS variable name: section_access"
    assert book["section:access"]["label"] == "Entrances, circulation and fare gates: compliance (%)"
    assert book["entrances_open"]["values"] == "pass = Pass\nfail = Fail"
    assert book["escalators_working"]["not_applicable_or_missing"] == "na = Not applicable"
    assert book["entrances_open"]["not_applicable_or_missing"] is None  # this check cannot be "not applicable"
    assert book["lux_platform"]["not_applicable_or_missing"] == "na = Not applicable (SPSS: -999999)"
    assert book["lux_platform"]["unit"] == "lux" and book["lux_platform"]["dimension"] == "lighting"
    assert book["grade"]["values"].splitlines()[0] == "A = Excellent"
    assert book["emergency_stop"]["role"] == "check" and book["emergency_stop"]["type"] == "pass_fail"
