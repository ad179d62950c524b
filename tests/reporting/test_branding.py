"""Branding: the office's and city's names and the logo (settings, surveyor/branding.py) in the
page header in each language, on posters and on report covers, read back from the PDFs with
pdftotext and looked at with pdftoppm; a missing or invalid logo stops the start with a message."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from pdf_reading import letters
from surveyor import create_app
from surveyor.branding import SAMPLE_CITY, SAMPLE_OFFICE
from surveyor.config import ConfigurationError
from surveyor.reporting.posters import posters_pdf
from tests.conftest import POINTS, csrf_token

ORANGE = (0xE3, 0x64, 0x14)  # the sample logo's tallest bar


def _login(client, make_user, role):
    make_user(f"{role}1", role, "a strong pass phrase")
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "username": f"{role}1",
                                "password": "a strong pass phrase"})
    return client


def _orange_pixels(png, box=None) -> int:
    with Image.open(png) as image:
        region = np.asarray(image.convert("RGB").crop(box) if box else image.convert("RGB"), dtype=int)
    return int((np.abs(region - np.array(ORANGE)).max(axis=2) < 40).sum())


@pytest.mark.parametrize("lang", ["fa", "ar", "en"])
def test_the_header_shows_the_office_the_city_and_the_logo_in_each_language(client, db, lang):
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    brand = page.split('class="brand"', 1)[1].split("</a>", 1)[0]
    assert SAMPLE_OFFICE[lang] in brand and SAMPLE_CITY[lang] in brand
    assert 'src="/branding/logo"' in brand
    others = [name for other in ("fa", "ar", "en") if other != lang for name in (SAMPLE_CITY[other], SAMPLE_OFFICE[other])]
    assert not any(name in brand for name in others)  # one language per screen


def test_the_logo_is_served_by_the_app_and_runs_nothing(client, db):
    response = client.get("/branding/logo")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data.lstrip().startswith(b"<svg")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "script-src" not in response.headers["Content-Security-Policy"]  # default-src 'none' covers it


def test_a_poster_carries_the_office_the_city_and_the_logo(client, loaded, make_user, pdf_tools):
    from surveyor.service_points.importer import import_points
    import_points(loaded.session, POINTS)
    loaded.session.commit()
    admin = _login(client, make_user, "admin")
    response = admin.get("/admin/posters.pdf?district=8")
    assert response.status_code == 200
    text = letters(pdf_tools.text(response.data, 1))
    for lang in ("fa", "ar", "en"):  # TRN-Q01 is offered in all three
        assert letters(SAMPLE_OFFICE[lang]) in text and letters(SAMPLE_CITY[lang]) in text, lang
    (png,) = pdf_tools.render(response.data, "poster")[:1]
    with Image.open(png) as image:
        width, height = image.size
    assert _orange_pixels(png, (width // 2, 0, width, height // 6)) > 20  # on the band's right, Persian's start


def test_a_report_cover_carries_the_office_the_city_and_the_logo(client, loaded, make_user, runner, pdf_tools):
    result = runner.invoke(args=["demo", "--responses", "60", "--instrument", "TRN-Q01"])
    assert result.exit_code == 0, result.output
    researcher = _login(client, make_user, "researcher")
    for lang in ("fa", "en"):  # the languages reports are written in
        response = researcher.get(f"/results/TRN-Q01/report.pdf?lang={lang}")
        assert response.status_code == 200, response.status_code
        cover = letters(pdf_tools.text(response.data, 1))
        assert letters(SAMPLE_OFFICE[lang]) in cover and letters(SAMPLE_CITY[lang]) in cover, lang
        png = pdf_tools.render(response.data, f"cover-{lang}")[0]
        with Image.open(png) as image:
            width, height = image.size
        start = (width // 2, 0, width, height // 4) if lang == "fa" else (0, 0, width // 2, height // 4)
        assert _orange_pixels(png, start) > 20, lang


def _png_logo(path):
    Image.new("RGB", (120, 60), ORANGE).save(path, "PNG")
    return path


def test_a_png_logo_and_the_citys_own_names_reach_the_header_and_the_posters(database_url, tmp_path, pdf_tools):
    logo = _png_logo(tmp_path / "emblem.png")
    app = create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_PATH": str(tmp_path / "instance"), "LOGO": str(logo),
                      "CITY_NAME_FA": "شهر آزمون", "OFFICE_NAME_FA": "دفتر آزمون", "CITY_NAME_EN": "Test City"})
    # Names not given fall back to the Persian ones, never to the demo's.
    branding = app.extensions["branding"]
    assert branding.city_name("en") == "Test City" and branding.city_name("ar") == "شهر آزمون"
    assert branding.office_name("en") == "دفتر آزمون"
    assert app.test_client().get("/branding/logo").mimetype == "image/png"
    from tests.reporting.test_reporting_posters import make_poster
    pdf = posters_pdf([make_poster(logo=str(logo))])
    png = pdf_tools.render(pdf, "png-logo")[0]
    with Image.open(png) as image:
        width, height = image.size
    assert _orange_pixels(png, (width // 2, 0, width, height // 6)) > 200


@pytest.mark.parametrize("name, content, reason", [
    ("missing.svg", None, "does not exist"),
    ("emblem.gif", b"GIF89a", "is not an SVG or PNG file"),
    ("emblem.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "is named .png but is not a PNG image"),
    ("emblem.svg", b"<html><body>not a logo</body></html>", "is not an SVG image"),
    ("emblem.svg", b"<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY x 'y'>]><svg>&x;</svg>", "is not an SVG image"),
    ("folder.svg", "dir", "does not exist"),
])
def test_a_missing_or_invalid_logo_stops_the_start_with_a_clear_message(tmp_path, name, content, reason):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigurationError) as refused:
        create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "INSTANCE_PATH": str(tmp_path / "instance"), "LOGO": str(path)})
    message = str(refused.value)
    assert message.startswith("SURVEYOR_LOGO: ") and str(path) in message and reason in message
    assert "Traceback" not in message


def test_an_empty_persian_name_is_refused_at_start(tmp_path):
    with pytest.raises(ConfigurationError, match="SURVEYOR_CITY_NAME_FA must not be empty"):
        create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "INSTANCE_PATH": str(tmp_path / "instance"), "CITY_NAME_FA": "  "})


def test_posters_from_the_command_line_carry_the_names_too(station, runner, tmp_path, pdf_tools):
    out = tmp_path / "posters.pdf"
    result = runner.invoke(args=["points", "posters", "--point", "MET-01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = letters(pdf_tools.text(out.read_bytes(), 1))
    assert letters(SAMPLE_OFFICE["fa"]) in text and letters(SAMPLE_CITY["en"]) in text
