"""Penetration test finding Low 11 (issue 12): checklists got citizen survey links.

The gap: a service point's checklists (filled by inspectors on their tablets) were given the
same short citizen link, QR code and poster as its questionnaires. Opening collection on a
checklist made its citizen page a 500, and a poster would have invited citizens to fill an
inspector's checklist.

What Surveyor promises (README, "Pages, headers and imports"): a checklist never has a citizen
link. Importing or saving a point issues links for its questionnaires only; the database layer
refuses a link to a checklist whoever asks; collection windows (citizens' collection) cannot be
set on a checklist, from the command line or the admin pages; and links issued to checklists
before this release are retired by migration 0014. A checklist link that is somehow still in the
database is "not found" for citizens, never a 500.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, insert, select, text

from surveyor.models import CollectionWindow, Instrument, ServicePoint, SurveyLink
from surveyor.service_points.importer import import_points
from surveyor.service_points.links import reissue_link
from surveyor.service_points.windows import set_window
from tests.conftest import csrf_token

# A metro station with its questionnaire and its checklist; a toilet with a checklist only.
POINTS = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
          "MET-01,ایستگاه میدان شهدا,Shohada Square station,,8,,,TRN-Q01;TRN-C01\n"
          "WC-07,سرویس بهداشتی بوستان ملت,Mellat Park toilets,,7,,,SRV-C01\n")


def codes_with_links(session) -> set[tuple[str, str]]:
    return {(link.service_point.code, link.instrument.code) for link in session.scalars(select(SurveyLink))}


@pytest.fixture
def points(loaded):
    import_points(loaded.session, POINTS)
    loaded.session.commit()
    return loaded


def checklist(session, code="TRN-C01") -> Instrument:
    return session.scalar(select(Instrument).where(Instrument.code == code))


def legacy_checklist_link(db, point_code="WC-07", code="SRV-C01", token="legacyCheck1") -> str:
    """A citizen link to a checklist written as older releases did (straight into the table, as
    the model would now refuse it), with collection open there."""
    point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == point_code))
    instrument = checklist(db.session, code)
    with db.engine.begin() as connection:
        connection.execute(insert(SurveyLink.__table__).values(
            token=token, service_point_id=point.id, instrument_id=instrument.id,
            created_at=dt.datetime.now(dt.timezone.utc)))
        connection.execute(insert(CollectionWindow.__table__).values(
            instrument_id=instrument.id, service_point_id=None, is_open=True))
    return token


def test_importing_points_issues_links_for_questionnaires_only(points):
    assert codes_with_links(points.session) == {("MET-01", "TRN-Q01")}


def test_the_admin_form_issues_no_link_for_a_checklist(app, points, make_user):
    make_user("admin1", "admin", "a strong pass phrase")
    admin = app.test_client()
    admin.post("/login", data={"csrf_token": csrf_token(admin.get("/login").get_data(as_text=True)),
                               "username": "admin1", "password": "a strong pass phrase"})
    page = admin.get("/admin/points/new")
    ids = [str(checklist(points.session, code).id) for code in ("TRN-C01", "SRV-C01")]
    response = admin.post("/admin/points/new", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "code": "MET-09", "name_fa": "ایستگاه نه",
        "district": "9", "instruments": ids})
    assert response.status_code == 302
    points.session.expire_all()
    assert codes_with_links(points.session) == {("MET-01", "TRN-Q01")}
    point = points.session.scalar(select(ServicePoint).where(ServicePoint.code == "MET-09"))
    page = admin.get(f"/admin/points/{point.id}").get_data(as_text=True)
    assert "TRN-C01" in page and "SRV-C01" in page and "qr.svg" not in page  # listed, without a QR code


def test_the_database_layer_refuses_a_link_to_a_checklist(points):
    session = points.session
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == "WC-07"))
    session.add(SurveyLink(token="forged-link1", service_point_id=point.id, instrument_id=checklist(session).id))
    with pytest.raises(ValueError, match="checklist"):
        session.flush()
    session.rollback()
    assert session.scalar(select(SurveyLink).where(SurveyLink.token == "forged-link1")) is None


def test_collection_cannot_be_opened_on_a_checklist(points, runner):
    with pytest.raises(ValueError, match="checklist"):
        set_window(points.session, checklist(points.session).id, True)
    points.session.rollback()
    result = runner.invoke(args=["collection", "open", "TRN-C01"])
    assert result.exit_code != 0 and "checklist" in result.output and "Traceback" not in result.output
    assert points.session.scalar(select(CollectionWindow)) is None
    assert runner.invoke(args=["collection", "open", "TRN-Q01"]).exit_code == 0


def test_the_admin_collection_page_of_a_checklist_does_not_exist(app, points, make_user):
    make_user("admin1", "admin", "a strong pass phrase")
    admin = app.test_client()
    admin.post("/login", data={"csrf_token": csrf_token(admin.get("/login").get_data(as_text=True)),
                               "username": "admin1", "password": "a strong pass phrase"})
    token = csrf_token(admin.get("/admin/points").get_data(as_text=True))
    assert admin.get("/admin/collection/TRN-C01").status_code == 404
    response = admin.post("/admin/collection/TRN-C01", data={"csrf_token": token, "state": "open"})
    assert response.status_code == 404
    points.session.expire_all()
    assert points.session.scalar(select(CollectionWindow)) is None


def test_no_checklist_is_listed_printed_or_drawn_as_a_qr_code(app, points, runner, make_user, tmp_path):
    legacy_checklist_link(points)
    listed = runner.invoke(args=["points", "links"])
    assert "TRN-Q01" in listed.output and "SRV-C01" not in listed.output and "TRN-C01" not in listed.output
    result = runner.invoke(args=["points", "posters", "--point", "WC-07", "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code != 0 and not (tmp_path / "p.pdf").exists()
    make_user("admin1", "admin", "a strong pass phrase")
    admin = app.test_client()
    admin.post("/login", data={"csrf_token": csrf_token(admin.get("/login").get_data(as_text=True)),
                               "username": "admin1", "password": "a strong pass phrase"})
    toilet = points.session.scalar(select(ServicePoint).where(ServicePoint.code == "WC-07"))
    assert admin.get(f"/admin/points/{toilet.id}/links/SRV-C01/qr.svg").status_code == 404
    assert admin.get(f"/admin/posters.pdf?point={toilet.id}").status_code == 404
    token = csrf_token(admin.get("/admin/points").get_data(as_text=True))
    assert admin.post(f"/admin/points/{toilet.id}/links/SRV-C01/reissue", data={"csrf_token": token}).status_code == 404


def test_a_checklist_link_left_in_the_database_is_not_found_by_citizens(app, points):
    token = legacy_checklist_link(points)
    citizen = app.test_client()
    for response in (citizen.get(f"/s/{token}"), citizen.get(f"/s/{token}?lang=ar"),
                     citizen.post(f"/s/{token}", data={"form_token": "x"}), citizen.get(f"/s/{token}/thanks")):
        assert response.status_code == 404, response.status_code


def test_reissuing_a_checklist_link_is_refused(points):
    legacy_checklist_link(points)
    link = points.session.scalar(select(SurveyLink).where(SurveyLink.token == "legacyCheck1"))
    with pytest.raises(ValueError, match="checklist"):
        reissue_link(points.session, link)
    points.session.rollback()


def test_migration_0014_retires_the_links_older_releases_gave_to_checklists(tmp_path):
    from flask_migrate import downgrade, upgrade

    from surveyor import create_app
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade(revision="0007")
        engine = create_engine(url)
        now = dt.datetime(2026, 1, 1)
        with engine.begin() as connection:
            for id_, code, kind in ((1, "TRN-Q01", "questionnaire"), (2, "TRN-C01", "checklist")):
                connection.execute(text("INSERT INTO instruments (id, code, kind, domain, created_at) "
                                        "VALUES (:id, :code, :kind, 'transport', :now)"),
                                   {"id": id_, "code": code, "kind": kind, "now": now})
            connection.execute(text("INSERT INTO service_points (id, code, name_fa, district, created_at) "
                                    "VALUES (1, 'MET-01', 'ایستگاه', 8, :now)"), {"now": now})
            for id_, instrument in ((1, 1), (2, 2)):
                connection.execute(text("INSERT INTO survey_links (id, token, service_point_id, instrument_id, "
                                        "created_at) VALUES (:id, :token, 1, :instrument, :now)"),
                                   {"id": id_, "token": f"token{id_}", "instrument": instrument, "now": now})
        upgrade(revision="0014")
        with engine.connect() as connection:
            retired = dict(connection.execute(text("SELECT instrument_id, retired_at IS NOT NULL FROM survey_links")).all())
        assert retired == {1: False, 2: True}
        downgrade(revision="0007")  # nothing to undo: the links stay retired, and the way back works
        engine.dispose()
