"""Results pages: figures, filters, charts rendered on the server, escaped comments, who may see them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from surveyor.models import Instrument
from surveyor.responses import record_response
from tests.conftest import csrf_token


@pytest.fixture
def researcher(client, loaded, make_user, runner):
    assert runner.invoke(args=["demo", "--responses", "600", "--instrument", "TRN-Q01", "--seed", "9"]).exit_code == 0
    make_user("nahid", "researcher", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "nahid",
                                "password": "a strong pass phrase"})
    return client


def test_questionnaire_results_page(researcher, db):
    metro = db.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    record_response(db.session, metro.latest, {"overall": 3, "comment": "<script>alert(1)</script> ایستگاه"},
                    client_id="xss", channel="qr", language="fa")
    body = researcher.get("/results/TRN-Q01?lang=fa").get_data(as_text=True)
    assert "<svg" in body and body.count("<svg") >= 3          # trend, drivers, importance-performance
    assert "میانگین" in body and "پاسخ پرچم‌دار" in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    filtered = researcher.get("/results/TRN-Q01?lang=en&district=3&q=ایستگاه").get_data(as_text=True)
    assert "Responses" in filtered
    wrong = researcher.get("/results/TRN-Q01?lang=en&from=1403/13/40").get_data(as_text=True)
    assert "Enter Jalali dates" in wrong


def test_comment_search_ignores_keyboard_letter_forms(researcher, db):
    """An old comment typed with the Arabic «ي» and «ك» of a phone keyboard and without the
    zero-width non-joiner still matches."""
    import datetime as dt

    from surveyor.models import Response
    metro = db.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    stored, _ = record_response(db.session, metro.latest, {"overall": 2, "comment": "کارکنان باجهٔ شمالی بی‌حوصله بودند"},
                                client_id="old-comment", channel="qr", language="fa")
    db.session.get(Response, stored.id).submitted_at = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    db.session.commit()
    found = researcher.get("/results/TRN-Q01?lang=en&flagged=1&q=بيحوصله بودند").get_data(as_text=True)
    assert "کارکنان باجهٔ شمالی بی‌حوصله بودند" in found
    none = researcher.get("/results/TRN-Q01?lang=en&q=zzzz-nothing").get_data(as_text=True)
    assert "No comments." in none


def test_csv_download_matches_the_command(researcher, runner, tmp_path):
    response = researcher.get("/results/TRN-Q01/responses.csv?flagged=1")  # no filter: every response
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    out = tmp_path / "cli.csv"
    runner.invoke(args=["responses", "export", "TRN-Q01", "-o", str(out)])
    assert out.read_bytes() == response.data


def test_excel_and_spss_downloads_match_the_command(researcher, runner, tmp_path):
    import openpyxl
    import pyreadstat
    for fmt in ("xlsx", "sav"):
        response = researcher.get(f"/results/TRN-Q01/responses.{fmt}?lang=en&flagged=1")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f'attachment; filename="TRN-Q01-responses.{fmt}"'
        (tmp_path / f"web.{fmt}").write_bytes(response.data)
        assert runner.invoke(args=["responses", "export", "TRN-Q01", "--format", fmt, "--lang", "en",
                                   "-o", str(tmp_path / f"cli.{fmt}")]).exit_code == 0
    web = openpyxl.load_workbook(tmp_path / "web.xlsx", read_only=True)
    cli = openpyxl.load_workbook(tmp_path / "cli.xlsx", read_only=True)
    assert [list(sheet.values) for sheet in web] == [list(sheet.values) for sheet in cli]
    frame, meta = pyreadstat.read_sav(str(tmp_path / "web.sav"))
    assert len(frame) == 600 and "overall" in frame.columns
    assert pyreadstat.read_sav(str(tmp_path / "cli.sav"))[0].equals(frame)
    assert researcher.get("/results/TRN-Q01/inspections.csv").status_code == 404  # a questionnaire has none
    assert researcher.get("/results/SRV-C01/inspections.xlsx").status_code == 200


def test_checklist_results_page(researcher):
    body = researcher.get("/results/SRV-C01?lang=en").get_data(as_text=True)
    assert "Inspections" in body and "Open corrective actions" in body


def test_report_download_is_a_pdf_in_the_chosen_language(researcher, tmp_path):
    import subprocess
    response = researcher.get("/results/TRN-Q01/report.pdf?report_lang=en&district=3")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Metro passenger satisfaction" in text


def test_a_driver_everyone_rated_alike_is_named_not_a_500(researcher, db):
    from sqlalchemy import update

    from surveyor.models import Answer
    db.session.execute(update(Answer).where(Answer.item_code == "station_cleanliness", Answer.value_number.is_not(None))
                       .values(value_number=4))
    db.session.commit()
    page = researcher.get("/results/TRN-Q01?lang=en")
    assert page.status_code == 200
    note = page.get_data(as_text=True).split("gave them the same answer:")[1].split("</p>")[0]
    assert "clean" in note.lower()
