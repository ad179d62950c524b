"""Answering twice from one page: a retry of the same answers is thanked and stored once; changed
answers sent again (Back, change, send) get a page saying the first answers were kept."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveyor.models import Answer, Response
from tests.conftest import GOOD_ANSWERS, form_token

ALREADY = {"fa": "پاسخ‌های شما پیش‌تر رسیده بود", "ar": "وصلتنا إجاباتك من قبل",
           "en": "Your answers were already received"}


def stored(db):
    db.session.expire_all()
    return {a.item_code: a.value for a in db.session.scalars(select(Answer))}


@pytest.mark.parametrize("lang", ["fa", "ar", "en"])
def test_changed_answers_sent_again_keep_the_first_and_say_so(client, db, station, lang):
    url = f"/s/{station['TRN-Q01']}?lang={lang}"
    data = {"form_token": form_token(client.get(url).get_data(as_text=True)), **GOOD_ANSWERS}
    assert client.post(url, data=data).status_code == 303
    first = stored(db)
    changed = {**data, "overall": "1", "headway": "5", "recommend": "0", "comment": "همه چیز بد بود"}
    again = client.post(url, data=changed)
    html = again.get_data(as_text=True)
    assert again.status_code == 409
    assert ALREADY[lang] in html and f'<html lang="{lang}"' in html
    assert stored(db) == first
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_the_identical_submission_again_is_thanked_and_stored_once(client, db, station):
    url = f"/s/{station['TRN-Q01']}?lang=en"
    data = {"form_token": form_token(client.get(url).get_data(as_text=True)), **GOOD_ANSWERS}
    for _ in range(3):
        response = client.post(url, data=data)
        assert response.status_code == 303 and response.headers["Location"].endswith("/thanks?lang=en")
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


@pytest.mark.parametrize("change", [
    {"overall": ""},                 # an answer taken away: now incomplete
    {"overall": "99"},               # junk
    {"wait_minutes": "12"},          # the same number in other digits is the same answer
    {"punctuality": "4"},            # "don't know" changed to an answer
])
def test_what_counts_as_a_change(client, db, station, change):
    url = f"/s/{station['TRN-Q01']}?lang=fa"
    data = {"form_token": form_token(client.get(url).get_data(as_text=True)), **GOOD_ANSWERS}
    client.post(url, data=data)
    again = client.post(url, data={**data, **change})
    same = change == {"wait_minutes": "12"}
    assert again.status_code == (303 if same else 409), change
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
