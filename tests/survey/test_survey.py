"""The citizen survey over HTTP: rendering, validation, idempotent durable submission, flags."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from surveyor.models import Answer, Response
from surveyor.survey import tokens
from tests.conftest import GOOD_ANSWERS, form_token


def count(db, model=Response):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("lang, direction, title", [
    ("fa", "rtl", "رضایت مسافران قطار شهری"), ("ar", "rtl", "رضا ركاب قطار المترو"),
    ("en", "ltr", "Metro passenger satisfaction")])
def test_the_page_opens_in_each_language(client, station, lang, direction, title):
    page = client.get(f"/s/{station['TRN-Q01']}?lang={lang}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in body and title in body
    assert "Set-Cookie" not in page.headers  # citizens get no cookie
    assert '<fieldset class="question' in body and "<legend>" in body


def test_persian_is_the_default_with_persian_digits(client, station):
    body = client.get(f"/s/{station['TRN-Q01']}").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in body
    assert "<span>۱۰</span>" in body and "ایستگاه میدان شهدا" in body


def test_a_good_submission_is_stored_once_even_when_sent_twice(app, client, db, station):
    url = f"/s/{station['TRN-Q01']}?lang=ar"
    data = {"form_token": form_token(client.get(url).get_data(as_text=True)), **GOOD_ANSWERS}
    first = client.post(url, data=data)
    assert first.status_code == 303 and "/thanks" in first.headers["Location"]
    second = client.post(url, data=data)
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    assert count(db) == 1
    response = db.session.scalar(select(Response))
    assert (response.language, response.channel) == ("ar", "qr") and response.link_id is not None
    stored = {a.item_code: a for a in db.session.scalars(select(Answer))}
    assert stored["wait_minutes"].value == 12 and stored["punctuality"].dont_know
    assert stored["comment"].value == "قطارها <b>شلوغ</b> است"
    assert response.device_hash and len(response.device_hash) == 64
    thanks = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "شكرًا لوقتك" in thanks


def test_missing_and_wrong_answers_are_explained_next_to_the_question(client, db, station):
    url = f"/s/{station['TRN-Q01']}?lang=fa"
    data = {"form_token": form_token(client.get(url).get_data(as_text=True)),
            "headway": "9", "wait_minutes": "دیر"}
    page = client.post(url, data=data)
    body = page.get_data(as_text=True)
    assert page.status_code == 400
    assert body.count('class="field-error"') == 3
    assert "لطفاً به این پرسش پاسخ دهید." in body                   # overall is required
    assert "لطفاً یکی از گزینه‌ها را انتخاب کنید." in body          # headway 9 is not an option
    assert "عددی صحیح از ۰ تا ۱۲۰ وارد کنید." in body             # wait minutes
    assert count(db) == 0
    assert form_token(body) == data["form_token"]                     # the same page, the same client id


def test_a_forged_or_foreign_token_shows_the_questions_again(client, db, station):
    url = f"/s/{station['TRN-Q01']}"
    page = client.post(url, data={"form_token": "not-ours", **GOOD_ANSWERS})
    assert page.status_code == 400 and count(db) == 0
    assert "overall" in page.get_data(as_text=True)


@pytest.mark.parametrize("case, status, text", [
    ("unknown", 404, "This survey link is not known"),
    ("closed", 403, "This survey is not open now"),
])
def test_unknown_and_closed_links_explain_themselves(client, station, case, status, text):
    token = "no-such-link" if case == "unknown" else station["SRV-Q04"]
    for method in (client.get, client.post):
        page = method(f"/s/{token}?lang=en")
        assert page.status_code == status and text in page.get_data(as_text=True)


def test_a_retired_link_keeps_its_answers_and_explains_itself(app, client, db, station):
    from surveyor.models import SurveyLink
    from surveyor.service_points.links import reissue_link
    url = f"/s/{station['TRN-Q01']}"
    client.post(url, data={"form_token": form_token(client.get(url).get_data(as_text=True)), **GOOD_ANSWERS})
    link = db.session.scalar(select(SurveyLink).where(SurveyLink.token == station["TRN-Q01"]))
    new = reissue_link(db.session, link)
    db.session.commit()
    page = client.get(url + "?lang=fa")
    assert page.status_code == 410 and "این پیوند دیگر" in page.get_data(as_text=True)
    assert client.get(f"/s/{new.token}").status_code == 200
    assert db.session.scalar(select(Response.link_id)) == link.id


def test_suspicious_answers_are_flagged_not_dropped(app, client, db, station):
    url = f"/s/{station['TRN-Q01']}"
    link_page = client.get(url).get_data(as_text=True)
    decoded = tokens.read(app.config["SECRET_KEY"], form_token(link_page))
    slow = tokens.issue(app.config["SECRET_KEY"], decoded.version_id, decoded.link_id, started=time.time() - 120)
    same = {code: "3" for code in ("overall", "headway", "punctuality", "crowding", "ventilation",
                                   "station_cleanliness", "train_cleanliness")}
    client.post(url, data={"form_token": slow, **same, "website": "http://spam.example"})
    fast = {"form_token": form_token(client.get(url).get_data(as_text=True)), **GOOD_ANSWERS}
    client.post(url, data=fast)
    flags = sorted(tuple(r.quality_flags) for r in db.session.scalars(select(Response).order_by(Response.id)))
    assert ("straight_liner", "honeypot") in flags
    assert ("speeder", "repeat_device") in flags
    assert count(db) == 2


def test_static_assets_are_versioned_and_cached_for_a_year(client, station):
    body = client.get(f"/s/{station['TRN-Q01']}").get_data(as_text=True)
    import re
    css = re.search(r'href="(/static/css/surveyor.css\?v=[0-9a-f]{10})"', body).group(1)
    response = client.get(css)
    assert response.status_code == 200 and "max-age=31536000" in response.headers["Cache-Control"]
