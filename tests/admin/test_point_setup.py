"""Setup that explains itself: the collection form keeps the saved window, retiring a link and
detaching an instrument ask first, and checklists never get citizen links."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from surveyor.formatting import parse_jalali_date
from surveyor.models import (AuditEvent, CollectionWindow, Inspection, Instrument, PointInstrument, Response,
                             ServicePoint, SurveyLink)
from tests.conftest import GOOD_ANSWERS, csrf_token, form_token
from tests.inspect.conftest import all_pass, client_as, visit_fields
from tests.inspect.conftest import field  # noqa: F401 (a fixture)


@pytest.fixture
def admin(client, make_user):
    make_user("root", "admin", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "root",
                                "password": "a strong pass phrase"})
    return client


def _point(db, code="MET-01") -> ServicePoint:
    return db.session.scalar(select(ServicePoint).where(ServicePoint.code == code))


def _instrument(db, code) -> Instrument:
    return db.session.scalar(select(Instrument).where(Instrument.code == code))


def _form_values(html: str) -> dict:
    """What the browser would send back from the collection form as shown: the checked state
    and the text inputs' values."""
    values = {"csrf_token": csrf_token(html)}
    point = re.search(r'name="point" value="(\d+)"', html)
    if point:
        values["point"] = point.group(1)
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) in ("csrf_token", "point"):
            continue
        if 'type="radio"' in tag:
            if " checked" in tag:
                values[name.group(1)] = unescape(value.group(1))
        elif 'type="text"' in tag:
            values[name.group(1)] = unescape(value.group(1)) if value else ""
    return values


def _checked_state(html: str) -> str:
    return re.search(r'<input checked[^>]*name="state"[^>]*value="([^"]+)"', html).group(1)


def _window_row(db, instrument_id, point_id):
    db.session.expire_all()
    window = db.session.scalar(select(CollectionWindow).where(
        CollectionWindow.instrument_id == instrument_id, CollectionWindow.service_point_id == point_id))
    return window and (window.id, window.is_open, window.opens_on, window.closes_on, window.updated_at)


# ---- The collection form shows and keeps the saved window ----

def test_the_collection_form_shows_the_saved_window_and_keeps_it_when_saved_unchanged(admin, db, station):
    point, metro = _point(db), _instrument(db, "TRN-Q01")
    url = f"/admin/collection/TRN-Q01?point={point.id}"
    first = admin.get(url + "&lang=fa").get_data(as_text=True)
    assert _checked_state(first) == "general"  # no setting of its own yet: the general one applies
    saved = admin.post("/admin/collection/TRN-Q01", data={
        "csrf_token": csrf_token(first), "point": point.id, "state": "open",
        "opens_on": "۱۴۰۵/۰۹/۰۱", "closes_on": "1405/12/29"})  # Persian and Latin digits alike
    assert saved.status_code == 302
    row = _window_row(db, metro.id, point.id)
    assert row[1:4] == (True, parse_jalali_date("1405/09/01"), parse_jalali_date("1405/12/29"))

    page = admin.get(url + "&lang=fa").get_data(as_text=True)
    assert _checked_state(page) == "open"
    assert 'value="۱۴۰۵/۰۹/۰۱"' in page and 'value="۱۴۰۵/۱۲/۲۹"' in page  # Jalali, Persian digits
    assert "۱۴۰۵/۰۹/۰۱" in page.split('class="saved-window"')[1].split("</p>")[0]  # and said above the form
    english = admin.get(url + "&lang=en").get_data(as_text=True)
    assert 'value="1405/09/01"' in english and 'value="1405/12/29"' in english

    audits = db.session.scalar(select(func.count()).select_from(AuditEvent))
    again = admin.post("/admin/collection/TRN-Q01", data=_form_values(page))
    assert again.status_code == 302
    assert _window_row(db, metro.id, point.id) == row  # the very same row, not even touched
    arabic = admin.get(url + "&lang=ar").get_data(as_text=True)
    assert 'value="١٤٠٥/٠٩/٠١"' in arabic  # Arabic-Indic digits, read back as well
    assert admin.post("/admin/collection/TRN-Q01", data=_form_values(arabic)).status_code == 302
    assert _window_row(db, metro.id, point.id) == row
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audits


