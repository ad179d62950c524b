"""Admin pages for service points, links, QR codes, posters and collection windows."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from surveyor.models import ServicePoint, SurveyLink
from tests.conftest import POINTS, csrf_token

ADMIN_PAGES = ["/admin/points", "/admin/points/new", "/admin/posters.pdf", "/admin/collection/TRN-Q01"]


def login_as(client, make_user, role):
    make_user(f"{role}1", role, "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                "username": f"{role}1", "password": "a strong pass phrase"})


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_visitors_are_sent_to_login(client, loaded, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["researcher", "supervisor", "inspector"])
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_other_roles_are_refused(client, loaded, make_user, role, url):
    login_as(client, make_user, role)
    assert client.get(url).status_code == 403


@pytest.fixture
def admin(client, loaded, make_user):
    login_as(client, make_user, "admin")
    return client


def test_create_a_point_with_instruments_and_get_links(admin, db):
    page = admin.get("/admin/points/new?lang=fa")
    assert page.status_code == 200
    from surveyor.models import Instrument
    metro = db.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    bad = admin.post("/admin/points/new", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                                "code": "MET-02", "name_fa": "", "district": "3", "latitude": "۳۶٫۳"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "نام فارسی را وارد کنید." in body
    assert "طول و عرض جغرافیایی را با هم وارد کنید" in body
    good = admin.post("/admin/points/new", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "code": "MET-02", "name_fa": "ایستگاه بسیج",
        "name_en": "Basij station", "district": "3", "latitude": "۳۶٫۳", "longitude": "59.6",
        "instruments": [str(metro.id)]})
    assert good.status_code == 302
    point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "MET-02"))
    assert point.latitude == 36.3 and point.district == 3
    link = db.session.scalar(select(SurveyLink).where(SurveyLink.service_point_id == point.id))
    detail = admin.get(f"/admin/points/{point.id}").get_data(as_text=True)
    assert f"/s/{link.token}" in detail


def test_csv_upload_reports_bad_lines_and_imports_nothing(admin, db):
    token = csrf_token(admin.get("/admin/points").get_data(as_text=True))
    bad = POINTS + "X-1,,,,99,,,\n"
    response = admin.post("/admin/points/import", data={"csrf_token": token,
                                                         "file": (io.BytesIO(bad.encode("utf-8-sig")), "p.csv")},
                          content_type="multipart/form-data")
    # In the page's language, the line number in its digits, the file's value marked as code.
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "سطر ۳: منطقه باید عددی از ۱ تا ۱۳ باشد، نه <code" in page
    assert "&#39;99&#39;</code>" in page and "line 3" not in page
    assert db.session.scalar(select(ServicePoint)) is None
    english = admin.post("/admin/points/import?lang=en", data={
        "csrf_token": token, "file": (io.BytesIO(bad.encode("utf-8-sig")), "p.csv")}, content_type="multipart/form-data")
    assert "line 3: district must be a number from 1 to 13, got <code" in english.get_data(as_text=True)
    admin.get("/admin/points?lang=fa")
    good = admin.post("/admin/points/import", data={"csrf_token": token,
                                                    "file": (io.BytesIO(POINTS.encode("utf-8")), "p.csv")},
                      content_type="multipart/form-data")
    assert good.status_code == 302
    assert db.session.scalar(select(ServicePoint)).code == "MET-01"


def test_open_collection_at_one_point_then_reissue_the_link(admin, db, client):
    from surveyor.service_points.importer import import_points
    import_points(db.session, POINTS)
    db.session.commit()
    point = db.session.scalar(select(ServicePoint))
    old = next(link for link in db.session.scalars(select(SurveyLink)) if link.instrument.code == "TRN-Q01")
    assert admin.get(f"/s/{old.token}").status_code == 403
    page = admin.get(f"/admin/collection/TRN-Q01?point={point.id}")
    token = csrf_token(page.get_data(as_text=True))
    wrong = admin.post("/admin/collection/TRN-Q01", data={"csrf_token": token, "point": point.id, "state": "open",
                                                          "opens_on": "1403/09/30", "closes_on": "1403/07/01"})
    assert wrong.status_code == 400
    saved = admin.post("/admin/collection/TRN-Q01", data={"csrf_token": token, "point": point.id,
                                                          "state": "open"})
    assert saved.status_code == 302
    assert admin.get(f"/s/{old.token}").status_code == 200
    asked = admin.post(f"/admin/points/{point.id}/links/TRN-Q01/reissue", data={"csrf_token": token})
    assert asked.status_code == 302 and asked.headers["Location"].endswith("/links/TRN-Q01/reissue")
    assert admin.get(f"/s/{old.token}").status_code == 200  # not confirmed: nothing retired
    admin.post(f"/admin/points/{point.id}/links/TRN-Q01/reissue", data={"csrf_token": token, "confirm": "yes"})
    assert admin.get(f"/s/{old.token}").status_code == 410
    new = db.session.scalar(select(SurveyLink).where(SurveyLink.retired_at.is_(None),
                                                     SurveyLink.instrument_id == old.instrument_id))
    assert new.token != old.token and admin.get(f"/s/{new.token}").status_code == 200


def test_qr_codes_decode_to_the_link(admin, db, tmp_path):
    from surveyor.service_points.importer import import_points
    import_points(db.session, POINTS)
    db.session.commit()
    point = db.session.scalar(select(ServicePoint))
    link = next(link for link in db.session.scalars(select(SurveyLink)) if link.instrument.code == "TRN-Q01")
    svg = admin.get(f"/admin/points/{point.id}/links/TRN-Q01/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = admin.get(f"/admin/points/{point.id}/links/TRN-Q01/qr.png")
    (tmp_path / "qr.png").write_bytes(png.data)
    decoded = subprocess.run([shutil.which("zbarimg"), "--raw", "-q", str(tmp_path / "qr.png")],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == f"http://127.0.0.1:5000/s/{link.token}"


def test_district_posters_pdf(admin, db, tmp_path):
    from surveyor.service_points.importer import import_points
    import_points(db.session, POINTS)
    db.session.commit()
    response = admin.get("/admin/posters.pdf?district=8&size=A5")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    (tmp_path / "p.pdf").write_bytes(response.data)
    info = subprocess.run(["pdfinfo", str(tmp_path / "p.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M), info
    assert admin.get("/admin/posters.pdf?district=2").status_code == 404
