"""The instrument page: any instrument, in any of its languages, as its respondent or inspector
sees it, with its version history."""
from __future__ import annotations

import pytest

from tests.conftest import csrf_token


@pytest.fixture
def staff(client, loaded, make_user):
    make_user("reader", "researcher", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "reader",
                                "password": "a strong pass phrase"})
    return client


def test_the_page_needs_a_staff_login(client, loaded):
    response = client.get("/instruments/TRN-Q01")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("show, direction, text", [
    ("fa", "rtl", "روی‌هم‌رفته چقدر از خدمات قطار شهری راضی هستید؟"),
    ("ar", "rtl", "بشكل عام، ما مدى رضاك عن خدمات المترو؟"),
    ("en", "ltr", "Overall, how satisfied are you with the metro service?"),
])
def test_a_questionnaire_in_each_language(staff, show, direction, text):
    body = staff.get(f"/instruments/TRN-Q01?show={show}&lang=fa").get_data(as_text=True)
    assert text in body
    assert f'<div class="preview" lang="{show}" dir="{direction}">' in body
    assert 'type="radio"' in body and "تاریخچهٔ نسخه‌ها" in body


def test_a_checklist_shows_weights_critical_items_and_ranges(staff):
    body = staff.get("/instruments/TRN-C01?lang=en").get_data(as_text=True)
    assert "Critical" in body and "Weight" in body and "Photo if failed" in body
    assert "lux" in body and "≥" in body


def test_unknown_instruments_and_versions(staff):
    assert staff.get("/instruments/XXX-Q01").status_code == 404
    assert "Version 1 •" in staff.get("/instruments/TRN-Q01?version=99&lang=en").get_data(as_text=True)  # the latest


def test_an_edited_instrument_shows_version_2_and_keeps_version_1_readable(
        app, db, client, runner, make_user, instruments_dir):
    import yaml

    app.config["INSTRUMENTS_DIR"] = str(instruments_dir)
    assert runner.invoke(args=["instruments", "sync"]).exit_code == 0
    make_user("reader", "researcher", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "reader",
                                "password": "a strong pass phrase"})
    old, new = "فاصله زمانی حرکت قطارها (مدت انتظار روی سکو)", "فاصله زمانی میان دو قطار پیاپی"
    path = instruments_dir / "questionnaires" / "trn-q01.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    headway = next(i for i in doc["items"] if i["code"] == "headway")
    assert headway["labels"]["fa"] == old
    headway["labels"]["fa"] = new
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    result = runner.invoke(args=["instruments", "sync"])
    assert "TRN-Q01: changed, stored as version 2" in result.output

    latest = client.get("/instruments/TRN-Q01?show=fa&lang=en").get_data(as_text=True)
    assert new in latest and old not in latest and "Version 2 •" in latest
    first = client.get("/instruments/TRN-Q01?version=1&show=fa&lang=en").get_data(as_text=True)
    assert old in first and new not in first and "Version 1 •" in first
    assert 'href="/instruments/TRN-Q01?version=1&amp;show=fa"' in latest     # the history links to it