def test_a_closed_window_is_shown_closed_and_a_point_can_follow_the_general_setting_again(admin, db, station):
    point, metro = _point(db), _instrument(db, "TRN-Q01")
    url = f"/admin/collection/TRN-Q01?point={point.id}&lang=en"
    token = csrf_token(admin.get(url).get_data(as_text=True))
    admin.post("/admin/collection/TRN-Q01", data={"csrf_token": token, "point": point.id, "state": "closed"})
    page = admin.get(url).get_data(as_text=True)
    assert _checked_state(page) == "closed" and "Saved now: closed." in page
    assert admin.get(f"/s/{station['TRN-Q01']}").status_code == 403
    followed = admin.post("/admin/collection/TRN-Q01", data={"csrf_token": token, "point": point.id,
                                                             "state": "general"})
    assert followed.status_code == 302 and _window_row(db, metro.id, point.id) is None
    assert admin.get(f"/s/{station['TRN-Q01']}").status_code == 200  # open everywhere again


def test_the_general_form_preselects_closed_when_nothing_is_saved_and_refuses_general(admin, db, station):
    page = admin.get("/admin/collection/SRV-Q04?lang=en").get_data(as_text=True)
    assert _checked_state(page) == "closed"  # no window: the questionnaire is closed, so say so
    assert 'value="general"' not in page  # "as everywhere" means nothing for the general setting
    refused = admin.post("/admin/collection/SRV-Q04", data={"csrf_token": csrf_token(page), "state": "general"})
    assert refused.status_code == 400
    general = admin.get("/admin/collection/TRN-Q01?lang=en").get_data(as_text=True)
    assert _checked_state(general) == "open" and "open, with no dates" in general


def test_a_date_that_is_not_a_date_is_explained_not_a_500(admin, db, station):
    point = _point(db)
    page = admin.get(f"/admin/collection/TRN-Q01?point={point.id}&lang=fa").get_data(as_text=True)
    response = admin.post("/admin/collection/TRN-Q01?lang=fa", data={
        "csrf_token": csrf_token(page), "point": point.id, "state": "open", "opens_on": "۱۴۰۵/۱۳/۴۰"})
    assert response.status_code == 400 and 'class="field-error"' in response.get_data(as_text=True)


# ---- Retiring a link asks first ----

