"""Penetration test finding Low 13 (issue 12), its import parts: files and form values that made a 500.

The attacks:
- a points CSV with one field longer than 131,072 characters (Python's csv field limit; an
  unclosed quote does the same to a real file): the admin upload answered 500 and the command
  printed a traceback;
- ``instruments=²`` (or a 5,000-digit number) posted with the service point form: ``"²".isdigit()``
  is true but ``int("²")`` fails, so the page answered 500;
- an XLSForm workbook whose sheet XML is broken: the parse error escaped the importer as a
  traceback.

What Surveyor promises (README, "Pages, headers and imports"): each is reported like any other
problem of the file or form: the CSV line that is wrong, a form error next to the instruments
("Choose instruments from the list", in the page's language), and the workbook sheet that
cannot be read; nothing is imported or saved, and nobody sees a traceback.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from surveyor.config import PROJECT_ROOT
from surveyor.models import PointInstrument, ServicePoint
from surveyor.service_points.importer import ImportError_, import_points
from tests.conftest import csrf_token

HEADER = "code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
HUGE = HEADER + "MET-01,ایستگاه,Station,,8,,,TRN-Q01\n" + f'MET-02,"{"ب" * 140_000}",,,8,,,TRN-Q01\n'
UNCLOSED = HEADER + 'MET-01,"ایستگاه,Station,,8,,,TRN-Q01\n' + ("MET-03,x,,,3,,,\n" * 10_000)


@pytest.fixture
def admin(app, loaded, make_user):
    make_user("admin1", "admin", "a strong pass phrase")
    client = app.test_client()
    client.post("/login", data={"csrf_token": csrf_token(client.get("/login").get_data(as_text=True)),
                                "username": "admin1", "password": "a strong pass phrase"})
    return client


# ---- Points CSV ----

@pytest.mark.parametrize("text", [HUGE, UNCLOSED], ids=["huge-field", "unclosed-quote"])
def test_a_csv_field_over_the_limit_is_a_problem_of_its_line(loaded, text):
    with pytest.raises(ImportError_) as raised:
        import_points(loaded.session, text)
    (problem,) = raised.value.problems
    assert str(problem).startswith("line ") and "131,072 characters" in str(problem) and "quote" in str(problem)
    assert loaded.session.scalar(select(ServicePoint)) is None


def test_the_admin_upload_and_the_command_report_it(admin, loaded, runner, tmp_path):
    response = admin.post("/admin/points/import", data={
        "csrf_token": csrf_token(admin.get("/admin/points").get_data(as_text=True)),
        "file": (io.BytesIO(HUGE.encode("utf-8")), "points.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "سطر ۳: " in page and "۱۳۱٬۰۷۲ نویسه" in page and "Traceback" not in page
    path = tmp_path / "points.csv"
    path.write_text(HUGE, encoding="utf-8")
    result = runner.invoke(args=["points", "import", str(path)])
    assert result.exit_code == 1 and "line 3: " in result.output and "nothing was imported" in result.output
    assert loaded.session.scalar(select(ServicePoint)) is None


# ---- The service point form ----

@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1", "abc", "999999", "۱۲۳۴۵۶۷"])
def test_an_instrument_value_that_is_not_on_the_list_is_a_form_error(admin, loaded, value):
    page = admin.get("/admin/points/new?lang=en")
    response = admin.post("/admin/points/new", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "code": "MET-02", "name_fa": "ایستگاه بسیج",
        "district": "3", "instruments": [value]})
    assert response.status_code == 400, value
    assert "Choose instruments from the list." in response.get_data(as_text=True)
    assert loaded.session.scalar(select(ServicePoint)) is None and loaded.session.scalar(select(PointInstrument)) is None


def test_the_form_error_is_in_the_pages_language(admin, loaded):
    for lang, text in (("fa", "ابزارها را از فهرست انتخاب کنید."), ("ar", "اختر الأدوات من القائمة.")):
        page = admin.get(f"/admin/points/new?lang={lang}")
        response = admin.post("/admin/points/new", data={
            "csrf_token": csrf_token(page.get_data(as_text=True)), "code": "MET-02", "name_fa": "ایستگاه",
            "district": "3", "instruments": ["²"]})
        assert response.status_code == 400 and text in response.get_data(as_text=True), lang


# ---- XLSForm workbooks ----

def _broken_workbook(tmp_path: Path, damage) -> Path:
    from surveyor.instruments.xlsform import write_xlsform
    good = tmp_path / "good.xlsx"
    write_xlsform(yaml.safe_load((PROJECT_ROOT / "questionnaires" / "trn-q01.yaml").read_text(encoding="utf-8")), good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = damage(data)
            target.writestr(item, data)
    return broken


DAMAGES = {
    "truncated": lambda data: data[: len(data) // 2],
    "not-xml": lambda data: b"<worksheet><sheetData><row><c>&undefined;</c></row></sheetData>",
    "billion-laughs": lambda data: (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                                    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                                          else b"&lol;") * 10) for i in range(1, 10))
                                    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                    + b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c>"
                                    + b"</row></sheetData></worksheet>"),
}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_workbook_whose_xml_cannot_be_parsed_is_a_problem_naming_the_sheet(tmp_path, damage):
    from surveyor.instruments.xlsform import check_workbook
    document, problems = check_workbook(_broken_workbook(tmp_path, DAMAGES[damage]))
    assert document is None and len(problems) == 1
    text = str(problems[0])
    assert "broken.xlsx" in text and "sheet is damaged" in text and "cannot be read" in text, text
    if damage == "truncated":  # found as its rows are read: the sheet is named
        assert "the XML of its survey sheet" in text
    assert "Traceback" not in text and "ParseError" not in text and "line 1, column" not in text


def test_the_import_command_reports_it_without_a_traceback(tmp_path, instruments_dir):
    from click.testing import CliRunner

    from surveyor.cli import main
    workbook = _broken_workbook(tmp_path, DAMAGES["truncated"])
    result = CliRunner().invoke(main, ["instruments", "import-xlsform", str(workbook), "-o", str(tmp_path / "x.yaml")],
                                env={"SURVEYOR_INSTRUMENTS_DIR": str(instruments_dir)})
    assert result.exit_code == 1 and "cannot be read" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.yaml").exists()
