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
