"""The survey opens in the phone's language (Accept-Language) among the instrument's languages,
unless the citizen chose one on the page's language switch, which always wins."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import GOOD_ANSWERS, form_token


def page_language(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("header, expected", [
    ("ar-SA", "ar"),
    ("ar-SA,ar;q=0.9,en-US;q=0.8", "ar"),
    ("en-US;q=0.9", "en"),
    ("en-GB,en;q=0.9,fa;q=0.8", "en"),
    ("de-DE,fr;q=0.9,ar;q=0.5", "ar"),          # the first of the instrument's languages asked for
    ("fa-IR", "fa"),
    ("de-DE,de;q=0.9", "fa"),                   # none of the instrument's: Persian
    ("*", "fa"),
    ("fa;q=0, en", "en"),                       # q=0: "not this one"
    ("@@@;;;q=abc,,\x7f", "fa"),                # garbage
    ("en;q=nonsense, ar;q=0.1", "ar"),          # an unreadable entry is skipped
    ("", "fa"),
    ("ar" * 3000, "fa"),                        # a long one is still no 500
])
def test_the_phones_language_opens_the_survey(client, station, header, expected):
    response = client.get(f"/s/{station['TRN-Q01']}", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert page_language(response) == expected
    assert "Accept-Language" in response.headers["Vary"]
    # the form goes on in that language, and so does the thank-you page
    assert f'action="/s/{station["TRN-Q01"]}?lang={expected}#error-summary"' in response.get_data(as_text=True)


def test_the_visible_switch_wins_over_the_phone(client, station):
    url = f"/s/{station['TRN-Q01']}"
    page = client.get(url, headers={"Accept-Language": "ar-SA"})
    html = page.get_data(as_text=True)
    for code in ("fa", "ar", "en"):  # the switch is still there
        assert f'href="{url}?lang={code}"' in html
    for code in ("fa", "en"):
        assert page_language(client.get(f"{url}?lang={code}", headers={"Accept-Language": "ar-SA"})) == code
    chosen = client.get(f"{url}?lang=fa", headers={"Accept-Language": "ar-SA"})
    answered = client.post(f"{url}?lang=fa", headers={"Accept-Language": "ar-SA"},
                           data={"form_token": form_token(chosen.get_data(as_text=True)), **GOOD_ANSWERS})
    assert answered.status_code == 303 and answered.headers["Location"].endswith("/thanks?lang=fa")
    assert page_language(client.get(answered.headers["Location"], headers={"Accept-Language": "ar-SA"})) == "fa"


def test_a_language_the_instrument_lacks_falls_back_among_its_own(client, loaded):
    """CIV-Q01 is in Persian and English only: an Arabic phone that also reads English gets
    English, one that reads Arabic only gets Persian, and ``?lang=ar`` is ignored."""
    from surveyor.models import Instrument, SurveyLink
    from surveyor.service_points.importer import import_points
    from surveyor.service_points.windows import set_window

    session = loaded.session
    import_points(session, "code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
                           "CUL-01,فرهنگسرا,Culture house,دار الثقافة,1,36.3,59.6,CIV-Q01\n")
    instrument = session.scalar(select(Instrument).where(Instrument.code == "CIV-Q01"))
    set_window(session, instrument.id, True)
    session.commit()
    token = session.scalar(select(SurveyLink.token).where(SurveyLink.instrument_id == instrument.id))
    assert page_language(client.get(f"/s/{token}", headers={"Accept-Language": "ar-SA,en;q=0.5"})) == "en"
    assert page_language(client.get(f"/s/{token}", headers={"Accept-Language": "ar-SA"})) == "fa"
    assert page_language(client.get(f"/s/{token}?lang=ar", headers={"Accept-Language": "ar"})) == "fa"


def test_pages_without_an_instrument_follow_the_phone_too(client):
    missing = client.get("/s/no-such-link", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert missing.status_code == 404 and page_language(missing) == "en"
    assert "This survey link is not known" in missing.get_data(as_text=True)
    assert page_language(client.get("/s/no-such-link?lang=ar", headers={"Accept-Language": "en"})) == "ar"