def test_retiring_a_link_asks_first_and_only_the_confirmed_post_retires(admin, db, station):
    point = _point(db)
    old = station["TRN-Q01"]
    detail = admin.get(f"/admin/points/{point.id}?lang=en").get_data(as_text=True)
    confirm_url = f"/admin/points/{point.id}/links/TRN-Q01/reissue"
    assert f'href="{confirm_url}"' in detail  # a link to the question, not a button that acts
    assert f'action="{confirm_url}"' not in detail

    question = admin.get(confirm_url + "?lang=en")
    body = question.get_data(as_text=True)
    assert question.status_code == 200
    assert "Every printed poster and QR code of this questionnaire at this service point stops working." in body
    assert 'name="confirm" value="yes"' in body and f'href="/admin/points/{point.id}"' in body  # confirm, cancel
    assert "از کار می‌افتند" in admin.get(confirm_url + "?lang=fa").get_data(as_text=True)

    token = csrf_token(body)
    assert admin.post(confirm_url, data={}).status_code == 400  # no CSRF token: refused
    unconfirmed = admin.post(confirm_url, data={"csrf_token": token})
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith(confirm_url)
    db.session.expire_all()
    assert db.session.scalar(select(SurveyLink).where(SurveyLink.token == old)).retired_at is None
    assert admin.get(f"/s/{old}").status_code == 200

    done = admin.post(confirm_url, data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 302
    assert admin.get(f"/s/{old}").status_code == 410
    assert "replaced" in admin.get(f"/s/{old}?lang=en").get_data(as_text=True)
    assert admin.get(confirm_url + "x").status_code == 404


# ---- Detaching an instrument ----

def _answer(client, token) -> None:
    url = f"/s/{token}"
    sent = client.post(url, data={"form_token": form_token(client.get(url).get_data(as_text=True)), **GOOD_ANSWERS})
    assert sent.status_code == 303


def _responses(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def _responses_in_results(admin, point_id) -> str:
    page = admin.get(f"/results/TRN-Q01?lang=en&flagged=1&point={point_id}").get_data(as_text=True)
    return re.search(r'stat-label">Responses</span><span class="stat-value">([^<]+)<', page).group(1)


def test_detaching_a_questionnaire_retires_its_link_and_keeps_its_answers(app, admin, db, station):
    point, metro = _point(db), _instrument(db, "TRN-Q01")
    old = station["TRN-Q01"]
    citizen = app.test_client()
    _answer(citizen, old)
    _answer(app.test_client(), old)
    assert _responses(db) == 2 and _responses_in_results(admin, point.id) == "2"

    form = admin.get(f"/admin/points/{point.id}/edit?lang=en").get_data(as_text=True)
    detach_url = f"/admin/points/{point.id}/instruments/TRN-Q01/detach"
    assert f'href="{detach_url}"' in form  # the ticked box says how to stop using it
    question = admin.get(detach_url + "?lang=en").get_data(as_text=True)
    assert "Its survey link is retired" in question and "answers here so far: 2" in question
    assert "gets a new link" in question
    assert "۲" in admin.get(detach_url + "?lang=fa").get_data(as_text=True)

    token = csrf_token(question)
    admin.post(detach_url, data={"csrf_token": token})  # not confirmed
    assert db.session.get(PointInstrument, (point.id, metro.id)) is not None
    done = admin.post(detach_url, data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(PointInstrument, (point.id, metro.id)) is None
    assert db.session.scalar(select(SurveyLink).where(SurveyLink.token == old)).retired_at is not None
    assert _responses(db) == 2 and _responses_in_results(admin, point.id) == "2"
    assert all(r.link_id is not None and r.service_point_id == point.id for r in db.session.scalars(select(Response)))

    gone = citizen.get(f"/s/{old}?lang=en")
    assert gone.status_code == 410 and "no longer" in gone.get_data(as_text=True)
    assert "replaced" not in gone.get_data(as_text=True)  # there is no new poster to look for
    assert citizen.get(f"/s/{old}").status_code == 410  # Persian, the default
    posted = citizen.post(f"/s/{old}", data={"form_token": "x", **GOOD_ANSWERS})
    assert posted.status_code == 410 and _responses(db) == 2
    assert admin.get(detach_url).status_code == 404  # nothing left to detach
    detail = admin.get(f"/admin/points/{point.id}").get_data(as_text=True)
    assert old not in detail

    # Attached again: a new link, the old one still retired.
    page = admin.get(f"/admin/points/{point.id}/edit").get_data(as_text=True)
    admin.post(f"/admin/points/{point.id}/edit", data={
        "csrf_token": csrf_token(page), "code": point.code, "name_fa": point.name_fa, "district": point.district,
        "instruments": [str(metro.id)]})
    new = db.session.scalar(select(SurveyLink).where(SurveyLink.instrument_id == metro.id,
                                                     SurveyLink.retired_at.is_(None)))
    assert new is not None and new.token != old
    assert citizen.get(f"/s/{new.token}").status_code == 200 and citizen.get(f"/s/{old}").status_code == 410


def test_detaching_a_checklist_keeps_its_inspections(app, db, field, make_user):
    make_user("root", "admin", "a strong pass phrase")
    reza, admin = client_as(app, "reza"), client_as(app, "root")
    site, checklist = field["points"][0], field["checklist"]
    data = {**visit_fields(reza, field), **all_pass(field["definition"])}
    assert reza.post("/inspect/submit", data=data, headers={"Accept": "application/json"}).status_code == 201
    detach_url = f"/admin/points/{site.id}/instruments/SRV-C01/detach"
    question = admin.get(detach_url + "?lang=en").get_data(as_text=True)
    assert "inspections here so far: 1" in question and "poster" not in question
    admin.post(detach_url, data={"csrf_token": csrf_token(question), "confirm": "yes"})
    db.session.expire_all()
    assert db.session.get(PointInstrument, (site.id, checklist.id)) is None
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 1
    # No new visits there, but the inspection is still in the checklist's results.
    assert reza.get(f"/inspect/form?checklist=SRV-C01&point={site.id}").status_code == 404
    results = admin.get(f"/results/SRV-C01?lang=en&point={site.id}").get_data(as_text=True)
    assert re.search(r'stat-label">Inspections</span><span class="stat-value">1<', results)


# ---- Checklists never get citizen links ----

def test_checklists_are_offered_only_as_inspected_here_and_never_get_links(admin, db, loaded):
    """Every instrument of the catalog ticked on a new point: each questionnaire gets a link, no
    checklist does, and the point's pages offer checklists only as inspected there."""
    instruments = list(db.session.scalars(select(Instrument)))
    checklists = {i.code for i in instruments if i.kind == "checklist"}
    assert checklists and len(checklists) < len(instruments)
    form = admin.get("/admin/points/new?lang=en").get_data(as_text=True)
    checklist_box = form.split('id="instruments-checklist"')[1].split("</fieldset>")[0]
    questionnaire_box = form.split('id="instruments-questionnaire"')[1].split("</fieldset>")[0]
    assert "no citizen link, QR code or poster" in checklist_box
    assert all(code in checklist_box and code not in questionnaire_box for code in checklists)
    admin.post("/admin/points/new", data={"csrf_token": csrf_token(form), "code": "ALL-1", "name_fa": "همه",
                                          "district": "1", "instruments": [str(i.id) for i in instruments]})
    point = _point(db, "ALL-1")
    linked = {link.instrument.code for link in db.session.scalars(
        select(SurveyLink).where(SurveyLink.service_point_id == point.id))}
    assert linked == {i.code for i in instruments} - checklists
    detail = admin.get(f"/admin/points/{point.id}?lang=en").get_data(as_text=True)
    for code in checklists:
        assert f"/links/{code}/" not in detail and f"code={code}" not in detail
        assert admin.get(f"/admin/points/{point.id}/links/{code}/qr.svg").status_code == 404
        assert admin.get(f"/admin/points/{point.id}/links/{code}/reissue").status_code == 404
        assert admin.get(f"/admin/collection/{code}").status_code == 404
    section = detail.split("Checklists used here")[1]
    assert all(code in section for code in checklists)


def test_a_point_with_only_a_checklist_has_no_poster(admin, db, loaded):
    form = admin.get("/admin/points/new").get_data(as_text=True)
    checklist = _instrument(db, "SRV-C01")
    admin.post("/admin/points/new", data={"csrf_token": csrf_token(form), "code": "WC-9", "name_fa": "سرویس",
                                          "district": "2", "instruments": [str(checklist.id)]})
    point = _point(db, "WC-9")
    assert admin.get(f"/admin/posters.pdf?point={point.id}").status_code == 404
    assert db.session.scalar(select(SurveyLink).where(SurveyLink.service_point_id == point.id)) is None


def test_a_form_sent_back_for_a_fix_keeps_the_ticked_instruments(admin, db, loaded):
    form = admin.get("/admin/points/new?lang=en").get_data(as_text=True)
    metro = _instrument(db, "TRN-Q01")
    again = admin.post("/admin/points/new?lang=en", data={"csrf_token": csrf_token(form), "code": "X-1", "name_fa": "",
                                                          "district": "1", "instruments": [str(metro.id)]})
    body = again.get_data(as_text=True)
    assert again.status_code == 400
    assert f'value="{metro.id}" checked' in body and body.count(" checked>") == 1
