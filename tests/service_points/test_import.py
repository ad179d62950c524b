"""`surveyor points import` and `surveyor points links`: idempotent, all-or-nothing, line numbers."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from surveyor.models import PointInstrument, ServicePoint, SurveyLink

HEADER = "code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
GOOD = HEADER + (
    "MET-01,ایستگاه میدان شهدا,Shohada Square station,محطة ميدان الشهداء,8,36.2878,59.6153,TRN-Q01;TRN-C01\n"
    "WC-07,سرویس بهداشتی بوستان ملت,Mellat Park toilets,,7,,,SRV-Q04;SRV-C01\n")


def write(tmp_path, text, name="points.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return str(path)


def test_import_is_idempotent_and_issues_one_link_per_pair(loaded, runner, tmp_path):
    """One citizen link per (point, questionnaire); checklists get none (tests/security/test_checklist_links.py)."""
    first = runner.invoke(args=["points", "import", write(tmp_path, GOOD)])
    assert first.exit_code == 0, first.output
    assert "2 created, 0 updated, 0 unchanged; 2 survey link(s) issued." in first.output
    again = runner.invoke(args=["points", "import", write(tmp_path, GOOD)])
    assert "0 created, 0 updated, 2 unchanged; 0 survey link(s) issued." in again.output
    session = loaded.session
    assert session.scalar(select(func.count()).select_from(PointInstrument)) == 4
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == "MET-01"))
    assert (point.district, point.name_ar, point.latitude) == (8, "محطة ميدان الشهداء", 36.2878)

    links = json.loads(runner.invoke(args=["points", "links", "--json"]).output)
    assert {(r["point"], r["instrument"]) for r in links} == {("MET-01", "TRN-Q01"), ("WC-07", "SRV-Q04")}
    assert all(r["url"].startswith("http://127.0.0.1:5000/s/") and len(r["url"].rsplit("/", 1)[1]) == 12
               for r in links)


def test_a_file_with_bad_rows_imports_nothing_and_names_each_line(loaded, runner, tmp_path):
    text = GOOD + ("BAD-1,,x,,14,95,59,TRN-Q01\n"
                   "MET-01,دوباره,,,3,,,\n"
                   "P-9,نقطه,,,2,36.1,,XXX-Q99\n")
    result = runner.invoke(args=["points", "import", write(tmp_path, text)])
    assert result.exit_code != 0
    out = result.output
    assert "line 4: name_fa (the Persian name) is required" in out
    assert "line 4: district must be a number from 1 to 13, got '14'" in out
    assert "line 4: latitude 95 is outside" in out
    assert "line 5: code MET-01 is also on line 2" in out
    assert "line 6: give both lat and lon, or neither" in out
    assert "line 6: unknown instrument code(s) XXX-Q99" in out
    assert loaded.session.scalar(select(func.count()).select_from(ServicePoint)) == 0
    assert loaded.session.scalar(select(func.count()).select_from(SurveyLink)) == 0


def test_a_wrong_header_is_explained(loaded, runner, tmp_path):
    result = runner.invoke(args=["points", "import", write(tmp_path, "code;name\nA;B\n")])
    assert result.exit_code != 0 and "line 1: missing column(s)" in result.output
