"""Pentest findings Low 2 and Low 12: oversized input on the anonymous pages.

Low 2: a number answer of thousands of digits made the survey submission a 500 (Python refuses
to convert more than 4,300 digits). Low 12: the survey and the login read request bodies up to
the inspection upload limit (192 MB)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveyor.models import Response
from tests.conftest import GOOD_ANSWERS, form_token


@pytest.mark.parametrize("digit", ["7", "۷"], ids=["ascii", "persian"])
def test_a_number_of_5000_digits_is_a_field_error_not_a_500(client, db, station, digit):
    url = f"/s/{station['TRN-Q01']}?lang=en"
    page = client.get(url).get_data(as_text=True)
    refused = client.post(url, data={**GOOD_ANSWERS, "form_token": form_token(page), "wait_minutes": digit * 5000})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Enter a whole number from" in body
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_leading_zeros_still_make_a_small_number(client, db, station):
    url = f"/s/{station['TRN-Q01']}?lang=en"
    page = client.get(url).get_data(as_text=True)
    sent = client.post(url, data={**GOOD_ANSWERS, "form_token": form_token(page), "wait_minutes": "0" * 5000 + "12"})
    assert sent.status_code == 303


def test_the_survey_reads_at_most_128_kb_and_says_so_in_its_language(client, db, station):
    url = f"/s/{station['TRN-Q01']}?lang=ar"
    page = client.get(url).get_data(as_text=True)
    refused = client.post(url, data={**GOOD_ANSWERS, "form_token": form_token(page), "comment": "x" * 200_000})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 413
    assert 'lang="ar"' in body and "إجاباتك طويلة جدًا" in body
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_the_login_reads_at_most_128_kb(client, db):
    refused = client.post("/login", data={"username": "a" * 200_000, "password": "x"})
    assert refused.status_code == 413
    assert "حجم آنچه فرستادید بیش از حد مجاز است." in refused.get_data(as_text=True)  # Persian by default


def test_the_inspection_upload_keeps_its_large_limit(app, client, db):
    from surveyor.request_size import ANONYMOUS_BODY_BYTES
    assert app.config["MAX_CONTENT_LENGTH"] > 100 * 1024 * 1024  # 16 photos of 12 MB
    answer = client.post("/inspect/submit", data={"payload": "x" * (2 * ANONYMOUS_BODY_BYTES)})
    assert answer.status_code != 413
