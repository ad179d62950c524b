"""Every instrument of the catalog, as a research office meets it in its first week (issue 11).

For each of the catalog's instruments (``surveyor/instruments/catalog.tsv``, so a new one is
covered without a new test), on demo data with few responses and inspections (some districts
have one or two): the results page in Persian, Arabic and English, the PDF report in Persian and
English, every export format the app offers (``surveyor.exports.FORMATS``) and, for a
questionnaire, its survey link in each of its languages. Each must answer 200 with content that
is really the thing: a page titled with the instrument, a PDF that pdftotext reads and that names
the instrument, a CSV with its header and one row per response, a workbook openpyxl opens, an
SPSS file pyreadstat reads with the right number of rows, a survey form.

The demo database is built once per test process (per pytest-xdist worker), in a database of its
own: the other tests empty theirs after each test. One app and one logged-in client serve every
request.
"""
from __future__ import annotations

import copy
import csv
import html
import io
import os
import re
import subprocess
from dataclasses import dataclass

import openpyxl
import pyreadstat
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text

from surveyor import create_app
from surveyor.config import PROJECT_ROOT
from surveyor.exports import FORMATS
from surveyor.instruments.rules import catalog
from surveyor.models import Inspection, Instrument, Response
from tests.conftest import _worker_database, csrf_token
from tests.reporting.pdf_reading import letters

pytestmark = pytest.mark.db  # also run against PostgreSQL

RESPONSES, INSPECTIONS = 30, 15  # per instrument: few, so some districts hold one or two
PAGE_LANGUAGES, REPORT_LANGUAGES = ("fa", "ar", "en"), ("fa", "en")
CATALOG = catalog()
QUESTIONNAIRES = [code for code, entry in CATALOG.items() if entry["kind"] == "questionnaire"]


@dataclass
class Site:
    app: Flask
    client: FlaskClient
    links: dict[str, str]  # questionnaire code -> a live survey link's token

    def get(self, url: str):
        with self.app.app_context():
            return self.client.get(url)

    def count(self, code: str) -> int:
        """Every response (questionnaire) or submitted inspection (checklist) of ``code``."""
        from surveyor.extensions import db
        with self.app.app_context():
            instrument = db.session.scalar(select(Instrument).where(Instrument.code == code))
            if instrument.kind == "checklist":
                query = select(func.count()).where(Inspection.instrument_id == instrument.id,
                                                   Inspection.status == "submitted")
            else:
                query = select(func.count()).where(Response.instrument_id == instrument.id)
            return db.session.scalar(query)

    def title(self, code: str, lang: str) -> str:
        from surveyor.extensions import db
        from surveyor.i18n import localized
        with self.app.app_context():
            instrument = db.session.scalar(select(Instrument).where(Instrument.code == code))
            return localized(instrument.latest.definition["title"], lang)


def _database(tmp_path_factory, worker_id: str) -> str:
    url = os.environ.get("SURVEYOR_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('sweep') / 'sweep.sqlite3'}"
    url = _worker_database(url, f"{worker_id}_sweep")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _fill(app: Flask, instrument_files) -> dict[str, str]:
    """Migrate, load every instrument, generate the demo data, open each questionnaire at one
    demo point with a survey link; returns the links."""
    from flask_migrate import upgrade

    from surveyor.auth.accounts import create_user
    from surveyor.demo.points import points_for
    from surveyor.extensions import db
    from surveyor.instruments.sync import sync_instruments
    from surveyor.models import PointInstrument, ServicePoint, SurveyLink
    from surveyor.service_points.links import ensure_links
    from surveyor.service_points.windows import set_window

    with app.app_context():
        upgrade()
        sync_instruments(db.session, copy.deepcopy(instrument_files))
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["demo", "--responses", str(RESPONSES), "--inspections",
                                                    str(INSPECTIONS), "--seed", "11"])
        assert result.exit_code == 0, result.output
        points = list(db.session.scalars(select(ServicePoint).order_by(ServicePoint.id)))
        instruments = {i.code: i for i in db.session.scalars(select(Instrument))}
        for code in QUESTIONNAIRES:
            point_id, _district = points_for(code, points)[0]
            if db.session.get(PointInstrument, (point_id, instruments[code].id)) is None:  # `demo` links them
                db.session.add(PointInstrument(service_point_id=point_id, instrument_id=instruments[code].id))
            set_window(db.session, instruments[code].id, True)
        ensure_links(db.session)
        create_user(db.session, "sweeper", "researcher", "a strong pass phrase", must_change_password=False)
        db.session.commit()
        links = {link.instrument.code: link.token for link in db.session.scalars(select(SurveyLink))}
        db.session.remove()
    return links


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id, instrument_files) -> Site:
    app = create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": _database(tmp_path_factory, worker_id),
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("sweep-instance")),
                      "INSTRUMENTS_DIR": str(PROJECT_ROOT)})
    links = _fill(app, instrument_files)
    client = app.test_client()
    with app.app_context():
        page = client.get("/login")
        client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "sweeper",
                                    "password": "a strong pass phrase"})
    yield Site(app, client, links)
    from surveyor.extensions import db
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _own_version_cache():
    """Instrument versions are cached by id for the process; this database numbers them apart
    from the other tests' one, so neither may see the other's cache."""
    from surveyor.forms.survey import survey_form_class
    from surveyor.instruments.versions import version_definition
    version_definition.cache_clear()
    survey_form_class.cache_clear()
    yield
    version_definition.cache_clear()
    survey_form_class.cache_clear()


def _export_kind(code: str) -> str:
    return "inspections" if CATALOG[code]["kind"] == "checklist" else "responses"


@pytest.mark.parametrize("lang", PAGE_LANGUAGES)
@pytest.mark.parametrize("code", CATALOG)
def test_results_page(site, code, lang):
    response = site.get(f"/results/{code}?lang={lang}")
    assert response.status_code == 200, (code, lang, response.status_code)
    body = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in body
    assert re.search(rf'<h1>[^<]*<span class="code" dir="ltr">{code}</span></h1>', body)
    assert site.title(code, lang) in html.unescape(body)
    label = "Inspections" if CATALOG[code]["kind"] == "checklist" else "Responses"
    if lang == "en":  # the first card counts what the figures are made of
        shown = re.search(rf'{label}</span><span class="stat-value">([\d,]+)<', body)
        assert shown and int(shown.group(1).replace(",", "")) > 0


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _without_brackets(text: str) -> str:
    return re.sub(r"[()\[\]]", "", text)


@pytest.mark.parametrize("lang", REPORT_LANGUAGES)
@pytest.mark.parametrize("code", CATALOG)
def test_pdf_report(site, code, lang, tmp_path):
    response = site.get(f"/results/{code}/report.pdf?report_lang={lang}")
    assert response.status_code == 200, (code, lang, response.status_code)
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    content = _pdf_text(response.data, tmp_path)
    assert code in content
    # pdftotext gives right-to-left brackets as drawn, mirrored: compare the letters without them
    assert _without_brackets(letters(site.title(code, lang))) in _without_brackets(letters(content))


def _csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    first_line, header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    assert first_line[0].startswith("# Surveyor export of ")
    return header, rows


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", CATALOG)
def test_export(site, code, fmt, tmp_path):
    kind = _export_kind(code)
    response = site.get(f"/results/{code}/{kind}.{fmt}?flagged=1")  # no filter: every row
    assert response.status_code == 200, (code, fmt, response.status_code)
    expected = site.count(code)
    assert expected > 0
    first_column = "inspection_id" if kind == "inspections" else "response_id"
    if fmt == "csv":
        header, rows = _csv_rows(response.data)
        assert header[0] == first_column and len(rows) == expected
    elif fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
        rows = list(workbook["data"].iter_rows(values_only=True))
        assert rows[0][0] == first_column and len(rows) - 1 == expected
    elif fmt == "sav":
        path = tmp_path / "export.sav"
        path.write_bytes(response.data)
        frame, meta = pyreadstat.read_sav(str(path))
        assert len(frame) == expected and code in meta.file_label
    else:
        pytest.fail(f"the sweep does not yet know how to read a .{fmt} export; teach it")


@pytest.mark.parametrize("code", QUESTIONNAIRES)
def test_survey_link(site, code):
    for lang in CATALOG[code]["languages"].split():
        response = site.get(f"/s/{site.links[code]}?lang={lang}")
        assert response.status_code == 200, (code, lang, response.status_code)
        body = response.get_data(as_text=True)
        assert 'name="form_token"' in body and site.title(code, lang) in html.unescape(body)
